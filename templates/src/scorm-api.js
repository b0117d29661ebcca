/* ---- the SCORM API connection, shared by the SCORM 1.2 and 2004 bundles ----
   Version-neutral: every name, element and value format comes from the adapter's table
   (adapter-scorm12.js, adapter-scorm2004.js) passed to scormTracker(). The core talks to
   the returned tracker only (see core.js, "The tracker"). */

function findApi(name, hops) {
  function climb(w) {
    for (var i = 0; w && i <= hops; i++) {
      try { if (w[name]) return w[name]; } catch (e) { /* cross-origin frame */ }
      var up = null;
      try { up = w.parent; } catch (e) { up = null; }
      if (!up || up === w) break;
      w = up;
    }
    return null;
  }
  var api = climb(window);
  if (!api) { try { if (window.opener) api = climb(window.opener); } catch (e) { api = null; } }
  return api;
}

/* D: the adapter's table: API object name, search depth, function and element names,
   value formats (F) and the status rules (writeStatus). */
function scormTracker(D) {
  var t = { name: D.target, api: null, open: false, closed: false, pending: {}, tries: {}, count: 0,
    mode: "normal", learner: "", mastery: null, entry: "", saved: "", savedLocation: "" };

  t.call = function (fn, args, quiet) {
    var result = null, code = "0";
    try { result = this.api[D[fn]].apply(this.api, args); } catch (e) { warn(D[fn] + " threw:", e && e.message); return null; }
    try { code = String(this.api[D.err]()); } catch (e) { code = "?"; }
    if (code !== "0" && code !== "" && !(quiet && code === "403")) { // 403 on a get: a value never set
      var text = "", diag = "";
      try { text = this.api[D.text](code); diag = this.api[D.diag](code); } catch (e) { /* keep going */ }
      warn(D[fn] + "(" + args.join(", ").slice(0, 120) + ") → error " + code + " " + text + (diag ? " — " + diag : ""));
    }
    return result === null || result === undefined ? null : String(result);
  };
  t.get = function (key) {
    if (!this.open || this.closed) return "";
    var r = this.call("get", [key], true);
    return r === null ? "" : r;
  };
  t.set = function (key, value) {
    if (!this.open || this.closed) return false;
    value = String(value);
    if (this.call("set", [key, value]) === "true") { delete this.pending[key]; return true; }
    this.tries[key] = (this.tries[key] || 0) + 1;
    if (this.tries[key] <= 5) this.pending[key] = value; else delete this.pending[key];
    return false;
  };
  t.commit = function () {
    if (!this.open || this.closed) return false;
    var keys = Object.keys(this.pending);
    for (var i = 0; i < keys.length; i++) if (keys[i] in this.pending) this.set(keys[i], this.pending[keys[i]]);
    var ok = this.call("commit", [""]) === "true" && !Object.keys(this.pending).length;
    notice(ok ? "" : UI.saving_problem);
    if (!ok) { clearTimeout(this.retry); this.retry = setTimeout(function () { t.commit(); }, 15000); }
    return ok;
  };

  /* Find the API, initialise, and read what the LMS tells the SCO at launch. */
  t.start = function () {
    this.api = findApi(D.name, D.hops);
    if (!this.api) return false;
    this.open = this.call("init", [""]) === "true";
    if (!this.open) { warn("the LMS refused to initialise; running without tracking"); return false; }
    this.learner = this.get(D.learner).replace(/[^\w.@-]/g, "_").slice(0, 64);
    var mode = this.get(D.mode);
    this.mode = mode === "review" || mode === "browse" ? mode : "normal";
    this.mastery = D.F.mastery(this.get(D.mastery));
    this.initialStatus = this.get(D.statusElement);
    var n0 = parseInt(this.get("cmi.interactions._count"), 10);
    this.count = isNaN(n0) ? 0 : n0;
    this.entry = this.get(D.entry);
    this.saved = this.get("cmi.suspend_data");
    this.savedLocation = this.get(D.location);
    return true;
  };

  /* Write the bookmark, the state, status and score (r: core's evaluate(), with
     scored = false when nothing may be scored), then commit. */
  t.save = function (r, location, suspend, final, elapsed) {
    this.set(D.location, location.slice(0, LIMITS.location));
    this.set("cmi.suspend_data", suspend);
    if (r.scored) {
      this.set(D.score + "min", "0"); this.set(D.score + "max", "100"); this.set(D.score + "raw", dec(r.score));
    }
    D.writeStatus(this, r);
    this.set(D.exit, r.finished ? D.normal : "suspend");
    if (final) this.set(D.session, D.F.span(elapsed));
    this.commit();
  };

  /* One interaction: it = {id, type, response, patterns, ok, weight, latency, when}, with
     response and patterns already in the version's format (see describe()). */
  t.record = function (it) {
    var n0 = parseInt(this.get("cmi.interactions._count"), 10);
    var k = Math.max(isNaN(n0) ? 0 : n0, this.count), p = "cmi.interactions." + k + ".";
    this.count = k + 1;
    this.set(p + "id", it.id.slice(0, LIMITS.identifier));
    this.set(p + "type", it.type);
    it.patterns.forEach(function (pat, j) { t.set(p + "correct_responses." + j + ".pattern", pat); });
    this.set(p + "weighting", dec(it.weight));
    if (it.response !== null && it.response !== "") this.set(p + D.response, it.response);
    this.set(p + "result", it.ok ? "correct" : D.wrong);
    this.set(p + D.when, D.F.when(it.when));
    this.set(p + "latency", D.F.span(Math.max(it.latency, 0)));
  };
  t.describe = function (q, a) { return describe(q, a, D.F); };
  /* Navigation between SCOs (2004: adl.nav.request; D.nav unset: the LMS's menu only). */
  t.navValid = function (req) { return !!D.nav && this.get(D.nav + "_valid." + req) === "true"; };
  t.nav = function (req) { return !!D.nav && this.set(D.nav, req); };

  t.finish = function () {
    if (!this.open || this.closed) return;
    this.closed = true; // set first: a second terminate must never reach the LMS
    this.open = false;
    this.call("finish", [""]);
  };
  return t;
}

