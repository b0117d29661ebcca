"""Review and browse modes, and what an ordering question reports, in scorm-again (1.2 and 2004).

scorm-again takes the launch mode (``cmi.core.lesson_mode`` / ``cmi.mode``) and the stored
data of an earlier attempt through its initial data, as an LMS that reopens an attempt
does (Moodle opens a finished SCORM 1.2 attempt in review mode).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Session, page_ids
from tests.browser.learner import (MIXED, RIGHT, answer_final, go_next, interactions, order_by_buttons, question,
                                  shown_order, submit, take_final)
from tests.browser.test_lms import status

VERSIONS = ["1.2", "2004"]
SET = ("LMSSetValue", "SetValue")


def finished_attempt(session: Session, package: Path, version: str, name: str) -> dict[str, Any]:
    """Fail the final test once (25 %), exit, and return what the LMS stored."""
    text = take_final(session, package, version, name, MIXED)
    assert "Not passed." in text and "Attempts left: 2" in text  # the final test allows 3
    session.frame.get_by_role("button", name="Exit course").click()
    cmi = session.snapshot()["cmi"]
    assert cmi["suspend_data"]
    return dict(cmi)


def review_launch(cmi: dict[str, Any], version: str) -> dict[str, Any]:
    """The initial data of a review launch of the attempt *cmi*."""
    got = status(cmi, version)
    if version == "1.2":
        return {"core": {"lesson_mode": "review", "entry": "", "lesson_location": got["location"],
                         "lesson_status": got["status"], "score": {"raw": got["raw"]}},
                "suspend_data": cmi["suspend_data"]}
    return {"mode": "review", "entry": "", "location": got["location"], "suspend_data": cmi["suspend_data"],
            "completion_status": got["completion"], "success_status": got["success"]}


@pytest.mark.parametrize("version", VERSIONS)
def test_review_mode_shows_the_stored_attempt_read_only(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    cmi = finished_attempt(session, package, version, f"review-{version}")
    kept = session.frame.evaluate("JSON.stringify(localStorage)")
    session.launch(package, version, f"review-{version}", cmi=review_launch(cmi, version))
    session.wait_page("assessment")
    frame = session.frame
    results = frame.get_by_role("region", name="Your result")
    assert results.is_visible()
    text = results.inner_text()
    assert "Your score: 25%" in text and "Not passed." in text
    # no attempt count either ("Attempts left: 2" in the normal launch): no retry is offered
    assert "Attempts left" not in text and "attempts" not in text.lower()
    assert not frame.locator(".quiz-attempts-info").is_visible()
    # no retry, no check, every answer as it was stored and locked
    assert not frame.get_by_role("button", name="Try again").is_visible()
    assert not frame.get_by_role("button", name="Check answers").is_visible()
    green = frame.get_by_role("radio", name="Green")
    assert green.is_checked() and green.is_disabled()
    assert question(frame, 4).get_by_role("textbox").input_value() == "five"
    assert question(frame, 4).get_by_role("textbox").is_disabled()
    # a note says how to start a new attempt
    note = frame.locator(".review-note")
    assert note.is_visible() and "start a new attempt" in note.inner_text()
    # the learner can still move around; nothing reaches the LMS
    frame.get_by_role("link", name="Previous", exact=True).click()
    session.wait_page("numbers")
    session.frame.get_by_role("button", name="Exit course").click()
    snap = session.snapshot()
    assert snap["terminated"] is True
    assert [c for c in snap["calls"] if c[0] in SET] == []
    assert session.frame.evaluate("JSON.stringify(localStorage)") == kept  # nor in the browser
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_review_mode_of_an_unchecked_quiz_offers_no_check(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    mode = {"core": {"lesson_mode": "review"}} if version == "1.2" else {"mode": "review"}
    session.launch(package, version, f"review-empty-{version}", cmi=mode)
    for page_id in page_ids(package)[1:]:
        go_next(session, page_id)
    frame = session.frame
    assert not frame.get_by_role("button", name="Check answers").is_visible()
    assert frame.get_by_role("radio", name="Green").is_disabled()
    assert "not checked" in frame.locator(".quiz-status").inner_text()
    assert [c for c in session.snapshot()["calls"] if c[0] in SET] == []


@pytest.mark.parametrize("version", VERSIONS)
def test_browse_mode_records_no_score(session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    mode = {"core": {"lesson_mode": "browse"}} if version == "1.2" else {"mode": "browse"}
    # the learner still sees the result of the check
    assert "Your score: 100%" in take_final(session, package, version, f"browse-{version}", RIGHT, cmi=mode)
    session.frame.get_by_role("button", name="Exit course").click()
    snap = session.snapshot()
    written = {c[1][0] for c in snap["calls"] if c[0] in SET}
    assert not [key for key in written if ".score." in key or "interactions" in key or "success" in key]
    got = status(snap["cmi"], version)
    assert got["raw"] == "" and interactions(snap["cmi"]) == []
    assert got["location"] == "assessment"
    if version == "1.2":
        assert got["status"] == "browsed"
    else:
        assert got["success"] == "unknown"
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_ordering_reports_the_order_the_learner_gave(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    session.launch(package, version, f"ordering-{version}")
    for page_id in page_ids(package)[1:]:
        go_next(session, page_id)
    frame = session.frame
    group = question(frame, 6)
    # a wrong order: what was given is reported, not the right order (issue 9)
    order_by_buttons(group, {"four": "1", "three": "2", "two": "3", "one": "4"})
    assert shown_order(group) == ["four", "three", "two", "one"]
    answer_final(frame, RIGHT, only=("single", "multiple", "truefalse", "fillin", "matching", "numeric"))
    assert "Your score: 88%" in submit(frame)  # all right but the ordering: 7 of 8, 87.5 shown whole
    found = {i["id"]: i for i in interactions(session.snapshot()["cmi"])}
    response = "student_response" if version == "1.2" else "learner_response"
    ordering = found["final_ordering"]
    assert ordering["result"] == ("wrong" if version == "1.2" else "incorrect")
    assert ordering[response] == ("d,c,b,a" if version == "1.2" else "i4[,]i3[,]i2[,]i1")
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_ordering_move_is_reported_in_the_new_order(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    session.launch(package, version, f"swap-{version}")
    for page_id in page_ids(package)[1:]:
        go_next(session, page_id)
    frame = session.frame
    answer_final(frame, RIGHT)
    group = question(frame, 6)
    down = group.get_by_role("button", name="Move down: one", exact=True)
    down.focus()
    down.press("Enter")
    # the keyboard stays on the moved item, and the move is announced
    assert frame.evaluate("document.activeElement.getAttribute('aria-label')") == "Move down: one"
    down.press("Enter")
    assert shown_order(group) == ["two", "three", "one", "four"]
    assert frame.locator(".quiz-live").inner_text() == "one moved to position 3."
    submit(frame)
    found = {i["id"]: i for i in interactions(session.snapshot()["cmi"])}
    response = "student_response" if version == "1.2" else "learner_response"
    assert found["final_ordering"][response] == ("b,c,a,d" if version == "1.2" else "i2[,]i3[,]i1[,]i4")
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_typed_and_stored_text_is_never_markup(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    payload = '<img src="x" onerror="window.pwned = 1">'
    session.launch(package, version, f"markup-{version}")
    for page_id in page_ids(package)[1:]:
        go_next(session, page_id)
    answer_final(session.frame, dict(RIGHT, fillin=payload))
    submit(session.frame)
    session.frame.get_by_role("button", name="Exit course").click()
    cmi = session.snapshot()["cmi"]
    got = status(cmi, version)
    resume = ({"core": {"entry": "resume", "lesson_location": got["location"]}, "suspend_data": cmi["suspend_data"]}
              if version == "1.2" else
              {"entry": "resume", "location": got["location"], "suspend_data": cmi["suspend_data"]})
    session.launch(package, version, f"markup-{version}", cmi=resume)
    session.wait_page("assessment")
    frame = session.frame
    assert question(frame, 4).get_by_role("textbox").input_value() == payload
    assert frame.locator("main img").count() == 0
    assert frame.evaluate("window.pwned") is None
