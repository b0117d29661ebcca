/* ---- the core: navigation, page swapping, quizzes, learner state, resume, storage ----
   Plain ES2017, no dependencies. Data come from assets/course.js (window.BUILDER_COURSE).
   The bundle script (build.js) puts this file after one tracking adapter inside a single
   function, with LIMITS (the data-model limits of builder/scorm_limits.json for the
   target) defined first; so this file is not a script on its own.

   The tracker. tracker() of the adapter returns the object T that the core talks to; the
   core never asks which SCORM version (if any) is behind it:
     T.start()  find the LMS and open a session; false when there is none (then the core
                keeps everything in localStorage: a SCORM package opened on its own, or web)
     after a successful start: T.open, T.mode ("normal" | "review" | "browse"), T.learner,
                T.mastery (percent or null), T.entry ("resume" ...), T.saved (suspend data),
                T.savedLocation
     T.save(r, location, suspendData, final, elapsedMs)   bookmark, state, status, score; commit
     T.describe(question, answer) -> {type, response, patterns}; T.record(interaction)
     T.commit(), T.finish()
     T.navValid(request), T.nav(request)   adapters with LMS navigation only: may the LMS move on ("continue",
                "previous") to another SCO, and ask it to (takes effect when the session ends) */
  /* A course of several units (SCOs) has BUILDER_UNITS: the entry listing this page is
     the SCO running here; its pages, quizzes and state are all the core sees. */
  var C = window.BUILDER_COURSE || (window.BUILDER_UNITS || []).filter(function (u) {
    return u.pages.some(function (p) { return p.id === document.body.getAttribute("data-page"); });
  })[0];
  if (!C || !document.querySelector("main")) return;
  var doc = document, root = doc.documentElement;
  var UI = readJSON(doc.getElementById("builder-ui")) || {};
  var PAGES = C.pages, QIDS = Object.keys(C.quizzes || {});
  var CONTENT = C.start === false ? PAGES.length : Math.max(PAGES.length - 1, 1); // the start page is not content
  /* A multilingual package (C.languages): this document is the picker (index.html) and stays
     loaded; the pages of language L are L/<url>, fetched and put in place like any page. */
  var LANGS = C.languages || null;
  var CH = "abcdefghijklmnopqrstuvwxyz0123456789", SRC = "123456789abcdefghijklmnopqrstuvwxyz";
  var started = Date.now();
  var T = tracker(), closeMenu = null, draftTimer = null;

  function readJSON(el) { try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; } }
  /* A label with plural forms ({one: ..., other: ...}) is chosen by values[by] (default n) and the page language. */
  function fmt(text, values, by) {
    if (text && typeof text === "object") {
      var count = values[by || "n"], rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(doc.documentElement.lang || "en") : null;
      text = (rules && text[rules.select(count)]) || text.other;
    }
    return String(text || "").replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function num(x) { return String(+(+x).toFixed(10)); }
  function pad(n, w) { n = String(n); while (n.length < (w || 2)) n = "0" + n; return n; }
  function whole(p) { return Math.round(Math.round(p * 100) / 100); } // percent as shown and reported
  function dec(x) { var r = Math.round(x * 100) / 100; return Math.abs(r) < 1e-7 ? "0" : r.toFixed(2).replace(/\.?0+$/, ""); }
  function $$(sel, el) { return Array.prototype.slice.call((el || doc).querySelectorAll(sel)); }
  function warn() { try { console.warn.apply(console, ["[builder]"].concat([].slice.call(arguments))); } catch (e) { /* no console */ } }
  /* Moves the nodes of a page fetched and parsed with DOMParser (its scripts never run)
     into this document, without turning them into markup and back. */
  function moveChildren(from, to) {
    to.textContent = "";
    Array.prototype.slice.call(from.childNodes).forEach(function (n) { to.appendChild(doc.adoptNode(n)); });
  }
  /* Puts HTML that the build made (quiz feedback from the quiz payload, rendered from
     Markdown and checked when the package was built) into el: the only markup the runtime
     inserts. Anything a learner typed or that comes back from stored data is set as text. */
  function setBuiltHTML(el, html) { el.innerHTML = html; return el; }
  function node(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  /* Step and widget news for screen readers (the visible .quiz-status is for what checking found). */
  function say(form, text) {
    var live = form.querySelector(".quiz-live");
    if (!live) {
      live = form.appendChild(node("div", "quiz-live visually-hidden"));
      live.setAttribute("aria-live", "polite");
    }
    live.textContent = text;
  }
  /* The quiz widgets and interactive blocks (assets/widgets.js, beside this bundle) are loaded
     before the first page that has a quiz or a block is shown: a launch does not fetch them.
     Without them (the file failed to load) quizzes keep their drop-downs and blocks stay open. */
  var W = null, WIDGETS = ((doc.currentScript && doc.currentScript.src) || "assets/runtime.js").replace(/runtime\.js(\?.*)?$/, "widgets.js");
  var NO_WIDGETS = { setupBlocks: function () { return 0; }, revealInBlocks: function () { return false; } };
  var waiting = []; // what runs once the widgets have run (one load at a time)
  function withWidgets(then) {
    if (W) return then();
    waiting.push(then);
    if (waiting.length > 1) return;
    function ready() {
      W = window.BUILDER_WIDGETS ? window.BUILDER_WIDGETS(doc, $$, fmt, UI, node, say) : NO_WIDGETS;
      waiting.splice(0).forEach(function (f) { f(); });
    }
    var s = doc.createElement("script");
    s.src = WIDGETS;
    s.onload = ready;
    s.onerror = function () { warn("could not load " + WIDGETS); ready(); };
    doc.head.appendChild(s);
  }
  /* A fetched page (document) once the widgets it needs have run: it is put in place only
     then, so the page shown and the learner state change together. */
  function widgetsFor(next) {
    if (W || !next.querySelector("main form.quiz, main [data-block]")) return next;
    return new Promise(function (ok) { withWidgets(function () { ok(next); }); });
  }
  function pageIndex(id) { for (var i = 0; i < PAGES.length; i++) if (PAGES[i].id === id) return i; return -1; }

  /* ---- learner state and its compact form (the suspend data of the LMS) ----
     "1|seq|visited-bits|quiz;quiz;..." with quizzes in the order of C.quizzes' keys, each
     "attempts:best:submitted:answers"; answers stay encoded until the quiz's page is shown. */
  var S = { seq: 0, visited: [], quizzes: {}, location: "", pending: [], lang: "" };
  function quizState(id) { return S.quizzes[id] || (S.quizzes[id] = { attempts: 0, best: null, submitted: false, answers: {}, raw: "" }); }

  /* Pages whose required blocks are not all opened yet (S.pending) follow as a fifth part,
     only while there are any. */
  function pageBits(flags) {
    var bits = "", n = 0, acc = 0;
    for (var i = 0; i < PAGES.length; i++) {
      acc = acc * 2 + (flags[i] ? 1 : 0); n++;
      if (n === 5 || i === PAGES.length - 1) { bits += (acc << (5 - n)).toString(32); acc = 0; n = 0; }
    }
    return bits;
  }
  function readBits(text) {
    var flags = [];
    for (var i = 0; i < PAGES.length; i++) flags[i] = !!(parseInt(text.charAt(Math.floor(i / 5)) || "0", 32) & (16 >> (i % 5)));
    return flags;
  }
  function encodeState(textMax) {
    var bits = pageBits(S.visited);
    var quizzes = QIDS.map(function (id) {
      var q = S.quizzes[id];
      if (!q) return "";
      var answers = q.payload ? encodeAnswers(q, textMax) : q.raw;
      var best = q.best === null ? "" : Math.round(q.best * 100).toString(36);
      return [q.attempts.toString(36), best, q.submitted ? 1 : "", answers].join(":").replace(/:+$/, "");
    });
    var state = ["1", S.seq.toString(36), bits, quizzes.join(";").replace(/;+$/, "")];
    var pending = S.pending.indexOf(true) >= 0 ? pageBits(S.pending) : "";
    if (pending || LANGS) state.push(pending); // pages whose required blocks are not all opened
    if (LANGS) state.push(S.lang); // "…|pending|fr": the language the learner reads
    return state.join("|");
  }
  function decodeState(text) {
    var parts = String(text || "").split("|");
    if (parts[0] !== "1" || parts.length < 3) return null;
    var st = { seq: parseInt(parts[1], 36) || 0, visited: readBits(parts[2]), quizzes: {}, location: "",
      pending: readBits(parts[4] || ""), lang: parts[5] || "" };
    (parts[3] || "").split(";").forEach(function (entry, k) {
      if (!entry || k >= QIDS.length) return;
      var f = entry.split(":");
      st.quizzes[QIDS[k]] = { attempts: parseInt(f[0], 36) || 0, best: f[1] ? parseInt(f[1], 36) / 100 : null,
        submitted: f[2] === "1", answers: {}, raw: f.slice(3).join(":") };
    });
    return st;
  }
  function choiceIds(q) { return Object.keys(q.choices || {}); }
  function encodeAnswers(qs, textMax) {
    return qs.payload.questions.map(function (q) {
      var a = qs.answers[q.id];
      if (a === undefined || a === null || a === "") return "";
      switch (q.type) {
        case "single": return CH.charAt(choiceIds(q).indexOf(a));
        case "multiple": return a.map(function (id) { return CH.charAt(choiceIds(q).indexOf(id)); }).join("");
        case "true-false": return a.charAt(0);
        case "matching": return q.pairs.map(function (p) { return a[p[0]] ? parseInt(a[p[0]].slice(1), 10).toString(36) : "0"; }).join("");
        case "ordering": return q.order.map(function (id) { return a[id] ? parseInt(a[id], 10).toString(36) : "0"; }).join("");
        default: return encodeURIComponent(String(a).slice(0, textMax));
      }
    }).join(",").replace(/,+$/, "");
  }
  function decodeAnswers(qs) {
    var parts = qs.raw ? qs.raw.split(",") : [];
    qs.payload.questions.forEach(function (q, i) {
      var t = parts[i];
      if (!t) return;
      var ids = choiceIds(q), obj = {};
      switch (q.type) {
        case "single": qs.answers[q.id] = ids[CH.indexOf(t)]; break;
        case "multiple": qs.answers[q.id] = t.split("").map(function (c) { return ids[CH.indexOf(c)]; }); break;
        case "true-false": qs.answers[q.id] = t === "t" ? "true" : "false"; break;
        case "matching":
          q.pairs.forEach(function (p, j) { var m = parseInt(t.charAt(j), 36); if (m) obj[p[0]] = "m" + m; });
          qs.answers[q.id] = obj;
          break;
        case "ordering":
          q.order.forEach(function (id, j) { var m = parseInt(t.charAt(j), 36); if (m) obj[id] = String(m); });
          qs.answers[q.id] = obj;
          break;
        default: try { qs.answers[q.id] = decodeURIComponent(t); } catch (e) { /* damaged: drop */ }
      }
    });
  }

  // by language too: the same course in French and in Arabic keeps two separate states
  var storeKey = ["builder", C.id, C.language, C.version, C.scorm || "preview"].join(":") + (C.unit ? ":" + C.unit : "");
  function saveLocal() {
    if (T.mode === "review") return; // a reviewed attempt stays as the LMS keeps it
    var value = JSON.stringify({ s: encodeState(250), l: S.location });
    try { localStorage.setItem(storeKey + (T.learner ? ":" + T.learner : ""), value); } catch (e) { /* private mode */ }
  }
  function loadLocal() {
    try { return JSON.parse(localStorage.getItem(storeKey + (T.learner ? ":" + T.learner : "")) || "null"); } catch (e) { return null; }
  }

  /* Serialised state within the data-model limit: shorten free text, then drop unsubmitted drafts. */
  function fittedState() {
    var max = LIMITS.suspend_data, text = encodeState(250);
    if (text.length <= max) return text;
    text = encodeState(20);
    if (text.length <= max) return text;
    QIDS.forEach(function (id) { var q = S.quizzes[id]; if (q && !q.submitted) { q.answers = {}; q.raw = ""; } });
    text = encodeState(0);
    if (text.length <= max) return text;
    var f = text.split("|");
    f[3] = ""; // no quiz answers; pending blocks and the language kept
    return f.join("|").replace(/\|+$/, "");
  }

  /* ---- completion, success and score ---- */
  function evaluate() {
    var graded = QIDS.filter(function (id) { return C.quizzes[id].graded; });
    // the start page does not count: a course opened at a lesson can still be completed
    // a page with required blocks counts once they are all opened
    var viewed = S.visited.filter(function (v, i) { return v && !S.pending[i] && (i > 0 || CONTENT === PAGES.length); }).length;
    var pagesDone = viewed >= CONTENT;
    var scored = graded.length > 0 && graded.every(function (id) { return S.quizzes[id] && S.quizzes[id].attempts > 0; });
    var total = 0, earned = 0;
    graded.forEach(function (id) {
      var w = C.quizzes[id].weight || 1;
      total += w; earned += w * ((S.quizzes[id] && S.quizzes[id].best) || 0) / 100;
    });
    var score = scored ? whole(earned / total * 100) : null; // a whole percent: what the learner is shown
    var passing = T.mastery !== null && T.mastery !== undefined ? T.mastery : C.passingScore;
    var passed = scored && score >= passing;
    var quizDone = graded.length ? passed : pagesDone;
    var completed = C.completion === "quiz" ? quizDone : C.completion === "both" ? pagesDone && quizDone : pagesDone;
    var progress = completed ? 1 : Math.min(viewed / CONTENT, 0.99);
    // failed with no graded quiz left to try: nothing more can change in this attempt
    var exhausted = scored && !passed && graded.every(function (id) {
      var n = C.quizzes[id].attempts; return n && S.quizzes[id].attempts >= n;
    });
    return { completed: completed, exhausted: exhausted, scored: scored, passed: passed, score: score, progress: progress,
      success: scored ? (passed ? "passed" : "failed") : "unknown", viewed: viewed,
      finished: completed && (!scored || passed) };
  }

  /* Send the state to the LMS (and keep a copy in this browser). In review mode nothing is
     written anywhere; in browse mode nothing is scored. */
  function report(final) {
    if (T.mode === "review") return;
    if (!T.open) { saveLocal(); return; }
    var r = evaluate();
    if (T.mode === "browse") { r.scored = false; r.success = "unknown"; }
    S.seq++;
    saveLocal();
    T.save(r, S.location, fittedState(), final, Date.now() - started);
    if (!final) unitPager(); // the LMS may allow moving on now
  }

  function terminate() {
    if (!T.open) return;
    try { report(true); } catch (e) { warn("saving before exit failed:", e && e.message); }
    T.finish();
  }

  /* ---- page chrome ---- */
  var noticeEl = null, resumeAt = "";
  /* Review mode: a lasting note above the page on how to start a new attempt. */
  function reviewNote() {
    var note = doc.createElement("p"), layout = doc.querySelector(".layout");
    note.className = "notice review-note";
    note.textContent = UI.review_note || "";
    if (layout) layout.parentNode.insertBefore(note, layout);
  }
  function notice(text) {
    if (!noticeEl) {
      if (!text) return;
      noticeEl = doc.createElement("p");
      noticeEl.className = "notice";
      noticeEl.setAttribute("role", "status");
      var layout = doc.querySelector(".layout");
      layout.parentNode.insertBefore(noticeEl, layout);
    }
    noticeEl.textContent = text || "";
    noticeEl.hidden = !text;
  }

  function updateChrome() {
    var r = evaluate(), current = doc.body.getAttribute("data-page");
    $$("a[data-page]").forEach(function (a) {
      var i = pageIndex(a.getAttribute("data-page"));
      a.classList.toggle("is-viewed", !!S.visited[i]);
      if (a.closest(".course-menu") && !a.closest(".menu-module-title")) {
        if (a.getAttribute("data-page") === current) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
        var mark = a.querySelector(".visually-hidden");
        if (S.visited[i] && !mark) {
          mark = doc.createElement("span");
          mark.className = "visually-hidden";
          mark.textContent = " (" + UI.viewed + ")";
          a.appendChild(mark);
        }
      }
    });
    var bar = doc.querySelector(".progress");
    if (bar) {
      bar.hidden = false;
      bar.querySelector(".progress-fill").style.width = Math.round(r.viewed / CONTENT * 100) + "%";
      bar.querySelector(".progress-text").textContent = fmt(UI.progress, { done: r.viewed, total: CONTENT }, "total");
    }
    var resume = doc.querySelector(".resume-link"), loc = pageIndex(resumeAt);
    if (resume && loc > 0 && resumeAt !== current) {
      resume.hidden = false;
      resume.href = urlOf(loc);
    }
  }

  /* A table or diagram wider than its region gets "is-wide": the theme shows its scroll cue. */
  function markWide() {
    $$(".table-scroll, .diagram-scroll").forEach(function (el) {
      el.classList.toggle("is-wide", el.scrollWidth > el.clientWidth + 1);
    });
  }
  window.addEventListener("resize", function () { markWide(); });
  window.addEventListener("load", function () { markWide(); });

  function setupMenu() {
    var btn = doc.querySelector(".menu-toggle"), menu = doc.getElementById("course-menu");
    if (!btn || !menu) return;
    btn.hidden = false;
    function set(open) { btn.setAttribute("aria-expanded", String(open)); menu.classList.toggle("is-open", open); }
    btn.addEventListener("click", function () { set(btn.getAttribute("aria-expanded") !== "true"); });
    menu.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && menu.classList.contains("is-open")) { set(false); btn.focus(); }
    });
    closeMenu = function () { set(false); };
  }

  /* ---- navigation: swap <main> so that the SCO document (and its LMS session) stays ---- */
  var busy = false;
  function go(id, hash, push) {
    var i = pageIndex(id);
    if (i < 0 || busy) return;
    var url = urlOf(i);
    if (!window.fetch || location.protocol === "file:") { saveLocal(); location.href = url + (hash || ""); return; }
    busy = true;
    fetchPage(url).then(widgetsFor).then(function (next) {
      var main = next.querySelector("main");
      if (!main) throw new Error("no <main> in " + url);
      var cur = doc.querySelector("main"), menu = next.getElementById("course-menu"), ours = doc.getElementById("course-menu");
      moveChildren(main, cur);
      if (menu && ours) moveChildren(menu, ours); // big courses list only the current module
      cur.setAttribute("data-page", id);
      doc.body.setAttribute("data-page", id);
      doc.title = next.title;
      // multilingual: the address stays the picker's, so that relative URLs keep their base
      if (push !== false) { try { history.pushState({ page: id }, "", LANGS ? location.href : url + (hash || "")); } catch (e) { /* sandboxed */ } }
      if (closeMenu) closeMenu();
      busy = false;
      showPage(id, hash);
    }).catch(function (e) {
      busy = false;
      warn("could not load " + url + " in place (" + (e && e.message) + "); opening it instead");
      if (T.open) terminate();
      saveLocal();
      location.href = url + (hash || "");
    });
  }

  function urlOf(i) { return (LANGS && S.lang ? S.lang + "/" : "") + PAGES[i].url; }
  /* The page at url, parsed (its scripts never run). In a multilingual package its relative
     links and sources are made absolute first: they are relative to its own folder. */
  function fetchPage(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.text();
    }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html"), base = new URL(url, location.href);
      if (LANGS) $$("[href],[src],[poster]", next).forEach(function (el) {
        ["href", "src", "poster"].forEach(function (a) {
          var v = el.getAttribute(a);
          if (v && v.charAt(0) !== "#" && !/^[a-z][a-z0-9+.-]*:/i.test(v)) el.setAttribute(a, new URL(v, base).href);
        });
      });
      return next;
    });
  }

  /* Multilingual: show page id in language lang, the whole body (header, menu, labels) in
     place; the learner state stays as it is (ids are the same in every language). */
  function switchLanguage(lang, id, hash) {
    var i = Math.max(pageIndex(id), 0);
    if (busy) return;
    busy = true;
    fetchPage(lang + "/" + PAGES[i].url).then(widgetsFor).then(function (next) {
      S.lang = lang;
      moveChildren(next.body, doc.body);
      root.setAttribute("lang", next.documentElement.getAttribute("lang") || lang);
      root.setAttribute("dir", next.documentElement.getAttribute("dir") || "ltr");
      doc.body.setAttribute("data-page", PAGES[i].id);
      doc.title = next.title;
      var ui = readJSON(doc.getElementById("builder-ui")), k;
      if (ui) { for (k in UI) delete UI[k]; for (k in ui) UI[k] = ui[k]; } // the same object: the widgets hold it
      noticeEl = null;
      chrome();
      try { history.replaceState({ page: PAGES[i].id }, ""); } catch (e) { /* sandboxed */ }
      busy = false;
      showPage(PAGES[i].id, hash);
    }).catch(function (e) { busy = false; warn("could not load the " + lang + " pages (" + (e && e.message) + ")"); });
  }
  /* Multilingual: a list of the languages in the header of every page. */
  function languageSwitch() {
    var tools = doc.querySelector(".tools");
    if (!LANGS || !tools || tools.querySelector(".language-switch")) return;
    var sel = doc.createElement("select");
    sel.className = "language-switch";
    sel.setAttribute("aria-label", UI.language || "Language");
    LANGS.forEach(function (l) {
      var o = doc.createElement("option");
      o.value = l.code; o.lang = l.code; o.textContent = l.name; o.selected = l.code === S.lang;
      sel.appendChild(o);
    });
    sel.addEventListener("change", function () { switchLanguage(sel.value, doc.body.getAttribute("data-page")); });
    tools.insertBefore(sel, tools.firstChild);
  }

  /* ---- between units: the LMS moves the learner on (T.nav, when the LMS
     says the request is valid), after this SCO's state is saved and its session closed.
     Otherwise the unit's last page says to use the LMS's menu. ---- */
  function unitPager() {
    var pager = doc.querySelector("main .pager"), U = C.ui || {}, i = pageIndex(S.location);
    if (!C.unit || !pager) return;
    var ends = [["previous", i === 0, "pager-prev", U.previous], ["continue", i === PAGES.length - 1, "pager-next", U.next]]
      .filter(function (d) { return d[1]; }).map(function (d) { return d.concat(T.open && T.navValid(d[0])); });
    var key = i + ":" + ends.map(function (d) { return d[4]; }).join();
    if (pager.getAttribute("data-units") === key) return; // unchanged: keep the learner's focus
    pager.setAttribute("data-units", key);
    $$(".unit-nav", pager).forEach(function (el) { el.remove(); });
    ends.forEach(function (d) {
      var box = doc.createElement("div");
      box.className = "pager-item unit-nav " + d[2];
      if (d[4]) {
        var b = doc.createElement("button");
        b.type = "button"; b.className = "button" + (d[0] === "continue" ? " button-primary" : ""); b.textContent = d[3];
        b.addEventListener("click", function () { T.nav(d[0]); terminate(); box.textContent = UI.exit_done; });
        box.appendChild(b);
      } else if (d[0] === "continue" && !C.last) box.textContent = U.unit_end;
      if (box.firstChild) pager.appendChild(box);
    });
  }

  function showPage(id, hash, initial) {
    if (!W && doc.querySelector("main form.quiz, main [data-block]")) {
      // shown once the widgets have run, unless the learner has gone to another page meanwhile
      withWidgets(function () { if (doc.body.getAttribute("data-page") === id) showPage(id, hash, initial); });
      return;
    }
    var B = W || NO_WIDGETS, i = pageIndex(id);
    S.location = id;
    var first = !S.visited[i];
    S.visited[i] = true;
    var open = B.setupBlocks(function () { S.pending[i] = false; updateChrome(); report(false); }, !first && !S.pending[i]);
    if (first || S.pending[i]) S.pending[i] = open > 0;
    $$("form.quiz").forEach(setupQuiz);
    updateChrome();
    markWide();
    var target = hash && doc.getElementById(decodeURIComponent(hash.slice(1)));
    var h1 = doc.querySelector("main h1");
    if (initial) { if (target && B.revealInBlocks(target)) target.scrollIntoView(); /* else the browser's own focus and scroll */ }
    else if (target) { B.revealInBlocks(target); if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1"); target.focus(); }
    else if (h1) { h1.focus(); window.scrollTo(0, 0); }
    report(false); // without an LMS: only the copy in this browser
    if (!T.open) unitPager();
  }

  doc.addEventListener("click", function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var a = e.target.closest && e.target.closest("a[href]");
    if (!a || (a.target && a.target !== "_self") || a.hasAttribute("download")) return;
    if (LANGS && a.hasAttribute("data-lang")) { e.preventDefault(); switchLanguage(a.getAttribute("data-lang"), PAGES[0].id); return; }
    var url = new URL(a.href, location.href), here = new URL(".", location.href);
    if (url.origin !== location.origin || url.pathname.indexOf(here.pathname) !== 0) return;
    var file = url.pathname.slice(here.pathname.length) || "index.html";
    if (LANGS && file.indexOf(S.lang + "/") === 0) file = file.slice(S.lang.length + 1);
    var page = PAGES.filter(function (p) { return p.url === file; })[0];
    if (!page) { // a page of another unit (SCO): only the LMS may open it
      var other = (window.BUILDER_UNITS || []).filter(function (u) { return u.pages.some(function (p) { return p.url === file; }); })[0];
      if (other) { e.preventDefault(); notice(fmt((C.ui || {}).other_unit, { part: other.unitTitle })); }
      return;
    }
    if (page.id === doc.body.getAttribute("data-page") && url.hash) return; // in-page anchor
    e.preventDefault();
    go(page.id, url.hash);
  });
  window.addEventListener("popstate", function (e) {
    var id = e.state && e.state.page;
    if (!id) {
      var file = location.pathname.split("/").pop() || "index.html";
      var p = PAGES.filter(function (x) { return x.url === file; })[0];
      id = p && p.id;
    }
    if (id && id !== doc.body.getAttribute("data-page")) go(id, "", false);
  });

  /* ---- quizzes ---- */
  function seeded(seed) { return function () { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }; }
  function hash(text) { var h = 7; for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 2147483647; return h; }
  function shuffleChildren(parent, selector, rnd) {
    var kids = $$(selector, parent), anchor = kids.length ? kids[kids.length - 1].nextSibling : null;
    for (var i = kids.length - 1; i > 0; i--) { var j = Math.floor(rnd() * (i + 1)), t = kids[i]; kids[i] = kids[j]; kids[j] = t; }
    kids.forEach(function (k) { parent.insertBefore(k, anchor); });
  }

  function setupQuiz(form) {
    var id = form.getAttribute("data-quiz"), block = form.closest(".quiz-block");
    var payload = readJSON(block && block.querySelector("script.quiz-data"));
    if (!payload || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var qs = quizState(id);
    if (!qs.payload) { qs.payload = payload; decodeAnswers(qs); }
    else qs.payload = payload; // another language: its texts, the same ids and answers
    var attemptStart = Date.now(), touched = {};
    var rnd = seeded(hash(id + ":" + qs.attempts));
    if (payload.shuffle) shuffleChildren(form, "fieldset.question", rnd);
    payload.questions.forEach(function (q) {
      var fs = field(q);
      if (q.shuffle && fs) shuffleChildren(fs.querySelector(".choices"), ".choice", rnd);
    });
    $$("fieldset.question .question-number", form).forEach(function (el, n, all) {
      el.textContent = fmt(UI.question, { n: n + 1, total: all.length });
    });
    var Q = readJSON(block.querySelector("script.quiz-ui")) || {}, widgets = {};
    payload.questions.forEach(function (q) { // the widgets stand in for the no-script drop-downs
      var fs = field(q), make = q.type === "matching" ? W.pairWidget : q.type === "ordering" ? W.orderWidget : null;
      if (make && fs && fs.querySelector(".rows select")) widgets[q.id] = make(fs, form, Q);
    });
    say(form, ""); // the live region exists before anything is announced in it
    var heading = block.querySelector(".quiz-results [tabindex]");
    var steps = payload.display === "one-at-a-time" && T.mode !== "review" && W.stepper ?
      W.stepper(form, Q, heading ? +heading.tagName.charAt(1) - 1 : 2) : null;
    function byId(qid) { return payload.questions.filter(function (x) { return x.id === qid; })[0]; }
    function field(q) { return form.querySelector('fieldset[data-question="' + q.id + '"]'); }
    function read(q) {
      var fs = field(q), value;
      if (q.type === "single" || q.type === "true-false") { var c = fs.querySelector("input:checked"); value = c ? c.value : ""; }
      else if (q.type === "multiple") {
        value = $$("input:checked", fs).map(function (el) { return el.value; });
        if (!value.length) value = "";
      }
      else if (q.type === "matching" || q.type === "ordering") {
        value = {};
        $$("select", fs).forEach(function (s) { if (s.value) value[slot(s)] = s.value; });
        if (!Object.keys(value).length) value = "";
      } else value = fs.querySelector("input").value.trim();
      return value;
    }
    function write(q, a) {
      var fs = field(q);
      if (!fs) return;
      if (q.type === "matching" || q.type === "ordering") $$("select", fs).forEach(function (s) { s.value = (a && a[slot(s)]) || ""; });
      else if (q.type === "fill-in" || q.type === "numeric") fs.querySelector("input").value = a || "";
      else $$("input", fs).forEach(function (el) { el.checked = Array.isArray(a) ? a.indexOf(el.value) >= 0 : el.value === a; });
      if (widgets[q.id]) widgets[q.id]();
    }
    function slot(select) { return select.getAttribute("data-pair") || select.getAttribute("data-item"); }
    function lock(on) {
      $$("input, select, .question button", form).forEach(function (el) { el.disabled = on; });
      form.querySelector(".quiz-submit").hidden = on;
      Object.keys(widgets).forEach(function (k) { widgets[k](); });
    }
    function attemptsLeft() { return payload.attempts ? Math.max(payload.attempts - qs.attempts, 0) : Infinity; }
    function showInfo() {
      var info = block.querySelector(".quiz-attempts-info");
      if (info && payload.attempts && T.mode !== "review") { info.hidden = false; info.textContent = fmt(UI.attempts_left, { n: attemptsLeft() }); }
    }
    function feedback(q, result) {
      var fs = field(q), box = fs.querySelector(".question-feedback"), a = qs.answers[q.id];
      var text = result === null ? UI.not_answered : result ? UI.correct : UI.incorrect;
      var extra = result === null ? "" : (result ? q.feedback.correct : q.feedback.incorrect) || "";
      box.className = "question-feedback " + (result ? "is-correct" : "is-wrong");
      var verdict = doc.createElement("p");
      verdict.className = "verdict";
      verdict.textContent = text;
      box.textContent = "";
      box.appendChild(verdict);
      if (extra) box.appendChild(setBuiltHTML(doc.createElement("p"), extra));
      box.hidden = false;
      $$(".choice", fs).forEach(function (ch) {
        var cid = ch.getAttribute("data-choice"), picked = Array.isArray(a) ? a.indexOf(cid) >= 0 : a === cid;
        var fb = ch.querySelector(".choice-feedback"), note = q.choices && q.choices[cid];
        ch.classList.toggle("is-correct", picked && correctChoice(q, cid));
        ch.classList.toggle("is-wrong", picked && !correctChoice(q, cid));
        if (fb) { fb.hidden = !(picked && note); setBuiltHTML(fb, picked && note ? note : ""); }
      });
    }
    function clearFeedback() {
      $$(".question-feedback, .choice-feedback", form).forEach(function (el) { el.hidden = true; el.textContent = ""; });
      $$(".choice", form).forEach(function (el) { el.classList.remove("is-correct", "is-wrong"); });
      form.querySelector(".quiz-status").textContent = "";
    }
    /* The one results panel: the score in whole percent as the LMS gets it (or, for an
       ungraded check, "2 of 3 correct" with no verdict), then one line per question. */
    function results(g, focus) {
      var box = block.querySelector(".quiz-results"), shown = whole(g.score), left = attemptsLeft();
      var graded = payload.graded !== false, passed = graded ? shown >= payload.passingScore : false;
      var fields = $$("fieldset.question", form), right = fields.filter(function (fs) { return g.verdicts[fs.getAttribute("data-question")]; });
      box.hidden = false;
      box.className = "quiz-results " + (graded ? (passed ? "is-passed" : "is-failed") : "is-neutral");
      box.querySelector(".quiz-score").textContent = graded ? fmt(UI.score, { score: shownNumber(shown) }) :
        fmt(Q.correct_count, { n: right.length, total: fields.length });
      var verdict = box.querySelector(".quiz-verdict");
      verdict.hidden = !graded;
      verdict.textContent = graded ? (passed ? UI.passed : UI.failed) + " " + fmt(UI.passing_score, { score: payload.passingScore }) : "";
      var list = box.querySelector(".quiz-review");
      if (list) {
        list.textContent = "";
        fields.forEach(function (fs, n) {
          var ok = g.verdicts[fs.getAttribute("data-question")], li = node("li", ok ? "is-correct" : "is-wrong"), a = node("a", "", fmt(Q.question_n, { n: n + 1 }));
          a.href = "#" + fs.id;
          li.appendChild(a);
          li.appendChild(doc.createTextNode(": " + (ok === null ? UI.not_answered : ok ? UI.correct : UI.incorrect)));
          list.appendChild(li);
        });
        list.hidden = false;
      }
      if (steps) steps.off();
      // review mode: no attempt count (no retry here; the note says how to start a new attempt)
      box.querySelector(".quiz-attempts").textContent = left === Infinity || T.mode === "review" ? "" :
        left ? fmt(UI.attempts_left, { n: left }) : UI.no_attempts_left;
      var retry = box.querySelector(".quiz-retry");
      retry.hidden = (graded ? passed : right.length === fields.length) || !left || T.mode === "review";
      lock(true);
      block.querySelector(".quiz-attempts-info").hidden = true; // the panel says it
      if (focus) box.querySelector("[tabindex]").focus();
    }
    function grade() {
      var total = 0, earned = 0, verdicts = {};
      payload.questions.forEach(function (q) {
        var a = qs.answers[q.id], ok = a === undefined || a === "" ? null : isCorrect(q, a);
        verdicts[q.id] = ok;
        total += q.weight; if (ok) earned += q.weight;
      });
      return { score: total ? Math.round(earned / total * 10000) / 100 : 0, verdicts: verdicts };
    }

    payload.questions.forEach(function (q) { write(q, qs.answers[q.id]); });
    showInfo();
    if (qs.submitted) {
      var g = grade();
      payload.questions.forEach(function (q) { feedback(q, g.verdicts[q.id]); });
      results(g, false);
    } else if (payload.attempts && !attemptsLeft()) { lock(true); if (steps) steps.off(); }
    else if (steps) steps.show(0, false);
    if (T.mode === "review") { // the stored attempt, read-only: no check, no retry
      lock(true);
      if (!qs.submitted) form.querySelector(".quiz-status").textContent = UI.review_unchecked || "";
    }

    function onAnswer(e) {
      var fs = e.target.closest("fieldset.question"), q = fs && byId(fs.getAttribute("data-question"));
      if (!q) return;
      if (q.type === "ordering") uniquePositions(fs, e.target, (qs.answers[q.id] || {})[slot(e.target)]);
      touched[q.id] = Date.now();
      qs.answers[q.id] = read(q);
      saveLocal();
      // drafts reach the LMS too (an LMS may not store what is sent while the window closes)
      if (T.open) { clearTimeout(draftTimer); draftTimer = setTimeout(function () { report(false); }, 3000); }
    }
    form.addEventListener("change", onAnswer);
    form.addEventListener("input", onAnswer);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (steps && steps.asking()) { steps.next(); return; } // Enter in a text box: on to the next step
      if (T.mode === "review" || qs.submitted || (payload.attempts && !attemptsLeft())) return;
      var now = new Date(), missing = [];
      payload.questions.forEach(function (q) { qs.answers[q.id] = read(q); });
      var g = grade();
      qs.attempts++;
      qs.submitted = true;
      qs.best = qs.best === null ? g.score : Math.max(qs.best, g.score);
      $$("fieldset.question", form).forEach(function (fs, n) {
        var q = byId(fs.getAttribute("data-question"));
        feedback(q, g.verdicts[q.id]);
        if (g.verdicts[q.id] === null) missing.push(n + 1);
        else track(payload, q, qs.answers[q.id], g.verdicts[q.id], (touched[q.id] || now.getTime()) - attemptStart, now);
      });
      // the score is in the results panel only; this live region names what was left out
      form.querySelector(".quiz-status").textContent = missing.length ? fmt(UI.unanswered_warning, { list: missing.join(UI.list_separator) }) : "";
      results(g, true);
      updateChrome();
      report(false);
    });
    block.querySelector(".quiz-retry").addEventListener("click", function () {
      if (T.mode === "review") return;
      qs.submitted = false; qs.answers = {};
      payload.questions.forEach(function (q) { write(q, null); });
      clearFeedback();
      block.querySelector(".quiz-results").hidden = true;
      lock(false);
      showInfo();
      attemptStart = Date.now(); touched = {};
      rnd = seeded(hash(id + ":" + qs.attempts));
      payload.questions.forEach(function (q) { if (q.shuffle) shuffleChildren(field(q).querySelector(".choices"), ".choice", rnd); });
      var first = form.querySelector("input, select, .question button");
      if (steps) steps.show(0, true); else if (first) first.focus();
      report(false);
    });
  }

  /* An ordering question takes each position once: the item that held the position just
     given takes the changed item's old one (or none), and the learner is told. So the order
     reported to the LMS is always the order the learner sees. */
  function uniquePositions(fs, changed, before) {
    if (!changed.hasAttribute || !changed.hasAttribute("data-item") || !changed.value) return;
    $$("select[data-item]", fs).forEach(function (other) {
      if (other === changed || other.value !== changed.value) return;
      other.value = before || "";
      var label = fs.querySelector('label[for="' + other.id + '"]'), name = label ? label.cloneNode(true) : null;
      if (name) $$(".visually-hidden", name).forEach(function (el) { el.remove(); });
      var status = fs.closest("form").querySelector(".quiz-status");
      if (status) status.textContent = fmt(before ? UI.position_moved : UI.position_cleared,
        { item: name ? name.textContent.trim() : "", n: before || "" });
    });
  }

  /* One interaction per answered question, in the tracker's format (normal mode only). */
  function track(payload, q, a, ok, latency, when) {
    if (!T.open || T.mode !== "normal") return;
    var d = T.describe(q, a);
    T.record({ id: payload.id + "_" + q.id, type: d.type, response: d.response, patterns: d.patterns,
      ok: ok, weight: q.weight, latency: latency, when: when });
  }

  function correctChoice(q, cid) { return q.type === "true-false" ? String(q.correct) === cid : (q.correct || []).indexOf(cid) >= 0; }
  function isCorrect(q, a) {
    switch (q.type) {
      case "single": return correctChoice(q, a);
      case "true-false": return a === String(q.correct);
      case "multiple": return a.length === q.correct.length && a.every(function (id) { return q.correct.indexOf(id) >= 0; });
      case "fill-in": var t = normText(a, q.caseSensitive); return !!t && q.answers.some(function (x) { return normText(x, q.caseSensitive) === t; });
      case "numeric": var n = toNumber(a); return !isNaN(n) && Math.abs(n - q.value) <= q.tolerance + 1e-9;
      case "matching": return q.pairs.every(function (p) { return a[p[0]] === p[1]; });
      case "ordering": return q.order.every(function (id, i) { return a[id] === String(i + 1); });
    }
    return false;
  }

  /* ---- start-up ---- */
  /* The page chrome that needs the runtime: the menu button, the exit button, the review
     note and the language list; again after a language switch, which brings a new body. */
  function chrome() {
    setupMenu();
    languageSwitch();
    if (!T.open) return;
    if (T.mode === "review") reviewNote();
    var exit = doc.querySelector(".exit-button");
    if (exit) {
      exit.hidden = false;
      exit.addEventListener("click", function () {
        terminate();
        exit.hidden = true;
        var main = doc.querySelector("main"), h = doc.createElement("h1"), r = evaluate();
        main.textContent = "";
        h.setAttribute("tabindex", "-1");
        h.textContent = UI.exit_done;
        main.appendChild(h);
        if (r.finished) { var p = doc.createElement("p"); p.textContent = UI.course_complete; main.appendChild(p); }
        h.focus();
      });
    }
  }

  function start() {
    root.classList.add("js");
    var here = doc.body.getAttribute("data-page") || "index", restored = null, resumeTo = "";
    if (T.start()) {
      var saved = decodeState(T.saved);
      var local = T.entry === "resume" ? loadLocal() : null, localState = local && decodeState(local.s);
      if (localState && (!saved || localState.seq > saved.seq)) { restored = localState; resumeTo = local.l; }
      else if (saved) { restored = saved; resumeTo = T.savedLocation; }
      window.addEventListener("pagehide", terminate);
      window.addEventListener("beforeunload", terminate);
      doc.addEventListener("visibilitychange", function () { if (doc.visibilityState === "hidden" && T.open) report(false); });
      setInterval(function () { if (T.open) report(false); }, 120000);
    } else {
      var stored = loadLocal();
      restored = stored && decodeState(stored.s);
      resumeTo = stored ? stored.l : "";
    }
    if (restored) { S = restored; S.location = resumeAt = resumeTo || ""; }
    if (LANGS && pageIndex(here) < 0) { // the picker: reopen the language last used, or let the learner pick
      var known = LANGS.some(function (l) { return l.code === S.lang; });
      if (known) switchLanguage(S.lang, pageIndex(resumeTo) >= 0 ? resumeTo : PAGES[0].id);
      else { S.lang = ""; if (T.open && T.mode === "review") reviewNote(); }
      return;
    }
    chrome();
    if (T.open && resumeTo && resumeTo !== here && pageIndex(resumeTo) >= 0) {
      try { history.replaceState({ page: here }, ""); } catch (e) { /* sandboxed */ }
      S.visited[pageIndex(here)] = true;
      go(resumeTo);
      return;
    }
    try { history.replaceState({ page: here }, ""); } catch (e) { /* sandboxed */ }
    showPage(here, location.hash, true);
  }

  try { start(); } catch (e) { warn("start-up problem:", e && e.message); }
