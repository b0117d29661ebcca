"""The learner runtime in an independent LMS runtime (scorm-again), SCORM 1.2 and 2004.

Each test launches a built package in the test LMS page, walks it by the accessible names
of its controls, and checks what the LMS recorded. Every SetValue and Commit the package
makes must be accepted by scorm-again's validation (``failed_calls`` is empty).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Session, page_ids
from tests.browser.learner import MIXED, RIGHT, answer_final, go_next, interactions, submit, take_final

VERSIONS = ["1.2", "2004"]
CMI_TIME = re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d{1,2})?$")
CMI_TIMESPAN = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
ISO_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?$")
ISO_DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)$")

# What each version must record for the final test answered with learner.RIGHT / MIXED:
# (id, type, learner response, correct pattern(s), weighting).
EXPECTED = {
    "1.2": [("final_single", "choice", "b", ["b"], "1"),
            ("final_multiple", "choice", "a,c", ["a,c"], "1"),
            ("final_truefalse", "true-false", "t", ["t"], "1"),
            ("final_fillin", "fill-in", "four", ["four", "Four"], "1"),
            ("final_matching", "matching", "1.a,2.b,3.c", ["1.a,2.b,3.c"], "2"),
            ("final_ordering", "sequencing", "a,b,c,d", ["a,b,c,d"], "1"),
            ("final_numeric", "numeric", "3.5", ["3.5"], "1")],
    "2004": [("final_single", "choice", "b", ["b"], "1"),
             ("final_multiple", "choice", "a[,]c", ["a[,]c"], "1"),
             ("final_truefalse", "true-false", "true", ["true"], "1"),
             ("final_fillin", "fill-in", "four", ["{case_matters=false}four", "{case_matters=false}Four"], "1"),
             ("final_matching", "matching", "p1[.]m1[,]p2[.]m2[,]p3[.]m3", ["p1[.]m1[,]p2[.]m2[,]p3[.]m3"], "2"),
             ("final_ordering", "sequencing", "i1[,]i2[,]i3[,]i4", ["i1[,]i2[,]i3[,]i4"], "1"),
             ("final_numeric", "numeric", "3.5", ["3.4[:]3.6"], "1")],
}
MIXED_RESPONSES = {
    "1.2": {"final_multiple": "a", "final_fillin": "five", "final_matching": "1.b,2.a,3.c",
            "final_ordering": "b,a,c,d", "final_numeric": "3.61"},
    "2004": {"final_multiple": "a", "final_fillin": "five", "final_matching": "p1[.]m2[,]p2[.]m1[,]p3[.]m3",
             "final_ordering": "i2[,]i1[,]i3[,]i4", "final_numeric": "3.61"},
}
MIXED_RIGHT = {"final_single", "final_truefalse"}  # numeric 3.61 is outside 3.5 ± 0.1


def status(cmi: dict[str, Any], version: str) -> dict[str, str]:
    """Status, score and exit in one shape for both versions."""
    if version == "1.2":
        core = cmi["core"]
        return {"status": core["lesson_status"], "raw": core["score"]["raw"], "min": core["score"]["min"],
                "max": core["score"]["max"], "exit": core["exit"], "location": core["lesson_location"]}
    return {"completion": cmi["completion_status"], "success": cmi["success_status"], "raw": cmi["score"]["raw"],
            "min": cmi["score"]["min"], "max": cmi["score"]["max"], "scaled": cmi["score"]["scaled"],
            "exit": cmi["exit"], "location": cmi["location"], "progress": cmi["progress_measure"]}


def check_interaction_formats(found: list[dict[str, Any]], version: str) -> None:
    """Timestamps and latencies in each version's exact format."""
    for item in found:
        if version == "1.2":
            assert CMI_TIME.match(item["time"]), item
            assert CMI_TIMESPAN.match(item["latency"]), item
        else:
            assert ISO_STAMP.match(item["timestamp"]), item
            assert ISO_DURATION.match(item["latency"]), item


