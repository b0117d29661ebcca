"""``builder serve``: a local preview server with live reload and a simulated LMS.

Courses are built into ``<temp>/builder-serve-<uid>/<slug>-<hash>/`` (never ``dist/``) by
:class:`builder.serve_site.PreviewSite`; the base folder is private to the user. The server
binds to loopback only unless the user asks otherwise. Routes:

``/``                               start page listing the courses
``/<slug>/lms.html?format=F``       the LMS page (F: scorm12, scorm2004 or none)
``/<slug>/pkg/<F>/<path>``          files of the unpacked package
``/__builder__/<file>``             the LMS page's scripts and styles
``/__api__/<slug>/<F>``             GET/POST the simulated LMS's stored learner data
``/__reload__?since=N``             long poll: answers when the build generation passes N
``/__status__``                     JSON: generation and build status of every course
"""
from __future__ import annotations

import errno
import getpass
import html
import json
import logging
import os
import re
import signal
import socket
import sys
import tempfile
import threading
import time
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import watchfiles

from builder.errors import ConfigError
from builder.lms_sim import STATIC_DIR
from builder.serve_safety import content_type, inject, is_loopback, loopback_host, private_dir, safe_join
from builder.serve_site import FORMATS, PreviewSite
from builder.targets import get_target

log = logging.getLogger(__name__)

POLL_SECONDS = 25.0
MAX_BODY = 2 * 1024 * 1024
STATIC_FILES = {"lms.js", "lms.css", "inspector.js", "reload.js"}


def default_work_dir() -> Path:
    """The user's own temporary build area, shared by all of that user's ``builder serve`` runs.

    Raises:
        ConfigError: the folder exists but is not a private folder of this user.
    """
    if hasattr(os, "getuid"):
        owner = str(os.getuid())
    else:  # Windows: the temporary folder is per user already
        owner = re.sub(r"[^A-Za-z0-9_.-]", "_", getpass.getuser())
    return private_dir(Path(tempfile.gettempdir()) / f"builder-serve-{owner}")


class PreviewServer(ThreadingHTTPServer):
    """HTTP server holding the preview sites, the build generation and the watcher."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sites: dict[str, PreviewSite], default_format: str,
                 remote: bool = False) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET  # --host ::1
        super().__init__(address, PreviewHandler)
        self.remote = remote
        self.sites = sites
        self.default_format = default_format
        # Starts from the clock, so that pages left open across a restart see a newer
        # generation and relaunch on the fresh build.
        self.generation = int(time.time())
        self.changed = threading.Condition()
        self.stop_event = threading.Event()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that closed its tab mid-request is normal use: no traceback for it."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):  # BrokenPipe, ConnectionReset...
            log.debug("%s went away: %s", client_address[0], type(error).__name__)
            return
        super().handle_error(request, client_address)

    def bump(self) -> None:
        """Tell every open page that something was rebuilt."""
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def wait_for_change(self, since: int, timeout: float) -> int:
        """Block until the generation passes *since* (or timeout); return the generation."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.generation <= since and not self.stop_event.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(min(left, 1.0))
            return self.generation

    def status(self) -> dict[str, Any]:
        """Generation and build status of every course (for the pages)."""
        return {"generation": self.generation, "courses": {
            slug: {"title": site.title, "ok": site.report.ok, "problems": site.report.problems,
                   "seconds": round(site.report.seconds, 3), "kind": site.report.kind}
            for slug, site in self.sites.items()}}

    def rebuild(self, changes: set[Path]) -> None:
        """Rebuild the sites that *changes* touch, then bump the generation."""
        for site in self.sites.values():
            own = {p for p in changes if p.is_relative_to(site.course_dir)}
            theme = changes - own
            outside_all = {p for p in theme if not any(p.is_relative_to(s.course_dir) for s in self.sites.values())}
            if outside_all:
                report = site.build(own | outside_all)  # a shared theme file changed: all pages again
            elif own:
                report = site.build(own)
            else:
                continue
            if report.ok:
                log.info("%s: rebuilt (%s) in %.0f ms", site.slug, report.kind, report.seconds * 1000)
            else:
                log.warning("%s: build failed:\n%s", site.slug, "\n".join(report.problems))
        self.bump()

    def watch(self) -> None:
        """Watch the courses and themes until stopped; debounce bursts of saves."""
        paths = sorted({str(p) for site in self.sites.values() for p in site.watched_paths()})
        try:
            for batch in watchfiles.watch(*paths, debounce=1600, step=60, stop_event=self.stop_event,
                                          raise_interrupt=False):
                changes = {Path(path) for _change, path in batch}
                try:
                    self.rebuild(changes)
                except Exception:  # never let the watcher die
                    log.exception("rebuild failed")
        except (OSError, RuntimeError) as exc:
            # For example the system's limit of watched folders (inotify) is reached.
            log.warning("live reload is off: cannot watch the course folders (%s); the server "
                        "keeps serving, restart it to see your changes", exc)


