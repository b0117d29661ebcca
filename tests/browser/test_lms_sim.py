"""The simulated LMS API (builder/lms_sim/lms.js) against scorm-again, call by call.

Both run in one Chromium page. Each scripted session is played on our API and on
scorm-again's with the same LMS-provided launch values; after every call we compare the
return value and ``GetLastError``. A second list covers cases where the SCORM books are
clear and scorm-again (3.x) answers differently; there we check the standard's answer.
"""
from __future__ import annotations

import json
from typing import Any

import pytest

from builder.lms_sim import STATIC_DIR
from builder.scorm import tracking_limits
from tests.serve_helpers import REPO, need

SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist" / "scorm-again.js"

RUNNER = """
([calls, errName, makeApi]) => {
  const api = (new Function("return " + makeApi))()();
  return calls.map((c) => {
    let r;
    try { r = api[c[0]].apply(api, c.slice(1)); } catch (e) { r = "THROW " + e; }
    return [String(r), String(api[errName]())];
  });
}
"""

LAUNCH12 = {"learnerId": "u1", "learnerName": "Doe, Jo", "credit": "credit", "mode": "normal",
            "masteryScore": "70", "launchData": "start=1"}
SA_LOAD12 = {"core": {"student_id": "u1", "student_name": "Doe, Jo", "entry": "ab-initio",
                      "credit": "credit", "lesson_mode": "normal"},
             "student_data": {"mastery_score": "70"}, "launch_data": "start=1"}
LAUNCH2004 = {"learnerId": "u1", "learnerName": "Doe, Jo", "credit": "credit", "mode": "normal",
              "scaledPassingScore": "0.7", "launchData": "start=1"}
SA_LOAD2004 = {"learner_id": "u1", "learner_name": "Doe, Jo", "entry": "ab-initio", "credit": "credit",
               "mode": "normal", "scaled_passing_score": "0.7", "launch_data": "start=1"}

