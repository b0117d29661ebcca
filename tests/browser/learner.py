"""What a learner does in the browser tests, using only the accessible names of controls."""
from __future__ import annotations

from typing import Any

# Answers to the final test of tests/courses/all-question-types, by question id.
RIGHT = {"single": "Green", "multiple": ["Blue", "Green"], "truefalse": "True", "fillin": "four",
         "matching": {"one": "1", "two": "2", "three": "3"},
         "ordering": {"one": "1", "two": "2", "three": "3", "four": "4"}, "numeric": "3.5"}
# Right on single, true-false and numeric (weight 3 of 8): 37.5 %.
MIXED = {"single": "Green", "multiple": ["Blue"], "truefalse": "True", "fillin": "five",
         "matching": {"one": "2", "two": "1", "three": "3"},
         "ordering": {"one": "2", "two": "1", "three": "3", "four": "4"}, "numeric": "3.61"}


def question(frame: Any, number: int) -> Any:
    """The fieldset (role group) of question *number* of the page's quiz."""
    return frame.get_by_role("group", name=f"Question {number} of", exact=False, include_hidden=True)


_INDEX = "fs => [...fs.closest('form').querySelectorAll('fieldset.question')].indexOf(fs)"
_SHOWN = "form => [...form.querySelectorAll('fieldset.question')].findIndex(f => !f.hidden)"


def show_question(group: Any) -> None:
    """Bring question *group* into view in a one-question-at-a-time quiz, as a learner does:
    with Next and Back, or from the review page with its Change button."""
    form = group.locator("xpath=ancestor::form[1]")
    target = group.evaluate(_INDEX)
    while not group.is_visible() and form.locator(".quiz-steps").is_visible():
        shown = form.evaluate(_SHOWN)
        if shown < 0:
            form.get_by_role("button", name=f"Change the answer to question {target + 1}", exact=True).click()
        elif shown < target:
            form.get_by_role("button", name="Next question", exact=True).click()
        else:
            form.get_by_role("button", name="Back", exact=True).click()


def to_review(form: Any) -> None:
    """In a one-question-at-a-time quiz, go on with Next to the review page."""
    while form.locator(".quiz-steps").is_visible() and not form.locator(".quiz-review-page").is_visible():
        last = form.get_by_role("button", name="Review answers", exact=True)
        (last if last.is_visible() else form.get_by_role("button", name="Next question", exact=True)).click()


def answer_final(frame: Any, answers: dict[str, Any], only: tuple[str, ...] | None = None) -> None:
    """Answer the final test of the all-question-types course like a screen-reader user."""
    order = ["single", "multiple", "truefalse", "fillin", "matching", "ordering", "numeric"]
    for number, qid in enumerate(order, start=1):
        if only is not None and qid not in only:
            continue
        group, value = question(frame, number), answers[qid]
        show_question(group)
        if qid in ("single", "truefalse"):
            group.get_by_role("radio", name=value, exact=True).check()
        elif qid == "multiple":
            for box in ("Blue", "Seven", "Green"):
                group.get_by_role("checkbox", name=box, exact=True).set_checked(box in value)
        elif qid == "fillin":
            group.get_by_role("textbox", name="Your answer", exact=True).fill(value)
        elif qid == "numeric":
            group.get_by_role("textbox", name="Your answer (a number)").fill(value)
        elif qid == "matching":
            for prompt, match in value.items():
                tap_pair(group, prompt, match)
        elif qid == "ordering":
            order_by_buttons(group, value)


def tap_pair(group: Any, prompt: str, match: str) -> None:
    """Matching by tap-to-pair: the item's button, then its match's button."""
    group.get_by_role("button", name=prompt, exact=True).click()
    group.get_by_role("button", name=match, exact=True).click()


def shown_order(group: Any) -> list[str]:
    """The items of an ordering question in the order its list shows them."""
    return [str(t).strip() for t in group.locator(".order-list .order-text").all_inner_texts()]