class PreviewHandler(BaseHTTPRequestHandler):
    """Routes requests to the start page, LMS pages, packages and the LMS API."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = 60  # a client that stops sending mid-body frees its thread (socket timeout)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (base class name)
        log.debug("%s %s", self.address_string(), format % args)

    # ----------------------------------------------------------------- routing
    def do_GET(self) -> None:  # noqa: N802 (http.server's API)
        """Serve a GET request."""
        self._route("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        """Serve a HEAD request."""
        self._route("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        """Serve a POST request (the LMS API only)."""
        self._route("POST")

    def _route(self, method: str) -> None:
        url = urlsplit(self.path)
        raw = url.path
        query = parse_qs(url.query)
        if not raw.startswith("/") or "\\" in unquote(raw):
            return self._not_found()
        if not self.server.remote and not loopback_host(self.headers.get("Host", "")):
            # A page on another site that resolves its name to 127.0.0.1 (DNS rebinding)
            # must not read the courses or change the learner data.
            return self._send(403, "text/plain", b"403 forbidden: use http://127.0.0.1\n", method)
        parts = raw[1:].split("/")
        head = unquote(parts[0])
        if raw == "/favicon.ico":
            return self._send(204, "text/plain", b"", method)  # no icon; keeps the console quiet
        if raw == "/" and method != "POST":
            return self._send(200, "text/html", self._start_page().encode("utf-8"), method)
        if head == "__reload__":
            text = (query.get("since") or ["0"])[0]
            since = int(text) if text.isdigit() else 0
            gen = self.server.wait_for_change(since, POLL_SECONDS)
            return self._json({"generation": gen}, method)
        if head == "__status__":
            return self._json(self.server.status(), method)
        if head == "__builder__" and len(parts) == 2 and parts[1] in STATIC_FILES:
            return self._file(STATIC_DIR / parts[1], method)
        if head == "__api__" and len(parts) == 3:
            return self._api(unquote(parts[1]), unquote(parts[2]), method)
        site = self.server.sites.get(head)
        if site is None or method == "POST":
            return self._not_found()
        rest = "/".join(parts[1:])
        if rest in ("", "lms.html"):
            if rest == "":
                return self._redirect(f"/{site.slug}/lms.html?format={self.server.default_format}")
            return self._send(200, "text/html", self._lms_page(site, query), method)
        if len(parts) >= 3 and parts[1] == "pkg" and parts[2] in FORMATS:
            return self._package_file(site, parts[2], "/".join(parts[3:]), method)
        return self._not_found()

    # ----------------------------------------------------------------- pages
    def _start_page(self) -> str:
        rows = []
        for slug, site in sorted(self.server.sites.items()):
            name = html.escape(site.title)
            links = " ".join(
                f'<a href="/{slug}/lms.html?format={fmt}">{_format_label(fmt)}</a>' for fmt in FORMATS)
            state = "" if site.report.ok else (
                '<p class="broken" role="alert">This course has errors:</p><pre>'
                + html.escape("\n".join(site.report.problems)) + "</pre>")
            rows.append(f"<li><h2>{name}</h2><p>{links}</p>{state}</li>")
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<title>builder preview</title><link rel="stylesheet" href="/__builder__/lms.css"></head>'
                f'<body class="start"><main><h1>builder preview</h1>'
                f'<p>Open a course in the simulated LMS. Pages reload when you save a file.</p>'
                f'<ul class="courses">{"".join(rows)}</ul></main>{self._reload_tag()}</body></html>')

    def _lms_page(self, site: PreviewSite, query: dict[str, list[str]]) -> bytes:
        fmt = (query.get("format") or [self.server.default_format])[0]
        if fmt not in FORMATS:
            fmt = self.server.default_format
        from builder.scorm import tracking_limits  # the one table of data-model limits
        config = {"slug": site.slug, "title": site.title, "format": fmt, "generation": self.server.generation,
                  "limits": tracking_limits()}
        text = (STATIC_DIR / "lms.html").read_text(encoding="utf-8")
        blob = json.dumps(config).replace("</", "<\\/")
        text = text.replace("{{CONFIG}}", blob).replace("{{TITLE}}", html.escape(site.title))
        return text.encode("utf-8")

    def _error_page(self, site: PreviewSite) -> bytes:
        lines = "\n".join(site.report.problems)
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed: '
                f'{html.escape(site.slug)}</title><link rel="stylesheet" href="/__builder__/lms.css"></head>'
                f'<body class="build-error"><main role="alert"><h1>The course does not build</h1>'
                f'<p>Fix these problems and save; this page reloads by itself.</p>'
                f'<pre class="problems">{html.escape(lines)}</pre></main>{self._reload_tag()}</body></html>'
                ).encode()

    def _reload_tag(self) -> str:
        return (f'<script src="/__builder__/reload.js" data-generation="{self.server.generation}">'
                f'</script>')

    # ----------------------------------------------------------------- files
    def _package_file(self, site: PreviewSite, fmt: str, rel: str, method: str) -> None:
        if not site.report.ok and (rel == "" or rel.endswith(".html")):
            return self._send(500, "text/html", self._error_page(site), method)
        with site.lock:
            base = site.package_dir(fmt)
            target = safe_join(base, rel or "index.html")
            if target is None or not target.is_file():
                return self._not_found()
            data = target.read_bytes()
        ctype = content_type(target)
        if ctype == "text/html":
            data = inject(data, self._reload_tag())
        self._send(200, ctype, data, method)

    def _file(self, path: Path, method: str) -> None:
        self._send(200, content_type(path), path.read_bytes(), method)

    # ----------------------------------------------------------------- LMS API
    def _api(self, slug: str, fmt: str, method: str) -> None:
        site = self.server.sites.get(slug)
        if site is None or fmt not in FORMATS or get_target(FORMATS[fmt]).scorm is None:
            return self._not_found()
        path = site.state_path(fmt)
        if method == "POST":
            if not self.headers.get("Content-Type", "").startswith("application/json"):
                # JSON only: a cross-site form or a plain fetch from another page cannot send it
                # without a CORS preflight, which this server never grants.
                return self._send(415, "text/plain", b"send application/json", method)
            text = (self.headers.get("Content-Length") or "0").strip()
            if not text.isdigit():
                self.close_connection = True  # the body's end is unknown: nothing more can be read
                return self._send(400, "text/plain", b"bad Content-Length", method)
            length = int(text)
            if length > MAX_BODY:
                return self._send(413, "text/plain", b"too large", method)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                return self._send(400, "text/plain", b"bad JSON", method)
            state = body.get("state") if isinstance(body, dict) else None
            path.parent.mkdir(parents=True, exist_ok=True)
            if state is None:
                path.unlink(missing_ok=True)
            else:
                tmp = path.with_suffix(".tmp")
                tmp.write_text(json.dumps(state), encoding="utf-8")
                os.replace(tmp, path)
            return self._json({"saved": state is not None}, method)
        stored = None
        if path.is_file():
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                stored = None
        return self._json({"state": stored, "launch": site.launch_info(fmt) if site.report.ok else {}}, method)

    # ----------------------------------------------------------------- helpers
    def _json(self, value: Any, method: str) -> None:
        self._send(200, "application/json", json.dumps(value).encode("utf-8"), method)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_found(self) -> None:
        self._send(404, "text/plain", b"404 not found\n", "GET")

    def _send(self, code: int, ctype: str, data: bytes, method: str) -> None:
        self.send_response(code)
        if ctype.startswith("text/") or ctype in ("application/json", "application/xml"):
            ctype += "; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)


def _format_label(fmt: str) -> str:
    """The start page's name for a preview format: a SCORM version, or no LMS at all."""
    target = get_target(FORMATS[fmt])
    return "without an LMS" if target.scorm is None else f"SCORM {target.scorm}"


