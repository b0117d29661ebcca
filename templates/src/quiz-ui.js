/* ---- quiz interactions: tap-to-pair matching, drag ordering, one question at a time ----
   Function declarations only: build.js puts this file and blocks.js in assets/widgets.js,
   one function that the core calls with its helpers (doc, $$, fmt, UI, node, say) before it
   shows the first page with a quiz or a block; no launch loads it. The widgets never keep answers of their own: they set the question's
   no-script <select>s (hidden while a widget shows) and send a "change" event, so the core
   reads, stores, scores and reports an answer exactly as from the drop-downs. Q is the
   quiz's own labels (script.quiz-ui); announcements go to a polite live region. */

function btn(cls, text, label) {
  var b = node("button", "button " + cls, text);
  b.type = "button";
  if (label) b.setAttribute("aria-label", label);
  return b;
}
/* The visible text of a select's label (without the screen-reader prefix "Match for:"). */
function labelOf(fs, select) {
  var label = fs.querySelector('label[for="' + select.id + '"]'), name = label ? label.cloneNode(true) : null;
  if (!name) return "";
  $$(".visually-hidden", name).forEach(function (el) { el.remove(); });
  return name.textContent.trim();
}
function choose(select, value) {
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}
function setHint(fs, text) { var h = fs.querySelector(".question-hint"); if (h && text) h.textContent = text; }

/* Matching: select an item (or a match) and then its partner; each pair shows with Undo. */
function pairWidget(fs, form, Q) {
  var selects = $$("select[data-pair]", fs), rows = fs.querySelector(".rows"), pending = null;
  var matches = $$("option", selects[0]).filter(function (o) { return o.value; });
  var box = node("div", "pairing"), items = node("ul", "pair-items"), targets = node("ul", "pair-matches");
  rows.hidden = true;
  setHint(fs, Q.pair_hint);
  box.appendChild(items); box.appendChild(targets);
  rows.parentNode.insertBefore(box, rows);
  function text(value) { var o = matches.filter(function (m) { return m.value === value; })[0]; return o ? o.textContent : ""; }
  function pair(select, value) {
    pending = null;
    choose(select, value);
    render("s" + select.id);
    say(form, fmt(Q.pair_made, { item: labelOf(fs, select), match: text(value) }));
  }
  function render(focusKey) {
    if (selects[0].disabled) pending = null; // checked: nothing waits for a partner
    items.textContent = ""; targets.textContent = "";
    selects.forEach(function (s) {
      var li = node("li", "pair-item" + (s.value ? " is-paired" : "")), name = labelOf(fs, s);
      var b = btn("pair-pick", name);
      b.disabled = s.disabled;
      b.setAttribute("aria-pressed", String(pending === s));
      b.setAttribute("data-key", "s" + s.id);
      b.addEventListener("click", function () {
        if (pending && pending.tagName === "OPTION") return pair(s, pending.value);
        pending = pending === s ? null : s;
        render("s" + s.id);
        if (pending) say(form, fmt(Q.pair_selected, { item: name }));
      });
      li.appendChild(b);
      if (s.value) {
        var shown = li.appendChild(node("span", "pair-match", text(s.value)));
        shown.id = s.id + "-pair";
        b.setAttribute("aria-describedby", shown.id); // "one", described by its match
        var undo = btn("pair-undo", Q.pair_undo, fmt(Q.pair_undo_label, { item: name, match: text(s.value) }));
        undo.disabled = s.disabled;
        undo.addEventListener("click", function () {
          choose(s, "");
          render("s" + s.id);
          say(form, fmt(Q.pair_removed, { item: name }));
        });
        li.appendChild(undo);
      }
      items.appendChild(li);
    });
    matches.forEach(function (m) {
      var li = node("li"), b = btn("pair-pick pair-target", m.textContent);
      b.disabled = selects[0].disabled;
      b.setAttribute("aria-pressed", String(pending === m));
      b.setAttribute("data-key", "m" + m.value);
      b.addEventListener("click", function () {
        if (pending && pending.tagName === "SELECT") return pair(pending, m.value);
        pending = pending === m ? null : m;
        render("m" + m.value);
        if (pending) say(form, fmt(Q.pair_selected, { item: m.textContent }));
      });
      li.appendChild(b);
      targets.appendChild(li);
    });
    var again = focusKey && box.querySelector('[data-key="' + focusKey + '"]');
    if (again) again.focus();
  }
  return function (focusKey) { render(typeof focusKey === "string" ? focusKey : ""); };
}

