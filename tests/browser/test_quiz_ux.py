"""The quiz experience in Chromium under scorm-again: one question at a time, tap-to-pair
matching, drag ordering (mouse, touch, keyboard), the one results panel; axe-core on each
quiz state at 320 and 1280 px; reference screenshots of a question, the review page and
the results panel.

What the LMS stores is the measure: the same answers given through the new controls (or one
question at a time) must leave exactly the same score, status and interactions as the form
with every question and the no-script drop-downs.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ALL_TYPES, VERSIONS, Session, build_and_unzip, page_ids
from tests.browser.learner import (MIXED, RIGHT, answer_final, answer_with_dropdowns, go_next, interactions,
                                   order_by_buttons, question, shown_order, submit, tap_pair, to_review,
                                   use_dropdowns)
from tests.browser.test_accessibility import run_axe
from tests.browser.test_lms import status
from tests.screenshot_helpers import assert_screenshot

# a partial matching (two left out) and a wrong order: what was given must be reported as given
PAIRS = {"one": "2", "three": "3"}
ORDER = {"two": "1", "one": "2", "four": "3", "three": "4"}
EXPECTED = {"1.2": ("1.b,3.c", "b,a,d,c"), "2004": ("p1[.]m2[,]p3[.]m3", "i2[,]i1[,]i4[,]i3")}


@pytest.fixture(scope="session")
def stepped_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The all-question-types course with its final test shown one question at a time."""
    work = tmp_path_factory.mktemp("stepped")
    course = shutil.copytree(ALL_TYPES, work / "all-question-types")
    final = course / "quizzes" / "final.yml"
    final.write_text(final.read_text(encoding="utf-8").replace("questions:", "display: one-at-a-time\nquestions:", 1),
                     encoding="utf-8")
    return build_and_unzip(course, work / "out")