G12, S12 = "LMSGetValue", "LMSSetValue"
SESSION12: list[list[str]] = [
    [G12, "cmi.core.lesson_status"], [S12, "cmi.core.lesson_status", "incomplete"], ["LMSCommit", ""],
    ["LMSFinish", ""], ["LMSInitialize", "x"], ["LMSInitialize", ""], ["LMSInitialize", ""],
    [G12, "cmi._version"], [G12, "cmi.core._children"], [G12, "cmi.core.student_id"],
    [G12, "cmi.core.student_name"], [G12, "cmi.core.lesson_status"], [G12, "cmi.core.entry"],
    [G12, "cmi.core.credit"], [G12, "cmi.core.lesson_mode"], [G12, "cmi.core.lesson_location"],
    [G12, "cmi.suspend_data"], [G12, "cmi.launch_data"], [G12, "cmi.student_data.mastery_score"],
    [G12, "cmi.core.score.raw"], [G12, "cmi.core.score._children"], [G12, "cmi.core.exit"],
    [G12, "cmi.core.session_time"], [G12, "cmi.core.foo"], [G12, "cmi.core.lesson_status._children"],
    [G12, "cmi.core._count"], [G12, "cmi.interactions._count"], [G12, "cmi.objectives._count"],
    [G12, "cmi.interactions._children"], [G12, "cmi.objectives._children"],
    [G12, "cmi.student_data._children"], [G12, "cmi.student_preference._children"],
    [G12, "cmi.comments"], [G12, "cmi.comments_from_lms"],
    [S12, "cmi.core.lesson_status", "not attempted"], [S12, "cmi.core.lesson_status", "done"],
    [S12, "cmi.core.lesson_status", "browsed"], [S12, "cmi.core.lesson_status", "incomplete"],
    [S12, "cmi.core.lesson_location", "p3"], [S12, "cmi.core.lesson_location", "x" * 256],
    [S12, "cmi.core.lesson_location", "x" * 255], [S12, "cmi.suspend_data", "y" * 4096],
    [S12, "cmi.suspend_data", "abc"], [S12, "cmi.core.score.raw", "85"],
    [S12, "cmi.core.score.raw", "85.5"], [S12, "cmi.core.score.raw", "101"],
    [S12, "cmi.core.score.raw", "-1"], [S12, "cmi.core.score.raw", "abc"],
    [S12, "cmi.core.score.min", "0"], [S12, "cmi.core.score.max", "100"], [S12, "cmi.core.score.raw", ""],
    [S12, "cmi.core.score.raw", "80"], [S12, "cmi.core.student_id", "me"], [S12, "cmi.core.entry", "resume"],
    [S12, "cmi.core.total_time", "0000:00:01"], [S12, "cmi.core._children", "x"],
    [S12, "cmi.interactions._count", "3"], [S12, "cmi._version", "3"], [S12, "cmi.core.foo", "x"],
    [S12, "cmi.core.exit", "suspend"], [S12, "cmi.core.exit", "bye"],
    [S12, "cmi.core.session_time", "0000:05:30.5"], [S12, "cmi.core.session_time", "00:05:30"],
    [S12, "cmi.core.session_time", "5:30"], [S12, "cmi.core.session_time", "PT5M"],
    [S12, "cmi.interactions.1.id", "q1"], [S12, "cmi.interactions.0.id", "q1"],
    [G12, "cmi.interactions._count"], [G12, "cmi.interactions.0.id"],
    [S12, "cmi.interactions.0.type", "choice"], [S12, "cmi.interactions.0.type", "multiple"],
    [S12, "cmi.interactions.0.student_response", "a,b"],
    [S12, "cmi.interactions.0.correct_responses.0.pattern", "a,b"],
    [G12, "cmi.interactions.0.correct_responses._count"], [S12, "cmi.interactions.0.result", "wrong"],
    [S12, "cmi.interactions.0.result", "0.5"], [S12, "cmi.interactions.0.weighting", "1"],
    [S12, "cmi.interactions.0.latency", "0000:00:12"], [S12, "cmi.interactions.0.time", "12:30:00"],
    [S12, "cmi.interactions.0.time", "25:30:00"], [S12, "cmi.interactions.0.objectives.0.id", "obj1"],
    [G12, "cmi.interactions.0.objectives._count"], [G12, "cmi.interactions.0.type"],
    [G12, "cmi.interactions.0.result"], [S12, "cmi.interactions.1.type", "true-false"],
    [S12, "cmi.objectives.0.id", "obj1"], [S12, "cmi.objectives.0.status", "passed"],
    [S12, "cmi.objectives.0.score.raw", "50"], [G12, "cmi.objectives.0.id"],
    [G12, "cmi.objectives.0.status"], [G12, "cmi.objectives.0.score.raw"], [G12, "cmi.objectives._count"],
    [G12, "cmi.objectives.5.id"], [S12, "cmi.student_preference.audio", "50"],
    [S12, "cmi.student_preference.audio", "101"], [S12, "cmi.student_preference.text", "2"],
    [S12, "cmi.student_preference.speed", "-50"], [S12, "cmi.comments", "hello"], [G12, "cmi.comments"],
    [S12, "cmi.core.lesson_status", "passed"], [G12, "cmi.core.lesson_status"], [G12, "cmi.core.score.raw"],
    [G12, "cmi.core.lesson_location"], ["LMSCommit", "x"], ["LMSCommit", ""], ["LMSFinish", ""],
]

