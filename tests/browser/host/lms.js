/* A minimal LMS for the browser tests: scorm-again's runtime in this window, the package in
   an iframe. The test calls launch({...}) and reads the recorded data with snapshot(). */
(function () {
  "use strict";
  var real = null, version = null, faults = null, navValid = null;
  window.calls = [];
  window.injected = [];

  function fault(fn, args) {
    // faults: {calls: {"SetValue": [3, 4], "Commit": [1]}, mode: "false" | "throw", match: "regex"}
    if (!faults) return false;
    var count = (fault.n[fn] = (fault.n[fn] || 0) + 1);
    var hit = (faults.calls[fn] || []).indexOf(count) >= 0 ||
      (faults.match && fn.indexOf("SetValue") >= 0 && new RegExp(faults.match).test(args[0]) && (fault.m[args[0]] = (fault.m[args[0]] || 0) + 1) <= (faults.times || 1));
    if (hit) window.injected.push(fn + "(" + (args[0] || "") + ")#" + count);
    return hit;
  }
  fault.n = {};
  fault.m = {};

  function wrap(names) {
    var api = {}, lastFault = false;
    names.forEach(function (name) {
      api[name] = function () {
        var args = [].slice.call(arguments);
        if (/GetLastError$/.test(name) && lastFault) return "101";
        if (/GetErrorString$|GetDiagnostic$/.test(name) && lastFault) return "General exception (injected by the test LMS)";
        var isData = !/GetLastError$|GetErrorString$|GetDiagnostic$/.test(name);
        if (isData) lastFault = false;
        if (isData && fault(name, args)) {
          lastFault = true;
          window.calls.push([name, args, "fault"]);
          if (faults.mode === "throw") throw new Error("injected failure in " + name);
          return "false";
        }
        // navValid: {"continue": "true"}: the answers of adl.nav.request_valid.* (as a
        // sequencing LMS gives them), for testing the runtime's moves between SCOs
        var asked = name === "GetValue" && navValid && /^adl\.nav\.request_valid\.(\w+)$/.exec(args[0]);
        if (asked && asked[1] in navValid) { lastFault = false; return navValid[asked[1]]; }
        var result = real[name].apply(real, args);
        if (isData) window.calls.push([name, args, String(result), String(real[names[4]]())]);
        return result;
      };
    });
    return api;
  }

  window.launch = function (opts) {
    version = opts.version;
    faults = opts.faults || null;
    navValid = opts.navValid || null;
    var settings = Object.assign({ autocommit: false, lmsCommitUrl: false, logLevel: 5 }, opts.settings || {});
    real = version === "1.2" ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    if (opts.cmi) real.loadFromJSON(opts.cmi, "");
    if (version === "1.2") {
      window.API = wrap(["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSGetLastError",
        "LMSGetErrorString", "LMSGetDiagnostic", "LMSCommit"]);
    } else {
      window.API_1484_11 = wrap(["Initialize", "Terminate", "GetValue", "SetValue", "GetLastError",
        "GetErrorString", "GetDiagnostic", "Commit"]);
    }
    if (opts.popup) window.sco = window.open(opts.url, "sco");  // "open in a new window"
    else document.getElementById("sco").src = opts.url;
  };

  window.snapshot = function () {
    var data = real.renderCMIToJSONObject();
    return { cmi: data.cmi || data, initialized: real.isInitialized(), terminated: real.isTerminated(),
      calls: window.calls, injected: window.injected };
  };
})();