@pytest.mark.parametrize("version", VERSIONS)
def test_first_launch_walks_every_page(session: Session, example_packages: dict[str, Path], version: str) -> None:
    package = example_packages[version]
    frame = session.launch(package, version, f"walk-{version}")
    ids = page_ids(package)
    assert frame.evaluate("document.body.dataset.page") == "index"
    titles = []
    for page_id in ids[1:]:
        go_next(session, page_id)
        titles.append(session.frame.evaluate("document.activeElement.textContent"))
        # the SCO document is never unloaded: same frame document, LMS still initialised
        assert session.snapshot()["initialized"] is True
    assert session.frame.get_by_role("link", name="Next", exact=True).count() == 0
    assert len(set(titles)) == len(ids) - 1
    session.frame.get_by_role("link", name="Previous", exact=True).click()
    session.wait_page(ids[-2])
    cmi = session.snapshot()["cmi"]
    got = status(cmi, version)
    assert got["location"] == ids[-2]
    if version == "1.2":
        assert got["status"] == "incomplete"  # completion: both, and the assessment is not passed yet
    else:
        assert got["completion"] == "incomplete"
        assert got["success"] == "unknown"
        assert float(got["progress"]) == pytest.approx(0.99)
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_quiz_answered_right_passes_with_one_interaction_per_question(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    text = take_final(session, package, version, f"right-{version}", RIGHT)
    assert "Your score: 100%" in text and "Passed." in text
    session.frame.get_by_role("button", name="Exit course").click()
    snap = session.snapshot()
    cmi = snap["cmi"]
    got = status(cmi, version)
    assert got["raw"] == "100" and got["min"] == "0" and got["max"] == "100"
    if version == "1.2":
        assert got["status"] == "passed"
        assert got["exit"] == ""
        assert CMI_TIMESPAN.match(cmi["core"]["session_time"])
    else:
        assert (got["completion"], got["success"], got["scaled"]) == ("completed", "passed", "1")
        assert got["exit"] == "normal"
        assert got["progress"] == "1"
        assert ISO_DURATION.match(cmi["session_time"])
    found = interactions(cmi)
    assert len(found) == len(EXPECTED[version])
    response = "student_response" if version == "1.2" else "learner_response"
    for item, (iid, kind, answer, patterns, weight) in zip(found, EXPECTED[version]):
        assert (item["id"], item["type"], item[response], item["weighting"], item["result"]) == \
            (iid, kind, answer, weight, "correct")
        assert [item["correct_responses"][str(n)]["pattern"] for n in range(len(patterns))] == patterns
    check_interaction_formats(found, version)
    assert snap["terminated"] is True
    finishes = [c for c in snap["calls"] if c[0] in ("LMSFinish", "Terminate")]
    assert len(finishes) == 1
    assert session.failed_calls() == []
    assert not [w for w in session.warnings if "[builder]" in w]  # no LMS call failed


@pytest.mark.parametrize("version", VERSIONS)
def test_failed_with_no_try_left_ends_the_attempt(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    """Out of tries and failed: SCORM 2004 reports the attempt completed (and failed), so that
    an LMS such as Moodle offers a new attempt; 1.2 has one status, "failed", which does."""
    package = quiz_packages[version]
    assert "Attempts left: 2" in take_final(session, package, version, f"out-{version}", MIXED)
    got = status(session.snapshot()["cmi"], version)
    if version == "2004":
        assert got["completion"] == "incomplete"   # a try is left: the attempt goes on
    for left in ("Attempts left: 1", "You have used all your attempts."):
        session.frame.get_by_role("button", name="Try again").click()
        answer_final(session.frame, MIXED)
        assert left in submit(session.frame)
    assert not session.frame.get_by_role("button", name="Try again").is_visible()
    got = status(session.snapshot()["cmi"], version)
    if version == "1.2":
        assert got["status"] == "failed"
    else:
        assert (got["completion"], got["success"], got["raw"]) == ("completed", "failed", "25")
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_quiz_answered_wrong_fails_with_the_computed_score(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    text = take_final(session, package, version, f"wrong-{version}", MIXED)
    # right: single (1) and true-false (1) of a total weight of 8 → 25 %
    assert "Your score: 25%" in text and "Not passed." in text
    assert "Attempts left: 2" in text
    assert session.frame.get_by_role("button", name="Try again").is_visible()
    cmi = session.snapshot()["cmi"]
    got = status(cmi, version)
    assert got["raw"] == "25"
    if version == "1.2":
        assert got["status"] == "failed"
        assert got["exit"] == "suspend"
    else:
        assert (got["completion"], got["success"], got["scaled"]) == ("incomplete", "failed", "0.25")
    found = interactions(cmi)
    assert len(found) == 7
    response = "student_response" if version == "1.2" else "learner_response"
    wrong = "wrong" if version == "1.2" else "incorrect"
    for item, expected in zip(found, EXPECTED[version]):
        right = item["id"] in MIXED_RIGHT
        assert item["result"] == ("correct" if right else wrong), item
        assert item[response] == MIXED_RESPONSES[version].get(item["id"], expected[2])
    check_interaction_formats(found, version)
    # a second attempt, all right: passed, best score 100, seven more interactions
    session.frame.get_by_role("button", name="Try again").click()
    answer_final(session.frame, RIGHT)
    assert "Your score: 100%" in submit(session.frame)
    cmi = session.snapshot()["cmi"]
    got = status(cmi, version)
    assert got["raw"] == "100"
    assert got.get("status", got.get("success")) == "passed"
    assert len(interactions(cmi)) == 14
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_leaving_halfway_suspends_and_relaunch_resumes(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    session.launch(package, version, f"resume-{version}")
    go_next(session, "intro")
    session.frame.get_by_role("radio", name="Blue").check()
    assert "1 of 1 correct" in submit(session.frame)  # the ungraded knowledge check: no score, no verdict
    go_next(session, "numbers")
    go_next(session, "assessment")
    answer_final(session.frame, RIGHT, only=("single", "matching", "fillin"))
    session.frame.get_by_role("link", name="Previous", exact=True).click()
    session.wait_page("numbers")
    session.frame.get_by_role("link", name="Next", exact=True).click()
    session.wait_page("assessment")
    # answers given before leaving the page are still there in the same session
    assert session.frame.get_by_role("radio", name="Green").is_checked()
    session.frame.get_by_role("button", name="Exit course").click()
    snap = session.snapshot()
    assert snap["terminated"] is True
    cmi = snap["cmi"]
    got = status(cmi, version)
    assert got["exit"] == "suspend" and got["location"] == "assessment"
    suspend = cmi["suspend_data"]
    assert suspend
    # relaunch: what an LMS gives back to a suspended attempt
    if version == "1.2":
        resume = {"core": {"entry": "resume", "lesson_location": got["location"],
                           "lesson_status": got["status"]}, "suspend_data": suspend}
    else:
        resume = {"entry": "resume", "location": got["location"], "suspend_data": suspend,
                  "completion_status": got["completion"]}
    frame = session.launch(package, version, f"resume-{version}", cmi=resume)
    session.wait_page("assessment")
    frame = session.frame
    assert frame.evaluate("document.body.dataset.page") == "assessment"
    assert frame.get_by_role("radio", name="Green").is_checked()
    assert frame.get_by_role("button", name="Undo the pair two and 2", exact=True).is_visible()
    assert frame.get_by_role("textbox", name="Your answer", exact=True).input_value() == "four"
    assert not frame.get_by_role("radio", name="True").is_checked()
    # the visited pages and the knowledge check's result came back too
    frame.get_by_role("link", name="Introduction").first.click()
    session.wait_page("intro")
    assert session.frame.get_by_role("region", name="Your result").is_visible()
    assert session.frame.get_by_role("radio", name="Blue").is_checked()
    assert "3 of 3 pages viewed" in session.frame.locator(".progress-text").inner_text()
    session.frame.get_by_role("link", name="Final test").first.click()
    session.wait_page("assessment")
    answer_final(session.frame, RIGHT)
    assert "Your score: 100%" in submit(session.frame)
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_closing_the_window_terminates_once_with_suspend(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    session.launch(package, version, f"close-{version}")
    go_next(session, "intro")
    session.page.evaluate("() => document.getElementById('sco').remove()")  # pagehide in the SCO
    snap = session.snapshot()
    assert snap["terminated"] is True
    assert len([c for c in snap["calls"] if c[0] in ("LMSFinish", "Terminate")]) == 1
    got = status(snap["cmi"], version)
    assert got["exit"] == "suspend" and got["location"] == "intro"


@pytest.mark.parametrize("version", VERSIONS)
def test_mastery_score_from_the_lms_wins(session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    cmi = {"student_data": {"mastery_score": "20"}} if version == "1.2" else {"scaled_passing_score": "0.2"}
    take_final(session, package, version, f"mastery-{version}", MIXED, cmi=cmi)
    got = status(session.snapshot()["cmi"], version)
    assert got["raw"] == "25"
    assert got.get("status", got.get("success")) == "passed"


@pytest.mark.parametrize("version", VERSIONS)
def test_course_opened_in_a_new_window_finds_the_api_through_its_opener(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    url = session.server.mount(f"popup-{version}", package) + "index.html"
    session.page.goto(f"{session.server.url}/host/lms.html")
    with session.page.context.expect_page() as opened:
        session.page.evaluate("opts => window.launch(opts)", {"version": version, "url": url, "popup": True})
    course = opened.value
    course.wait_for_function("() => document.documentElement.classList.contains('js')")
    course.get_by_role("button", name="Exit course").wait_for(state="visible")  # shown only with an LMS
    course.get_by_role("link", name="Next", exact=True).click()
    course.wait_for_function("() => document.body.dataset.page === 'intro'")
    course.get_by_role("button", name="Exit course").click()
    snap = session.snapshot()
    assert snap["terminated"] is True
    got = status(snap["cmi"], version)
    assert got["location"] == "intro" and got["exit"] == "suspend"
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_example_course_completed_and_passed(
        session: Session, example_packages: dict[str, Path], version: str) -> None:
    """The example course, every page and every quiz, ends completed and passed with 100."""
    from tests.browser.learner import answer_from_payload
    package = example_packages[version]
    session.launch(package, version, f"example-{version}")
    answered = 0
    for page_id in page_ids(package)[1:]:
        go_next(session, page_id)
        if session.frame.locator("form.quiz").count():
            count = answer_from_payload(session.frame)
            answered += count
            text = submit(session.frame)  # graded: a whole percent; a knowledge check: how many were right
            assert "Your score: 100%" in text or f"{count} of {count} correct" in text, text
    session.frame.get_by_role("button", name="Exit course").click()
    cmi = session.snapshot()["cmi"]
    got = status(cmi, version)
    assert got["raw"] == "100"
    if version == "1.2":
        assert got["status"] == "passed" and got["exit"] == ""
    else:
        assert (got["completion"], got["success"], got["exit"]) == ("completed", "passed", "normal")
    found = interactions(cmi)
    assert len(found) == answered
    assert {i["result"] for i in found} == {"correct"}
    assert len({i["id"] for i in found}) == answered
    check_interaction_formats(found, version)
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_course_without_graded_quiz_completes_when_every_page_is_seen(
        session: Session, tmp_path: Path, version: str) -> None:
    import shutil

    from tests.browser.conftest import ALL_TYPES, build_and_unzip
    course = tmp_path / "pages-only"
    shutil.copytree(ALL_TYPES, course)
    yml = course / "course.yml"
    text = yml.read_text(encoding="utf-8").replace("assessment: quizzes/final.yml\n", "")
    yml.write_text(text.replace("completion: quiz", "completion: pages"), encoding="utf-8")
    package = build_and_unzip(course, tmp_path / "out")[version]
    session.launch(package, version, f"pages-{version}")
    go_next(session, "intro")
    assert status(session.snapshot()["cmi"], version).get("status", "incomplete") == "incomplete"
    go_next(session, "numbers")
    cmi = session.snapshot()["cmi"]
    got = status(cmi, version)
    assert got["raw"] == ""  # nothing graded: no score
    if version == "1.2":
        assert got["status"] == "completed" and got["exit"] == ""
    else:
        assert (got["completion"], got["success"], got["progress"]) == ("completed", "unknown", "1")
        assert got["exit"] == "normal"
