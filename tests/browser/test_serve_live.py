"""``builder serve`` in Chromium: live reload, build errors, the inspector after a course walk.

The server runs in a subprocess on a copy of the example course. The course walk uses the
course's own controls (links, labelled inputs, buttons); the same walk is also recorded by
scorm-again, an independent SCORM runtime, and both records must agree.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.browser.learner import show_question, to_review
from tests.serve_helpers import REPO, copy_example, need, running_server

SLUG = "migration-local-development"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the example course as one SCO (the preview of several SCOs: test_serve_units.py)."""
    return copy_example(tmp_path, units="course")


@pytest.fixture
def server(course: Path, tmp_path: Path) -> Any:
    """The base URL of ``builder serve`` running on the copied course."""
    work = tmp_path / "work"
    work.mkdir()
    with running_server(course, work) as url:
        yield url


@pytest.fixture
def context(browser: Any) -> Any:
    """A fresh browser context (own storage), closed after the test."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield ctx
    ctx.close()


def _lms(context: Any, server: str, fmt: str) -> Any:
    page = context.new_page()
    page.goto(f"{server}/{SLUG}/lms.html?format={fmt}")
    page.frame_locator("#course-frame").locator("main h1").first.wait_for()
    return page


@pytest.mark.parametrize("fmt", ["scorm2004", "none"])
def test_live_reload_shows_an_edited_lesson(context: Any, server: str, course: Path, fmt: str) -> None:
    page = _lms(context, server, fmt)
    frame = page.frame_locator("#course-frame")
    frame.get_by_role("link", name="Start").click()
    frame.locator("main h1", has_text="Why migration is a local matter").wait_for()
    lesson = course / "lessons" / "01-why-migration-is-local.md"
    marker = "A sentence added while the preview is open."
    lesson.write_text(lesson.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
    # The bound: the change shows within 2 seconds, with no manual reload, on the
    # page the author was reading.
    frame.get_by_text(marker).wait_for(timeout=2000)
    assert frame.locator("main h1").first.inner_text() == "Why migration is a local matter"
    if fmt == "scorm2004":
        assert page.locator("#v-entry").inner_text() == "resume"


def test_broken_yaml_shows_the_check_errors_then_recovers(context: Any, server: str, course: Path) -> None:
    config = course / "course.yml"
    good = config.read_text(encoding="utf-8")
    page = _lms(context, server, "scorm12")
    direct = context.new_page()
    direct.goto(f"{server}/{SLUG}/pkg/none/index.html")
    config.write_text(good.replace("language: en", "language: [en"), encoding="utf-8")
    errors = page.locator("#build-errors")
    errors.wait_for(state="visible")
    expected = subprocess.run([sys.executable, "-m", "builder", "check", str(course)], capture_output=True,
                              text=True, timeout=60, cwd=course.parent.parent).stderr
    first = next(line for line in expected.splitlines() if re.search(r"course\.yml:\d+", line))
    assert first.split(": ", 1)[1] in page.locator("#problems").inner_text()
    assert re.search(r"course\.yml:\d+: error:", page.locator("#problems").inner_text())
    # A page opened on its own reloads into the same error page.
    direct.locator("h1", has_text="The course does not build").wait_for()
    assert "course.yml:" in direct.locator(".problems").inner_text()
    config.write_text(good, encoding="utf-8")
    errors.wait_for(state="hidden")
    page.frame_locator("#course-frame").locator("main h1").first.wait_for()
    direct.locator("main h1", has_text="Migration and local development").wait_for()


def answer_quizzes(frame: Any) -> int:
    """Answer every quiz on the shown page correctly, by its labelled controls; return how many."""
    forms = frame.locator("form.quiz")
    count = forms.count()
    for i in range(count):
        form = forms.nth(i)
        quiz = form.get_attribute("data-quiz")
        data = json.loads(frame.locator(f'script.quiz-data[data-quiz="{quiz}"]').text_content())
        for q in data["questions"]:
            base = f"#q-{quiz}-{q['id']}"
            show_question(form.locator(base))
            kind = q["type"]
            if kind in ("single", "multiple"):
                for choice in q["correct"]:
                    form.locator(f"{base}-{choice}").check()
            elif kind == "true-false":
                form.locator(f"{base}-{'true' if q['correct'] else 'false'}").check()
            elif kind == "fill-in":
                form.locator(f"{base}-input").fill(q["answers"][0])
            elif kind == "numeric":
                form.locator(f"{base}-input").fill(str(q["value"]))
            elif kind in ("matching", "ordering"):  # the no-script drop-downs, shown again
                form.locator(base).evaluate("fs => fs.querySelector('.rows').hidden = false")
                for key, value in q["pairs"] if kind == "matching" else \
                        [(item, str(n)) for n, item in enumerate(q["order"], start=1)]:
                    form.locator(f"{base}-{key}").select_option(value)
        to_review(form)
        form.locator("button[type=submit]").click()
        frame.locator(f'.quiz-results[data-quiz="{quiz}"]').wait_for()
    return count


def walk_course(frame: Any) -> int:
    """Go through every page with the Next links, answering the quizzes; return the quizzes done."""
    # Wait for each page change by the id the runtime sets once the new page is in place:
    # reading the old page while the new one is still loading would skip a page.
    frame.get_by_role("link", name="Start").click()
    frame.locator("body:not([data-page='index'])").wait_for()
    done = 0
    while True:
        frame.locator("main h1").first.wait_for()
        done += answer_quizzes(frame)
        following = frame.get_by_role("link", name="Next", exact=True)
        if following.count() == 0:
            return done
        shown = frame.locator("body").get_attribute("data-page")
        following.first.click()
        frame.locator(f"body:not([data-page='{shown}'])").wait_for()


def _recorded(page: Any, fmt: str) -> dict[str, str]:
    if fmt == "scorm2004":
        return {"status": page.locator("#v-completion").inner_text(),
                "success": page.locator("#v-success").inner_text(), "score": page.locator("#v-score").inner_text()}
    return {"status": page.locator("#v-lesson-status").inner_text(), "score": page.locator("#v-score").inner_text()}


@pytest.mark.parametrize("fmt", ["scorm2004", "scorm12"])
def test_completing_the_course_shows_in_the_inspector(context: Any, server: str, fmt: str) -> None:
    expected = ({"status": "completed", "success": "passed", "score": "scaled 1, raw 100 (min 0, max 100)"}
                if fmt == "scorm2004" else {"status": "passed", "score": "100 (min 0, max 100)"})
    page = _lms(context, server, fmt)
    frame = page.frame_locator("#course-frame")
    assert walk_course(frame) >= 4
    page.locator("#v-score", has_text="100").wait_for()
    assert _recorded(page, fmt) == expected
    assert int(page.locator("#interaction-count").inner_text()) > 0
    page.get_by_role("button", name="Leave and resume").click()
    page.locator("#log", has_text="relaunch").wait_for()
    finish = "Terminate" if fmt == "scorm2004" else "LMSFinish"
    assert f'{finish}("")' in page.locator("#log").inner_text()
    assert _recorded(page, fmt) == expected
    # The data is kept by the server: a new LMS page shows the same record.
    again = _lms(context, server, fmt)
    again.locator("#v-score", has_text="100").wait_for()
    assert _recorded(again, fmt) == expected


SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist" / "scorm-again.js"
SA_HOST = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>scorm-again host</title>
<script src="/__sa__/scorm-again.js"></script>
<script>
  const settings = {autocommit: false, lmsCommitUrl: false, logLevel: 5};
  if (%(v12)s) {
    window.API = new Scorm12API(settings);
    window.API.loadFromJSON({core: {student_id: "preview-learner", student_name: "Learner, Preview",
      entry: "ab-initio", credit: "credit", lesson_mode: "normal"}, student_data: {mastery_score: "70"}});
  } else {
    window.API_1484_11 = new Scorm2004API(settings);
    window.API_1484_11.loadFromJSON({learner_id: "preview-learner", learner_name: "Learner, Preview",
      entry: "ab-initio", credit: "credit", mode: "normal", scaled_passing_score: "0.7"});
  }
</script></head><body>
<iframe id="course-frame" title="Course" src="/%(slug)s/pkg/%(fmt)s/index.html"
  style="width:1000px;height:900px"></iframe>
</body></html>"""
# What an LMS keeps of a walk; times and latencies differ between two walks, so they are left out.
SAVE_COUNT = re.compile(r"(?<=^1)\|[0-9a-z]+\|")
RECORDED = re.compile(r"^cmi\.(core\.lesson_status|core\.score\.\w+|core\.lesson_location|completion_status|"
                      r"success_status|score\.\w+|progress_measure|location|suspend_data|"
                      r"interactions\.\d+\.(id|type|student_response|learner_response|result|weighting|"
                      r"correct_responses\.\d+\.pattern))$")