def stored(session: Session, version: str) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Status and score, and the interactions without their clock values (time, latency)."""
    cmi = session.snapshot()["cmi"]
    clock = {"time", "timestamp", "latency"}
    return status(cmi, version), [{k: v for k, v in i.items() if k not in clock} for i in interactions(cmi)]


def to_final(session: Session, package: Path, version: str, name: str) -> Any:
    """Launch *package* in the test LMS and go with Next to its final test."""
    session.launch(package, version, name)
    for page_id in page_ids(package)[1:]:
        go_next(session, page_id)
    return session.frame


@pytest.mark.parametrize("version", VERSIONS)
def test_one_at_a_time_stores_what_the_whole_form_stores(
        session: Session, quiz_packages: dict[str, Path], stepped_packages: dict[str, Path], version: str) -> None:
    given = ("single", "multiple", "truefalse", "matching", "ordering", "numeric")  # the fill-in left out
    records = []
    for layout, packages in (("all", quiz_packages), ("stepped", stepped_packages)):
        frame = to_final(session, packages[version], version, f"{layout}-{version}")
        answer_final(frame, MIXED, only=given)
        if layout == "stepped":
            to_review(frame.locator("form.quiz"))
            review = frame.get_by_role("region", name="Review your answers")
            assert frame.evaluate("document.activeElement.textContent") == "Review your answers"
            answers = review.locator(".review-answer").all_inner_texts()
            assert answers[3] == "Not answered." and answers[4] == "one → 2; two → 1; three → 3"
            assert answers[5] == "1. two; 2. one; 3. three; 4. four"
        text = submit(frame)
        assert "Your score: 25%" in text and "Not passed." in text and text.count("Your score") == 1
        assert "Question 4: Not answered." in text and "Question 1: Correct." in text
        records.append(stored(session, version))
    assert records[0] == records[1]
    assert records[0][0]["raw"] == "25" and len(records[0][1]) == 6
    assert session.failed_calls() == []


def test_stepping_focus_announcements_and_enter(session: Session, stepped_packages: dict[str, Path]) -> None:
    frame = to_final(session, stepped_packages["2004"], "2004", "steps")
    form = frame.locator("form.quiz")
    assert [f.is_visible() for f in form.locator("fieldset.question").all()] == [True] + [False] * 6
    assert not form.get_by_role("button", name="Back").is_visible()
    form.get_by_role("button", name="Next question").click()
    assert frame.evaluate("document.activeElement.dataset.question") == "multiple"
    assert frame.locator(".quiz-live").inner_text() == "Question 2 of 7"
    for _ in range(2):
        form.get_by_role("button", name="Next question").click()
    box = question(frame, 4).get_by_role("textbox", name="Your answer", exact=True)
    box.fill("four")
    box.press("Enter")  # Enter in a text box goes on: it does not check the whole quiz
    assert frame.evaluate("document.activeElement.dataset.question") == "matching"
    assert frame.locator(".quiz-results").is_hidden()
    form.get_by_role("button", name="Back").click()
    assert frame.evaluate("document.activeElement.dataset.question") == "fillin"
    to_review(form)
    form.get_by_role("button", name="Change the answer to question 1").click()
    assert frame.evaluate("document.activeElement.dataset.question") == "single"
    question(frame, 1).get_by_role("radio", name="Green").check()
    text = submit(frame)
    assert "Your score: 25%" in text  # single and fill-in right: 2 of 8
    # after checking, every question shows with its feedback below the one panel
    assert all(f.is_visible() for f in form.locator("fieldset.question").all())
    assert frame.get_by_role("button", name="Try again").is_visible()
    frame.get_by_role("button", name="Try again").click()
    assert frame.evaluate("document.activeElement.dataset.question") == "single"
    assert not form.locator("fieldset.question").nth(1).is_visible()


def test_without_scripts_the_whole_form_and_the_drop_downs_show(browser: Any, server: Any,
                                                                stepped_packages: dict[str, Path]) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(server.mount("noscript", stepped_packages["1.2"]) + "assessment.html")
        assert all(f.is_visible() for f in page.locator("fieldset.question").all())
        assert page.get_by_role("combobox", name="Match for: two").is_visible()
        assert page.get_by_role("combobox", name="Position of: three").is_visible()
        assert page.get_by_role("button", name="Check answers").is_visible()
        assert not page.locator(".pairing, .order-list, .quiz-steps").count()
    finally:
        context.close()


def drag_order(session: Session, group: Any, positions: dict[str, str], touch: bool = False) -> None:
    """Drag each item of an ordering question to its place: with the mouse (the item) or a
    finger (the item's handle, through Chromium's touch input)."""
    wanted = sorted(positions, key=lambda item: int(positions[item]))
    cdp = None
    if touch:
        cdp = session.page.context.new_cdp_session(session.page)
        cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    for place, item in enumerate(wanted):
        if shown_order(group).index(item) == place:
            continue
        rows = group.locator(".order-list li")
        group.locator(".order-list").scroll_into_view_if_needed()  # the pointer acts in the viewport
        grab = rows.nth(shown_order(group).index(item))
        source = (grab.locator(".order-handle") if touch else grab.locator(".order-text")).bounding_box()
        target = rows.nth(place).bounding_box()
        x0, y0 = source["x"] + source["width"] / 2, source["y"] + source["height"] / 2
        x1, y1 = x0, target["y"] + target["height"] * 0.2  # the upper part: drop before it
        if cdp is None:
            session.page.mouse.move(x0, y0)
            session.page.mouse.down()
            session.page.mouse.move(x1, y1, steps=8)
            session.page.mouse.up()
        else:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
            for step in range(1, 9):
                y = y0 + (y1 - y0) * step / 8
                cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x1, "y": y}]})
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert shown_order(group) == wanted


def keyboard_pair(group: Any, prompt: str, match: str) -> None:
    """Tap-to-pair with the keyboard: focus each button and press Space."""
    for name in (prompt, match):
        button = group.get_by_role("button", name=name, exact=True)
        button.focus()
        button.press("Space")


@pytest.mark.parametrize("version", VERSIONS)
def test_tap_drag_and_keyboard_report_what_the_drop_downs_report(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    found = {}
    for way in ("dropdowns", "mouse", "touch", "keyboard"):
        frame = to_final(session, quiz_packages[version], version, f"{way}-{version}")
        matching, ordering = question(frame, 5), question(frame, 6)
        if way == "dropdowns":
            use_dropdowns(frame)
            answer_with_dropdowns(matching, "matching", PAIRS)
            answer_with_dropdowns(ordering, "ordering", ORDER)
        else:
            for prompt, match in PAIRS.items():
                (keyboard_pair if way == "keyboard" else tap_pair)(matching, prompt, match)
            if way == "keyboard":
                order_by_buttons(ordering, ORDER, keyboard=True)
            else:
                drag_order(session, ordering, ORDER, touch=way == "touch")
        if way == "mouse":  # a pair can be undone, and made again
            matching.get_by_role("button", name="Undo the pair three and 3").click()
            assert frame.locator(".quiz-live").inner_text() == "Pair removed: three."
            tap_pair(matching, "3", "three")  # the match first, then its item
        submit(frame)
        found[way] = stored(session, version)[1]
    response = "student_response" if version == "1.2" else "learner_response"
    assert [i[response] for i in found["dropdowns"]] == list(EXPECTED[version])
    for way in ("mouse", "touch", "keyboard"):
        assert found[way] == found["dropdowns"], way
    assert session.failed_calls() == []


def quiz_states(page: Any) -> Any:
    """Walk a one-at-a-time final test through its states; yield each state's name."""
    form = page.locator("form.quiz")
    yield "question-1"
    for _ in range(4):
        form.get_by_role("button", name="Next question").click()
    tap_pair(question(page, 5), "one", "1")
    question(page, 5).get_by_role("button", name="two", exact=True).click()  # waiting for its partner
    yield "question-matching"
    form.get_by_role("button", name="Next question").click()
    order_by_buttons(question(page, 6), RIGHT["ordering"])
    yield "question-ordering"
    to_review(form)
    yield "review"
    submit(page)
    yield "result"


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_on_every_quiz_state(session: Session, stepped_packages: dict[str, Path],
                                 quiz_packages: dict[str, Path], width: int) -> None:
    session.page.set_viewport_size({"width": width, "height": 800})
    page = session.open_standalone(stepped_packages["2004"], f"axe-steps-{width}", "assessment.html")
    problems = {state: run_axe(page) for state in quiz_states(page)}
    intro = session.open_standalone(quiz_packages["2004"], f"axe-check-{width}", "intro.html")
    intro.get_by_role("radio", name="Blue").check()
    problems["ungraded-result"] = run_axe(intro) if "1 of 1 correct" in submit(intro) else ["no count"]
    assert {state: found for state, found in problems.items() if found} == {}


