"""A course of several SCOs (``units: module``) in an independent LMS runtime (scorm-again).

The test page plays the LMS: it launches one SCO with a fresh API, the learner works
through it and leaves, then it launches the next SCO, as an LMS player does. Each SCO keeps
its own location, suspend data, score and interactions.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Session, build_and_unzip
from tests.browser.learner import answer_from_payload, go_next, interactions, submit

MODULAR = Path(__file__).resolve().parents[1] / "courses" / "modular"
VERSIONS = ["1.2", "2004"]


@pytest.fixture(scope="module")
def modular_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The modular test course (one SCO per module + the assessment), unzipped by version."""
    return build_and_unzip(MODULAR, tmp_path_factory.mktemp("modular"))


def units_of(package: Path) -> list[dict[str, Any]]:
    """The units of a package, from its assets/course.js."""
    text = (package / "assets" / "course.js").read_text(encoding="utf-8")
    return list(json.loads(text[text.index("["):text.rindex("]") + 1]))


def outcome(cmi: dict[str, Any], version: str) -> tuple[str, str, str]:
    """(completion, success, raw score) in one shape for both versions."""
    if version == "1.2":
        status = cmi["core"]["lesson_status"]
        done = "completed" if status in ("completed", "passed", "failed") else "incomplete"
        success = status if status in ("passed", "failed") else "unknown"
        return done, success, cmi["core"]["score"]["raw"]
    return cmi["completion_status"], cmi["success_status"], cmi["score"]["raw"]


def leave(session: Session) -> dict[str, Any]:
    """Press "Exit course"; return what the LMS recorded for this SCO."""
    session.frame.get_by_role("button", name="Exit course").click()
    snap = session.snapshot()
    assert snap["terminated"] is True
    assert session.failed_calls() == []
    return dict(snap["cmi"])


@pytest.mark.parametrize("version", VERSIONS)
def test_each_sco_in_turn_right_answers_complete_every_unit(
        session: Session, modular_packages: dict[str, Path], version: str) -> None:
    package = modular_packages[version]
    units = units_of(package)
    recorded = {}
    for unit in units:
        pages = [p["id"] for p in unit["pages"]]
        frame = session.launch(package, version, f"units-{version}-{unit['unit']}", page=unit["pages"][0]["url"])
        assert frame.evaluate("document.body.dataset.page") == pages[0]
        # the menu and the pager never lead out of the SCO
        links = {a.split("#")[0] for a in frame.eval_on_selector_all(
            ".course-menu a[href], .pager a[href]", "els => els.map(e => e.getAttribute('href'))")}
        assert links <= {p["url"] for p in unit["pages"]}, links
        for page_id in pages:
            if page_id != pages[0]:
                go_next(session, page_id)
            if session.frame.locator("form.quiz").count():
                answer_from_payload(session.frame, right=True)
                # the one results panel: a percent for a graded quiz, a count for the ungraded check
                ungraded = session.frame.locator("form.quiz").get_attribute("data-quiz") == "core-check"
                assert ("1 of 1 correct" if ungraded else "100%") in submit(session.frame)
        # the unit's last page: no Next link; 1.2 (and a 2004 LMS that says no) shows a note
        assert session.frame.get_by_role("link", name="Next", exact=True).count() == 0
        note = "end of this part" in session.frame.locator("main .pager").inner_text()
        assert note == (unit is not units[-1])
        recorded[unit["unit"]] = leave(session)
    results = {uid: outcome(cmi, version) for uid, cmi in recorded.items()}
    assert {uid: r[0] for uid, r in results.items()} == dict.fromkeys(recorded, "completed")
    assert results["services"][1:] == ("passed", "100") and results["assessment"][1:] == ("passed", "100")
    assert results["core"][1] in ("unknown", "completed") and results["diaspora"][1] in ("unknown", "completed")
    # each SCO recorded only its own quiz's interactions
    ids = {uid: sorted({i["id"].split("_")[0] for i in interactions(cmi)}) for uid, cmi in recorded.items()}
    assert ids == {"core": ["core-check"], "services": ["services-check"], "diaspora": [],
                   "assessment": ["final"]}
    # rollup "assessment": the course is passed because its assessment unit is
    assert all(r[0] == "completed" for r in results.values()) and results["assessment"][1] == "passed"


