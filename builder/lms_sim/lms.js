/*
 * Simulated LMS for `builder serve`: the SCORM 1.2 `API` object and the SCORM 2004
 * `API_1484_11` object, written from the run-time environment books (data model
 * elements, access rules, value formats, smallest permitted maximums, error codes).
 *
 * Usage:
 *   var api = BuilderLMS.create("1.2" | "2004", {
 *     limits: {suspend_data, location, ...},  // this version's entry of builder/scorm_limits.json
 *     state: <saved state or null>,      // see snapshot() below
 *     launch: {learnerId, learnerName, masteryScore, scaledPassingScore,
 *              completionThreshold, launchData, credit, mode,
 *              navContinue, navPrevious},   // adl.nav.request_valid.* (read when asked)
 *     onCall: function (entry) {},       // every API call, with result and error code
 *     onCommit: function (snapshot, reason) {}   // "commit" | "terminate"
 *   });
 *   window.API = api.api12;  or  window.API_1484_11 = api.api2004;
 */
(function (global) {
  "use strict";

  // ---------------------------------------------------------------- value checks
  var OK = 0, TYPE = 1, RANGE = 2;

  var RE_DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
  var RE_TIMESPAN12 = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;
  var RE_TIME12 = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  var RE_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$/;
  var RE_TIMESTAMP = new RegExp(
    "^(19[7-9]\\d|20[0-2]\\d|203[0-8])" +
      "(?:-(0[1-9]|1[0-2])" +
      "(?:-(0[1-9]|[12]\\d|3[01])" +
      "(?:T([01]\\d|2[0-3])" +
      "(?::([0-5]\\d)" +
      "(?::([0-5]\\d)(?:\\.\\d{1,2})?" +
      "(?:Z|[+-](?:[01]\\d|2[0-3])(?::?[0-5]\\d)?)?" +
      ")?)?)?)?)?$"
  );
  var RE_LANG = /^([a-zA-Z]{1,8}|i|x)(-[a-zA-Z0-9]{1,8})*$/;
  var RE_LANG_PREFIX = /^\{lang=([^}]*)\}/;

  function isDecimal(v) { return RE_DECIMAL.test(v); }

  function realIn(min, max) {
    return function (v) {
      if (!isDecimal(v)) { return TYPE; }
      var n = parseFloat(v);
      if ((min !== null && n < min) || (max !== null && n > max)) { return RANGE; }
      return OK;
    };
  }
  function integerIn(min, max) {
    return function (v) {
      if (!/^[-+]?\d+$/.test(v)) { return TYPE; }
      var n = parseInt(v, 10);
      return n >= min && n <= max ? OK : RANGE;
    };
  }
  function vocab(words) {
    return function (v) { return words.indexOf(v) >= 0 ? OK : TYPE; };
  }
  function str(max) {
    return function (v) { return v.length <= max ? OK : TYPE; };
  }
  function identifier(max) {
    return function (v) {
      return v.length > 0 && v.length <= max && !/\s/.test(v) ? OK : TYPE;
    };
  }
  function duration(v) {
    var m = RE_DURATION.exec(v);
    if (!m || v === "P" || /T$/.test(v)) { return TYPE; }
    return OK;
  }
  function timestamp(v) { return RE_TIMESTAMP.test(v) ? OK : TYPE; }
  function localized(max) {
    return function (v) {
      var m = RE_LANG_PREFIX.exec(v);
      var rest = v;
      if (m) {
        if (m[1] !== "" && !RE_LANG.test(m[1])) { return TYPE; }
        rest = v.slice(m[0].length);
      }
      return rest.length <= max ? OK : TYPE;
    };
  }
  function language(v) { return v === "" || RE_LANG.test(v) ? OK : TYPE; }

  // SCORM 1.2 checks (every failure is error 405 there).
  function score12(v) {
    if (v === "") { return OK; }
    if (!isDecimal(v)) { return TYPE; }
    var n = parseFloat(v);
    return n >= 0 && n <= 100 ? OK : RANGE;
  }
  function sint12(min, max) {
    return function (v) {
      if (!/^-?\d+$/.test(v)) { return TYPE; }
      var n = parseInt(v, 10);
      return n >= min && n <= max ? OK : RANGE;
    };
  }
  function timespan12(v) { return RE_TIMESPAN12.test(v) ? OK : TYPE; }
  function time12(v) { return RE_TIME12.test(v) ? OK : TYPE; }
  function decimal12(v) { return isDecimal(v) ? OK : TYPE; }
  function result12(v) {
    return ["correct", "wrong", "unanticipated", "neutral"].indexOf(v) >= 0 || isDecimal(v)
      ? OK : TYPE;
  }
  function result2004(v) {
    return ["correct", "incorrect", "unanticipated", "neutral"].indexOf(v) >= 0 || isDecimal(v)
      ? OK : TYPE;
  }

  // SCORM 2004 interaction responses: the format depends on the interaction type.
  function shortIds(v, allowEmpty, L) {
    if (v === "") { return allowEmpty ? OK : TYPE; }
    var parts = v.split("[,]");
    var seen = {};
    for (var i = 0; i < parts.length; i++) {
      if (identifier(L.short_identifier)(parts[i]) !== OK || seen[parts[i]]) { return TYPE; }
      seen[parts[i]] = true;
    }
    return OK;
  }
  function pairs(v, L) {
    if (v === "") { return TYPE; }
    var parts = v.split("[,]");
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i].split("[.]");
      if (p.length !== 2 || identifier(L.short_identifier)(p[0]) !== OK || identifier(L.short_identifier)(p[1]) !== OK) {
        return TYPE;
      }
    }
    return OK;
  }
  function steps(v, L) {
    var parts = v.split("[,]");
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i].split("[.]");
      if (p.length !== 2 || (p[0] === "" && p[1] === "")) { return TYPE; }
      if (p[0] !== "" && identifier(L.short_identifier)(p[0]) !== OK) { return TYPE; }
      if (p[1].length > L.step_answer) { return TYPE; }
    }
    return OK;
  }
  function stripFlags(v, names) {
    // Drops leading {case_matters=..}, {order_matters=..} delimiters of a pattern.
    var re = /^\{(case_matters|order_matters|lang)=([^}]*)\}/;
    var m = re.exec(v);
    while (m && names.indexOf(m[1]) >= 0) {
      if (m[1] === "lang" ? language(m[2]) !== OK : (m[2] !== "true" && m[2] !== "false")) {
        return null;
      }
      v = v.slice(m[0].length);
      m = re.exec(v);
    }
    return v;
  }
  function response2004(type, v, isPattern, L) {
    switch (type) {
      case "true-false":
        return v === "true" || v === "false" ? OK : TYPE;
      case "choice":
        return shortIds(v, true, L);
      case "sequencing":
        if (v === "") { return TYPE; }
        return v.split("[,]").every(function (p) { return identifier(L.short_identifier)(p) === OK; })
          ? OK : TYPE;
      case "likert":
        return identifier(L.short_identifier)(v);
      case "matching":
        return pairs(v, L);
      case "performance": {
        var body = isPattern ? stripFlags(v, ["order_matters"]) : v;
        return body === null || body === "" ? TYPE : steps(body, L);
      }
      case "fill-in": {
        var b = isPattern ? stripFlags(v, ["case_matters", "order_matters"]) : v;
        if (b === null) { return TYPE; }
        var items = b.split("[,]");
        for (var i = 0; i < items.length; i++) {
          if (localized(L.fill_in_text)(items[i]) !== OK) { return TYPE; }
        }
        return OK;
      }
      case "long-fill-in": {
        var lb = isPattern ? stripFlags(v, ["case_matters"]) : v;
        return lb === null ? TYPE : localized(L.long_text)(lb);
      }
      case "numeric":
        if (!isPattern) { return isDecimal(v) ? OK : TYPE; }
        var range = v.split("[:]");
        if (range.length !== 2) { return isDecimal(v) ? OK : TYPE; }
        if ((range[0] !== "" && !isDecimal(range[0])) ||
            (range[1] !== "" && !isDecimal(range[1]))) { return TYPE; }
        if (range[0] !== "" && range[1] !== "" &&
            parseFloat(range[0]) > parseFloat(range[1])) { return TYPE; }
        return OK;
      case "other":
        return v.length <= L.long_text ? OK : TYPE;
      default:
        return TYPE;
    }
  }

  // ------------------------------------------------------------- data models
  // Each element: access "ro" | "wo" | "rw", check function, default value, and for
  // SCORM 2004 `uninit: true` when reading it before anyone set it is error 403.
  var RO = "ro", WO = "wo", RW = "rw";

  // The limits L come from the one table of data-model limits (builder/scorm_limits.json),
  // passed in by the LMS page (BuilderLMS.create(version, {limits: ...})).
  function model12(L) { return {
    "cmi._version": {a: RO, d: "3.4"},
    "cmi.core._children": {a: RO, d: "student_id,student_name,lesson_location,credit," +
      "lesson_status,entry,score,total_time,lesson_mode,exit,session_time"},
    "cmi.core.student_id": {a: RO, launch: "learnerId"},
    "cmi.core.student_name": {a: RO, launch: "learnerName"},
    "cmi.core.lesson_location": {a: RW, c: str(L.location), d: ""},
    "cmi.core.credit": {a: RO, launch: "credit"},
    "cmi.core.lesson_status": {a: RW, d: "not attempted",
      c: vocab(["passed", "completed", "failed", "incomplete", "browsed"])},
    "cmi.core.entry": {a: RO, d: "ab-initio"},
    "cmi.core.score._children": {a: RO, d: "raw,min,max"},
    "cmi.core.score.raw": {a: RW, c: score12, d: ""},
    "cmi.core.score.min": {a: RW, c: score12, d: ""},
    "cmi.core.score.max": {a: RW, c: score12, d: ""},
    "cmi.core.total_time": {a: RO, d: "0000:00:00"},
    "cmi.core.lesson_mode": {a: RO, launch: "mode"},
    "cmi.core.exit": {a: WO, c: vocab(["time-out", "suspend", "logout", ""]), d: ""},
    "cmi.core.session_time": {a: WO, c: timespan12, d: "0000:00:00"},
    "cmi.suspend_data": {a: RW, c: str(L.suspend_data), d: ""},
    "cmi.launch_data": {a: RO, launch: "launchData"},
    "cmi.comments": {a: RW, c: str(L.comments), d: "", append: true},
    "cmi.comments_from_lms": {a: RO, d: ""},
    "cmi.objectives._children": {a: RO, d: "id,score,status"},
    "cmi.objectives.n.id": {a: RW, c: identifier(L.identifier), d: ""},
    "cmi.objectives.n.score._children": {a: RO, d: "raw,min,max"},
    "cmi.objectives.n.score.raw": {a: RW, c: score12, d: ""},
    "cmi.objectives.n.score.min": {a: RW, c: score12, d: ""},
    "cmi.objectives.n.score.max": {a: RW, c: score12, d: ""},
    "cmi.objectives.n.status": {a: RW, d: "not attempted", c: vocab(["passed", "completed",
      "failed", "incomplete", "browsed", "not attempted"])},
    "cmi.student_data._children": {a: RO, d: "mastery_score,max_time_allowed,time_limit_action"},
    "cmi.student_data.mastery_score": {a: RO, launch: "masteryScore"},
    "cmi.student_data.max_time_allowed": {a: RO, d: ""},
    "cmi.student_data.time_limit_action": {a: RO, d: ""},
    "cmi.student_preference._children": {a: RO, d: "audio,language,speed,text"},
    "cmi.student_preference.audio": {a: RW, c: sint12(-1, 100), d: "0"},
    "cmi.student_preference.language": {a: RW, c: str(L.language), d: ""},
    "cmi.student_preference.speed": {a: RW, c: sint12(-100, 100), d: "0"},
    "cmi.student_preference.text": {a: RW, c: sint12(-1, 1), d: "0"},
    "cmi.interactions._children": {a: RO, d: "id,objectives,time,type,correct_responses," +
      "weighting,student_response,result,latency"},
    "cmi.interactions.n.id": {a: WO, c: identifier(L.identifier)},
    "cmi.interactions.n.objectives.n.id": {a: WO, c: identifier(L.identifier)},
    "cmi.interactions.n.time": {a: WO, c: time12},
    "cmi.interactions.n.type": {a: WO, c: vocab(["true-false", "choice", "fill-in",
      "matching", "performance", "sequencing", "likert", "numeric"])},
    "cmi.interactions.n.correct_responses.n.pattern": {a: WO, c: str(L.pattern)},
    "cmi.interactions.n.weighting": {a: WO, c: decimal12},
    "cmi.interactions.n.student_response": {a: WO, c: str(L.learner_response)},
    "cmi.interactions.n.result": {a: WO, c: result12},
    "cmi.interactions.n.latency": {a: WO, c: timespan12}
  }; }
  var ARRAYS12 = ["cmi.objectives", "cmi.interactions", "cmi.interactions.n.objectives",
    "cmi.interactions.n.correct_responses"];

  var INTERACTION_TYPES = ["true-false", "choice", "fill-in", "long-fill-in", "matching",
    "performance", "sequencing", "likert", "numeric", "other"];
  var NAV_REQUESTS = ["continue", "previous", "exit", "exitAll", "abandon", "abandonAll",
    "suspendAll", "_none_"];

  function model2004(L) { return {
    "cmi._version": {a: RO, d: "1.0"},
    "cmi.comments_from_learner._children": {a: RO, d: "comment,location,timestamp"},
    "cmi.comments_from_learner.n.comment": {a: RW, c: localized(L.comments), uninit: true},
    "cmi.comments_from_learner.n.location": {a: RW, c: str(L.comment_location), uninit: true},
    "cmi.comments_from_learner.n.timestamp": {a: RW, c: timestamp, uninit: true},
    "cmi.comments_from_lms._children": {a: RO, d: "comment,location,timestamp"},
    "cmi.comments_from_lms.n.comment": {a: RO, uninit: true},
    "cmi.comments_from_lms.n.location": {a: RO, uninit: true},
    "cmi.comments_from_lms.n.timestamp": {a: RO, uninit: true},
    "cmi.completion_status": {a: RW, d: "unknown",
      c: vocab(["completed", "incomplete", "not attempted", "unknown"])},
    "cmi.completion_threshold": {a: RO, launch: "completionThreshold", uninit: true},
    "cmi.credit": {a: RO, launch: "credit"},
    "cmi.entry": {a: RO, d: "ab-initio"},
    "cmi.exit": {a: WO, c: vocab(["time-out", "suspend", "logout", "normal", ""]), d: ""},
    "cmi.interactions._children": {a: RO, d: "id,type,objectives,timestamp," +
      "correct_responses,weighting,learner_response,result,latency,description"},
    "cmi.interactions.n.id": {a: RW, c: identifier(L.identifier), uninit: true},
    "cmi.interactions.n.type": {a: RW, c: vocab(INTERACTION_TYPES), uninit: true},
    "cmi.interactions.n.objectives._children": {a: RO, d: "id"},
    "cmi.interactions.n.objectives.n.id": {a: RW, c: identifier(L.identifier), uninit: true},
    "cmi.interactions.n.timestamp": {a: RW, c: timestamp, uninit: true},
    "cmi.interactions.n.correct_responses._children": {a: RO, d: "pattern"},
    "cmi.interactions.n.correct_responses.n.pattern": {a: RW, uninit: true, response: true},
    "cmi.interactions.n.weighting": {a: RW, c: realIn(null, null), uninit: true},
    "cmi.interactions.n.learner_response": {a: RW, uninit: true, response: true},
    "cmi.interactions.n.result": {a: RW, c: result2004, uninit: true},
    "cmi.interactions.n.latency": {a: RW, c: duration, uninit: true},
    "cmi.interactions.n.description": {a: RW, c: localized(L.description), uninit: true},
    "cmi.launch_data": {a: RO, launch: "launchData", uninit: true},
    "cmi.learner_id": {a: RO, launch: "learnerId"},
    "cmi.learner_name": {a: RO, launch: "learnerName"},
    "cmi.learner_preference._children": {a: RO,
      d: "audio_level,language,delivery_speed,audio_captioning"},
    "cmi.learner_preference.audio_level": {a: RW, c: realIn(0, null), d: "1"},
    "cmi.learner_preference.language": {a: RW, c: language, d: ""},
    "cmi.learner_preference.delivery_speed": {a: RW, c: realIn(0, null), d: "1"},
    "cmi.learner_preference.audio_captioning": {a: RW, c: integerIn(-1, 1), d: "0"},
    "cmi.location": {a: RW, c: str(L.location), uninit: true},
    "cmi.max_time_allowed": {a: RO, uninit: true},
    "cmi.mode": {a: RO, launch: "mode"},
    "cmi.objectives._children": {a: RO, d: "id,score,success_status,completion_status," +
      "progress_measure,description"},
    "cmi.objectives.n.id": {a: RW, c: identifier(L.identifier), uninit: true},
    "cmi.objectives.n.score._children": {a: RO, d: "scaled,raw,min,max"},
    "cmi.objectives.n.score.scaled": {a: RW, c: realIn(-1, 1), uninit: true},
    "cmi.objectives.n.score.raw": {a: RW, c: realIn(null, null), uninit: true},
    "cmi.objectives.n.score.min": {a: RW, c: realIn(null, null), uninit: true},
    "cmi.objectives.n.score.max": {a: RW, c: realIn(null, null), uninit: true},
    "cmi.objectives.n.success_status": {a: RW, c: vocab(["passed", "failed", "unknown"]),
      d: "unknown"},
    "cmi.objectives.n.completion_status": {a: RW, d: "unknown",
      c: vocab(["completed", "incomplete", "not attempted", "unknown"])},
    "cmi.objectives.n.progress_measure": {a: RW, c: realIn(0, 1), uninit: true},
    "cmi.objectives.n.description": {a: RW, c: localized(L.description), uninit: true},
    "cmi.progress_measure": {a: RW, c: realIn(0, 1), uninit: true},
    "cmi.scaled_passing_score": {a: RO, launch: "scaledPassingScore", uninit: true},
    "cmi.score._children": {a: RO, d: "scaled,raw,min,max"},
    "cmi.score.scaled": {a: RW, c: realIn(-1, 1), uninit: true},
    "cmi.score.raw": {a: RW, c: realIn(null, null), uninit: true},
    "cmi.score.min": {a: RW, c: realIn(null, null), uninit: true},
    "cmi.score.max": {a: RW, c: realIn(null, null), uninit: true},
    "cmi.session_time": {a: WO, c: duration},
    "cmi.success_status": {a: RW, c: vocab(["passed", "failed", "unknown"]), d: "unknown"},
    "cmi.suspend_data": {a: RW, c: str(L.suspend_data), uninit: true},
    "cmi.time_limit_action": {a: RO, d: "continue,no message"},
    "cmi.total_time": {a: RO, d: "PT0S"},
    "adl.nav.request": {a: RW, c: navRequest, d: "_none_"},
    "adl.nav.request_valid.continue": {a: RO, launch: "navContinue", d: "unknown"},
    "adl.nav.request_valid.previous": {a: RO, launch: "navPrevious", d: "unknown"}
  }; }
  var ARRAYS2004 = ["cmi.comments_from_learner", "cmi.comments_from_lms", "cmi.interactions",
    "cmi.interactions.n.objectives", "cmi.interactions.n.correct_responses", "cmi.objectives"];

  function navRequest(v) {
    if (NAV_REQUESTS.indexOf(v) >= 0) { return OK; }
    return /^\{target=[^\s}]+\}(choice|jump)$/.test(v) ? OK : TYPE;
  }

  // ------------------------------------------------------------- error codes
  var ERRORS12 = {
    0: "No error",
    101: "General exception",
    201: "Invalid argument error",
    202: "Element cannot have children",
    203: "Element not an array - cannot have count",
    301: "Not initialized",
    401: "Not implemented error",
    402: "Invalid set value, element is a keyword",
    403: "Element is read only",
    404: "Element is write only",
    405: "Incorrect data type"
  };
  var ERRORS2004 = {
    0: "No error",
    101: "General exception",
    102: "General initialization failure",
    103: "Already initialized",
    104: "Content instance terminated",
    111: "General termination failure",
    112: "Termination before initialization",
    113: "Termination after termination",
    122: "Retrieve data before initialization",
    123: "Retrieve data after termination",
    132: "Store data before initialization",
    133: "Store data after termination",
    142: "Commit before initialization",
    143: "Commit after termination",
    201: "General argument error",
    301: "General get failure",
    351: "General set failure",
    391: "General commit failure",
    401: "Undefined data model element",
    402: "Unimplemented data model element",
    403: "Data model element value not initialized",
    404: "Data model element is read only",
    405: "Data model element is write only",
    406: "Data model element type mismatch",
    407: "Data model element value out of range",
    408: "Data model dependency not established"
  };

  // Codes per situation: the two versions number the same situations differently.
  var CODES = {
    "1.2": {
      alreadyInit: 101, initAfterTerm: 101, termBeforeInit: 301, termAfterTerm: 301,
      getBeforeInit: 301, getAfterTerm: 301, setBeforeInit: 301, setAfterTerm: 301,
      commitBeforeInit: 301, commitAfterTerm: 301, argument: 201, emptyGet: 201,
      emptySet: 201, undefined: 401, noChildren: 202, noCount: 203, keywordSet: 402,
      readOnly: 403, writeOnly: 404, type: 405, range: 405, badIndexGet: 201,
      badIndexSet: 201, dependency: 201, uninit: 0, setFailure: 201, unknownKeyword: 401
    },
    "2004": {
      alreadyInit: 103, initAfterTerm: 104, termBeforeInit: 112, termAfterTerm: 113,
      getBeforeInit: 122, getAfterTerm: 123, setBeforeInit: 132, setAfterTerm: 133,
      commitBeforeInit: 142, commitAfterTerm: 143, argument: 201, emptyGet: 301,
      emptySet: 351, undefined: 401, noChildren: 301, noCount: 301, keywordSet: 404,
      readOnly: 404, writeOnly: 405, type: 406, range: 407, badIndexGet: 301,
      badIndexSet: 351, dependency: 408, uninit: 403, setFailure: 351, unknownKeyword: 401
    }
  };

  // ---------------------------------------------------------------- time sums
  function timespanToSeconds(v) {
    var m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(v || "");
    return m ? +m[1] * 3600 + +m[2] * 60 + parseFloat(m[3]) : 0;
  }
  function durationToSeconds(v) {
    var m = RE_DURATION.exec(v || "");
    if (!m) { return 0; }
    return (+(m[1] || 0)) * 365 * 86400 + (+(m[2] || 0)) * 30 * 86400 +
      (+(m[3] || 0)) * 86400 + (+(m[4] || 0)) * 3600 + (+(m[5] || 0)) * 60 +
      parseFloat(m[6] || "0");
  }
  function pad(n, w) { n = String(n); while (n.length < w) { n = "0" + n; } return n; }
  function secondsToTimespan(s) {
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    var sec = Math.round((s - h * 3600 - m * 60) * 100) / 100;
    var whole = Math.floor(sec), frac = Math.round((sec - whole) * 100);
    return pad(Math.min(h, 9999), 4) + ":" + pad(m, 2) + ":" + pad(whole, 2) +
      (frac ? "." + pad(frac, 2) : "");
  }
  function secondsToDuration(s) {
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    var sec = Math.round((s - h * 3600 - m * 60) * 100) / 100;
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + sec + "S";
  }

  // -------------------------------------------------------------- the runtime
  /** Makes a fresh state for `version`: values, array counts, attempt bookkeeping. */
  function emptyState(version) {
    return {version: version, values: {}, counts: {}, entry: "ab-initio", attempt: 1,
      sessions: 0, lastExit: null};
  }

  function Runtime(version, options) {
    this.version = version;
    if (!options.limits) { throw new Error("BuilderLMS.create needs options.limits (scorm_limits.json)"); }
    this.limits = options.limits;
    this.model = version === "1.2" ? model12(this.limits) : model2004(this.limits);
    this.arrays = version === "1.2" ? ARRAYS12 : ARRAYS2004;
    this.codes = CODES[version];
    this.messages = version === "1.2" ? ERRORS12 : ERRORS2004;
    this.launch = options.launch || {};
    this.onCall = options.onCall || function () {};
    this.onCommit = options.onCommit || function () {};
    this.state = options.state && options.state.version === version
      ? options.state : emptyState(version);
    this.phase = "new"; // "new" -> "running" -> "done"
    this.lastError = 0;
    this.diagnostic = "";
  }

  Runtime.prototype.fail = function (code, why) {
    this.lastError = code;
    this.diagnostic = why || "";
    return code;
  };

  Runtime.prototype.launchValue = function (key) {
    var defaults = {learnerId: "preview-learner", learnerName: "Learner, Preview",
      credit: "credit", mode: "normal"};
    var v = this.launch[key];
    if (v === undefined || v === null) { v = defaults[key]; }
    return v === undefined || v === null ? undefined : String(v);
  };

  // Splits "cmi.interactions.3.correct_responses.0.pattern" into its pattern
  // ("cmi.interactions.n.correct_responses.n.pattern") and the array prefixes in play.
  Runtime.prototype.parse = function (element) {
    var parts = element.split(".");
    var pattern = [], arrays = [];
    for (var i = 0; i < parts.length; i++) {
      if (/^\d+$/.test(parts[i]) && i > 0) {
        arrays.push({prefix: parts.slice(0, i).join("."), pattern: pattern.join("."),
          index: parseInt(parts[i], 10)});
        pattern.push("n");
      } else {
        pattern.push(parts[i]);
      }
    }
    return {pattern: pattern.join("."), arrays: arrays};
  };

  Runtime.prototype.isArray = function (pattern) { return this.arrays.indexOf(pattern) >= 0; };

  Runtime.prototype.hasChildren = function (pattern) {
    return Object.prototype.hasOwnProperty.call(this.model, pattern + "._children");
  };

  Runtime.prototype.isKnownPrefix = function (pattern) {
    if (this.model[pattern] || this.isArray(pattern)) { return true; }
    for (var k in this.model) {
      if (k.indexOf(pattern + ".") === 0) { return true; }
    }
    return false;
  };

  Runtime.prototype.count = function (prefix) { return this.state.counts[prefix] || 0; };

  Runtime.prototype.stored = function (element) {
    return Object.prototype.hasOwnProperty.call(this.state.values, element)
      ? this.state.values[element] : undefined;
  };

  Runtime.prototype.defaultValue = function (spec) {
    if (spec.launch) {
      var v = this.launchValue(spec.launch);
      if (v !== undefined) { return v; }
      if (spec.d !== undefined) { return spec.d; }
      return this.version === "1.2" ? "" : undefined;
    }
    return spec.d;
  };

  // ----- the functions of the API, named by their 2004 names
  Runtime.prototype.initialize = function (arg) {
    var c = this.codes;
    if (arg !== "") { this.fail(c.argument, "the argument must be an empty string"); return "false"; }
    if (this.phase === "running") { this.fail(c.alreadyInit, "already initialized"); return "false"; }
    if (this.phase === "done") { this.fail(c.initAfterTerm, "this session was terminated"); return "false"; }
    this.phase = "running";
    this.state.sessions += 1;
    this.fail(0);
    return "true";
  };

  Runtime.prototype.terminate = function (arg) {
    var c = this.codes;
    if (arg !== "") { this.fail(c.argument, "the argument must be an empty string"); return "false"; }
    if (this.phase === "new") { this.fail(c.termBeforeInit, "not initialized"); return "false"; }
    if (this.phase === "done") { this.fail(c.termAfterTerm, "already terminated"); return "false"; }
    this.finishSession();
    this.phase = "done";
    this.fail(0);
    this.onCommit(this.snapshot(), "terminate");
    return "true";
  };

  Runtime.prototype.commit = function (arg) {
    var c = this.codes;
    if (arg !== "") { this.fail(c.argument, "the argument must be an empty string"); return "false"; }
    if (this.phase === "new") { this.fail(c.commitBeforeInit, "not initialized"); return "false"; }
    if (this.phase === "done") { this.fail(c.commitAfterTerm, "already terminated"); return "false"; }
    this.fail(0);
    this.onCommit(this.snapshot(), "commit");
    return "true";
  };

  // What an LMS does when the SCO ends its session: add the session time to the total
  // and remember the exit mode for the next launch.
  Runtime.prototype.finishSession = function () {
    var v = this.state.values;
    if (this.version === "1.2") {
      var st = v["cmi.core.session_time"];
      if (st) {
        var total = timespanToSeconds(v["cmi.core.total_time"] || "0000:00:00") +
          timespanToSeconds(st);
        v["cmi.core.total_time"] = secondsToTimespan(total);
      }
      this.state.lastExit = v["cmi.core.exit"] || "";
      delete v["cmi.core.session_time"];
      delete v["cmi.core.exit"];
    } else {
      var st2 = v["cmi.session_time"];
      if (st2) {
        v["cmi.total_time"] = secondsToDuration(
          durationToSeconds(v["cmi.total_time"] || "PT0S") + durationToSeconds(st2));
      }
      this.state.lastExit = v["cmi.exit"] || "";
      this.state.lastNavRequest = v["adl.nav.request"] || "_none_";
      delete v["cmi.session_time"];
      delete v["cmi.exit"];
      delete v["adl.nav.request"];
    }
  };

  Runtime.prototype.getValue = function (element) {
    var c = this.codes;
    if (this.phase === "new") { this.fail(c.getBeforeInit, "not initialized"); return ""; }
    if (this.phase === "done") { this.fail(c.getAfterTerm, "already terminated"); return ""; }
    element = String(element);
    if (element === "") { this.fail(c.emptyGet, "no element named"); return ""; }
    var p = this.parse(element);
    var last = p.pattern.slice(p.pattern.lastIndexOf(".") + 1);

    if (last === "_children" || last === "_count") {
      var parentPattern = p.pattern.slice(0, -(last.length + 1));
      var parentElement = element.slice(0, -(last.length + 1));
      var spec0 = this.model[p.pattern];
      if (last === "_children" && spec0) {
        var bad0 = this.checkIndexes(p.arrays, false);
        if (bad0) { return ""; }
        this.fail(0);
        return spec0.d;
      }
      if (last === "_count" && this.isArray(parentPattern)) {
        if (this.checkIndexes(p.arrays, false)) { return ""; }
        this.fail(0);
        return String(this.count(parentElement));
      }
      if (!this.isKnownPrefix(parentPattern)) {
        this.fail(c.undefined, parentElement + " is not in the data model");
        return "";
      }
      this.fail(last === "_children" ? c.noChildren : c.noCount,
        parentElement + (last === "_children" ? " has no children" : " is not an array"));
      return "";
    }

    var spec = this.model[p.pattern];
    if (!spec) {
      if (this.version === "2004" && /^adl\.nav\.request_valid\.(choice|jump)\.\{target=[^}]+\}$/
          .test(element)) {
        this.fail(0);
        return "unknown";
      }
      this.fail(c.undefined, element + " is not in the data model");
      return "";
    }
    if (this.checkIndexes(p.arrays, false)) { return ""; }
    if (spec.a === WO) { this.fail(c.writeOnly, element + " is write-only"); return ""; }

    var value = this.stored(element);
    if (value === undefined) {
      value = this.defaultValue(spec);
      if (value === undefined) {
        if (this.version === "2004" && spec.uninit) {
          this.fail(c.uninit, element + " has no value yet");
          return "";
        }
        value = "";
      }
    }
    if (this.version === "2004") { value = this.evaluate2004(element, value); }
    this.fail(0);
    return value;
  };

  // SCORM 2004: the LMS derives the statuses from the measures when the package gives
  // thresholds (scaled passing score, completion threshold).
  Runtime.prototype.evaluate2004 = function (element, value) {
    if (element === "cmi.success_status") {
      var pass = this.launchValue("scaledPassingScore");
      if (pass !== undefined && pass !== "") {
        var scaled = this.stored("cmi.score.scaled");
        if (scaled === undefined) { return "unknown"; }
        return parseFloat(scaled) >= parseFloat(pass) ? "passed" : "failed";
      }
    }
    if (element === "cmi.completion_status") {
      var threshold = this.launchValue("completionThreshold");
      if (threshold !== undefined && threshold !== "") {
        var progress = this.stored("cmi.progress_measure");
        if (progress === undefined) { return value; }
        return parseFloat(progress) >= parseFloat(threshold) ? "completed" : "incomplete";
      }
    }
    return value;
  };

  // Index checks for the array parts of an element: every index must exist (get), or
  // exist or be the next one (set; only the last array may grow).
  Runtime.prototype.checkIndexes = function (arrays, forSet) {
    var c = this.codes;
    for (var i = 0; i < arrays.length; i++) {
      var n = this.count(arrays[i].prefix);
      var idx = arrays[i].index;
      var mayGrow = forSet && i === arrays.length - 1;
      if (idx > n || (idx === n && !mayGrow)) {
        this.fail(forSet ? c.badIndexSet : c.badIndexGet,
          arrays[i].prefix + "." + idx + " is past the end of the array (count " + n + ")");
        return true;
      }
    }
    return false;
  };

  Runtime.prototype.setValue = function (element, value) {
    var c = this.codes;
    if (this.phase === "new") { this.fail(c.setBeforeInit, "not initialized"); return "false"; }
    if (this.phase === "done") { this.fail(c.setAfterTerm, "already terminated"); return "false"; }
    element = String(element);
    value = String(value);
    if (element === "") { this.fail(c.emptySet, "no element named"); return "false"; }
    var p = this.parse(element);
    var last = p.pattern.slice(p.pattern.lastIndexOf(".") + 1);
    if (last === "_children" || last === "_count" || last === "_version") {
      var parent = p.pattern.slice(0, -(last.length + 1));
      if (!this.model[p.pattern] && !(last === "_count" && this.isArray(parent))) {
        if (!this.isKnownPrefix(parent)) {
          this.fail(c.undefined, element + " is not in the data model");
          return "false";
        }
        if (this.version === "1.2") {
          this.fail(last === "_children" ? c.noChildren : c.noCount,
            element + " does not exist");
          return "false";
        }
      }
      this.fail(c.keywordSet, element + " is a keyword and cannot be set");
      return "false";
    }
    var spec = this.model[p.pattern];
    if (!spec) {
      if (this.version === "2004" && element.indexOf("adl.nav.request_valid.") === 0) {
        this.fail(c.readOnly, element + " is read-only");
        return "false";
      }
      this.fail(c.undefined, element + " is not in the data model");
      return "false";
    }
    if (spec.a === RO) { this.fail(c.readOnly, element + " is read-only"); return "false"; }
    if (this.checkIndexes(p.arrays, true)) { return "false"; }

    var check = this.checkValue(element, p, spec, value);
    if (check) { return "false"; }

    // Store, growing the arrays when the index is the next free one.
    for (var i = 0; i < p.arrays.length; i++) {
      var a = p.arrays[i];
      if (a.index === this.count(a.prefix)) { this.state.counts[a.prefix] = a.index + 1; }
    }
    if (spec.append && this.stored(element)) {
      value = (this.stored(element) + value).slice(0, this.limits.comments);
    }
    this.state.values[element] = value;
    this.fail(0);
    return "true";
  };

  // Checks the value format and, for SCORM 2004, the dependencies between elements.
  // Returns true (after setting the error) when the value is refused.
  Runtime.prototype.checkValue = function (element, p, spec, value) {
    var c = this.codes;
    var result;
    if (this.version === "2004") {
      var dep = this.dependency2004(element, p);
      if (dep) { return true; }
    }
    if (spec.response) {
      var base = element.replace(/\.(learner_response|correct_responses\.\d+\.pattern)$/, "");
      var type = this.stored(base + ".type");
      result = response2004(type, value, /pattern$/.test(element), this.limits);
      if (result === OK && /pattern$/.test(element)) {
        result = this.patternRules(base, element, type, value);
        if (result === "set") { return true; }
      }
    } else {
      result = spec.c ? spec.c(value) : OK;
    }
    if (result === TYPE) {
      this.fail(c.type, "\"" + value.slice(0, 60) + "\" is not a valid value for " + element);
      return true;
    }
    if (result === RANGE) {
      this.fail(c.range, "\"" + value.slice(0, 60) + "\" is out of range for " + element);
      return true;
    }
    if (this.version === "2004" && this.uniqueIdClash(element, value)) { return true; }
    return false;
  };

  // SCORM 2004 dependencies: an interaction or objective needs its id first; responses
  // need the interaction type.
  Runtime.prototype.dependency2004 = function (element, p) {
    var c = this.codes;
    var m = /^(cmi\.(?:interactions|objectives)\.\d+)\.(.+)$/.exec(element);
    if (!m || m[2] === "id") { return false; }
    if (this.stored(m[1] + ".id") === undefined) {
      this.fail(c.dependency, m[1] + ".id must be set first");
      return true;
    }
    if (/^cmi\.interactions\./.test(element) &&
        (m[2] === "learner_response" || /^correct_responses\./.test(m[2])) &&
        this.stored(m[1] + ".type") === undefined) {
      this.fail(c.dependency, m[1] + ".type must be set first");
      return true;
    }
    return false;
  };

  // SCORM 2004: per type, how many correct response patterns an interaction may have.
  Runtime.prototype.patternRules = function (base, element, type, value) {
    var c = this.codes;
    var count = this.count(base + ".correct_responses");
    var index = parseInt(element.split(".").slice(-2)[0], 10);
    var single = ["true-false", "likert", "numeric", "other"].indexOf(type) >= 0;
    if (single && index > 0) {
      this.fail(c.setFailure, "a " + type + " interaction has one correct response pattern");
      return "set";
    }
    for (var i = 0; i < count; i++) {
      if (i !== index && this.stored(base + ".correct_responses." + i + ".pattern") === value) {
        this.fail(c.setFailure, "this correct response pattern is already there");
        return "set";
      }
    }
    return OK;
  };

  // SCORM 2004: objective ids are unique within their array.
  Runtime.prototype.uniqueIdClash = function (element, value) {
    var m = /^(cmi\.objectives|cmi\.interactions\.\d+\.objectives)\.(\d+)\.id$/.exec(element);
    if (!m) { return false; }
    var n = this.count(m[1]);
    for (var i = 0; i < n; i++) {
      if (i !== parseInt(m[2], 10) && this.stored(m[1] + "." + i + ".id") === value) {
        this.fail(this.codes.setFailure, "the id \"" + value + "\" is already used");
        return true;
      }
    }
    return false;
  };

  Runtime.prototype.getLastError = function () { return String(this.lastError); };

  Runtime.prototype.getErrorString = function (code) {
    var text = this.messages[parseInt(code, 10)];
    return /^\d+$/.test(String(code)) && text !== undefined ? text : "";
  };

  Runtime.prototype.getDiagnostic = function (code) {
    if (code === "" || code === undefined || String(code) === String(this.lastError)) {
      return this.diagnostic || this.getErrorString(String(this.lastError));
    }
    return this.getErrorString(code);
  };

  /** The value an element has now, read without logging or touching the error state. */
  Runtime.prototype.peek = function (element) {
    var spec = this.model[this.parse(element).pattern];
    if (!spec) { return ""; }
    var value = this.stored(element);
    if (value === undefined) { value = this.defaultValue(spec); }
    if (value === undefined) { return ""; }
    return this.version === "2004" ? this.evaluate2004(element, value) : value;
  };

  /** Ends a session the SCO left open, as an LMS does when the learner closes the window. */
  Runtime.prototype.forceTerminate = function () {
    if (this.phase !== "running") { return false; }
    this.finishSession();
    this.phase = "done";
    this.onCommit(this.snapshot(), "closed");
    return true;
  };

  /** A copy of the state, safe to store as JSON. */
  Runtime.prototype.snapshot = function () {
    return JSON.parse(JSON.stringify(this.state));
  };

  // ----- the two API objects, with a log entry for every call
  Runtime.prototype.wrap = function (name, fn, argCount) {
    var self = this;
    return function () {
      var args = Array.prototype.slice.call(arguments, 0, argCount).map(function (a) {
        return a === undefined ? "" : String(a);
      });
      var result = fn.apply(self, args);
      var entry = {fn: name, args: args, result: result, error: self.lastError,
        diagnostic: self.lastError ? self.diagnostic : "", time: Date.now()};
      if (/GetLastError|GetErrorString|GetDiagnostic/.test(name)) { entry.error = null; }
      self.onCall(entry);
      return result;
    };
  };

  Runtime.prototype.api = function () {
    var P = Runtime.prototype;
    var names = this.version === "1.2"
      ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
         "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"]
      : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit",
         "GetLastError", "GetErrorString", "GetDiagnostic"];
    var impl = [P.initialize, P.terminate, P.getValue, P.setValue, P.commit,
      P.getLastError, P.getErrorString, P.getDiagnostic];
    var argc = [1, 1, 1, 2, 1, 0, 1, 1];
    var api = {};
    for (var i = 0; i < names.length; i++) {
      api[names[i]] = this.wrap(names[i], impl[i], argc[i]);
    }
    return api;
  };

  /**
   * Prepares the state of the next launch: after `exit = suspend` the learner resumes
   * with the stored data; otherwise the data stays and `entry` is empty.
   */
  function nextLaunchState(state) {
    var s = JSON.parse(JSON.stringify(state));
    var key = s.version === "1.2" ? "cmi.core.entry" : "cmi.entry";
    s.values[key] = s.lastExit === "suspend" ? "resume" : "";
    return s;
  }

  global.BuilderLMS = {
    /** Makes a simulated LMS session for one launch of the SCO. */
    create: function (version, options) {
      if (version !== "1.2" && version !== "2004") {
        throw new Error("SCORM version must be \"1.2\" or \"2004\"");
      }
      var rt = new Runtime(version, options || {});
      return {runtime: rt, api: rt.api()};
    },
    emptyState: emptyState,
    nextLaunchState: nextLaunchState,
    errors: {"1.2": ERRORS12, "2004": ERRORS2004}
  };
})(typeof window !== "undefined" ? window : this);
