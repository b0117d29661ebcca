"""``builder serve`` as an LMS of several SCOs: the unit menu, statuses, locks, moving on.

The server runs in a subprocess on a copy of the modular test course (one SCO per module
and one for the final assessment; two modules require ``core``).
"""
from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.serve_helpers import running_server

MODULAR = Path(__file__).resolve().parents[1] / "courses" / "modular"
SLUG = "modular"


@pytest.fixture
def server(tmp_path: Path) -> Any:
    """The base URL of ``builder serve`` on a copy of the modular course."""
    course = tmp_path / SLUG
    shutil.copytree(MODULAR, course)
    work = tmp_path / "work"
    work.mkdir()
    with running_server(course, work) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Any:
    """A page in a fresh browser context."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield ctx.new_page()
    ctx.close()


def units_api(server: str, fmt: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{server}/__api__/{SLUG}/{fmt}") as answer:
        return list(json.loads(answer.read())["units"])


def unit_row(page: Any, title: str) -> Any:
    return page.locator("#unit-list li", has=page.get_by_role("button", name=title, exact=True))


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_unit_menu_locks_a_module_until_its_prerequisite_is_done(page: Any, server: str, fmt: str) -> None:
    page.goto(f"{server}/{SLUG}/lms.html?format={fmt}")
    frame = page.frame_locator("#course-frame")
    frame.locator("main h1", has_text="A modular course").wait_for()
    assert page.get_by_role("button", name="Core module", exact=True).get_attribute("aria-current") == "true"
    assert "locked until you finish: Core module" in unit_row(page, "Local services").inner_text()
    # a locked unit refuses to launch and says why
    page.get_by_role("button", name="Local services", exact=True).click()
    assert page.locator("#unit-message").inner_text() == "\u201cLocal services\u201d is locked: finish Core module first."
    frame.locator("main h1", has_text="A modular course").wait_for()
    # finish the core module: its two lessons
    frame.get_by_role("link", name="Start the course").click()
    frame.locator("main h1", has_text="Where to start").wait_for()
    frame.get_by_role("link", name="Next", exact=True).click()
    frame.locator("main h1", has_text="The basics").wait_for()
    note = frame.locator("main .pager")
    if fmt == "scorm2004":  # the LMS says "continue" is valid: Next goes to the next unit
        frame.get_by_role("button", name="Next", exact=True).click()
    else:  # 1.2 has no navigation requests: the LMS menu
        assert "end of this part" in note.inner_text()
        page.get_by_role("button", name="Local services", exact=True).click()
    frame.locator("main h1", has_text="Mapping services").wait_for()
    assert page.get_by_role("button", name="Local services", exact=True).get_attribute("aria-current") == "true"
    page.wait_for_function("() => /completed/.test(document.querySelector('#unit-list li').textContent)")
    assert "locked" not in unit_row(page, "Local services").inner_text()
    # the inspector shows this SCO's own data
    page.locator("#v-location").filter(has_text="03-services").wait_for()
    api = {u["id"]: u for u in units_api(server, fmt)}
    assert api["core"]["status"] == "completed" and api["core"]["finished"] is True
    assert api["services"]["locked"] is False and api["diaspora"]["locked"] is False
    assert api["assessment"]["status"] == "not attempted"
