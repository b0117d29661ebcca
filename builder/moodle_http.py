"""HTTP for the Moodle publisher: one cookie session, timeouts, and careful retries.

Retries follow one rule: a request that changes nothing may be sent again after a
timeout or a dropped connection; a request that may change something (log in, upload,
save) is sent again only when it cannot have reached the server at all.
"""
from __future__ import annotations

import logging
import time
from typing import Any

import requests

from builder.moodle_site import MoodleError, MoodleSite, Unreachable

log = logging.getLogger("builder.moodle")


class Transport:
    """A ``requests`` session bound to one Moodle site."""

    def __init__(self, site: MoodleSite, session: requests.Session | None = None) -> None:
        self.site = site
        self.http = session or requests.Session()
        self.http.headers.setdefault("User-Agent", "scorm-builder publisher")
        self.base = site.url

    def _url(self, path: str) -> str:
        return path if "://" in path else self.base + path

    def close(self) -> None:
        """Close the pooled connections."""
        self.http.close()

    def request(self, method: str, path: str, *, safe: bool = True,
                read_timeout: float | None = None, unknown: MoodleError | None = None,
                **kwargs: Any) -> requests.Response:
        """Send a request, retrying connection failures (and timeouts when *safe*).

        A request that is not *safe* (it may change the course) is retried only if it cannot
        have been sent; otherwise *unknown* is raised, or :class:`Unreachable`.
        """
        url = self._url(path)
        timeout = (self.site.connect_timeout, read_timeout or self.site.read_timeout)
        last: requests.RequestException | None = None
        for attempt in range(1, self.site.tries + 1):
            try:
                log.debug("%s %s", method, url.split("?", 1)[0])
                response = self.http.request(method, url, timeout=timeout, **kwargs)
            except requests.exceptions.SSLError as exc:
                raise Unreachable(f"secure connection to {self.site.url} failed (certificate "
                                  f"or TLS problem): {_reason(exc, timeout)}") from None
            except requests.RequestException as exc:
                last = exc
                if not (safe or _is_unsent(exc)):
                    raise unknown or Unreachable(
                        f"no answer from {url.split('?', 1)[0]}: {_reason(exc, timeout)}")
            else:
                if not (safe and response.status_code in (502, 503, 504)):
                    return response
                last = None
                log.debug("HTTP %s, trying again", response.status_code)
            if attempt < self.site.tries:
                time.sleep(self.site.backoff * 2 ** (attempt - 1))
        reason = _reason(last, timeout) if last else \
            "the server kept answering 'service unavailable'"
        raise Unreachable(f"could not reach {self.site.url} after {self.site.tries} tries: "
                          f"{reason}")


def _is_unsent(exc: requests.RequestException) -> bool:
    """True when the request cannot have reached the server (refused, DNS, connect timeout)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if isinstance(exc, requests.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        name = type(reason).__name__ if reason is not None else ""
        return name in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError")
    return False


def _reason(exc: requests.RequestException, timeout: tuple[float, float]) -> str:
    """Say in a few words why a request failed (urllib3's own text is long and nested)."""
    text = str(exc)
    if isinstance(exc, requests.ConnectTimeout):
        return f"no connection within {timeout[0]:g} s"
    if isinstance(exc, requests.Timeout):
        return f"no answer within the timeout ({timeout[1]:g} s)"
    for marker, words in (("Connection refused", "connection refused"),
                          ("NameResolutionError", "host name not found"),
                          ("Name or service not known", "host name not found"),
                          ("CERTIFICATE_VERIFY_FAILED", "certificate not trusted"),
                          ("Connection aborted", "connection closed by the server"),
                          ("Connection reset", "connection reset")):
        if marker in text:
            return words
    return text[:300]