/* Ordering: a list to drag (mouse, pen or touch on the handle; mouse anywhere on the item),
   with Move up / Move down buttons for the keyboard and screen readers. */
function orderWidget(fs, form, Q) {
  var selects = $$("select[data-item]", fs), rows = fs.querySelector(".rows"), drag = null;
  var list = node("ol", "order-list"), keep = btn("order-keep", Q.order_keep);
  rows.hidden = true;
  setHint(fs, Q.order_hint);
  rows.parentNode.insertBefore(list, rows);
  rows.parentNode.insertBefore(keep, rows);
  function current() { // the answer's order; the shown order for items without a position
    var placed = selects.filter(function (s) { return s.value; }).sort(function (a, b) { return a.value - b.value; });
    return placed.concat(selects.filter(function (s) { return !s.value; }));
  }
  function locked() { return selects[0].disabled; }
  function commit(order, moved, focusCls) {
    order.forEach(function (s, i) { s.value = String(i + 1); });
    choose(moved || order[0], (moved || order[0]).value);
    render();
    if (moved) say(form, fmt(UI.position_moved, { item: labelOf(fs, moved), n: moved.value }));
    var li = moved && list.querySelector('[data-item="' + moved.getAttribute("data-item") + '"]');
    if (li && focusCls) {
      var b = li.querySelector("." + focusCls);
      (b.disabled ? li.querySelector(focusCls === "order-up" ? ".order-down" : ".order-up") : b).focus();
    }
  }
  function move(s, by, cls) {
    var order = current(), i = order.indexOf(s), j = i + by;
    if (j < 0 || j >= order.length || locked()) return;
    order.splice(i, 1); order.splice(j, 0, s);
    commit(order, s, cls);
  }
  function render() {
    var order = current();
    list.textContent = "";
    order.forEach(function (s, i) {
      var li = node("li", "order-item"), name = labelOf(fs, s);
      li.setAttribute("data-item", s.getAttribute("data-item"));
      var handle = node("span", "order-handle");
      handle.setAttribute("aria-hidden", "true");
      li.appendChild(handle);
      li.appendChild(node("span", "order-text", name));
      var up = btn("order-up", "", fmt(Q.move_up, { item: name })), down = btn("order-down", "", fmt(Q.move_down, { item: name }));
      up.disabled = !i || locked(); down.disabled = i === order.length - 1 || locked();
      up.addEventListener("click", function () { move(s, -1, "order-up"); });
      down.addEventListener("click", function () { move(s, 1, "order-down"); });
      li.appendChild(up); li.appendChild(down);
      list.appendChild(li);
    });
    keep.hidden = selects.every(function (s) { return s.value; }) || locked();
  }
  keep.addEventListener("click", function () {
    commit(current(), null);
    say(form, Q.order_kept);
    var first = list.querySelector("button:not([disabled])");
    if (first) first.focus();
  });
  list.addEventListener("pointerdown", function (e) {
    var li = e.target.closest("li");
    if (!li || locked() || e.target.closest("button") || (e.pointerType !== "mouse" && !e.target.closest(".order-handle"))) return;
    e.preventDefault();
    drag = li;
    li.classList.add("is-dragging");
    try { li.setPointerCapture(e.pointerId); } catch (err) { /* released already */ }
  });
  list.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var before = $$("li", list).filter(function (li) {
      var r = li.getBoundingClientRect();
      return li !== drag && e.clientY < r.top + r.height / 2;
    })[0];
    if (before !== drag.nextSibling) list.insertBefore(drag, before || null);
  });
  function drop() {
    if (!drag) return;
    var id = drag.getAttribute("data-item");
    drag.classList.remove("is-dragging");
    drag = null;
    var order = $$("li", list).map(function (li) { return fs.querySelector('select[data-item="' + li.getAttribute("data-item") + '"]'); });
    var moved = fs.querySelector('select[data-item="' + id + '"]');
    if (order.some(function (s, i) { return s.value !== String(i + 1); })) commit(order, moved); else render();
  }
  list.addEventListener("pointerup", drop);
  list.addEventListener("pointercancel", drop);
  return render;
}

