"""Interactive blocks in Chromium: keyboard only, axe-core, required blocks and completion
under scorm-again, and screenshots against reviewed references.

The course is ``tests/courses/blocks``: lesson 1 has one block of each kind, lesson 2 a
required tab set and a required accordion, lesson 3 nothing to open.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import VERSIONS, Session, build_and_unzip
from tests.browser.learner import go_next
from tests.browser.test_accessibility import run_axe
from tests.browser.test_lms import status
from tests.screenshot_helpers import assert_screenshot

BLOCKS = Path(__file__).resolve().parents[1] / "courses" / "blocks"
EVERY = "01-every-block.html"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The block test course, built and unzipped, by SCORM version."""
    return build_and_unzip(BLOCKS, tmp_path_factory.mktemp("blocks"))


def tab_to(page: Any, check: str, limit: int = 60) -> None:
    """Press Tab until the focused element ``el`` satisfies the JavaScript *check*."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({check}); }}"):
            return
    raise AssertionError(f"Tab never reached: {check}")


def focused(page: Any, script: str = "el.textContent") -> Any:
    return page.evaluate(f"() => {{ const el = document.activeElement; return {script}; }}")


def test_accordion_by_keyboard(session: Session, packages: dict[str, Path]) -> None:
    page = session.open_standalone(packages["2004"], "acc", EVERY)
    item = page.locator("#blk-1-2")
    tab_to(page, "el.tagName === 'SUMMARY' && el.textContent === 'Who pays for language classes?'")
    assert not page.get_by_text("Usually the region").is_visible()
    page.keyboard.press("Enter")
    assert item.get_attribute("open") is not None and page.get_by_text("Usually the region").is_visible()
    page.keyboard.press("Space")
    assert item.get_attribute("open") is None


def test_tabs_by_keyboard(session: Session, packages: dict[str, Path]) -> None:
    page = session.open_standalone(packages["2004"], "tabs", EVERY)
    tablist = page.get_by_role("tablist", name="Levels of government")
    tabs = tablist.get_by_role("tab")
    assert tabs.all_inner_texts() == ["Municipality", "Region", "State"]
    tab_to(page, "el.getAttribute('role') === 'tab'")
    assert focused(page) == "Municipality"  # one tab stop: the selected tab

    def selected() -> str:
        return str(tablist.locator("[aria-selected=true]").inner_text())

    page.keyboard.press("ArrowRight")
    assert focused(page) == selected() == "Region"
    assert page.get_by_role("tabpanel", name="Region").is_visible()
    assert page.get_by_text("Delivers local services").is_hidden()
    page.keyboard.press("End")
    assert focused(page) == selected() == "State"
    page.keyboard.press("ArrowRight")  # wraps round
    assert focused(page) == selected() == "Municipality"
    page.keyboard.press("ArrowLeft")
    assert focused(page) == selected() == "State"
    page.keyboard.press("Home")
    assert focused(page) == selected() == "Municipality"
    page.keyboard.press("Tab")  # from the tab to its panel, not to the other tabs
    assert focused(page, "el.getAttribute('role')") == "tabpanel"
    assert focused(page, "el.getAttribute('aria-labelledby')") == "blk-2-1-tab"


def test_steps_by_keyboard(session: Session, packages: dict[str, Path]) -> None:
    page = session.open_standalone(packages["2004"], "steps", EVERY)
    block = page.locator("#blk-3")
    count = block.locator(".steps-count")
    assert count.inner_text() == "Step 1 of 4" and block.get_by_role("button", name="Previous step").is_disabled()
    tab_to(page, "el.textContent === 'Next step'")
    for n in (2, 3, 4):
        page.keyboard.press("Enter")
        assert count.inner_text() == f"Step {n} of 4"
    assert block.get_by_role("heading", name="Monitor").is_visible()
    assert block.get_by_role("heading", name="Plan").is_hidden()
    # Next is disabled at the last step: focus went to Previous instead of the page
    assert focused(page) == "Previous step"
    page.keyboard.press("Enter")
    assert count.inner_text() == "Step 3 of 4" and block.get_by_role("heading", name="Plan").is_visible()
    assert count.get_attribute("aria-live") == "polite"


def test_card_by_keyboard(session: Session, packages: dict[str, Path]) -> None:
    page = session.open_standalone(packages["2004"], "card", EVERY)
    card = page.get_by_role("button", name="What is a remittance?")
    back = page.get_by_text("Money that migrants send")
    assert card.get_attribute("aria-expanded") == "false" and back.is_hidden()
    tab_to(page, "el.classList.contains('card-toggle')")
    page.keyboard.press("Enter")
    assert card.get_attribute("aria-expanded") == "true" and back.is_visible()
    assert "Select to hide" in card.inner_text()
    page.keyboard.press("Space")
    assert card.get_attribute("aria-expanded") == "false" and back.is_hidden()


def test_hotspots_by_keyboard(session: Session, packages: dict[str, Path]) -> None:
    page = session.open_standalone(packages["2004"], "spots", EVERY)
    markers = page.locator(".hotspot-marker")
    assert [m.get_attribute("aria-expanded") for m in markers.all()] == ["false"] * 3
    popup = page.locator(".hotspot-popup")
    tab_to(page, "el.classList.contains('hotspot-marker')")
    page.keyboard.press("Tab")
    assert focused(page, "el.getAttribute('aria-controls')") == "blk-5-pop"
    page.keyboard.press("Enter")
    assert popup.is_visible() and popup.inner_text().startswith("2. Hospital: health care")
    assert page.get_by_role("button", name="2: Hospital").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert popup.is_hidden() and focused(page, "el.getAttribute('aria-expanded')") == "false"
    page.keyboard.press("Space")
    tab_to(page, "el.textContent === 'Close'", limit=5)
    page.keyboard.press("Enter")
    assert popup.is_hidden() and focused(page, "el.querySelector('.visually-hidden').textContent") == "2: Hospital"
    # the list stays the full, readable source
    assert page.locator(".hotspot-list li").all_inner_texts()[2] == "School: classes for children and adults."
    # markers sit where the author put them over the picture
    box = page.locator(".hotspot-image img").bounding_box()
    spot = markers.nth(1).bounding_box()
    assert box and spot
    centre = ((spot["x"] + spot["width"] / 2 - box["x"]) / box["width"], (spot["y"] + spot["height"] / 2 - box["y"]) / box["height"])
    assert centre == pytest.approx((0.71, 0.29), abs=0.01)


def open_everything(page: Any) -> None:
    """Every block in its opened state: items open, a later tab and step, card and spot shown."""
    for summary in page.locator("summary").all():
        summary.click()
    page.get_by_role("tab", name="Region").click()
    page.get_by_role("button", name="Next step").click()
    page.get_by_role("button", name="What is a remittance?").click()
    page.get_by_role("button", name="2: Hospital").click()
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished)).then(() => true)")


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_nothing_with_blocks_closed_and_opened(session: Session, packages: dict[str, Path], width: int) -> None:
    session.page.set_viewport_size({"width": width, "height": 800})
    found = {}
    for name in (EVERY, "02-required.html"):
        page = session.open_standalone(packages["1.2"], f"axe-{width}", name)
        found[f"{name} closed"] = run_axe(page)
        if name == EVERY:
            open_everything(page)
        else:
            page.get_by_role("tab", name="Second").click()
            for summary in page.locator("summary").all():
                summary.click()
        found[f"{name} opened"] = run_axe(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(found, indent=1)


@pytest.mark.parametrize("version", VERSIONS)
def test_required_blocks_hold_back_completion_until_opened(
        session: Session, packages: dict[str, Path], version: str) -> None:
    package = packages[version]
    session.launch(package, version, f"required-{version}")
    go_next(session, "01-every-block")
    go_next(session, "02-required")
    frame = session.frame
    statuses = frame.locator(".block-status")
    assert statuses.all_inner_texts() == ["Required to complete this lesson: 1 of 2 opened.",  # the first tab shows
                                          "Required to complete this lesson: 0 of 2 opened."]
    assert frame.locator(".blocks-pending").is_visible()
    go_next(session, "03-last")
    got = status(session.snapshot()["cmi"], version)
    # every page was shown, but lesson 2's blocks were not opened in full
    assert got.get("status", got.get("completion")) == "incomplete"
    assert "2 of 3 pages viewed" in session.frame.locator(".progress-text").inner_text()
    session.frame.get_by_role("link", name="Previous", exact=True).click()
    session.wait_page("02-required")
    frame = session.frame
    frame.get_by_role("tab", name="Second").click()
    assert statuses.first.inner_text() == "Done: every part opened."
    frame.get_by_text("One", exact=True).click()
    got = status(session.snapshot()["cmi"], version)
    assert got.get("status", got.get("completion")) == "incomplete"  # one item is still closed
    frame.get_by_text("Two", exact=True).click()
    frame.wait_for_function("() => !document.querySelector('.blocks-pending')")
    got = status(session.snapshot()["cmi"], version)
    if version == "1.2":
        assert got["status"] == "completed"
    else:
        assert (got["completion"], got["progress"]) == ("completed", "1")
    assert statuses.all_inner_texts() == ["Done: every part opened."] * 2
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_unopened_required_blocks_survive_suspend_and_resume(
        session: Session, packages: dict[str, Path], version: str) -> None:
    package = packages[version]
    session.launch(package, version, f"pending-{version}")
    for page_id in ("01-every-block", "02-required", "03-last"):
        go_next(session, page_id)
    session.frame.get_by_role("button", name="Exit course").click()
    cmi = session.snapshot()["cmi"]
    got = status(cmi, version)
    assert got.get("status", got.get("completion")) == "incomplete"
    suspend = cmi["suspend_data"]
    assert suspend.count("|") == 4  # the fifth part: pages with required blocks still to open
    if version == "1.2":
        resume = {"core": {"entry": "resume", "lesson_location": got["location"], "lesson_status": got["status"]},
                  "suspend_data": suspend}
    else:
        resume = {"entry": "resume", "location": got["location"], "suspend_data": suspend,
                  "completion_status": got["completion"]}
    session.launch(package, version, f"pending-{version}", cmi=resume)
    session.wait_page("03-last")
    assert "2 of 3 pages viewed" in session.frame.locator(".progress-text").inner_text()
    session.frame.get_by_role("link", name="Previous", exact=True).click()
    session.wait_page("02-required")
    frame = session.frame
    frame.get_by_role("tab", name="Second").click()
    frame.get_by_text("One", exact=True).click()
    frame.get_by_text("Two", exact=True).click()
    frame.wait_for_function("() => !document.querySelector('.blocks-pending')")
    assert "3 of 3 pages viewed" in frame.locator(".progress-text").inner_text()
    cmi = session.snapshot()["cmi"]
    assert status(cmi, version).get("status", status(cmi, version).get("completion")) == "completed"
    assert cmi["suspend_data"].count("|") == 3  # nothing pending: the usual four parts


BLOCK_SHOTS = {"accordion": "#blk-1", "tabs": "#blk-2", "steps": "#blk-3", "card": "#blk-4", "hotspots": "#blk-5"}


@pytest.mark.parametrize("width", [1280, 320])
def test_blocks_look_like_their_references(session: Session, packages: dict[str, Path], width: int) -> None:
    session.page.set_viewport_size({"width": width, "height": 900})
    page = session.open_standalone(packages["2004"], f"shots-{width}", EVERY)
    for kind, selector in BLOCK_SHOTS.items():
        assert_screenshot(page, f"block-{kind}-{width}", locator=page.locator(selector))
    open_everything(page)
    page.mouse.move(0, 0)  # no hover colour in the picture
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for kind, selector in BLOCK_SHOTS.items():
        assert_screenshot(page, f"block-{kind}-open-{width}", locator=page.locator(selector))


def test_printing_shows_every_part_and_no_controls(session: Session, packages: dict[str, Path]) -> None:
    page = session.open_standalone(packages["2004"], "print", EVERY)
    page.get_by_role("tab", name="Region").click()
    page.emulate_media(media="print")
    page.evaluate("() => dispatchEvent(new Event('beforeprint'))")  # what the browser fires before printing
    for text in ("The municipality keeps the population register.", "Delivers local services", "Plans health care",
                 "Gather the figures", "Check each year whether the actions work.",
                 "Money that migrants send to family or community at home."):
        assert page.get_by_text(text).is_visible(), text
    assert page.get_by_role("heading", name="State").is_visible()  # each panel under its heading
    for control in (".tab-list", ".steps-nav", ".card-hint", ".hotspot-popup"):
        assert page.locator(control).is_hidden(), control
    page.evaluate("() => dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.get_by_text("The municipality keeps the population register.").is_hidden()  # closed again
    assert page.get_by_text("Delivers local services").is_hidden()  # the chosen tab stays chosen


def test_a_link_into_a_block_opens_the_part_it_names(session: Session, packages: dict[str, Path]) -> None:
    page = session.open_standalone(packages["2004"], "anchors", EVERY + "#state")  # a tab's heading
    assert page.get_by_role("tab", name="State").get_attribute("aria-selected") == "true"
    assert page.get_by_text("Sets migration policy").is_visible()
    page.evaluate("() => { location.hash = 'monitor'; }")  # a step's heading, from the same page
    page.wait_for_function("() => !document.getElementById('monitor').closest('.step').hidden")
    assert page.locator("#blk-3 .steps-count").inner_text() == "Step 4 of 4"


def test_reduced_motion_turns_the_card_animation_off(session: Session, packages: dict[str, Path]) -> None:
    session.page.emulate_media(reduced_motion="reduce")
    page = session.open_standalone(packages["2004"], "motion", EVERY)
    page.get_by_role("button", name="What is a remittance?").click()
    assert page.locator(".card-back").evaluate("el => getComputedStyle(el).animationName") == "none"
    session.page.emulate_media(reduced_motion="no-preference")
    assert page.locator(".card-back").evaluate("el => getComputedStyle(el).animationName") == "block-in"


def test_without_javascript_every_block_reads_as_plain_content(
        browser: Any, server: Any, packages: dict[str, Path]) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    try:
        page = context.new_page()
        page.goto(server.mount("nojs", packages["1.2"]) + EVERY)
        for heading in ("Municipality", "Region", "State", "Collect data", "Monitor"):
            assert page.get_by_role("heading", name=heading).is_visible(), heading
        assert page.get_by_text("Money that migrants send").is_visible()
        assert page.locator(".hotspot-list li").count() == 3
        page.get_by_text("Who pays for language classes?").click()  # <details> needs no script
        assert page.get_by_text("Usually the region").is_visible()
        page.get_by_role("link", name="3: School").click()  # a marker leads to its entry
        assert page.evaluate("location.hash") == "#blk-5-3"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    finally:
        context.close()
