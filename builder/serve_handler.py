"""The HTTP side of ``builder serve``: one handler routes every request (see :mod:`builder.serve`).

The routes and what they serve are listed in :mod:`builder.serve`; the server object the
handler reads (sites, build generation, the long poll) is :class:`builder.serve.PreviewServer`.
"""
from __future__ import annotations

import html
import json
import logging
import os
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from builder.lms_sim import STATIC_DIR
from builder.serve_safety import content_type, inject, loopback_host, safe_join
from builder.serve_site import FORMATS, PreviewSite
from builder.serve_units import state_file, unit_menu
from builder.targets import get_target

if TYPE_CHECKING:
    from builder.serve import PreviewServer

log = logging.getLogger(__name__)

POLL_SECONDS = 25.0
MAX_BODY = 2 * 1024 * 1024
STATIC_FILES = {"lms.js", "lms.css", "inspector.js", "reload.js"}


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
            unit = query["unit"][0] if query.get("unit") else None
            return self._api(unquote(parts[1]), unquote(parts[2]), method, unit)
        site = self.server.sites.get(head)
        if site is None or method == "POST":
            return self._not_found()
        self.server.wake(head)  # another language of a translated course: built on first use
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
        from builder.serve_langs import SEPARATOR, start_languages

        for slug, site in sorted(self.server.sites.items()):
            if site.language is not None and SEPARATOR in slug:
                continue  # listed with the course's source language
            name = html.escape(site.title)
            links = " ".join(
                f'<a href="/{slug}/lms.html?format={fmt}">{_format_label(fmt)}</a>' for fmt in FORMATS)
            state = "" if site.report.ok else (
                '<p class="broken" role="alert">This course has errors:</p><pre>'
                + html.escape("\n".join(site.report.problems)) + "</pre>")
            languages = start_languages(site, self.server.sites, list(FORMATS))
            rows.append(f"<li><h2>{name}</h2><p>{links}</p>{languages}{state}</li>")
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
        from builder.serve_langs import language_bar

        text = text.replace("{{CONFIG}}", blob).replace("{{TITLE}}", html.escape(site.title))
        text = text.replace("{{LANGUAGES}}", language_bar(site, self.server.sites, fmt))
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
    def _api(self, slug: str, fmt: str, method: str, unit: str | None = None) -> None:
        site = self.server.sites.get(slug)
        if site is None or fmt not in FORMATS or get_target(FORMATS[fmt]).scorm is None:
            return self._not_found()
        menu = unit_menu(site, fmt) if site.report.ok else []
        if unit is not None and unit not in {u["id"] for u in menu}:
            return self._not_found()
        path = state_file(site.root, fmt, unit)
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
        launch = site.launch_info(fmt) if site.report.ok and unit is None else {}
        if unit is not None:
            launch = next(u["launchInfo"] for u in menu if u["id"] == unit)
        answer: dict[str, Any] = {"state": stored, "launch": launch}
        if menu:  # several SCOs: the unit menu, with statuses and locks
            answer["units"] = menu
        return self._json(answer, method)

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
