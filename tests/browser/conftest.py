"""Fixtures of the browser tests: built packages, a 127.0.0.1 server, Chromium, a test LMS.

The test LMS (``host/lms.html``) runs scorm-again (npm) in the top window and the package
in an iframe, as an LMS player does. Everything is served by one local HTTP server:
``/host/`` (the LMS page), ``/node_modules/`` (scorm-again, axe-core) and ``/pkg/<name>/``
(unzipped packages). Every page a test opens refuses requests that leave 127.0.0.1 and
records them, so each test also proves that the package fetches nothing from outside.
"""
from __future__ import annotations

import functools
import http.server
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from builder.build import build_course
from tests.serve_helpers import CHROMIUM, CHROMIUM_ARGS, copy_example, need

REPO = Path(__file__).resolve().parents[2]
HOST = Path(__file__).resolve().parent / "host"
NODE_MODULES = REPO / "node_modules"
EXAMPLE = REPO / "courses" / "migration-local-development"
ALL_TYPES = REPO / "tests" / "courses" / "all-question-types"
VERSIONS = {"1.2": "scorm12", "2004": "scorm2004"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves /host/, /node_modules/ and /pkg/<name>/ from their folders; nothing else."""

    mounts: dict[str, Path] = {}

    def translate_path(self, path: str) -> str:
        parts = [p for p in unquote(urlsplit(path).path).split("/") if p and p not in (".", "..")]
        if parts and parts[0] == "pkg" and len(parts) > 1 and parts[1] in self.mounts:
            base, rest = self.mounts[parts[1]], parts[2:]
        elif parts and parts[0] == "host":
            base, rest = HOST, parts[1:]
        elif parts and parts[0] == "node_modules":
            base, rest = NODE_MODULES, parts[1:]
        else:
            return str(HOST / "missing")
        return str(base.joinpath(*rest))

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet server
        pass


@dataclass
class Server:
    """The local test server: its base URL and the packages it serves."""

    url: str
    mounts: dict[str, Path]

    def mount(self, name: str, folder: Path) -> str:
        """Serve *folder* under ``/pkg/<name>/`` and return that URL."""
        self.mounts[name] = folder
        return f"{self.url}/pkg/{name}/"


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """A threaded HTTP server on 127.0.0.1 (random port)."""
    mounts: dict[str, Path] = {}
    handler = type("Handler", (_Handler,), {"mounts": mounts})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", mounts)
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never ``playwright install``)."""
    need(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    need((NODE_MODULES / "scorm-again" / "dist" / "scorm12.js").is_file(),
         "node_modules/scorm-again is missing (run npm ci)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright for Python is not installed (pip install playwright)")
        raise
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def unzip(archive: Path, dest: Path) -> Path:
    """Extract *archive* into *dest* and return *dest*."""
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)
    return dest


def build_and_unzip(course: Path, out: Path, languages: tuple[str, ...] | None = None) -> dict[str, Path]:
    """Build both SCORM packages of *course* (in one language); return the unzipped folders by version."""
    result = build_course(course, formats=tuple(VERSIONS.values()), out=out / "zips", languages=languages)
    folders = {}
    for package in result.packages:
        version = "1.2" if "scorm12" in package.path.name else "2004"
        assert version not in folders, f"{course} builds several languages: pass languages=(...)"
        folders[version] = unzip(package.path, out / version)
    assert set(folders) == set(VERSIONS), result
    return folders


@pytest.fixture(scope="session")
def example_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example course as one SCO (``units: course``), built and unzipped, by SCORM version.

    These tests walk one SCO through every page; the example's own packaging (one SCO per
    module) is run in test_units_lms.py.
    """
    folder = tmp_path_factory.mktemp("example")
    return build_and_unzip(copy_example(folder, units="course"), folder, ("en",))


@pytest.fixture(scope="session")
def quiz_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The all-question-types test course, built and unzipped, by SCORM version."""
    return build_and_unzip(ALL_TYPES, tmp_path_factory.mktemp("all-types"))


@dataclass
class Session:
    """A browser page with guards: outside requests, page errors and console warnings."""

    page: Any
    server: Server
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def frame(self) -> Any:
        """The course frame when the test LMS is open, else the page itself."""
        iframe = self.page.query_selector("iframe#sco")
        return iframe.content_frame() if iframe else self.page

    def launch(self, package: Path, version: str, name: str, cmi: dict[str, Any] | None = None,
               faults: dict[str, Any] | None = None, page: str = "index.html",
               nav_valid: dict[str, str] | None = None) -> Any:
        """Open the test LMS for *version* (a fresh API) and launch *page* of *package* in its
        frame (a SCO's launch page); *nav_valid* answers ``adl.nav.request_valid.*``."""
        url = self.server.mount(name, package) + page
        self.page.goto(f"{self.server.url}/host/lms.html")
        self.page.evaluate("opts => window.launch(opts)",
                           {"version": version, "url": url, "cmi": cmi, "faults": faults, "navValid": nav_valid})
        self.page.wait_for_function("() => { const f = document.getElementById('sco').contentDocument;"
                                    " return !!(f && f.documentElement && f.documentElement.classList.contains('js')); }")
        return self.frame

    def open_standalone(self, package: Path, name: str, page: str = "index.html") -> Any:
        """Open a page of *package* directly, without any LMS."""
        self.page.goto(self.server.mount(name, package) + page)
        self.page.wait_for_function("() => document.documentElement.classList.contains('js')")
        return self.page

    def snapshot(self) -> dict[str, Any]:
        """What the test LMS recorded: ``cmi`` (as JSON), ``calls`` made by the package."""
        return dict(self.page.evaluate("() => JSON.parse(JSON.stringify(window.snapshot()))"))

    def wait_page(self, page_id: str) -> None:
        """Wait until the course shows page *page_id* (after a click)."""
        self.frame.wait_for_function("id => document.body.dataset.page === id && "
                                     "document.activeElement && document.activeElement.tagName === 'H1'",
                                     arg=page_id)

    def failed_calls(self) -> list[Any]:
        """Calls the LMS rejected that were not injected faults (GetValue of unset values aside)."""
        bad = []
        for call in self.snapshot()["calls"]:
            name, result = call[0], call[2]
            if result == "fault" or "GetValue" in name:
                continue
            if result != "true" or call[3] != "0":
                bad.append(call)
        return bad


@pytest.fixture
def session(browser: Any, server: Server) -> Iterator[Session]:
    """A fresh browser context and page; fails the test on page errors or outside requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sess = Session(page, server)

    def guard(route: Any) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:", "about:", "file:")) or host == "127.0.0.1":
            route.continue_()
        else:
            sess.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page.on("pageerror", lambda exc: sess.errors.append(str(exc)))
    page.on("console", lambda msg: sess.warnings.append(msg.text) if msg.type in ("warning", "error") else None)
    try:
        yield sess
    finally:
        context.close()
    assert not sess.outside, f"requests left the package: {sess.outside}"
    assert not sess.errors, f"uncaught exceptions in the page: {sess.errors}"


def page_ids(package: Path) -> list[str]:
    """The page ids of a package, in reading order (from its assets/course.js)."""
    import json
    text = (package / "assets" / "course.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("{"):text.rindex("}") + 1])
    return [p["id"] for p in data["pages"]]


@functools.cache
def axe_source() -> str:
    """The axe-core script (npm)."""
    path = NODE_MODULES / "axe-core" / "axe.min.js"
    need(path.is_file(), "node_modules/axe-core is missing (run npm ci)")
    return path.read_text(encoding="utf-8")
