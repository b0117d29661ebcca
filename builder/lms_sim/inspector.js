/*
 * The simulated LMS page of `builder serve`: launches the package in a frame with the
 * simulated SCORM API (lms.js), stores the learner data on the preview server, shows what
 * the LMS records, and relaunches the course when the files change.
 */
(function () {
  "use strict";
  window.BuilderLMSPage = true;

  var cfg = JSON.parse(document.getElementById("lms-config").textContent);
  var VERSION = {scorm12: "1.2", scorm2004: "2004"}[cfg.format] || null;
  var API_URL = "/__api__/" + encodeURIComponent(cfg.slug) + "/" + cfg.format;
  var PKG = "/" + encodeURIComponent(cfg.slug) + "/pkg/" + cfg.format + "/";
  var LIMITS = VERSION ? cfg.limits[cfg.format] : null; // from builder/scorm_limits.json
  var MAX_LOG = 2000;

  var $ = function (id) { return document.getElementById(id); };
  var frame = $("course-frame");
  var session = null;     // {runtime, api} of the current launch
  var launch = {};        // values the LMS takes from the manifest
  var log = [];
  var generation = cfg.generation;
  var lastUrl = PKG + "index.html";
  var broken = false;
  var saving = Promise.resolve();
  var units = [];         // with several SCOs: the unit menu from the server (status, lock)
  var unit = null;        // the id of the unit launched now
  function apiUrl(id) { return API_URL + (id ? "?unit=" + encodeURIComponent(id) : ""); }

  // ------------------------------------------------------------ persistence
  function save(snapshot, forUnit) {
    var body = JSON.stringify({state: snapshot});
    saving = saving.then(function () {
      return fetch(apiUrl(forUnit), {method: "POST", headers: {"Content-Type": "application/json"},
        body: body, keepalive: body.length < 60000});
    }).catch(function () { note("Could not save the LMS data: is the server still running?"); });
    return saving;
  }

  // ------------------------------------------------------------ sessions
  function newSession(state) {
    var forUnit = unit;
    session = BuilderLMS.create(VERSION, {
      limits: LIMITS, state: state, launch: launch,
      onCall: function (entry) { addLog(entry); scheduleRender(); },
      onCommit: function (snapshot, reason) {
        save(snapshot, forUnit);
        scheduleRender();
        if (forUnit && reason === "terminate") { afterUnit(snapshot); }
      }
    });
    try { delete window.API; delete window.API_1484_11; } catch (e) { /* older browsers */ }
    if (VERSION === "1.2") { window.API = session.api; } else { window.API_1484_11 = session.api; }
    render();
  }

  function launchAt(url) {
    lastUrl = url;
    frame.src = url;
  }

  // Unloads the course; if it left its session open, the LMS closes it as it would when
  // the learner closes the window.
  function unload(then) {
    if (frame.getAttribute("src") === "about:blank") { then(); return; }
    var done = false;
    var finish = function () {
      if (done) { return; }
      done = true;
      frame.removeEventListener("load", finish);
      if (session && session.runtime.phase === "running") {
        session.runtime.forceTerminate();
        addLog({fn: "(LMS)", args: ["the course did not terminate its session; the LMS closed it"],
          result: "", error: null, lms: true});
      }
      then();
    };
    try {
      var path = frame.contentWindow.location.pathname;
      if (path.indexOf(PKG) === 0) {
        lastUrl = path + frame.contentWindow.location.search + frame.contentWindow.location.hash;
      }
    } catch (e) { /* not ours */ }
    frame.addEventListener("load", finish);
    frame.src = "about:blank";
    setTimeout(finish, 1500);
  }

  // Closes the course and launches it again at *url* (null: the page the learner was on).
  function relaunch(url, fresh) {
    if (units.length) { return fresh ? newUnitsAttempt() : openUnit(unit, url); }
    unload(function () {
      url = url || lastUrl;
      if (!VERSION) { launchAt(url); return; }
      var rt = session.runtime;
      var state;
      if (fresh) {
        state = BuilderLMS.emptyState(VERSION);
        state.attempt = rt.state.attempt + 1;
        save(state);
        addLog({fn: "(LMS)", args: ["new attempt " + state.attempt + ": all data cleared"],
          result: "", error: null, lms: true});
      } else if (rt.phase === "new") {
        state = rt.snapshot(); // the course never started a session: launch it again as it was
      } else {
        state = BuilderLMS.nextLaunchState(rt.snapshot());
        var exit = rt.state.lastExit;
        addLog({fn: "(LMS)", args: [exit === "suspend"
          ? "relaunch with entry = resume"
          : "relaunch; the course's exit was \"" + exit + "\", not \"suspend\", so entry is empty"],
          result: "", error: null, lms: true});
      }
      newSession(state);
      launchAt(url);
    });
  }

  // ------------------------------------------------------------ several SCOs (units)
  function unitById(id) { return units.filter(function (u) { return u.id === id; })[0]; }
  // Done for the units that require it (1.2: passed or completed; 2004: completed); the
  // unit running now is judged by its live data.
  function done(u) {
    if (u.id !== unit || !session) { return u.finished; }
    var v = session.runtime.state.values;
    return VERSION === "1.2" ? /^(passed|completed)$/.test(v["cmi.core.lesson_status"] || "")
      : v["cmi.completion_status"] === "completed";
  }
  function lockedNow(u) { return u.requires.some(function (id) { return !done(unitById(id)); }); }
  function neighbour(step) {
    var i = units.indexOf(unitById(unit)), u = units[i + step];
    return i >= 0 && u && !lockedNow(u) ? u : null;
  }
  // adl.nav.request_valid.continue / previous, answered when the SCO asks
  function withNav(values) {
    Object.defineProperty(values, "navContinue", {get: function () { return neighbour(1) ? "true" : "false"; }});
    Object.defineProperty(values, "navPrevious", {get: function () { return neighbour(-1) ? "true" : "false"; }});
    return values;
  }
  function renderUnits() {
    var list = $("unit-list");
    $("units").hidden = !units.length;
    list.textContent = "";
    units.forEach(function (u) {
      var li = document.createElement("li"), b = document.createElement("button"), st = document.createElement("span");
      b.type = "button";
      b.textContent = u.title;
      if (u.id === unit) { b.setAttribute("aria-current", "true"); }
      b.addEventListener("click", function () { openUnit(u.id); });
      st.className = "unit-status";
      st.textContent = " " + u.status + (u.locked ? " · locked until you finish: " + u.waitingFor.join(", ") : "");
      li.appendChild(b);
      li.appendChild(st);
      list.appendChild(li);
    });
  }
  function refreshUnits() {
    return saving.then(function () { return fetch(API_URL, {cache: "no-store"}); })
      .then(function (r) { return r.json(); })
      .then(function (d) { units = d.units || []; renderUnits(); });
  }
  // Launches unit *id* with its own data (a locked unit is refused, with the reason).
  function openUnit(id, url) {
    var u = unitById(id);
    if (!u) { return; }
    if (lockedNow(u)) {
      $("unit-message").textContent = "\u201c" + u.title + "\u201d is locked: finish " +
        u.requires.filter(function (r) { return !done(unitById(r)); })
          .map(function (r) { return unitById(r).title; }).join(", ") + " first.";
      return;
    }
    $("unit-message").textContent = "";
    unload(function () {
      saving.then(function () { return fetch(apiUrl(id), {cache: "no-store"}); })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          units = d.units || units;
          launch = withNav(d.launch || {});
          var state = d.state ? (d.state.sessions === 0 ? d.state : BuilderLMS.nextLaunchState(d.state)) : null;
          unit = id;
          newSession(state);
          renderUnits();
          launchAt(url === null ? lastUrl : url || PKG + u.launch);
        });
    });
  }
  // The SCO ended its session: show the new statuses; follow its navigation request.
  function afterUnit(snapshot) {
    var request = snapshot.lastNavRequest;
    refreshUnits().then(function () {
      var next = request === "continue" ? neighbour(1) : request === "previous" ? neighbour(-1) : null;
      if (next) { openUnit(next.id); }
    });
  }
  function newUnitsAttempt() {
    unload(function () {
      units.forEach(function (u) {
        var state = BuilderLMS.emptyState(VERSION);
        state.attempt = session.runtime.state.attempt + 1;
        save(state, u.id);
      });
      addLog({fn: "(LMS)", args: ["new attempt: the data of every unit cleared"], result: "", error: null, lms: true});
      refreshUnits().then(function () { openUnit(units[0].id); });
    });
  }

  // ------------------------------------------------------------ the log
  function addLog(entry) {
    entry.n = log.length ? log[log.length - 1].n + 1 : 1;
    log.push(entry);
    if (log.length > MAX_LOG) { log.shift(); }
  }

  function errorText(code) {
    if (code === null || code === undefined) { return ""; }
    var text = BuilderLMS.errors[VERSION][code] || "";
    return String(code) + (code ? " " + text : "");
  }

  function renderLog() {
    var body = $("log").tBodies[0];
    var showErr = $("show-error-calls").checked;
    var onlyFailed = $("only-errors").checked;
    var rows = [];
    for (var i = 0; i < log.length; i++) {
      var e = log[i];
      if (!showErr && /GetLastError|GetErrorString|GetDiagnostic/.test(e.fn)) { continue; }
      if (onlyFailed && !e.error) { continue; }
      rows.push(e);
    }
    $("log-count").textContent = String(rows.length);
    var html = [];
    rows.slice(-400).forEach(function (e) {
      var args = e.args.map(function (a) {
        return e.lms ? a : JSON.stringify(a.length > 80 ? a.slice(0, 80) + "…" : a);
      }).join(", ");
      var call = e.lms ? e.args[0] : e.fn + "(" + args + ")";
      var result = e.result && e.result.length > 60 ? e.result.slice(0, 60) + "…" : e.result;
      // Reading a 2004 element nobody has set yet (error 403) is how a course finds out
      // that it starts fresh: shown, but not as a failure.
      var expected = VERSION === "2004" && e.fn === "GetValue" && e.error === 403;
      var cls = expected ? "expected" : e.error ? "failed" : e.lms ? "lms-note" : "";
      html.push("<tr class=\"" + cls + "\"><td>" + e.n +
        "</td><td>" + esc(call) + "</td><td>" + esc(e.lms ? "" : JSON.stringify(result)) +
        "</td><td>" + esc(errorText(e.error)) +
        (e.diagnostic ? "<br><span class=\"diag\">" + esc(e.diagnostic) + "</span>" : "") +
        "</td></tr>");
    });
    body.innerHTML = html.join("");
    var wrap = body.closest(".log-wrap");
    wrap.scrollTop = wrap.scrollHeight;
  }

  // ------------------------------------------------------------ the values
  var pending = false;
  function scheduleRender() {
    if (pending) { return; }
    pending = true;
    setTimeout(function () { pending = false; render(); }, 50);
  }

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c];
    });
  }
  function set(id, text) { $(id).textContent = text === "" ? "—" : text; }

  function render() {
    document.querySelectorAll("[data-only]").forEach(function (el) {
      el.hidden = el.getAttribute("data-only") !== VERSION;
    });
    document.querySelectorAll(".formats a").forEach(function (a) {
      if (a.getAttribute("data-format") === cfg.format) { a.setAttribute("aria-current", "page"); }
    });
    if (!VERSION) {
      $("mode-note").textContent = "Running without an LMS: the course finds no SCORM API, so " +
        "nothing is recorded. Pick SCORM 1.2 or SCORM 2004 above to see what an LMS records.";
      $("values").hidden = true;
      $("new-attempt").disabled = true;
      $("leave-resume").disabled = true;
      return;
    }
    $("mode-note").textContent = "Simulated SCORM " + VERSION + " LMS. Data is kept on the " +
      "preview server until you start a new attempt." +
      (unit ? " Showing the unit \u201c" + unitById(unit).title + "\u201d (each unit is a SCO with its own data)." : "");
    var rt = session.runtime;
    var v12 = VERSION === "1.2";
    var peek = function (el) { return rt.peek(el); };
    set("v-session", {"new": "waiting for the course to initialize", running: "running",
      done: "terminated"}[rt.phase]);
    set("v-attempt", String(rt.state.attempt));
    set("v-entry", peek(v12 ? "cmi.core.entry" : "cmi.entry"));
    if (v12) {
      set("v-lesson-status", peek("cmi.core.lesson_status"));
      var raw = peek("cmi.core.score.raw");
      var range = [peek("cmi.core.score.min"), peek("cmi.core.score.max")];
      set("v-score", raw === "" ? "" : raw + (range[0] !== "" || range[1] !== ""
        ? " (min " + (range[0] || "—") + ", max " + (range[1] || "—") + ")" : ""));
      set("v-mastery", peek("cmi.student_data.mastery_score"));
    } else {
      set("v-completion", peek("cmi.completion_status"));
      set("v-success", peek("cmi.success_status"));
      var scaled = peek("cmi.score.scaled");
      var raw4 = peek("cmi.score.raw");
      var parts = [];
      if (scaled !== "") { parts.push("scaled " + scaled); }
      if (raw4 !== "") {
        parts.push("raw " + raw4 + " (min " + (peek("cmi.score.min") || "—") + ", max " +
          (peek("cmi.score.max") || "—") + ")");
      }
      set("v-score", parts.join(", "));
      set("v-progress", peek("cmi.progress_measure"));
      set("v-passing", peek("cmi.scaled_passing_score"));
    }
    set("v-location", peek(v12 ? "cmi.core.lesson_location" : "cmi.location"));
    var data = peek("cmi.suspend_data");
    $("v-suspend-text").textContent = data.length + " of " + LIMITS.suspend_data + " characters ";
    $("v-suspend-meter").value = Math.min(1, data.length / LIMITS.suspend_data);
    $("v-suspend-data").textContent = data;
    set("v-total-time", peek(v12 ? "cmi.core.total_time" : "cmi.total_time"));
    var exitNow = rt.state.values[v12 ? "cmi.core.exit" : "cmi.exit"];
    set("v-exit", exitNow !== undefined ? (exitNow || "(empty)") + " (set in this session)"
      : rt.state.lastExit === null ? "" : rt.state.lastExit || "(empty)");
    renderInteractions(rt, v12);
    renderObjectives(rt, v12);
    renderLog();
  }

  function renderInteractions(rt, v12) {
    var n = rt.count("cmi.interactions");
    $("interaction-count").textContent = String(n);
    var rows = [];
    for (var i = 0; i < n; i++) {
      var p = "cmi.interactions." + i + ".";
      var val = function (k) { return rt.state.values[p + k] || ""; };
      var patterns = [];
      for (var j = 0; j < rt.count(p + "correct_responses"); j++) {
        patterns.push(val("correct_responses." + j + ".pattern"));
      }
      rows.push("<tr><td>" + i + "</td><td>" + esc(val("id")) + "</td><td>" + esc(val("type")) +
        "</td><td>" + esc(val(v12 ? "student_response" : "learner_response")) + "</td><td>" +
        esc(patterns.join(" | ")) + "</td><td>" + esc(val("result")) + "</td><td>" +
        esc(val("weighting")) + "</td><td>" + esc(val("latency")) + "</td></tr>");
    }
    $("interactions").tBodies[0].innerHTML = rows.join("");
  }

  function renderObjectives(rt, v12) {
    var n = rt.count("cmi.objectives");
    $("objective-count").textContent = String(n);
    var rows = [];
    for (var i = 0; i < n; i++) {
      var p = "cmi.objectives." + i + ".";
      var status = v12 ? rt.peek(p + "status")
        : rt.peek(p + "completion_status") + ", " + rt.peek(p + "success_status");
      var score = v12 ? rt.peek(p + "score.raw") : rt.peek(p + "score.scaled");
      rows.push("<tr><td>" + i + "</td><td>" + esc(rt.peek(p + "id")) + "</td><td>" + esc(status) +
        "</td><td>" + esc(score) + "</td></tr>");
    }
    $("objectives").tBodies[0].innerHTML = rows.join("");
  }

  function note(text) { $("announce").textContent = text; }

  // ------------------------------------------------------------ build status, reload
  function showProblems(problems) {
    broken = true;
    $("problems").textContent = problems.join("\n");
    $("build-errors").hidden = false;
    frame.hidden = true;
  }
  function hideProblems() {
    broken = false;
    $("build-errors").hidden = true;
    frame.hidden = false;
  }

  function onBuild(status) {
    var mine = status.courses[cfg.slug];
    if (!mine) { return; }
    if (!mine.ok) {
      if (!broken) {
        unload(function () { if (VERSION) { newSession(BuilderLMS.nextLaunchState(session.runtime.snapshot())); } });
      }
      showProblems(mine.problems);
      note("The course does not build: see the problems.");
      return;
    }
    var url = lastUrl;
    var wasBroken = broken;
    hideProblems();
    if (!wasBroken) { relaunch(null, false); return note("The course was rebuilt."); }
    // The package may have changed its passing score: read the manifest values again.
    var ready = VERSION ? fetch(API_URL, {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (d) { launch = d.launch || {}; session.runtime.launch = launch; render(); })
      : Promise.resolve();
    ready.catch(function () { /* keep the old values */ }).then(function () { launchAt(url); });
    note("The course was rebuilt.");
  }

  function poll() {
    fetch("/__reload__?since=" + generation, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.generation <= generation) { poll(); return; }
        generation = d.generation;
        return fetch("/__status__", {cache: "no-store"}).then(function (r) { return r.json(); })
          .then(function (s) { generation = s.generation; onBuild(s); poll(); });
      })
      .catch(function () { setTimeout(poll, 1000); });
  }

  // ------------------------------------------------------------ start
  $("new-attempt").addEventListener("click", function () {
    relaunch(PKG + "index.html", true);
    note("New attempt started.");
  });
  $("leave-resume").addEventListener("click", function () {
    relaunch(units.length ? "" : PKG + "index.html", false);
    note("The course was closed and launched again.");
  });
  $("clear-log").addEventListener("click", function () { log = []; renderLog(); });
  $("show-error-calls").addEventListener("change", renderLog);
  $("only-errors").addEventListener("change", renderLog);

  function start() {
    fetch("/__status__", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (status) {
        var mine = status.courses[cfg.slug];
        if (mine && !mine.ok) { showProblems(mine.problems); }
        if (!VERSION) { render(); if (!broken) { launchAt(lastUrl); } return null; }
        return fetch(API_URL, {cache: "no-store"}).then(function (r) { return r.json(); })
          .then(function (d) {
            units = d.units || [];
            if (units.length) { renderUnits(); if (!broken) { openUnit(units[0].id); } return; }
            launch = d.launch || {};
            var state = d.state ? BuilderLMS.nextLaunchState(d.state) : null;
            if (d.state && d.state.sessions === 0) { state = d.state; }
            newSession(state);
            if (!broken) { launchAt(lastUrl); }
          });
      })
      .then(poll)
      .catch(function (e) { note("The preview server did not answer: " + e); });
  }
  start();
})();
