"""``builder serve``: the server in a subprocess, checked over HTTP and in Chromium.

Every test works on a copy of the example course in a temporary folder, with the
server's temporary build area inside it (``TMPDIR``), so nothing in the repository changes.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from builder.serve import inject, is_loopback, safe_join
from tests.serve_helpers import REPO, chromium, free_port, need, running_server

EXAMPLE = REPO / "courses" / "migration-local-development"
SLUG = EXAMPLE.name


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the example course."""
    dest = tmp_path / "courses" / SLUG
    shutil.copytree(EXAMPLE, dest)
    return dest


@pytest.fixture
def server(course: Path, tmp_path: Path) -> Any:
    """The base URL of ``builder serve`` running on the copied course."""
    work = tmp_path / "work"
    work.mkdir()
    with running_server(course, work) as url:
        yield url


def raw_get(base: str, path: str) -> tuple[int, bytes]:
    """GET *path* exactly as written (no client-side normalisation of ``..``)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# ---------------------------------------------------------------- pure helpers
def test_safe_join_refuses_every_way_out(tmp_path: Path) -> None:
    base = tmp_path / "pkg"
    (base / "media").mkdir(parents=True)
    (base / "media" / "a.txt").write_text("a")
    (tmp_path / "secret.txt").write_text("s")
    (base / "media" / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert safe_join(base, "media/a.txt") == (base / "media" / "a.txt").resolve()
    for bad in ("../secret.txt", "media/../../secret.txt", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt",
                "/etc/passwd", "%2fetc%2fpasswd", "..\\secret.txt", "media%5c..%5c..%5csecret.txt",
                "C:/Windows/win.ini", "media/link.txt", "media/./a.txt", "a%00.txt"):
        assert safe_join(base, bad) is None, bad


def test_loopback_only_names() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")


def test_reload_script_goes_before_body_end() -> None:
    page = b"<html><body><p>x</p></body></html>"
    assert inject(page, "<script></script>") == b"<html><body><p>x</p><script></script></body></html>"
    assert inject(b"<p>no body</p>", "<s>") == b"<p>no body</p><s>"


def test_refuses_a_remote_address_without_the_flag(course: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "builder", "serve", str(course), "--host", "0.0.0.0"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 1
    assert "--allow-remote" in done.stderr
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------- over HTTP
def test_start_page_lists_the_course_and_links_to_the_lms(server: str) -> None:
    with urllib.request.urlopen(server + "/") as response:
        page = response.read().decode("utf-8")
    assert "Migration and local development" in page
    for fmt in ("scorm12", "scorm2004", "none"):
        assert f'href="/{SLUG}/lms.html?format={fmt}"' in page


def test_package_files_are_served_with_the_reload_script(server: str, tmp_path: Path) -> None:
    status, body = raw_get(server, f"/{SLUG}/pkg/scorm2004/index.html")
    assert status == 200
    assert b"/__builder__/reload.js" in body
    status, manifest = raw_get(server, f"/{SLUG}/pkg/scorm2004/imsmanifest.xml")
    assert status == 200 and b"2004 4th Edition" in manifest
    # The package on disk stays clean, and it is built in the temporary area, not dist/.
    built = tmp_path / "work" / "builder-serve" / SLUG / "pkg" / "scorm2004" / "index.html"
    assert b"reload.js" not in built.read_bytes()
    assert not (tmp_path / "work" / "dist").exists()


def test_traversal_requests_get_404(server: str, tmp_path: Path) -> None:
    (tmp_path / "work" / "secret.txt").write_text("secret")
    for path in (f"/{SLUG}/pkg/scorm2004/../../state-scorm2004.json",
                 f"/{SLUG}/pkg/scorm2004/%2e%2e/%2e%2e/%2e%2e/secret.txt",
                 f"/{SLUG}/pkg/scorm2004/%2E%2E%2F%2E%2E%2Fsecret.txt",
                 f"/{SLUG}/pkg/scorm2004/..%5c..%5csecret.txt",
                 f"/{SLUG}/pkg/scorm2004//etc/passwd",
                 f"/{SLUG}/pkg/scorm2004/%2fetc%2fpasswd",
                 "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd",
                 "/__builder__/../serve.py", "/__builder__/%2e%2e%2fserve.py", f"/{SLUG}/course.yml"):
        status, body = raw_get(server, path)
        assert status == 404, path
        assert b"secret" not in body and b"root:" not in body


def test_lms_data_survives_through_the_api(server: str) -> None:
    url = f"{server}/__api__/{SLUG}/scorm12"
    state = {"version": "1.2", "values": {"cmi.core.lesson_status": "passed"}, "counts": {},
             "entry": "ab-initio", "attempt": 1, "sessions": 1, "lastExit": "suspend"}
    request = urllib.request.Request(url, data=json.dumps({"state": state}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        assert json.load(response) == {"saved": True}
    with urllib.request.urlopen(url) as response:
        answer = json.load(response)
    assert answer["state"] == state
    assert answer["launch"] == {"masteryScore": "70"}


# ---------------------------------------------------------------- in Chromium
def _lms(browser: Any, server: str, fmt: str) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/{SLUG}/lms.html?format={fmt}")
    page.frame_locator("#course-frame").locator("main h1").first.wait_for()
    return page


def test_live_reload_shows_an_edited_lesson(server: str, course: Path) -> None:
    with chromium() as browser:
        page = _lms(browser, server, "scorm2004")
        frame = page.frame_locator("#course-frame")
        frame.get_by_role("link", name="Start").click()
        frame.locator("main h1", has_text="Why migration is a local matter").wait_for()
        lesson = course / "lessons" / "01-why-migration-is-local.md"
        marker = "A sentence added while the preview is open."
        lesson.write_text(lesson.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
        # The bound: the change shows within 2 seconds, with no manual reload.
        frame.get_by_text(marker).wait_for(timeout=2000)
        assert page.locator("#v-entry").inner_text() == "resume"


def test_broken_yaml_shows_the_check_errors_then_recovers(server: str, course: Path) -> None:
    config = course / "course.yml"
    good = config.read_text(encoding="utf-8")
    with chromium() as browser:
        page = _lms(browser, server, "scorm12")
        direct = browser.new_page()
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
            elif kind == "matching":
                for pair, match in q["pairs"]:
                    form.locator(f"{base}-{pair}").select_option(match)
            elif kind == "ordering":
                for position, item in enumerate(q["order"], start=1):
                    form.locator(f"{base}-{item}").select_option(str(position))
        form.locator("button[type=submit]").click()
        frame.locator(f'.quiz-results[data-quiz="{quiz}"]').wait_for()
    return count


def walk_course(frame: Any) -> int:
    """Go through every page with the Next links, answering the quizzes; return the quizzes done."""
    frame.get_by_role("link", name="Start").click()
    done = 0
    while True:
        frame.locator("main h1").first.wait_for()
        done += answer_quizzes(frame)
        following = frame.get_by_role("link", name="Next", exact=True)
        if following.count() == 0:
            return done
        title = frame.locator("main h1").first.inner_text()
        following.first.click()
        frame.locator("main h1").first.filter(has_not_text=title).wait_for()


def _recorded(page: Any, fmt: str) -> dict[str, str]:
    if fmt == "scorm2004":
        return {"status": page.locator("#v-completion").inner_text(),
                "success": page.locator("#v-success").inner_text(), "score": page.locator("#v-score").inner_text()}
    return {"status": page.locator("#v-lesson-status").inner_text(), "score": page.locator("#v-score").inner_text()}


@pytest.mark.parametrize("fmt", ["scorm2004", "scorm12"])
def test_completing_the_course_shows_in_the_inspector(server: str, fmt: str) -> None:
    expected = ({"status": "completed", "success": "passed", "score": "scaled 1, raw 100 (min 0, max 100)"}
                if fmt == "scorm2004" else {"status": "passed", "score": "100 (min 0, max 100)"})
    with chromium() as browser:
        page = _lms(browser, server, fmt)
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
        again = _lms(browser, server, fmt)
        again.locator("#v-score", has_text="100").wait_for()
        assert _recorded(again, fmt) == expected


def test_ctrl_c_stops_the_server_cleanly(course: Path, tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", str(course), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
                            env=dict(os.environ, TMPDIR=str(tmp_path), PYTHONUNBUFFERED="1"))
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "Serving on" in line:
                break
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            assert response.status == 200
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0
    assert "Traceback" not in rest


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
<iframe id="course-frame" title="Course" src="/%(slug)s/pkg/%(fmt)s/index.html" style="width:1000px;height:900px"></iframe>
</body></html>"""
# What an LMS keeps of a walk; times and latencies differ between two walks, so they are left out.
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
def test_inspector_records_what_scorm_again_records(server: str, fmt: str) -> None:
    need(SCORM_AGAIN.is_file(), f"{SCORM_AGAIN} is missing (run 'npm install' in the repository)")
    with chromium() as browser:
        ours = _lms(browser, server, fmt)
        walk_course(ours.frame_locator("#course-frame"))
        ours.locator("#v-score", has_text="100").wait_for()
        ours.get_by_role("button", name="Leave and resume").click()
        ours.locator("#log", has_text="relaunch").wait_for()
        with urllib.request.urlopen(f"{server}/__api__/{SLUG}/{fmt}") as response:
            stored = json.load(response)["state"]["values"]
        mine = {k: v for k, v in stored.items() if RECORDED.match(k) and v != ""}

        host = browser.new_page(viewport={"width": 1100, "height": 1000})
        host.route("**/__sa__/scorm-again.js", lambda route: route.fulfill(path=str(SCORM_AGAIN),
                                                                              content_type="text/javascript"))
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
    assert mine == theirs
    assert mine[("cmi.core.lesson_status" if fmt == "scorm12" else "cmi.success_status")] == "passed"


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def test_lms_page_passes_axe_and_works_from_the_keyboard(server: str) -> None:
    need(AXE.is_file(), f"{AXE} is missing (run 'npm install' in the repository)")
    with chromium() as browser:
        for path in ("/", f"/{SLUG}/lms.html?format=scorm12", f"/{SLUG}/lms.html?format=none"):
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.goto(server + path)
            page.locator("h1").first.wait_for()
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("() => axe.run(document, {exclude: [['#course-frame']]})"
                                       ".then(r => r.violations.map(v => v.id + ': ' + v.help))")
            assert violations == [], path
        page = _lms(browser, server, "scorm2004")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "Skip to the inspector"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "inspector"
        page.locator("#v-session", has_text="running").wait_for()
        page.get_by_role("button", name="New attempt").focus()
        page.keyboard.press("Enter")
        page.locator("#v-attempt", has_text="2").wait_for()
        page.locator("#log", has_text="new attempt 2").wait_for()