/* The interaction type, learner response and correct patterns of question q answered a,
   in the format F of the adapter (separators, ids or letters, text cleaning). The response
   is what the learner gave, in the order given; null when it cannot be said faithfully. */
function describe(q, a, F) {
  var ids = choiceIds(q), sep = F.sep, dot = F.dot;
  function choice(cid) { return F.choice(cid, ids); }
  switch (q.type) {
    case "single": case "multiple":
      return { type: "choice", response: [].concat(a).map(choice).join(sep), patterns: [q.correct.map(choice).join(sep)] };
    case "true-false":
      return { type: "true-false", response: F.bool(a), patterns: [F.bool(String(q.correct))] };
    case "fill-in":
      return { type: "fill-in", response: F.text(a),
        patterns: q.answers.slice(0, LIMITS.fill_in_patterns).map(function (x) { return F.fillPattern(x, q.caseSensitive); }) };
    case "numeric":
      var n = toNumber(a);
      return { type: "numeric", response: isNaN(n) ? null : num(n), patterns: [F.numericPattern(q)] };
    case "matching":
      return { type: "matching",
        response: q.pairs.filter(function (p) { return a[p[0]]; }).map(function (p) { return F.source(p[0]) + dot + F.target(a[p[0]]); }).join(sep),
        patterns: [q.pairs.map(function (p) { return F.source(p[0]) + dot + F.target(p[1]); }).join(sep)] };
    case "ordering":
      return { type: "sequencing", response: givenOrder(q, a, F.item, sep), patterns: [q.order.map(F.item).join(sep)] };
  }
  return null;
}

/* The items in the order of the positions the learner gave them (items left without a
   position are not listed). Two items given the same position have no order to report
   (the runtime's input prevents it, but stored data could hold it): no response then. */
function givenOrder(q, a, item, sep) {
  var given = q.order.filter(function (iid) { return a[iid]; });
  var positions = given.map(function (iid) { return a[iid]; });
  if (positions.some(function (p, i) { return positions.indexOf(p) !== i; })) return null;
  return given.sort(function (x, y) { return a[x] - a[y]; }).map(item).join(sep);
}
