"""An LMS that answers "false" or throws must not stop the learner, and nothing is lost."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import Session
from tests.browser.learner import RIGHT, answer_final, go_next, interactions, take_final
from tests.browser.test_lms import EXPECTED, status

NAMES = {"1.2": ("LMSSetValue", "LMSCommit", "LMSGetValue"), "2004": ("SetValue", "Commit", "GetValue")}


@pytest.mark.parametrize("mode", ["false", "throw"])
@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_failing_setvalue_and_commit_lose_nothing(
        session: Session, quiz_packages: dict[str, Path], version: str, mode: str) -> None:
    package = quiz_packages[version]
    set_name, commit_name, get_name = NAMES[version]
    # Some SetValue calls (among them interaction ids, whose fields depend on them), some
    # GetValue calls (the mode, the interaction count) and the first two commits fail; so do
    # the first two writes of suspend_data.
    faults = {"mode": mode, "calls": {set_name: [1, 3, 9, 20, 21, 30, 41], commit_name: [1, 2],
                                      get_name: [2, 5, 10]},
              "match": "suspend_data", "times": 2}
    assert "Your score: 100%" in take_final(session, package, version, f"faults-{version}-{mode}", RIGHT,
                                            faults=faults)
    session.frame.get_by_role("button", name="Exit course").click()
    snap = session.snapshot()
    assert len(snap["injected"]) >= 12, snap["injected"]
    assert snap["terminated"] is True
    assert len([c for c in snap["calls"] if c[0] in ("LMSFinish", "Terminate")]) == 1
    cmi = snap["cmi"]
    got = status(cmi, version)
    assert got["raw"] == "100"
    assert got["location"] == "assessment"
    if version == "1.2":
        assert got["status"] == "passed"
    else:
        assert (got["completion"], got["success"]) == ("completed", "passed")
    found = interactions(cmi)
    response = "student_response" if version == "1.2" else "learner_response"
    assert [(i["id"], i["type"], i[response], i["result"]) for i in found] == \
        [(e[0], e[1], e[2], "correct") for e in EXPECTED[version]]
    assert cmi["suspend_data"].startswith("1|")
    # the learner was told, politely, and saw no exception (the session fixture checks that)
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_an_lms_that_refuses_to_initialise_still_lets_the_learner_finish(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    init = "LMSInitialize" if version == "1.2" else "Initialize"
    faults = {"mode": "throw", "calls": {init: [1]}}
    assert "Your score: 100%" in take_final(session, package, version, f"noinit-{version}", RIGHT, faults=faults)
    calls = session.snapshot()["calls"]
    assert [c[0] for c in calls] == [init]  # nothing after a failed initialise
    # the progress is kept in the browser instead
    stored = session.frame.evaluate("Object.keys(localStorage).length")
    assert stored == 1


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_state_the_lms_never_stored_comes_back_from_the_browser(
        session: Session, quiz_packages: dict[str, Path], version: str) -> None:
    package = quiz_packages[version]
    location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
    # the LMS refuses every write of the bookmark and the state
    session.launch(package, version, f"lost-{version}",
                   faults={"mode": "false", "calls": {}, "match": f"suspend_data|{location}", "times": 1000})
    go_next(session, "intro")
    go_next(session, "numbers")
    go_next(session, "assessment")
    answer_final(session.frame, RIGHT, only=("single", "numeric"))
    session.frame.get_by_role("button", name="Exit course").click()
    cmi = session.snapshot()["cmi"]
    assert not cmi["suspend_data"]
    entry = {"core": {"entry": "resume"}} if version == "1.2" else {"entry": "resume"}
    session.launch(package, version, f"lost-{version}", cmi=entry)
    session.wait_page("assessment")
    frame = session.frame
    assert frame.get_by_role("radio", name="Green").is_checked()
    assert frame.get_by_role("textbox", name="Your answer (a number)").input_value() == "3.5"