def order_by_buttons(group: Any, positions: dict[str, str], keyboard: bool = False) -> None:
    """Ordering with the Move up buttons (clicked, or with *keyboard* focused and pressed
    with Enter): each item in turn is moved up to its position (``{item: "1", ...}``)."""
    wanted = sorted(positions, key=lambda item: int(positions[item]))
    for place, item in enumerate(wanted):
        while shown_order(group).index(item) > place:
            button = group.get_by_role("button", name=f"Move up: {item}", exact=True)
            if keyboard:
                button.focus()
                button.press("Enter")
            else:
                button.click()
    if group.get_by_role("button", name="Keep this order").is_visible():
        group.get_by_role("button", name="Keep this order").click()


def use_dropdowns(frame: Any) -> None:
    """Show the no-script drop-downs of matching and ordering questions again (the widgets
    set them; with them shown the learner answers exactly as before the widgets existed)."""
    frame.evaluate("() => document.querySelectorAll('fieldset .rows').forEach(r => { r.hidden = false; })")


def answer_with_dropdowns(group: Any, qid: str, value: dict[str, str]) -> None:
    """Answer a matching or ordering question of the final test with its drop-downs."""
    for key, label in value.items():
        name = f"Match for: {key}" if qid == "matching" else f"Position of: {key}"
        group.get_by_role("combobox", name=name, exact=True).select_option(label=label)


def submit(frame: Any) -> str:
    """Press "Check answers" (from the review page in a one-at-a-time quiz) and return the
    text of the results view."""
    to_review(frame.locator("form.quiz"))
    frame.get_by_role("button", name="Check answers").click()
    results = frame.get_by_role("region", name="Your result")
    results.wait_for(state="visible")
    return str(results.inner_text())


def go_next(session: Any, page_id: str) -> None:
    """Follow the "Next" link and wait for page *page_id* with focus on its heading."""
    session.frame.get_by_role("link", name="Next", exact=True).click()
    session.wait_page(page_id)


def interactions(cmi: dict[str, Any]) -> list[dict[str, Any]]:
    """The recorded interactions, in order."""
    found = cmi.get("interactions") or {}
    return [found[key] for key in sorted(found, key=int)]


def answer_from_payload(frame: Any, right: bool = True) -> int:
    """Answer every question of the page's quiz from its payload (all right, or all wrong
    where possible); return the number of questions."""
    import json
    payload = json.loads(frame.locator("script.quiz-data").text_content())
    for q in payload["questions"]:
        group = frame.locator(f'fieldset[data-question="{q["id"]}"]')
        show_question(group)
        kind = q["type"]
        if kind in ("single", "multiple"):
            ids = list(q["choices"])
            chosen = q["correct"] if right else [c for c in ids if c not in q["correct"]][:1]
            for cid in ids:
                box = group.locator(f'input[value="{cid}"]')
                if kind == "multiple":
                    box.set_checked(cid in chosen)
                elif cid in chosen:
                    box.check()
        elif kind == "true-false":
            group.locator(f'input[value="{str(q["correct"] == right).lower()}"]').check()
        elif kind == "fill-in":
            group.locator("input").fill(q["answers"][0] if right else "zzz")
        elif kind == "numeric":
            group.locator("input").fill(str(q["value"] if right else q["value"] + q["tolerance"] + 1000))
        elif kind in ("matching", "ordering"):
            group.evaluate("fs => fs.querySelector('.rows').hidden = false")  # the drop-downs
            if kind == "matching":
                matches = [m for _, m in q["pairs"]]
                for n, (pid, mid) in enumerate(q["pairs"]):
                    group.locator(f'select[data-pair="{pid}"]').select_option(
                        mid if right else matches[(n + 1) % len(matches)])
            else:
                count = len(q["order"])
                for n, iid in enumerate(q["order"]):
                    group.locator(f'select[data-item="{iid}"]').select_option(
                        str(n + 1) if right else str(count - n))
    return len(payload["questions"])


def take_final(session: Any, package: Any, version: str, name: str, answers: dict[str, Any],
               **launch: Any) -> str:
    """Launch the all-question-types course in the test LMS, go through every page with
    "Next", answer the final test and check it; return the results text."""
    from tests.browser.conftest import page_ids
    session.launch(package, version, name, **launch)
    for page_id in page_ids(package)[1:]:
        go_next(session, page_id)
    answer_final(session.frame, answers)
    return submit(session.frame)
