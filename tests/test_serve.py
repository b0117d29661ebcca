"""``builder serve``: the server in a subprocess, checked over HTTP and in Chromium.

Every test works on a copy of the example course in a temporary folder, with the
server's temporary build area inside it (``TMPDIR``), so nothing in the repository changes.
"""
from __future__ import annotations

import http.client
import json
import logging
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from builder.errors import ConfigError
from builder.serve_safety import inject, is_loopback, loopback_host, private_dir, safe_join
from builder.serve_site import site_folder
from tests.serve_helpers import copy_example, free_port, running_server

SLUG = "migration-local-development"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the example course."""
    return copy_example(tmp_path)


@pytest.fixture
def server(course: Path, tmp_path: Path) -> Any:
    """The base URL of ``builder serve`` running on the copied course."""
    work = tmp_path / "work"
    work.mkdir()
    with running_server(course, work) as url:
        yield url


@pytest.fixture
def builder_logs(caplog: pytest.LogCaptureFixture,
                 monkeypatch: pytest.MonkeyPatch) -> pytest.LogCaptureFixture:
    """caplog for the 'builder' loggers, even after a CLI test detached them from the root."""
    monkeypatch.setattr(logging.getLogger("builder"), "propagate", True)
    caplog.set_level(logging.INFO, logger="builder")
    return caplog


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
    assert loopback_host("127.0.0.1:8000") and loopback_host("[::1]:8000") and loopback_host("localhost")
    assert not loopback_host("example.org:8000") and not loopback_host("127.0.0.1.nip.io")


def test_private_dir_is_created_for_the_owner_only(tmp_path: Path) -> None:
    made = private_dir(tmp_path / "work")
    assert made.is_dir() and stat.S_IMODE(made.stat().st_mode) == 0o700
    os.chmod(made, 0o755)  # ours but readable by others: tightened, not refused
    assert stat.S_IMODE(private_dir(made).stat().st_mode) == 0o700


def test_private_dir_refuses_links_files_and_other_owners(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere, target_is_directory=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="symbolic link"):
        private_dir(tmp_path / "link")
    with pytest.raises(ConfigError, match="not a folder"):
        private_dir(tmp_path / "file")
    (tmp_path / "theirs").mkdir()
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)  # as another user sees it
    with pytest.raises(ConfigError, match="belongs to another user"):
        private_dir(tmp_path / "theirs")


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


def test_package_files_are_served_with_the_reload_script(server: str, course: Path,
                                                          tmp_path: Path) -> None:
    status, body = raw_get(server, f"/{SLUG}/pkg/scorm2004/index.html")
    assert status == 200
    assert b"/__builder__/reload.js" in body
    status, manifest = raw_get(server, f"/{SLUG}/pkg/scorm2004/imsmanifest.xml")
    assert status == 200 and b"2004 4th Edition" in manifest
    # The package on disk stays clean, and it is built in the temporary area, not dist/.
    base = tmp_path / "work" / f"builder-serve-{os.getuid()}"
    built = base / site_folder(course) / "pkg" / "scorm2004" / "index.html"
    assert b"reload.js" not in built.read_bytes()
    assert stat.S_IMODE(base.stat().st_mode) == 0o700
    assert not (tmp_path / "work" / "dist").exists()


def test_other_host_names_and_non_json_posts_are_refused(server: str) -> None:
    parts = urlsplit(server)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", "/", headers={"Host": "attacker.example:8000"})
        assert conn.getresponse().status == 403
    finally:
        conn.close()
    request = urllib.request.Request(f"{server}/__api__/{SLUG}/scorm12", data=b'{"state": null}', method="POST",
                                     headers={"Content-Type": "text/plain"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 415
    refused.value.close()


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


def test_two_copies_with_the_same_slug_keep_their_own_pages(course: Path, tmp_path: Path) -> None:
    # The same course folder name in two places, served at once by the same user.
    other = tmp_path / "b" / "courses" / SLUG
    shutil.copytree(course, other)
    yml = other / "course.yml"
    text = yml.read_text(encoding="utf-8")
    assert 'title: "Migration and local development' in text
    yml.write_text(text.replace('title: "Migration and local development', 'title: "The second copy', 1),
                   encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    with running_server(course, work) as first, running_server(other, work) as second:
        _status, page_a = raw_get(first, f"/{SLUG}/pkg/scorm2004/index.html")
        _status, page_b = raw_get(second, f"/{SLUG}/pkg/scorm2004/index.html")
    assert b"Migration and local development" in page_a and b"The second copy" not in page_a
    assert b"The second copy" in page_b
    assert site_folder(course) != site_folder(other)


def test_lms_data_survives_a_server_restart(course: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    state = {"version": "1.2", "values": {"cmi.core.lesson_status": "passed"}, "counts": {},
             "entry": "ab-initio", "attempt": 1, "sessions": 1, "lastExit": "suspend"}
    with running_server(course, work) as server:
        url = f"{server}/__api__/{SLUG}/scorm12"
        request = urllib.request.Request(url, data=json.dumps({"state": state}).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            assert json.load(response) == {"saved": True}
    with running_server(course, work) as server:
        with urllib.request.urlopen(f"{server}/__api__/{SLUG}/scorm12") as response:
            answer = json.load(response)
        with urllib.request.urlopen(f"{server}/__api__/{SLUG}/scorm2004") as response:
            other = json.load(response)
    assert answer["state"] == state
    assert answer["launch"] == {"masteryScore": "70"}
    # the example course has one SCO per module (packaging: units: module): the unit menu
    assert other["state"] is None
    assert [(u["id"], u["status"], u["locked"]) for u in other["units"]] == [
        ("core", "not attempted", False), ("thematic-access-services", "not attempted", True),
        ("assessment", "not attempted", False)]


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


def serve_until(course: Path, tmp_path: Path, marker: str, *args: str,
                env: dict[str, str] | None = None) -> tuple[str, str]:
    """Run ``builder serve`` until *marker* is on stderr, stop it with Ctrl-C; return its output."""
    proc = subprocess.Popen([sys.executable, "-m", "builder", "serve", str(course), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env=env or dict(os.environ, TMPDIR=str(tmp_path), PYTHONUNBUFFERED="1"))
    seen: list[str] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            if marker in line:
                break
        proc.send_signal(signal.SIGINT)
        out, rest = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    err = "".join(seen) + rest
    assert marker in err, err
    assert "Traceback" not in err
    return out, err


def test_the_address_is_printed_once_on_stderr(course: Path, tmp_path: Path) -> None:
    port = free_port()
    out, err = serve_until(course, tmp_path, "Serving on", "--port", str(port))
    url = f"http://127.0.0.1:{port}/"
    assert out == ""
    assert err.count(url) == 1 and err.count("127.0.0.1") == 1
    assert f"Serving on {url} (1 course). Press Ctrl-C to stop." in err.splitlines()


def test_open_without_a_browser_says_so(course: Path, tmp_path: Path) -> None:
    # No display, no BROWSER and nothing on PATH: Python's webbrowser module finds no browser.
    empty = tmp_path / "no-programs"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")}
    env.update(PATH=str(empty), TMPDIR=str(tmp_path), PYTHONUNBUFFERED="1")
    port = free_port()
    _out, err = serve_until(course, tmp_path, "could not open a web browser", "--port", str(port), "--open",
                            env=env)
    assert f"open http://127.0.0.1:{port}/ yourself" in err


def test_open_in_browser_survives_a_failing_browser(monkeypatch: pytest.MonkeyPatch,
                                                    builder_logs: pytest.LogCaptureFixture) -> None:
    import webbrowser

    from builder.serve import open_in_browser

    def broken(url: str) -> bool:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "open", broken)
    assert open_in_browser("http://127.0.0.1:1/") is False
    assert "open http://127.0.0.1:1/ yourself" in builder_logs.text
    monkeypatch.setattr(webbrowser, "open", lambda url: True)
    builder_logs.clear()
    assert open_in_browser("http://127.0.0.1:1/") is True and builder_logs.text == ""


def test_a_port_in_use_is_refused_before_building(course: Path, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "builder", "serve", str(course), "--port", str(port)],
                              capture_output=True, text=True, timeout=60, cwd=tmp_path,
                              env=dict(os.environ, TMPDIR=str(tmp_path)))
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "--port 0 picks a free one" in done.stderr
    assert "built in" not in done.stderr and "Traceback" not in done.stderr


def test_loopback_ipv6_host_is_served(tmp_path: Path) -> None:
    from builder.serve import PreviewServer

    try:
        server = PreviewServer(("::1", 0), {}, "scorm2004")
    except OSError as exc:  # a machine without IPv6
        pytest.skip(f"no IPv6 loopback: {exc}")
    try:
        assert server.socket.family == socket.AF_INET6
    finally:
        server.server_close()


def test_a_failing_watcher_turns_live_reload_off_without_a_traceback(
        monkeypatch: pytest.MonkeyPatch, builder_logs: pytest.LogCaptureFixture) -> None:
    import watchfiles

    from builder.serve import PreviewServer

    def no_watch(*paths: str, **kwargs: Any) -> Any:
        raise OSError(28, "OS file watch limit reached")

    monkeypatch.setattr(watchfiles, "watch", no_watch)
    server = PreviewServer(("127.0.0.1", 0), {}, "scorm2004")
    try:
        server.watch()
    finally:
        server.server_close()
    assert "live reload is off" in builder_logs.text and "watch limit" in builder_logs.text


def test_cli_without_a_course_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from builder.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # no traceback
    assert "no course found" in result.output and "builder new" in result.output
    (tmp_path / "courses").mkdir()  # an empty courses/ folder: the same advice
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1 and "no course found" in result.output
    result = CliRunner().invoke(cli, ["serve", "no-such-course"])
    assert result.exit_code == 1 and "no-such-course: no such folder" in result.output


def test_cli_passes_its_options_to_the_server(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import builder.serve
    from builder.cli import cli

    calls: list[tuple[list[Path], dict[str, Any]]] = []
    monkeypatch.setattr(builder.serve, "serve", lambda dirs, **kw: calls.append((dirs, kw)))
    result = CliRunner().invoke(cli, ["serve", str(course.parent), "--port", "0", "--format", "scorm12", "--open",
                                      "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert calls == [([course], {"host": "127.0.0.1", "port": 0, "fmt": "scorm12", "open_browser": True,
                                 "allow_remote": False, "language": "fr"})]
    result = CliRunner().invoke(cli, ["serve", str(course / "lessons")])
    assert result.exit_code == 1 and "not a course folder" in result.output