/* The learner's answer to question fs as text, for the review page. */
function answerText(fs) {
  var parts = $$("input:checked", fs).map(function (i) { return labelOf(fs, i); });
  var text = fs.querySelector("input[type=text]");
  if (text && text.value.trim()) parts = [text.value.trim()];
  var chosen = $$("select", fs).filter(function (s) { return s.value; });
  if (chosen.length && chosen[0].hasAttribute("data-pair")) {
    parts = chosen.map(function (s) { return labelOf(fs, s) + " → " + s.options[s.selectedIndex].textContent; });
  } else if (chosen.length) {
    parts = chosen.sort(function (a, b) { return a.value - b.value; }).map(function (s) { return s.value + ". " + labelOf(fs, s); });
  }
  return parts.length ? parts.join("; ") : "";
}

/* One question at a time: progress, Back / Next, then a review page with the submit button.
   Returns {show(i, focus), off()}; off() shows every question (after checking, review mode). */
function stepper(form, Q, level) {
  var actions = form.querySelector(".quiz-actions"), at = 0;
  var bar = node("div", "quiz-stepbar"), fill = node("span");
  var nav = node("div", "quiz-steps"), back = btn("step-back", Q.step_back), next = btn("button-primary step-next", "");
  var page = node("section", "quiz-review-page"), title = node("h" + Math.min(level + 1, 6), "", Q.review_title);
  var list = node("ol", "review-list");
  bar.setAttribute("aria-hidden", "true");
  bar.appendChild(fill);
  title.id = form.id + "-review";
  title.tabIndex = -1;
  page.setAttribute("aria-labelledby", title.id);
  page.appendChild(title); page.appendChild(node("p", "", Q.review_intro)); page.appendChild(list);
  nav.appendChild(back); nav.appendChild(next);
  form.insertBefore(bar, form.firstChild);
  form.insertBefore(page, actions);
  form.insertBefore(nav, actions);
  function fields() { return $$("fieldset.question", form); }
  function show(i, focus) {
    var all = fields();
    at = Math.max(0, Math.min(i, all.length - 1));
    all.forEach(function (f, k) { f.hidden = k !== at; });
    page.hidden = true; actions.hidden = true; nav.hidden = false; bar.hidden = false;
    back.hidden = !at; next.hidden = false;
    next.textContent = at === all.length - 1 ? Q.step_review : Q.step_next;
    fill.style.width = Math.round((at + 1) / all.length * 100) + "%";
    if (focus) {
      all[at].tabIndex = -1;
      all[at].focus();
      say(form, fmt(UI.question, { n: at + 1, total: all.length }));
    }
  }
  function review() {
    var all = fields();
    at = all.length;
    list.textContent = "";
    all.forEach(function (f, k) {
      var li = node("li"), given = answerText(f), prompt = f.querySelector(".question-prompt");
      li.appendChild(node("p", "review-question", fmt(Q.question_n, { n: k + 1 }) + ": " + (prompt ? prompt.textContent.trim() : "")));
      li.appendChild(node("p", "review-answer" + (given ? "" : " is-missing"), given || UI.not_answered));
      var change = btn("review-change", Q.review_change, fmt(Q.review_change_label, { n: k + 1 }));
      change.addEventListener("click", function () { show(k, true); });
      li.appendChild(change);
      list.appendChild(li);
      f.hidden = true;
    });
    page.hidden = false; actions.hidden = false; nav.hidden = false; bar.hidden = false;
    back.hidden = false; next.hidden = true;
    fill.style.width = "100%";
    title.focus();
    say(form, Q.review_title);
  }
  function forward() { if (at >= fields().length - 1) review(); else show(at + 1, true); }
  back.addEventListener("click", function () { show(at - 1, true); });
  next.addEventListener("click", forward);
  return {
    show: show, next: forward,
    asking: function () { return !nav.hidden && at < fields().length; },
    off: function () {
      fields().forEach(function (f) { f.hidden = false; });
      page.hidden = true; nav.hidden = true; bar.hidden = true; actions.hidden = false;
    }
  };
}