G, S = "GetValue", "SetValue"
SESSION2004: list[list[str]] = [
    [G, "cmi.completion_status"], [S, "cmi.completion_status", "incomplete"], ["Commit", ""],
    ["Terminate", ""], ["Initialize", "x"], ["Initialize", ""], ["Initialize", ""], [G, ""],
    [G, "cmi._version"], [G, "cmi.completion_status"], [G, "cmi.success_status"], [G, "cmi.entry"],
    [G, "cmi.credit"], [G, "cmi.mode"], [G, "cmi.learner_id"], [G, "cmi.learner_name"], [G, "cmi.location"],
    [G, "cmi.suspend_data"], [G, "cmi.launch_data"], [G, "cmi.total_time"], [G, "cmi.score.raw"],
    [G, "cmi.score.scaled"], [G, "cmi.score._children"], [G, "cmi.progress_measure"],
    [G, "cmi.scaled_passing_score"], [G, "cmi.completion_threshold"], [G, "cmi.max_time_allowed"],
    [G, "cmi.time_limit_action"], [G, "cmi.exit"], [G, "cmi.session_time"], [G, "cmi.foo"],
    [G, "cmi.location._children"], [G, "cmi.location._count"], [G, "cmi.interactions._count"],
    [G, "cmi.interactions._children"], [G, "cmi.objectives._children"], [G, "cmi.objectives._count"],
    [G, "cmi.comments_from_learner._count"], [G, "cmi.comments_from_lms._count"],
    [G, "cmi.learner_preference._children"], [G, "cmi.learner_preference.audio_level"],
    [G, "cmi.learner_preference.language"], [G, "cmi.learner_preference.delivery_speed"],
    [G, "cmi.learner_preference.audio_captioning"],
    [S, "cmi.completion_status", "done"], [S, "cmi.completion_status", "incomplete"],
    [S, "cmi.success_status", "unknown"], [S, "cmi.location", "p3"], [S, "cmi.location", "x" * 1001],
    [S, "cmi.location", "x" * 1000], [S, "cmi.suspend_data", "y" * 64000], [S, "cmi.suspend_data", "y" * 64001],
    [S, "cmi.suspend_data", "abc"], [S, "cmi.score.scaled", "0.85"], [S, "cmi.score.scaled", "1.5"],
    [S, "cmi.score.scaled", "-1"], [G, "cmi.success_status"], [S, "cmi.score.scaled", "abc"],
    [S, "cmi.score.raw", "85"], [S, "cmi.score.raw", "850"], [S, "cmi.score.min", "0"],
    [S, "cmi.score.max", "100"], [S, "cmi.score.scaled", "0.8"], [G, "cmi.success_status"],
    [S, "cmi.progress_measure", "0.5"], [S, "cmi.progress_measure", "2"], [S, "cmi.learner_id", "me"],
    [S, "cmi.entry", "resume"], [S, "cmi.total_time", "PT1S"], [S, "cmi.score._children", "x"],
    [S, "cmi.interactions._count", "3"], [S, "cmi._version", "3"], [S, "cmi.foo", "x"], [S, "", "x"],
    [S, "cmi.exit", "suspend"], [S, "cmi.exit", "bye"], [S, "cmi.session_time", "PT5M30.5S"],
    [S, "cmi.session_time", "0000:05:30"], [S, "cmi.session_time", "P1DT2H"],
    [S, "cmi.interactions.1.id", "q1"], [S, "cmi.interactions.0.type", "choice"],
    [S, "cmi.interactions.0.id", "q1"], [G, "cmi.interactions._count"], [G, "cmi.interactions.0.id"],
    [G, "cmi.interactions.0.type"], [S, "cmi.interactions.0.learner_response", "a"],
    [S, "cmi.interactions.0.type", "multiple"], [S, "cmi.interactions.0.type", "choice"],
    [S, "cmi.interactions.0.learner_response", "a[,]b"], [S, "cmi.interactions.0.learner_response", "a[,]a"],
    [S, "cmi.interactions.0.correct_responses.0.pattern", "a[,]b"],
    [S, "cmi.interactions.0.correct_responses.1.pattern", "a[,]b"],
    [G, "cmi.interactions.0.correct_responses._count"],
    [G, "cmi.interactions.0.correct_responses.0.pattern"], [S, "cmi.interactions.0.result", "wrong"],
    [S, "cmi.interactions.0.result", "incorrect"], [S, "cmi.interactions.0.result", "0.5"],
    [S, "cmi.interactions.0.weighting", "1"], [S, "cmi.interactions.0.latency", "PT12S"],
    [S, "cmi.interactions.0.latency", "12"], [S, "cmi.interactions.0.timestamp", "2026-11-27T12:30:00"],
    [S, "cmi.interactions.0.timestamp", "2026-13-27T12:30:00"],
    [S, "cmi.interactions.0.timestamp", "12:30:00"], [S, "cmi.interactions.0.description", "What is it?"],
    [S, "cmi.interactions.0.objectives.0.id", "obj1"], [G, "cmi.interactions.0.result"],
    [G, "cmi.interactions.0.learner_response"], [G, "cmi.interactions.0.latency"],
    [S, "cmi.interactions.1.id", "urn:q2"], [G, "cmi.interactions.1.type"], [G, "cmi.interactions.1.result"],
    [S, "cmi.interactions.1.type", "true-false"], [S, "cmi.interactions.1.learner_response", "maybe"],
    [S, "cmi.interactions.1.learner_response", "true"],
    [S, "cmi.interactions.1.correct_responses.0.pattern", "false"],
    [S, "cmi.interactions.1.correct_responses.1.pattern", "true"],
    [S, "cmi.interactions.2.id", "q3"], [S, "cmi.interactions.2.type", "fill-in"],
    [S, "cmi.interactions.2.learner_response", "remittances"],
    [S, "cmi.interactions.2.correct_responses.0.pattern", "{case_matters=false}remittances[,]remittance"],
    [S, "cmi.interactions.3.id", "q4"], [S, "cmi.interactions.3.type", "matching"],
    [S, "cmi.interactions.3.learner_response", "1[.]a[,]2[.]b"],
    [S, "cmi.interactions.3.learner_response", "1a"], [S, "cmi.interactions.4.id", "q5"],
    [S, "cmi.interactions.4.type", "numeric"], [S, "cmi.interactions.4.learner_response", "42"],
    [S, "cmi.interactions.4.learner_response", "forty"],
    [S, "cmi.interactions.4.correct_responses.0.pattern", "41.5[:]42.5"],
    [S, "cmi.interactions.5.id", "q6"], [S, "cmi.interactions.5.type", "sequencing"],
    [S, "cmi.interactions.5.learner_response", "c[,]a[,]b"],
    [S, "cmi.interactions.5.correct_responses.0.pattern", "a[,]b[,]c"],
    [S, "cmi.objectives.0.success_status", "passed"], [S, "cmi.objectives.0.id", "obj1"],
    [S, "cmi.objectives.0.success_status", "passed"], [S, "cmi.objectives.0.score.scaled", "0.5"],
    [G, "cmi.objectives.0.id"], [G, "cmi.objectives.0.success_status"],
    [G, "cmi.objectives.0.completion_status"], [G, "cmi.objectives.0.score.raw"],
    [S, "cmi.comments_from_learner.0.comment", "{lang=en}Nice"],
    [S, "cmi.comments_from_learner.0.location", "p2"], [G, "cmi.comments_from_learner.0.comment"],
    [G, "cmi.comments_from_learner.0.timestamp"], [S, "cmi.comments_from_lms.0.comment", "x"],
    [S, "cmi.learner_preference.audio_level", "0.5"], [S, "cmi.learner_preference.audio_level", "-1"],
    [S, "cmi.learner_preference.audio_captioning", "2"], [S, "cmi.learner_preference.audio_captioning", "x"],
    [S, "cmi.learner_preference.language", "fr-CA"], [S, "adl.nav.request", "continue"],
    [S, "adl.nav.request", "fly"], [S, "cmi.completion_status", "completed"], [S, "cmi.score.scaled", "0.9"],
    [G, "cmi.completion_status"], [G, "cmi.success_status"], [G, "cmi.score.scaled"], [G, "cmi.location"],
    ["Commit", "x"], ["Commit", ""], ["Terminate", ""], [G, "cmi.completion_status"],
    [S, "cmi.completion_status", "completed"], ["Commit", ""], ["Terminate", ""], ["Initialize", ""],
]

