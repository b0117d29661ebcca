"""Both packages played in Moodle's own SCORM player, in headless Chromium, as a student.

One journey per SCORM version, published by ``builder publish moodle`` with its default
attempt options: start, leave on page 2 (suspend), come back to the same page, fail the final
test, launch again and pass it; after each step, what Moodle stored is read back with the
kit's ``tracks.php``: status, score, interactions, location, and the grade in the gradebook.
"""
from __future__ import annotations

import json
import re
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.learner import MIXED, RIGHT, answer_final, submit
from tests.moodle.kit import Moodle, publish_each_format, unique
from tests.serve_helpers import CHROMIUM, CHROMIUM_ARGS, need

# One Moodle serves every test of this folder: under pytest-xdist they all run on one worker
# (--dist loadgroup), so no second site is started and none is stopped while in use.
pytestmark = pytest.mark.xdist_group("moodle")

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "tests" / "courses" / "all-question-types"
PASSWORD = "Learn#2026x"
V12 = "scorm12"
FRAME = "scorm_object"   # the frame Moodle's player loads the SCO into


class BrowserThread:
    """Chromium driven from a thread of its own.

    Playwright's sync API allows one instance per thread, and the browser tests keep theirs
    open in the main thread for the whole session; this one lives in its own thread, and
    every use of it runs there (:meth:`run`), so the two never meet.
    """

    def __init__(self) -> None:
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="moodle-chromium")
        self.playwright: Any = None
        self.chromium: Any = None

    def start(self) -> None:
        def launch() -> None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            self.chromium = self.playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        self.worker.submit(launch).result()

    def run(self, task: Callable[[Any], None]) -> None:
        """Run *task(chromium)* in the browser's thread; its exceptions come back here."""
        self.worker.submit(task, self.chromium).result()

    def stop(self) -> None:
        def close() -> None:
            if self.chromium is not None:
                self.chromium.close()
            if self.playwright is not None:
                self.playwright.stop()
        try:
            self.worker.submit(close).result()
        finally:
            self.worker.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserThread]:
    """Debian's Chromium, headless, driven by Playwright (never ``playwright install``)."""
    need(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        need(False, "Playwright for Python is not installed (pip install playwright)")
        raise
    thread = BrowserThread()
    try:
        thread.start()
        yield thread
    finally:
        thread.stop()


@pytest.fixture(scope="module")
def published(moodle: Moodle, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Both formats of the all-question-types course, each published into its own course."""
    found = publish_each_format(moodle, COURSE, tmp_path_factory.mktemp("dist"), "play")
    for activity in found.values():
        with zipfile.ZipFile(activity["package"]) as archive:
            text = archive.read("assets/course.js").decode()
        activity["pages"] = [p["id"] for p in json.loads(text[text.index("{"):text.rindex("}") + 1])["pages"]]
    return found


class Learner:
    """A student in their own browser context, using Moodle's player as a person would."""

    def __init__(self, page: Any, moodle: Moodle, cmid: int, user: str) -> None:
        self.page, self.moodle, self.cmid, self.user = page, moodle, cmid, user

    def log_in(self) -> None:
        self.page.goto(f"{self.moodle.url}/login/index.php")
        self.page.fill("#username", self.user)
        self.page.fill("#password", PASSWORD)
        self.page.click("#loginbtn")
        self.page.wait_for_url("**/my/**")

    def launch(self) -> Any:
        """Open the activity, press Enter, wait for the package to start; return its frame."""
        self.page.goto(f"{self.moodle.url}/mod/scorm/view.php?id={self.cmid}")
        self.page.get_by_role("button", name="Enter").click()
        self.page.wait_for_url("**/mod/scorm/player.php**")
        self.page.wait_for_function(
            "name => { const f = document.getElementById(name); const d = f && f.contentDocument;"
            " return !!(d && d.documentElement && d.documentElement.classList.contains('js')"
            " && d.body && d.body.dataset.page); }", arg=FRAME, timeout=60_000)
        return self.frame()

    def frame(self) -> Any:
        return self.page.frame(name=FRAME)

    def current_page(self) -> str:
        return str(self.frame().evaluate("() => document.body.dataset.page"))

    def go_to(self, page_id: str) -> None:
        self.frame().get_by_role("link", name="Next", exact=True).click()
        self.frame().wait_for_function("id => document.body.dataset.page === id", arg=page_id)

    def exit_course(self, stored: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """Press the package's "Exit course", then wait until Moodle has stored what we expect."""
        self.frame().get_by_role("button", name="Exit course").click()
        deadline = time.monotonic() + 30
        while True:
            tracks = self.moodle.tracks(self.cmid, self.user)
            if stored(tracks) or time.monotonic() > deadline:
                return tracks
            time.sleep(0.5)


def elements(tracks: dict[str, Any], attempt: int) -> dict[str, str]:
    """The track elements Moodle stored for *attempt* (1-based) of the one SCO."""
    found = [a for a in tracks["attempts"] if a["attempt"] == attempt]
    return dict(found[0]["scoes"][0]["elements"]) if found else {}


def shown_score(results: str) -> float:
    """The percentage the package shows in its results ("Your score: 25%")."""
    found = re.search(r"Your score: ([0-9.]+)%", results)
    assert found, results
    return float(found.group(1))


def interactions(values: dict[str, str]) -> dict[str, dict[str, str]]:
    """Group stored interactions by id (``cmi.interactions_N.x`` in 1.2, ``….N.x`` in 2004)."""
    by_index: dict[str, dict[str, str]] = {}
    for key, value in values.items():
        found = re.fullmatch(r"cmi\.interactions[._](\d+)\.(\w+)", key)
        if found:
            by_index.setdefault(found.group(1), {})[found.group(2)] = value
    ordered = [by_index[index] for index in sorted(by_index, key=int)]
    return {item["id"]: item for item in ordered if "id" in item}   # a retry's answers win


def check_interaction_format(answers: dict[str, dict[str, str]], v12: bool) -> None:
    """Each version's own format: 1.2 ``time``/``wrong``/``a,b``; 2004 ``timestamp``/``[,]``."""
    assert len(answers) == 7, answers
    for item in answers.values():
        if v12:
            assert re.fullmatch(r"\d\d:\d\d:\d\d(\.\d+)?", item["time"]), item
            assert item["result"] in ("correct", "wrong") and "student_response" in item
        else:
            assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", item["timestamp"]), item
            assert item["result"] in ("correct", "incorrect") and "learner_response" in item
    ordering = answers["final_ordering"]
    assert ordering["type"] == "sequencing"
    separator = "," if v12 else "[,]"
    response = ordering["student_response" if v12 else "learner_response"]
    assert len(response.split(separator)) == 4, ordering


class Journey:
    """The three sessions of one student, with the element names of the package's version."""

    def __init__(self, learner: Learner, fmt: str, pages: list[str]) -> None:
        self.learner, self.pages, self.v12 = learner, pages, fmt == V12
        self.status = "cmi.core.lesson_status" if self.v12 else "cmi.success_status"
        self.location = "cmi.core.lesson_location" if self.v12 else "cmi.location"
        self.raw = "cmi.core.score.raw" if self.v12 else "cmi.score.raw"

    def suspend_on_page_2(self) -> None:
        """Session 1: read the first lesson page and leave: Moodle keeps the place."""
        self.learner.launch()
        self.learner.go_to(self.pages[1])
        tracks = self.learner.exit_course(
            lambda t: elements(t, 1).get(self.location) == self.pages[1])
        first = elements(tracks, 1)
        assert first[self.location] == self.pages[1]
        assert first["cmi.core.exit" if self.v12 else "cmi.exit"] == "suspend"

    def resume_and_fail(self) -> None:
        """Session 2: back on the same page; go on and fail the final test."""
        self.learner.launch()
        assert self.learner.current_page() == self.pages[1]
        for page_id in self.pages[2:]:
            self.learner.go_to(page_id)
        answer_final(self.learner.frame(), MIXED)
        shown = shown_score(submit(self.learner.frame()))
        assert 0 < shown < 80                                   # the pass mark is 80
        tracks = self.learner.exit_course(lambda t: elements(t, 1).get(self.status) == "failed")
        first = elements(tracks, 1)
        assert first[self.status] == "failed" and float(first[self.raw]) == shown
        answers = interactions(first)
        check_interaction_format(answers, self.v12)
        assert answers["final_single"]["result"] == "correct"
        assert answers["final_numeric"]["result"] == ("wrong" if self.v12 else "incorrect")
        assert float(tracks["grade"]["grade"]) == shown

    def retry_and_pass(self) -> None:
        """Session 3: retry and pass; the new score reaches the gradebook.

        SCORM 1.2: the attempt ended "failed", so Moodle starts attempt 2 by itself
        (forcenewattempt). SCORM 2004: the attempt is still incomplete (completion_status),
        so Moodle resumes it and the package offers its own retry.
        """
        self.learner.launch()
        if self.v12:
            assert self.learner.current_page() == self.pages[0]
            for page_id in self.pages[1:]:
                self.learner.go_to(page_id)
        else:
            assert self.learner.current_page() == self.pages[-1]
            self.learner.frame().get_by_role("button", name="Try again").click()
        attempt = 2 if self.v12 else 1
        answer_final(self.learner.frame(), RIGHT)
        assert shown_score(submit(self.learner.frame())) == 100
        tracks = self.learner.exit_course(
            lambda t: elements(t, attempt).get(self.status) == "passed")
        final = elements(tracks, attempt)
        assert final[self.status] == "passed" and float(final[self.raw]) == 100
        if self.v12:
            assert elements(tracks, 1)[self.status] == "failed"   # the first attempt is kept
        else:
            assert final["cmi.completion_status"] == "completed"
            assert float(final["cmi.score.scaled"]) == 1
        assert [a["result"] for a in interactions(final).values()].count("correct") == 7
        assert float(tracks["grade"]["grade"]) == 100             # the new score is the grade


def play(chromium: Any, moodle: Moodle, fmt: str, info: dict[str, Any], user: str) -> None:
    """The whole journey of one student in a fresh browser context (in the browser thread)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        learner = Learner(page, moodle, info["cmid"], user)
        learner.log_in()
        journey = Journey(learner, fmt, info["pages"])
        journey.suspend_on_page_2()
        journey.resume_and_fail()
        journey.retry_and_pass()
    finally:
        context.close()
    assert not errors, errors


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_a_student_suspends_resumes_fails_and_passes_in_moodles_player(
        fmt: str, moodle: Moodle, browser: BrowserThread, published: dict[str, Any]) -> None:
    info = published[fmt]
    user = unique("stu")
    moodle.enrol(user, PASSWORD, info["course"])
    browser.run(lambda chromium: play(chromium, moodle, fmt, info, user))


def fail_out_then_start_again(chromium: Any, moodle: Moodle, info: dict[str, Any],
                              user: str) -> None:
    """SCORM 2004: use up the final test's 3 tries failing, leave, come back and pass.

    With no try left, the package reports the attempt ``completed`` and ``failed``; Moodle
    (forcenewattempt "after completed, passed or failed") then starts attempt 2 by itself.
    """
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        learner = Learner(page, moodle, info["cmid"], user)
        learner.log_in()
        learner.launch()
        for page_id in info["pages"][1:]:
            learner.go_to(page_id)
        for tries in range(3):   # the final test allows 3 attempts
            if tries:
                learner.frame().get_by_role("button", name="Try again").click()
            answer_final(learner.frame(), MIXED)
            assert 0 < shown_score(submit(learner.frame())) < 80
        assert not learner.frame().get_by_role("button", name="Try again").is_visible()
        tracks = learner.exit_course(
            lambda t: elements(t, 1).get("cmi.completion_status") == "completed")
        first = elements(tracks, 1)
        assert (first.get("cmi.completion_status"), first.get("cmi.success_status")) == \
            ("completed", "failed")
        # Moodle starts a fresh attempt: the first page, and the test can be taken again
        learner.launch()
        assert learner.current_page() == info["pages"][0]
        for page_id in info["pages"][1:]:
            learner.go_to(page_id)
        answer_final(learner.frame(), RIGHT)
        assert shown_score(submit(learner.frame())) == 100
        tracks = learner.exit_course(
            lambda t: elements(t, 2).get("cmi.success_status") == "passed")
        final = elements(tracks, 2)
        assert (final.get("cmi.completion_status"), final.get("cmi.success_status")) == \
            ("completed", "passed")
        assert float(final["cmi.score.raw"]) == 100
        assert elements(tracks, 1)["cmi.success_status"] == "failed"   # attempt 1 is kept
        assert float(tracks["grade"]["grade"]) == 100                  # highest attempt
    finally:
        context.close()
    assert not errors, errors


def test_a_2004_learner_out_of_tries_gets_a_new_moodle_attempt(
        moodle: Moodle, browser: BrowserThread, published: dict[str, Any]) -> None:
    info = published["scorm2004"]
    user = unique("out")
    moodle.enrol(user, PASSWORD, info["course"])
    browser.run(lambda chromium: fail_out_then_start_again(chromium, moodle, info, user))