def test_results_panel_is_one_whole_percent_and_ungraded_has_no_verdict(
        session: Session, quiz_packages: dict[str, Path]) -> None:
    page = session.open_standalone(quiz_packages["2004"], "panel", "assessment.html")
    answer_final(page, RIGHT, only=("single", "multiple", "truefalse", "fillin", "matching", "numeric"))
    text = submit(page)  # 7 of 8: 87.5 is shown as the LMS gets it, 88
    assert "Your score: 88%" in text and "Passed." in text and "87.5" not in text
    assert page.locator(".quiz-status").inner_text() == "Some questions have no answer: 6. They count as incorrect."
    assert page.locator(".quiz-results").get_attribute("class") == "quiz-results is-passed"
    check = session.open_standalone(quiz_packages["2004"], "panel", "intro.html")
    check.get_by_role("radio", name="Green").check()
    text = submit(check)
    assert "0 of 1 correct" in text and "Question 1: Incorrect." in text
    assert "passed" not in text.lower() and "score" not in text.lower()
    assert check.locator(".quiz-results").get_attribute("class") == "quiz-results is-neutral"


@pytest.mark.parametrize("width", [1280, 320])
def test_screenshots_of_a_question_the_review_and_the_results(
        session: Session, stepped_packages: dict[str, Path], width: int) -> None:
    session.page.set_viewport_size({"width": width, "height": 800})
    page = session.open_standalone(stepped_packages["2004"], f"shots-{width}", "assessment.html")
    block = page.locator("section.quiz-block")
    for state in quiz_states(page):
        if state in ("question-matching", "question-ordering", "review", "result"):
            page.mouse.move(0, 0)  # no hover state in the picture
            assert_screenshot(page, f"quiz-{state}-{width}", locator=block)