def serve(course_dirs: list[Path], host: str = "127.0.0.1", port: int = 8000, fmt: str = "scorm2004",
          open_browser: bool = False, allow_remote: bool = False, work_dir: Path | None = None) -> None:
    """Build the courses, serve them until Ctrl-C, and rebuild when their files change.

    Args:
        course_dirs: course folders to serve.
        host: address to bind; anything but loopback needs *allow_remote*.
        port: TCP port (0 picks a free one).
        fmt: the format the start page links open by default.
        open_browser: open the start page in the default browser.
        allow_remote: permit a non-loopback *host*.
        work_dir: the temporary build area (default: :func:`default_work_dir`).

    Raises:
        ConfigError: a non-loopback host without *allow_remote*, or the port is taken.
    """
    if not is_loopback(host):
        if not allow_remote:
            raise ConfigError(f"refusing to serve on {host}: the preview server binds to 127.0.0.1 only; "
                              "pass --allow-remote to expose it to other machines")
        log.warning("serving on %s: anyone who can reach this address can see the courses "
                    "and change the simulated LMS data", host)
    work = work_dir or default_work_dir()
    sites: dict[str, PreviewSite] = {}
    # Listen first: a port in use is reported at once, not after building every course.
    server = _listen(host, port, sites, fmt)
    try:
        _first_builds(course_dirs, work, fmt, sites)
    except BaseException:  # Ctrl-C during the first build, say: free the port
        server.server_close()
        raise
    watcher = threading.Thread(target=server.watch, name="builder-watch", daemon=True)
    watcher.start()
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{server.server_address[1]}/"
    count = f"{len(sites)} course" + ("" if len(sites) == 1 else "s")
    # Printed, not logged: the address is the one thing the user needs, even with -q.
    print(f"Serving on {url} ({count}). Press Ctrl-C to stop.", file=sys.stderr, flush=True)
    if open_browser:
        threading.Thread(target=open_in_browser, args=(url,), name="builder-browser",
                         daemon=True).start()
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop_event.set()
        with server.changed:
            server.changed.notify_all()
        server.server_close()
        watcher.join(timeout=3)
        log.info("Stopped.")