# Where the SCORM books are clear and scorm-again 3.x answers otherwise: (calls, our
# expected [result, error] for the last call).
STANDARD12: list[tuple[list[list[str]], list[str], str]] = [
    ([[S12, "cmi.suspend_data", "y" * 4097]], ["false", "405"], "suspend_data is CMIString4096"),
    ([[S12, "cmi.interactions.0.id", "q 1"]], ["false", "405"], "CMIIdentifier has no spaces"),
    ([[S12, "cmi.interactions.0.id", "q1"], [S12, "cmi.interactions.0.result", "incorrect"]],
     ["false", "405"], "the 1.2 vocabulary says 'wrong'"),
    ([["LMSFinish", ""], [G12, "cmi.core.lesson_status"]], ["", "301"], "no data calls after LMSFinish"),
    ([["LMSFinish", ""], ["LMSFinish", ""]], ["false", "301"], "one LMSFinish per launch"),
]
STANDARD2004: list[tuple[list[list[str]], list[str], str]] = [
    ([[G, "adl.nav.request"]], ["_none_", "0"], "adl.nav.request is read/write, initially _none_"),
    ([[S, "cmi.session_time", "PT"]], ["false", "406"], "a duration needs at least one component"),
    ([[S, "cmi.interactions.0.id", "q1"], [S, "cmi.interactions.0.timestamp", "2026-11-27T12:30:00Z"]],
     ["true", "0"], "timestamps may end with a time zone designator"),
    ([[S, "cmi.objectives.0.id", "a"], [S, "cmi.objectives.1.id", "a"], [G, "cmi.objectives._count"]],
     ["1", "0"], "a refused SetValue creates no array entry"),
    ([[G, "cmi.objectives.5.id"]], ["", "301"], "reading past the end of an array is a get failure"),
    ([[S, "cmi.score.scaled", "abc"], [G, "cmi.success_status"]], ["unknown", "0"],
     "a successful call clears the last error"),
]


