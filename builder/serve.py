"""``builder serve``: a local preview server with live reload and a simulated LMS.

Courses are built into ``<temp>/builder-serve-<uid>/<slug>-<hash>/`` (never ``dist/``) by
:class:`builder.serve_site.PreviewSite`; the base folder is private to the user. The server
binds to loopback only unless the user asks otherwise. The routes (served by
:class:`builder.serve_handler.PreviewHandler`):

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
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import watchfiles

from builder.errors import ConfigError
from builder.serve_safety import is_loopback, private_dir
from builder.serve_handler import PreviewHandler
from builder.serve_site import FORMATS, PreviewSite

log = logging.getLogger(__name__)


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
        self.dormant: set[str] = set()  # sites of other languages, built when first opened

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

    def wake(self, slug: str) -> None:
        """Build the site *slug* now if it has not been built yet (another language)."""
        if slug not in self.dormant:
            return
        site = self.sites[slug]
        with site.lock:
            if slug in self.dormant:
                site.active.add(self.default_format if self.default_format in FORMATS else "scorm2004")
                report = site.build(None)
                self.dormant.discard(slug)
                log.info("%s: built in %.2f s%s", slug, report.seconds, "" if report.ok else " (with errors)")

    def rebuild(self, changes: set[Path]) -> None:
        """Rebuild the sites that *changes* touch, then bump the generation."""
        for site in self.sites.values():
            if site.slug in self.dormant:
                continue
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


def serve(course_dirs: list[Path], host: str = "127.0.0.1", port: int = 8000, fmt: str = "scorm2004",
          open_browser: bool = False, allow_remote: bool = False, work_dir: Path | None = None,
          language: str | None = None) -> None:
    """Build the courses, serve them until Ctrl-C, and rebuild when their files change.

    Args:
        course_dirs: course folders to serve.
        host: address to bind; anything but loopback needs *allow_remote*.
        port: TCP port (0 picks a free one).
        fmt: the format the start page links open by default.
        open_browser: open the start page in the default browser.
        allow_remote: permit a non-loopback *host*.
        work_dir: the temporary build area (default: :func:`default_work_dir`).
        language: the language to preview (one of the course's; default: the source).

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
        _first_builds(course_dirs, work, fmt, sites, language, server.dormant)
    except BaseException:  # Ctrl-C during the first build, say: free the port
        server.server_close()
        raise
    watcher = threading.Thread(target=server.watch, name="builder-watch", daemon=True)
    watcher.start()
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{server.server_address[1]}/"
    courses = len({site.course_dir for site in sites.values()})
    count = f"{courses} course" + ("" if courses == 1 else "s")
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


def _first_builds(course_dirs: list[Path], work: Path, fmt: str, sites: dict[str, PreviewSite],
                  language: str | None = None, dormant: set[str] | None = None) -> None:
    """Build every course once (a broken one is reported and served with its problems);
    the other languages of a translated course go into *dormant*, not yet built."""
    dormant = set() if dormant is None else dormant
    from builder.serve_langs import course_sites

    for folder in course_dirs:
        family, site = course_sites(folder, work, language)
        for other in family:  # the other languages are built when first opened
            sites[other.slug] = other
            if other is not site:
                dormant.add(other.slug)
        site.active.add(fmt if fmt in FORMATS else "scorm2004")
        report = site.build(None)
        if report.ok:
            log.info("%s: built in %.2f s", site.slug, report.seconds)
        else:
            log.warning("%s: the course has errors:\n%s", site.slug, "\n".join(report.problems))


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
