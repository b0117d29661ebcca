"""A stand-in Moodle 4.5 for the publisher's tests: only the pages the publisher uses.

It answers as Moodle 4.5 does where it matters to the client: the login page with a
``logintoken``, "Invalid login, please try again" on a wrong password, the
``login/index.php?testsession=`` hop, ``M.cfg`` with the ``sesskey``, the fatal error page
(``<p class="errormessage">`` plus an error code link), ``require_login`` sending
unenrolled users to ``/enrol/index.php``, the SCORM activity form with its defaults and the
file manager options (draft ``itemid``, repositories, context), ``repository_ajax.php``
and ``webservice/upload.php`` JSON answers, form validation errors in
``id_error_FIELD`` blocks, the 303 redirect after saving, and the read-only web service
``mod_scorm_get_scorms_by_courses`` and ``core_webservice_get_site_info``. Its answers
(texts, version strings ``SCORM_1.2``/``SCORM_1.3``, form defaults) were taken from the real
Moodle 4.5.6 of the kit.

Limits: it is not Moodle. Pages are minimal, there is one upload repository, no roles
beyond "enrolled" and "may manage activities", no groups, no completion, no gradebook,
no learner tracks, and its package check only looks for ``imsmanifest.xml`` at the zip
root and reads ``<schemaversion>`` the way Moodle does. Passing against it says the
client's logic and error handling are right; only a real site says Moodle agrees.
"""
from __future__ import annotations

import sys
import threading
from http.server import ThreadingHTTPServer
from typing import Any

from tests.moodle_standin_handler import make_handler
from tests.moodle_standin_pages import FORM_DEFAULTS, Activity, Course, read_version

__all__ = ["FORM_DEFAULTS", "Activity", "Course", "StandinMoodle", "read_version"]


class StandinMoodle:
    """Shared state of the stand-in site, and the server that exposes it on 127.0.0.1."""

    def __init__(self, users: dict[str, str] | None = None, token: str = "") -> None:
        self.users = users or {"teacher": "s3cr3t-Pa55!"}
        self.token = token
        self.token_user = next(iter(self.users))   # whose draft area the token's uploads fill
        self.courses: dict[int, Course] = {}
        self.activities: dict[int, Activity] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.drafts: dict[tuple[str, int], dict[str, bytes]] = {}
        self.delays: dict[str, float] = {}   # "GET /path" -> seconds to wait before answering
        self.broken: set[str] = set()         # "GET /path" answered with an empty 503
        self.posts: list[tuple[str, list[tuple[str, str]]]] = []
        self.hits: list[str] = []
        self.meta_redirects = False   # redirect with a 200 "continue" page, as with debugging on
        self.max_bytes = 10 * 1024 * 1024
        self.must_change_password: set[str] = set()
        self.login_action = ""   # where the login form posts ("" = the site itself)
        self.next_cmid = 40
        self.lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), make_handler(self))
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> StandinMoodle:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_course(self, cid: int, users: set[str], managers: set[str] | None = None) -> Course:
        managers = set(users) if managers is None else set(managers)
        course = Course(cid, f"Course {cid}", set(users), managers, 100 + cid)
        self.courses[cid] = course
        return course

    def in_course(self, cid: int) -> list[Activity]:
        return [a for a in self.activities.values() if a.course == cid]


class _Server(ThreadingHTTPServer):
    """The HTTP server; a client that gave up waiting (a timeout test) is not an error."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)
