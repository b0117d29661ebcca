/* ---- tracking adapter: SCORM 2004 4th edition (API_1484_11, cmi.*) ----
   Everything that is particular to SCORM 2004 lives here; the rest is scorm-api.js. */

function span2004(ms) { // ISO 8601 duration, e.g. PT1H2M3.5S
  var cs = Math.round(ms / 10), s = Math.floor(cs / 100), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
  return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + (s % 60) + (cs % 100 ? "." + pad(cs % 100) : "") + "S";
}
function stamp2004(d) { return d.toISOString().slice(0, 21) + "Z"; } // YYYY-MM-DDThh:mm:ss.sZ
/* Free text inside a bracketed list: no delimiters, no leading "{" (read as a flag). */
function clean2004(t) { return String(t).slice(0, LIMITS.fill_in_text).replace(/\[[,.:]\]/g, " ").replace(/^\{/, "("); }

function tracker() {
  return scormTracker({
    target: "scorm2004", name: "API_1484_11", hops: 500,
    init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit",
    err: "GetLastError", text: "GetErrorString", diag: "GetDiagnostic",
    statusElement: "cmi.completion_status", location: "cmi.location", entry: "cmi.entry", exit: "cmi.exit",
    session: "cmi.session_time", score: "cmi.score.", mode: "cmi.mode", mastery: "cmi.scaled_passing_score",
    learner: "cmi.learner_id", response: "learner_response", when: "timestamp", wrong: "incorrect", normal: "normal",
    nav: "adl.nav.request",
    F: {
      sep: "[,]", dot: "[.]",
      mastery: function (text) { var m = parseFloat(text); return isNaN(m) ? null : m * 100; }, // scaled 0-1
      span: span2004, when: stamp2004,
      choice: function (cid) { return cid; },
      bool: function (value) { return value; },
      text: clean2004,
      fillPattern: function (x, caseSensitive) { return "{case_matters=" + !!caseSensitive + "}" + clean2004(x); },
      numericPattern: function (q) { return num(q.value - q.tolerance) + "[:]" + num(q.value + q.tolerance); },
      source: function (pid) { return pid; },
      target: function (mid) { return mid; },
      item: function (iid) { return iid; }
    },
    /* Completion and success apart; a completed attempt is never set back to incomplete. A
       failed attempt with no quiz attempt left is completed: Moodle then lets the learner
       start a new attempt (it counts only completion_status "completed" as finished). */
    writeStatus: function (t, r) {
      var done = r.completed || r.exhausted;
      if (r.scored) t.set("cmi.score.scaled", dec(r.score / 100));
      if (done || t.initialStatus !== "completed") t.set("cmi.completion_status", done ? "completed" : "incomplete");
      if (r.scored) t.set("cmi.success_status", r.success);
      t.set("cmi.progress_measure", dec(r.progress));
    }
  });
}
