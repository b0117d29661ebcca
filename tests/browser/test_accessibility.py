"""Accessibility of the default theme on the example course: axe-core, 320 px, keyboard only."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Session, axe_source, page_ids
from tests.browser.learner import RIGHT, question, to_review

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (npm) in *page*; return its violations, each with the failing nodes."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"]]}
            for v in result["violations"]]


def open_quizzes(page: Any) -> None:
    """Submit every quiz of the page unanswered, so that feedback and results are shown too
    (a one-question-at-a-time quiz from its review page)."""
    for form in page.locator("form.quiz").all():
        to_review(form)
        form.get_by_role("button", name="Check answers").click()


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_no_violation_on_any_page(session: Session, example_packages: dict[str, Path], width: int) -> None:
    session.page.set_viewport_size({"width": width, "height": 800})
    package = example_packages["2004"]
    problems = {}
    for page_id in page_ids(package):
        page = session.open_standalone(package, f"axe-{width}", f"{page_id}.html")
        found = run_axe(page)
        open_quizzes(page)
        found += run_axe(page)
        if found:
            problems[page_id] = found
    assert problems == {}, json.dumps(problems, indent=1)


def test_axe_on_the_quiz_types_and_feedback(session: Session, quiz_packages: dict[str, Path]) -> None:
    page = session.open_standalone(quiz_packages["1.2"], "axe-quiz", "assessment.html")
    assert run_axe(page) == []
    question(page, 1).get_by_role("radio", name=RIGHT["single"]).check()
    page.get_by_role("button", name="Check answers").click()
    assert run_axe(page) == []


def test_no_horizontal_scroll_at_320_px(session: Session, example_packages: dict[str, Path]) -> None:
    session.page.set_viewport_size({"width": 320, "height": 640})
    package = example_packages["1.2"]
    too_wide = {}
    for page_id in page_ids(package):
        page = session.open_standalone(package, "narrow", f"{page_id}.html")
        page.get_by_role("button", name="Menu").click()  # the folded menu, opened
        assert page.get_by_role("navigation", name="Course menu").is_visible()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            too_wide[page_id] = width
    assert too_wide == {}


def test_keyboard_only_walk(session: Session, quiz_packages: dict[str, Path]) -> None:
    """Tab, Enter, Space and arrow keys are enough to go through the course and pass it."""
    page = session.open_standalone(quiz_packages["2004"], "keys")
    keys = page.keyboard

    def tab_to(check: str, limit: int = 80) -> None:
        for _ in range(limit):
            keys.press("Tab")
            if page.evaluate(f"() => {{ const el = document.activeElement; return {check}; }}"):
                return
        raise AssertionError(f"Tab never reached: {check}")

    # the skip link comes first and leads to the content
    keys.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    tab_to("el.textContent === 'Next'")
    keys.press("Enter")
    session.wait_page("intro")
    tab_to("el.type === 'radio'")
    keys.press("ArrowDown")  # moves to and selects the second choice, "Blue"
    assert page.get_by_role("radio", name="Blue").is_checked()
    tab_to("el.textContent === 'Check answers'")
    keys.press("Enter")
    results = page.get_by_role("region", name="Your result")
    results.wait_for(state="visible")
    assert page.evaluate("document.activeElement.textContent") == "Your result"
    assert "1 of 1 correct" in results.inner_text()  # the ungraded knowledge check
    for target in ("numbers", "assessment"):
        tab_to("el.textContent === 'Next'")
        keys.press("Enter")
        session.wait_page(target)
    tab_to("el.type === 'radio'")                       # 1 single: Red, Green, Purple
    keys.press("ArrowDown")
    tab_to("el.type === 'checkbox'")                    # 2 multiple: Blue, Seven, Green
    keys.press("Space")
    keys.press("Tab")
    keys.press("Tab")
    keys.press("Space")
    tab_to("el.type === 'radio' && el.value === 'true'")  # 3 true-false
    keys.press("Space")
    tab_to("el.type === 'text'")                        # 4 fill-in
    keys.type("four")
    for word, number in (("one", "1"), ("two", "2"), ("three", "3")):  # 5 matching: item, then match
        tab_to(f"el.textContent === '{word}' && el.hasAttribute('aria-pressed')")
        keys.press("Enter")
        tab_to(f"el.textContent === '{number}' && el.hasAttribute('aria-pressed')")
        keys.press("Enter")
    # 6 ordering, shown as four, one, three, two: the Move up buttons put it right
    for item, presses in (("one", 1), ("two", 2), ("three", 1)):
        tab_to(f"el.getAttribute('aria-label') === 'Move up: {item}'")
        for _ in range(presses):
            keys.press("Enter")
    tab_to("el.type === 'text'")                        # 7 numeric
    keys.type("3.5")
    tab_to("el.textContent === 'Check answers'")
    keys.press("Space")
    results.wait_for(state="visible")
    assert "Your score: 100%" in results.inner_text()


def test_lms_chrome_fits_320_px(session: Session, example_packages: dict[str, Path]) -> None:
    """In an LMS the header also holds "Exit course"; it still fits a phone."""
    session.page.set_viewport_size({"width": 320, "height": 640})
    package = example_packages["2004"]
    session.launch(package, "2004", "narrow-lms")
    for page_id in page_ids(package)[1:3]:
        frame = session.frame
        assert frame.get_by_role("button", name="Exit course").is_visible()
        assert frame.evaluate("() => document.documentElement.scrollWidth") <= frame.evaluate("() => innerWidth")
        frame.get_by_role("link", name="Next", exact=True).click()
        session.wait_page(page_id)


def test_folded_menu_works_with_the_keyboard(session: Session, quiz_packages: dict[str, Path]) -> None:
    session.page.set_viewport_size({"width": 320, "height": 640})
    page = session.open_standalone(quiz_packages["1.2"], "keys-menu")
    menu = page.get_by_role("navigation", name="Course menu")
    button = page.get_by_role("button", name="Menu")
    assert menu.is_hidden() and button.get_attribute("aria-expanded") == "false"
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Menu":
            break
    page.keyboard.press("Enter")
    assert menu.is_visible() and button.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#course-menu') !== null")
    page.keyboard.press("Escape")
    assert menu.is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "Menu"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # "Contents", then the first lesson
    page.keyboard.press("Enter")
    session.wait_page("intro")
    assert menu.is_hidden()  # the menu folds again after choosing a page