def _play(page: Any, version: str, calls: list[list[str]], ours: bool) -> list[list[str]]:
    err = "LMSGetLastError" if version == "1.2" else "GetLastError"
    if ours:
        launch = LAUNCH12 if version == "1.2" else LAUNCH2004
        make = f"() => BuilderLMS.create({version!r}, {{limits: limitsFor({version!r}), launch: {launch!r}}}).api"
    else:
        ctor = "Scorm12API" if version == "1.2" else "Scorm2004API"
        load = SA_LOAD12 if version == "1.2" else SA_LOAD2004
        make = (f"() => {{ const a = new {ctor}({{autocommit: false, lmsCommitUrl: false, logLevel: 5}}); "
                f"a.loadFromJSON({load!r}); return a; }}")
    return page.evaluate(RUNNER, [calls, err, make])  # type: ignore[no-any-return]


def _normalise(call: list[str], answer: list[str]) -> list[str]:
    # The books list _children names without fixing their order.
    if call[0].endswith("GetValue") and call[1].endswith("._children"):
        return [",".join(sorted(answer[0].split(","))), answer[1]]
    return answer


@pytest.fixture(scope="module")
def page(browser: Any) -> Any:
    """A blank Chromium page with scorm-again and our simulated LMS loaded."""
    need(SCORM_AGAIN.is_file(), f"{SCORM_AGAIN} is missing (run 'npm install' in the repository)")
    context = browser.new_context()
    tab = context.new_page()
    tab.set_content("<!doctype html><html><head></head><body></body></html>")
    tab.add_script_tag(path=str(SCORM_AGAIN))
    tab.add_script_tag(path=str(STATIC_DIR / "lms.js"))
    # the limits the preview page passes in: the one table builder.scorm reads
    tab.add_script_tag(content=f"window.LIMITS = {json.dumps(tracking_limits())}; "
                               "window.limitsFor = (v) => LIMITS[v === '1.2' ? 'scorm12' : 'scorm2004'];")
    yield tab
    context.close()


