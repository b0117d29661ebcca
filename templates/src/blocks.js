  /* ---- interactive blocks: accordion, tabs, steps, card, hotspots ----
     builder/interactive.py writes HTML that works without a script (details, every panel
     under its heading, an ordered list, a card with its back, a picture with its list);
     this part makes it interactive. Bundled with quiz-ui.js into assets/widgets.js (loaded
     by the core on pages that have a quiz or a block): it uses the core's helpers ($$, fmt,
     doc) that the core passes in, and only declares functions.
     setupBlocks(onDone, done) sets up the blocks of <main> and returns how many required
     blocks (data-required) are still to be opened in full; onDone() runs when the last one
     is. done: the page was completed before (the blocks start as done). */
  function setupBlocks(onDone, done) {
    var left = 0, note = null, pager = doc.querySelector("main .pager");
    $$("main [data-block]").forEach(function (b) {
      if (b.getAttribute("data-ready")) return;
      b.setAttribute("data-ready", "1");
      var kind = b.getAttribute("data-block"), seen = {}, total, st = null, required = b.hasAttribute("data-required");
      var lbl = function (k) { return b.getAttribute("data-label-" + k) || ""; };
      function visit(k) {
        if (seen[k]) return;
        seen[k] = 1;
        if (st) status();
      }
      function status() {
        var n = Object.keys(seen).length, complete = n >= total;
        st.textContent = complete ? lbl("done") : lbl("required") + " " + fmt(lbl("remaining"), { n: n, total: total });
        st.classList.toggle("is-done", complete);
        if (complete && !b.hasAttribute("data-done")) {
          b.setAttribute("data-done", "true");
          if (--left === 0 && !done) { if (note) note.remove(); onDone(); }
        }
      }
      if (required) {
        st = doc.createElement("p");
        st.className = "block-status";
        var title = b.querySelector(":scope > .block-title");
        b.insertBefore(st, title ? title.nextSibling : b.firstChild);
        left++;
        if (!note && pager && !done) {
          note = doc.createElement("p");
          note.className = "notice blocks-pending";
          note.setAttribute("role", "status");
          note.textContent = lbl("pending");
          pager.parentNode.insertBefore(note, pager);
        }
      }
      total = BLOCKS[kind] ? BLOCKS[kind](b, visit, lbl) : 0;
      if (st) { if (done) for (var k = 0; k < total; k++) seen[k] = 1; status(); }
    });
    if (!blocksPrint) {
      blocksPrint = [];
      window.addEventListener("beforeprint", function () { // paper shows every part
        blocksPrint = $$("main details:not([open])");
        blocksPrint.forEach(function (d) { d.open = true; });
      });
      window.addEventListener("afterprint", function () { blocksPrint.forEach(function (d) { d.open = false; }); });
      window.addEventListener("hashchange", function () {
        var el = location.hash && doc.getElementById(decodeURIComponent(location.hash.slice(1)));
        if (el && revealInBlocks(el)) el.scrollIntoView();
      });
    }
    return left;
  }
  var blocksPrint = null;

  /* A link to something inside a closed item, another tab or step, or a card's back opens
     that part first (section links may name a heading inside a block). */
  function revealInBlocks(el) {
    var shown = false;
    for (var p = el; p && p !== doc.body; p = p.parentElement) {
      if (p.tagName === "DETAILS" && !p.open) p.open = shown = true;
      else if (!p.hidden) continue;
      else if (p.getAttribute("role") === "tabpanel") doc.getElementById(p.getAttribute("aria-labelledby")).click();
      else if (p.showStep) p.showStep();
      else if (p.classList.contains("card-back")) p.parentNode.querySelector(".card-toggle").click();
      else continue;
      shown = true;
    }
    return shown;
  }

  function button(cls, text) {
    var el = doc.createElement("button");
    el.type = "button";
    el.className = cls;
    if (text) el.textContent = text;
    return el;
  }
  function moveInto(from, to) { while (from.firstChild) to.appendChild(from.firstChild); return to; }

  var BLOCKS = {
    accordion: function (b, visit) {
      var items = $$(":scope > details", b);
      items.forEach(function (d, k) { d.addEventListener("toggle", function () { if (d.open) visit(k); }); });
      return items.length;
    },
    /* WAI-ARIA tabs: one tab in the Tab order, arrows move and select, Home/End. */
    tabs: function (b, visit) {
      var panels = $$(":scope > .tab-panel", b), list = doc.createElement("div"), title = b.querySelector(":scope > .block-title");
      list.className = "tab-list";
      list.setAttribute("role", "tablist");
      if (title) list.setAttribute("aria-labelledby", title.id);
      var tabs = panels.map(function (p, k) {
        var h = p.querySelector(":scope > h2, :scope > h3, :scope > h4"), t = button("tab");
        t.id = p.id + "-tab";
        t.setAttribute("role", "tab");
        t.setAttribute("aria-controls", p.id);
        if (h) { moveInto(h.cloneNode(true), t); h.classList.add("tab-heading"); }
        p.setAttribute("role", "tabpanel");
        p.setAttribute("aria-labelledby", t.id);
        p.tabIndex = 0;
        t.addEventListener("click", function () { select(k); });
        list.appendChild(t);
        return t;
      });
      function select(k, focus) {
        tabs.forEach(function (t, j) {
          t.setAttribute("aria-selected", String(j === k));
          t.tabIndex = j === k ? 0 : -1;
          panels[j].hidden = j !== k;
        });
        if (focus) tabs[k].focus();
        visit(k);
      }
      list.addEventListener("keydown", function (e) {
        var k = tabs.indexOf(doc.activeElement), n = tabs.length, step = getComputedStyle(list).direction === "rtl" ? -1 : 1;
        var to = { ArrowRight: k + step, ArrowLeft: k - step, Home: 0, End: n - 1 }[e.key];
        if (k < 0 || to === undefined) return;
        e.preventDefault();
        select((to + n) % n, true);
      });
      b.insertBefore(list, panels[0]);
      b.classList.add("is-tabbed");
      select(0);
      return tabs.length;
    },
    /* One step at a time, "Step 2 of 5" announced; the list is what shows without a script. */
    steps: function (b, visit, lbl) {
      var items = $$(":scope > .steps-list > .step", b), n = items.length, at = 0;
      var nav = doc.createElement("div"), prev = button("button", lbl("previous")), next = button("button button-primary", lbl("next"));
      var count = doc.createElement("p");
      nav.className = "steps-nav";
      count.className = "steps-count";
      count.setAttribute("aria-live", "polite");
      nav.appendChild(prev); nav.appendChild(count); nav.appendChild(next);
      function show(k) {
        var had = doc.activeElement;
        at = k;
        items.forEach(function (s, j) { s.hidden = j !== k; });
        count.textContent = fmt(lbl("count"), { n: k + 1, total: n });
        prev.disabled = k === 0;
        next.disabled = k === n - 1;
        if (had && had.disabled) (had === next ? prev : next).focus(); // focus never falls to the page
        visit(k);
      }
      items.forEach(function (s, j) { s.showStep = function () { show(j); }; });
      prev.addEventListener("click", function () { if (at > 0) show(at - 1); });
      next.addEventListener("click", function () { if (at < n - 1) show(at + 1); });
      b.appendChild(nav);
      b.classList.add("is-stepped");
      show(0);
      return n;
    },
    /* Click to reveal: a button with aria-expanded shows the back under the front. */
    card: function (b, visit, lbl) {
      var front = b.querySelector(":scope > .card-front"), back = b.querySelector(":scope > .card-back");
      var toggle = button("card-toggle"), text = doc.createElement("span"), hint = doc.createElement("span");
      text.className = "card-text";
      hint.className = "card-hint";
      moveInto(front, text);
      toggle.appendChild(text);
      toggle.appendChild(hint);
      toggle.setAttribute("aria-controls", back.id);
      front.appendChild(toggle);
      function set(open) {
        toggle.setAttribute("aria-expanded", String(open));
        back.hidden = !open;
        hint.textContent = lbl(open ? "back" : "hint");
        b.classList.toggle("is-flipped", open);
        if (open) visit(0);
      }
      toggle.addEventListener("click", function () { set(toggle.getAttribute("aria-expanded") !== "true"); });
      set(false);
      return 1;
    },
    /* Numbered markers over the picture; each opens its entry of the list (which stays the
       full, readable source) in a panel under the picture. Escape closes it. */
    hotspots: function (b, visit, lbl) {
      var frame = b.querySelector(".hotspot-image"), items = $$(":scope > .hotspot-list > li", b);
      var pop = doc.createElement("div"), current = -1;
      pop.className = "hotspot-popup";
      pop.id = b.id + "-pop";
      pop.hidden = true;
      var markers = $$(":scope > a.hotspot-marker", frame).map(function (a, k) {
        var m = moveInto(a, button(a.className));
        m.style.cssText = a.getAttribute("style");
        m.setAttribute("aria-expanded", "false");
        m.setAttribute("aria-controls", pop.id);
        m.addEventListener("click", function () { show(current === k ? -1 : k); });
        frame.replaceChild(m, a);
        return m;
      });
      function show(k) {
        current = k;
        markers.forEach(function (m, j) { m.setAttribute("aria-expanded", String(j === k)); });
        items.forEach(function (li, j) { li.classList.toggle("is-active", j === k); });
        pop.hidden = k < 0;
        pop.textContent = "";
        if (k < 0) return;
        var body = doc.createElement("p"), close = button("button", lbl("close"));
        body.appendChild(doc.createTextNode(k + 1 + ". "));
        Array.prototype.forEach.call(items[k].childNodes, function (c) { body.appendChild(c.cloneNode(true)); });
        close.addEventListener("click", function () { show(-1); markers[k].focus(); });
        pop.appendChild(body);
        pop.appendChild(close);
        visit(k);
      }
      b.addEventListener("keydown", function (e) {
        if (e.key !== "Escape" || current < 0) return;
        var m = markers[current];
        show(-1);
        m.focus();
      });
      b.insertBefore(pop, (frame.parentNode === b ? frame : frame.parentNode).nextSibling); // after its scroll region
      return markers.length;
    },
  };