def _first_builds(course_dirs: list[Path], work: Path, fmt: str, sites: dict[str, PreviewSite]) -> None:
    """Build every course once (a broken one is reported and served with its problems)."""
    for folder in course_dirs:
        site = PreviewSite(folder, work)
        site.active.add(fmt if fmt in FORMATS else "scorm2004")
        report = site.build(None)
        if report.ok:
            log.info("%s: built in %.2f s", site.slug, report.seconds)
        else:
            log.warning("%s: the course has errors:\n%s", site.slug, "\n".join(report.problems))
        sites[site.slug] = site


def _listen(host: str, port: int, sites: dict[str, PreviewSite], fmt: str) -> PreviewServer:
    """Open the listening socket, with a message that says what to do when that fails."""
    try:
        return PreviewServer((host, port), sites, fmt, remote=not is_loopback(host))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno == errno.EADDRINUSE:
            hint = (f"; another program (perhaps another 'builder serve') uses port {port}: stop it, "
                    "or pick another port with --port (--port 0 picks a free one)")
        elif exc.errno == errno.EACCES and 0 < port < 1024:
            hint = "; ports below 1024 need administrator rights: use --port 8000 or above"
        else:
            hint = ""
        raise ConfigError(f"cannot listen on {host}:{port}: {reason}{hint}") from None


def open_in_browser(url: str) -> bool:
    """Open *url* in the user's web browser; say so (no traceback) when there is none.

    Returns:
        True when a browser accepted the address.
    """
    try:
        opened = webbrowser.open(url)
    except (webbrowser.Error, OSError) as exc:
        log.debug("webbrowser.open failed: %s", exc)
        opened = False
    if not opened:
        log.warning("could not open a web browser (--open); open %s yourself", url)
    return opened


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt
