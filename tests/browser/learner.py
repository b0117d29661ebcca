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
    return frame.get_by_role("group", name=f"Question {number} of", exact=False)


def answer_final(frame: Any, answers: dict[str, Any], only: tuple[str, ...] | None = None) -> None:
    """Answer the final test of the all-question-types course like a screen-reader user."""
    order = ["single", "multiple", "truefalse", "fillin", "matching", "ordering", "numeric"]
    for number, qid in enumerate(order, start=1):
        if only is not None and qid not in only:
            continue
        group, value = question(frame, number), answers[qid]
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
                group.get_by_role("combobox", name=f"Match for: {prompt}", exact=True).select_option(label=match)
        elif qid == "ordering":
            for item, position in value.items():
                group.get_by_role("combobox", name=f"Position of: {item}", exact=True).select_option(label=position)


def submit(frame: Any) -> str:
    """Press "Check answers" and return the text of the results view."""
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
        elif kind == "matching":
            matches = [m for _, m in q["pairs"]]
            for n, (pid, mid) in enumerate(q["pairs"]):
                group.locator(f'select[data-pair="{pid}"]').select_option(
                    mid if right else matches[(n + 1) % len(matches)])
        elif kind == "ordering":
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