def _flatten(value: Any, prefix: str = "cmi") -> dict[str, str]:
    if isinstance(value, dict):
        flat: dict[str, str] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}"))
        return flat
    return {prefix: str(value)}


@pytest.mark.parametrize("fmt", ["scorm2004", "scorm12"])
def test_inspector_records_what_scorm_again_records(
        browser: Any, context: Any, server: str, fmt: str) -> None:
    need(SCORM_AGAIN.is_file(), f"{SCORM_AGAIN} is missing (run 'npm install' in the repository)")
    ours = _lms(context, server, fmt)
    walk_course(ours.frame_locator("#course-frame"))
    ours.locator("#v-score", has_text="100").wait_for()
    ours.get_by_role("button", name="Leave and resume").click()
    ours.locator("#log", has_text="relaunch").wait_for()
    with urllib.request.urlopen(f"{server}/__api__/{SLUG}/{fmt}") as response:
        stored = json.load(response)["state"]["values"]
    mine = {k: v for k, v in stored.items() if RECORDED.match(k) and v != ""}

    other = browser.new_context(viewport={"width": 1100, "height": 1000})
    host = other.new_page()
    host.route("**/__sa__/scorm-again.js",
               lambda route: route.fulfill(path=str(SCORM_AGAIN), content_type="text/javascript"))
    page_url = f"{server}/{SLUG}/sa-host.html"
    html = SA_HOST % {"v12": "true" if fmt == "scorm12" else "false", "slug": SLUG, "fmt": fmt}
    host.route(page_url, lambda route: route.fulfill(body=html, content_type="text/html"))
    host.goto(page_url)
    frame = host.frame_locator("#course-frame")
    frame.locator("main h1").first.wait_for()
    walk_course(frame)
    # Leave as in our LMS page: unloading the course makes it terminate its session.
    host.evaluate("() => { document.getElementById('course-frame').src = 'about:blank'; }")
    host.wait_for_function("() => document.getElementById('course-frame').contentWindow.location.href"
                           " === 'about:blank'")
    api = "API" if fmt == "scorm12" else "API_1484_11"
    theirs_all = _flatten(host.evaluate(f"() => window.{api}.renderCMIToJSONObject()")["cmi"])
    theirs = {k: v for k, v in theirs_all.items() if RECORDED.match(k) and v != ""}
    other.close()
    # The second field of suspend_data counts saves (how often the runtime reported), which
    # depends on timing (unload and visibility events); the learner's data must be equal.
    for values in (mine, theirs):
        if "cmi.suspend_data" in values:
            values["cmi.suspend_data"] = SAVE_COUNT.sub("|#|", values["cmi.suspend_data"], count=1)
    assert mine == theirs
    assert mine[("cmi.core.lesson_status" if fmt == "scorm12" else "cmi.success_status")] == "passed"


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def test_lms_page_passes_axe_and_works_from_the_keyboard(context: Any, server: str) -> None:
    need(AXE.is_file(), f"{AXE} is missing (run 'npm install' in the repository)")
    for path in ("/", f"/{SLUG}/lms.html?format=scorm12", f"/{SLUG}/lms.html?format=none"):
        page = context.new_page()
        page.goto(server + path)
        page.locator("h1").first.wait_for()
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("() => axe.run(document, {exclude: [['#course-frame']]})"
                                   ".then(r => r.violations.map(v => v.id + ': ' + v.help))")
        assert violations == [], path
    page = _lms(context, server, "scorm2004")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to the inspector"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "inspector"
    page.locator("#v-session", has_text="running").wait_for()
    page.get_by_role("button", name="New attempt").focus()
    page.keyboard.press("Enter")
    page.locator("#v-attempt", has_text="2").wait_for()
    page.locator("#log", has_text="new attempt 2").wait_for()
