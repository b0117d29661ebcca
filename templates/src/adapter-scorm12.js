/* ---- tracking adapter: SCORM 1.2 (API, cmi.core.*) ----
   Everything that is particular to SCORM 1.2 lives here; the rest is scorm-api.js. */

function span12(ms) { // CMITimespan HHHH:MM:SS.SS
  var cs = Math.round(ms / 10), s = Math.floor(cs / 100);
  return pad(Math.floor(s / 3600), 4) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60) + "." + pad(cs % 100);
}
function time12(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()); }
function letter(index) { return CH.charAt(index); }

function tracker() {
  return scormTracker({
    target: "scorm12", name: "API", hops: 7,
    init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
    err: "LMSGetLastError", text: "LMSGetErrorString", diag: "LMSGetDiagnostic",
    statusElement: "cmi.core.lesson_status", location: "cmi.core.lesson_location", entry: "cmi.core.entry",
    exit: "cmi.core.exit", session: "cmi.core.session_time", score: "cmi.core.score.", mode: "cmi.core.lesson_mode",
    mastery: "cmi.student_data.mastery_score", learner: "cmi.core.student_id", response: "student_response",
    when: "time", wrong: "wrong", normal: "",
    F: {
      sep: ",", dot: ".",
      mastery: function (text) { var m = parseFloat(text); return isNaN(m) ? null : m; }, // 0-100
      span: span12, when: time12,
      choice: function (cid, ids) { return letter(ids.indexOf(cid)); },
      bool: function (value) { return value.charAt(0); },
      text: function (t) { return String(t).slice(0, LIMITS.fill_in_text); },
      fillPattern: function (x) { return String(x).slice(0, LIMITS.fill_in_text); },
      numericPattern: function (q) { return num(q.value); },
      source: function (pid) { return SRC.charAt(parseInt(pid.slice(1), 10) - 1); },
      target: function (mid) { return letter(parseInt(mid.slice(1), 10) - 1); },
      item: function (iid) { return letter(parseInt(iid.slice(1), 10) - 1); }
    },
    /* One status element: browsed in browse mode; a done status is never downgraded. */
    writeStatus: function (t, r) {
      var status = t.mode === "browse" ? "browsed" : r.success === "failed" ? "failed"
        : r.completed ? (r.passed ? "passed" : "completed") : "incomplete";
      var done = /^(passed|completed|failed)$/;
      if (done.test(status) || !done.test(t.initialStatus)) t.set("cmi.core.lesson_status", status);
    }
  });
}