@pytest.mark.parametrize("version, calls", [("1.2", SESSION12), ("2004", SESSION2004)])
def test_same_answers_as_scorm_again(page: Any, version: str, calls: list[list[str]]) -> None:
    ours = _play(page, version, calls, ours=True)
    theirs = _play(page, version, calls, ours=False)
    differences = [
        f"#{i} {call[0]}({', '.join(a[:40] for a in call[1:])}): ours {o}, scorm-again {t}"
        for i, (call, o, t) in enumerate(zip(calls, ours, theirs))
        if _normalise(call, o) != _normalise(call, t)
    ]
    assert differences == []
    # The session did real work: values were stored and errors were raised along the way.
    assert ["true", "0"] in ours and any(code not in ("0",) for _result, code in ours)


@pytest.mark.parametrize("version, case",
                         [("1.2", c) for c in STANDARD12] + [("2004", c) for c in STANDARD2004],
                         ids=lambda v: v[2] if isinstance(v, tuple) else v)
def test_standard_where_scorm_again_differs(page: Any, version: str,
                                            case: tuple[list[list[str]], list[str], str]) -> None:
    calls, expected, _why = case
    start = [["LMSInitialize" if version == "1.2" else "Initialize", ""]]
    answers = _play(page, version, start + calls, ours=True)
    assert answers[-1] == expected


def test_resume_carries_data_and_total_time(page: Any) -> None:
    script = """() => {
      const first = BuilderLMS.create("2004", {limits: limitsFor("2004")});
      const a = first.api;
      a.Initialize(""); a.SetValue("cmi.location", "lesson-3"); a.SetValue("cmi.suspend_data", "abc");
      a.SetValue("cmi.session_time", "PT1M30S"); a.SetValue("cmi.exit", "suspend"); a.Terminate("");
      const next = BuilderLMS.create("2004", {limits: limitsFor("2004"),
                                              state: BuilderLMS.nextLaunchState(first.runtime.snapshot())});
      const b = next.api;
      b.Initialize("");
      const out = [b.GetValue("cmi.entry"), b.GetValue("cmi.location"), b.GetValue("cmi.suspend_data"),
                   b.GetValue("cmi.total_time")];
      b.SetValue("cmi.session_time", "PT30S"); b.SetValue("cmi.exit", "normal"); b.Terminate("");
      const third = BuilderLMS.create("2004", {limits: limitsFor("2004"),
                                               state: BuilderLMS.nextLaunchState(next.runtime.snapshot())});
      third.api.Initialize("");
      out.push(third.api.GetValue("cmi.entry"), third.api.GetValue("cmi.total_time"));
      return out;
    }"""
    assert page.evaluate(script) == ["resume", "lesson-3", "abc", "PT1M30S", "", "PT2M0S"]


def test_log_records_calls_with_error_codes(page: Any) -> None:
    script = """() => {
      const seen = [];
      const s = BuilderLMS.create("1.2", {limits: limitsFor("1.2"),
                                          onCall: (e) => seen.push([e.fn, e.result, e.error])});
      s.api.LMSGetValue("cmi.core.lesson_status");
      s.api.LMSInitialize("");
      s.api.LMSSetValue("cmi.core.score.raw", "abc");
      s.api.LMSGetLastError();
      return seen;
    }"""
    assert page.evaluate(script) == [["LMSGetValue", "", 301], ["LMSInitialize", "true", 0],
                                     ["LMSSetValue", "false", 405], ["LMSGetLastError", "405", None]]


def test_limits_come_from_the_table_it_is_given(page: Any) -> None:
    """lms.js holds no limit of its own: a smaller table makes it refuse shorter values."""
    script = """() => {
      const small = Object.assign({}, limitsFor("1.2"), {suspend_data: 10, location: 3});
      const a = BuilderLMS.create("1.2", {limits: small}).api;
      a.LMSInitialize("");
      const out = [a.LMSSetValue("cmi.suspend_data", "x".repeat(10)), a.LMSSetValue("cmi.suspend_data", "x".repeat(11)),
                   a.LMSSetValue("cmi.core.lesson_location", "abcd")];
      let missing = "";
      try { BuilderLMS.create("1.2", {}); } catch (e) { missing = "refused"; }
      return out.concat([missing]);
    }"""
    assert page.evaluate(script) == ["true", "false", "false", "refused"]