def test_continue_through_the_lms_when_it_says_it_is_valid(
        session: Session, modular_packages: dict[str, Path]) -> None:
    package = modular_packages["2004"]
    session.launch(package, "2004", "units-nav", page="05-diaspora.html",
                   nav_valid={"continue": "true", "previous": "true"})
    frame = session.frame
    # one-page unit: first and last page at once
    frame.get_by_role("button", name="Previous", exact=True).wait_for()
    frame.get_by_role("button", name="Next", exact=True).click()
    snap = session.snapshot()
    assert snap["terminated"] is True
    sets = [c[1] for c in snap["calls"] if c[0] == "SetValue"]
    assert ["adl.nav.request", "continue"] in sets
    names = [c[0] for c in snap["calls"]]
    # the state is saved and committed before the session ends
    assert names.index("Commit") < names.index("Terminate") and names[-1] == "Terminate"
    assert snap["cmi"]["completion_status"] == "completed" and snap["cmi"]["location"] == "05-diaspora"


@pytest.mark.parametrize("version", VERSIONS)
def test_resume_inside_the_second_module(session: Session, modular_packages: dict[str, Path], version: str) -> None:
    package = modular_packages[version]
    name = f"units-resume-{version}"
    session.launch(package, version, name, page="03-services.html")
    go_next(session, "04-barriers")
    session.frame.get_by_role("radio", name="Opening hours only during working time").check()
    cmi = leave(session)
    if version == "1.2":
        assert cmi["core"]["exit"] == "suspend" and cmi["core"]["lesson_location"] == "04-barriers"
        resume = {"core": {"entry": "resume", "lesson_location": "04-barriers",
                           "lesson_status": cmi["core"]["lesson_status"]}, "suspend_data": cmi["suspend_data"]}
    else:
        assert cmi["exit"] == "suspend" and cmi["location"] == "04-barriers"
        resume = {"entry": "resume", "location": "04-barriers", "suspend_data": cmi["suspend_data"],
                  "completion_status": cmi["completion_status"]}
    session.launch(package, version, name, cmi=resume, page="03-services.html")
    session.wait_page("04-barriers")
    assert session.frame.get_by_role("radio", name="Opening hours only during working time").is_checked()
    assert "2 of 2 pages viewed" in session.frame.locator(".progress-text").inner_text()


@pytest.fixture(scope="module")
def example_units(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example course as it ships (``units: module``), unzipped by version."""
    from tests.browser.conftest import EXAMPLE

    return build_and_unzip(EXAMPLE, tmp_path_factory.mktemp("example-units"), ("en",))


def test_example_course_thematic_module_runs_as_its_own_sco(
        session: Session, example_units: dict[str, Path]) -> None:
    package = example_units["2004"]
    units = units_of(package)
    assert [u["unit"] for u in units] == ["core", "thematic-access-services", "assessment"]
    thematic = units[1]
    assert [p["id"] for p in thematic["pages"]][0].startswith("08-")
    frame = session.launch(package, "2004", "example-thematic", page=thematic["pages"][0]["url"])
    first = thematic["pages"][0]["id"]
    # a link to a lesson of the core module: not followed; the learner is told to use the LMS menu
    frame.get_by_role("link", name="lesson 4").first.click()
    notice = frame.locator("p.notice")
    notice.wait_for()
    assert "is another part of this course" in notice.inner_text()
    assert units[0]["unitTitle"] in notice.inner_text()  # names the part the link leads to
    assert frame.evaluate("document.body.dataset.page") == first
    cmi = leave(session)
    assert cmi["location"] == first and cmi["completion_status"] == "incomplete"
