"""Request handling of the stand-in Moodle: one method per page or endpoint it answers.

See :mod:`tests.moodle_standin` for what the stand-in is and is not.
"""
from __future__ import annotations

import html
import json
import secrets
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from tests.moodle_standin_pages import (FORM_DEFAULTS, PAGE, UPLOAD_REPO_ID, Activity, Course,
                                        filemanager_script, form_html, read_version)

if TYPE_CHECKING:
    from tests.moodle_standin import StandinMoodle


def make_handler(site: StandinMoodle) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        # -- plumbing -------------------------------------------------------------------
        def _session(self) -> tuple[str, dict[str, Any]]:
            cookies = dict(part.strip().split("=", 1) for part in
                           (self.headers.get("Cookie") or "").split(";") if "=" in part)
            sid = cookies.get("MoodleSession", "")
            if sid not in site.sessions:
                sid = secrets.token_hex(8)
                site.sessions[sid] = {"user": None, "sesskey": secrets.token_hex(5),
                                      "logintoken": secrets.token_hex(16), "new": True}
            return sid, site.sessions[sid]

        def _send(self, status: int, body: str, ctype: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            sid, session = self._session_cache
            if session.pop("new", False) or session.pop("renew", False):
                self.send_header("Set-Cookie", f"MoodleSession={sid}; path=/; HttpOnly")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _redirect(self, location: str) -> None:
            target = location if "://" in location else site.url + location
            if site.meta_redirects and self.command == "POST":
                self._page("Redirect", '<meta http-equiv="refresh" content="0; '
                           f'url={html.escape(target)}">'
                           f'<div class="continuebutton"><a href="{html.escape(target)}">Continue'
                           '</a></div>')
                return
            self._send(303, f'<a href="{html.escape(target)}">continue</a>',
                       headers={"Location": target})

        def _page(self, title: str, main: str, status: int = 200, footer: str = "",
                  bodyid: str = "page-site-index") -> None:
            session = self._session_cache[1]
            cfg = {"wwwroot": site.url, "homeurl": {}, "sesskey": session["sesskey"],
                   "sessiontimeout": "28800", "contextid": 1, "theme": "boost",
                   "developerdebug": False}
            bodyclass = "notloggedin" if not session["user"] else "pagelayout-standard"
            self._send(status, PAGE.format(title=html.escape(title), cfg=json.dumps(cfg),
                                           bodyid=bodyid, bodyclass=bodyclass, main=main,
                                           footer=footer))

        def _error(self, message: str, code: str, component: str = "moodle") -> None:
            more = f"https://docs.moodle.org/405/en/error/{component}/{code}"
            self._page("Error", '<div class="box errorbox alert alert-danger" '
                       'data-rel="fatalerror">'
                       f'<p class="errormessage">{html.escape(message)}</p>'
                       f'<p class="errorcode"><a href="{more}">More information about this '
                       f'error</a></p></div>', status=404)

        def _form_data(self) -> list[tuple[str, str]]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            ctype = self.headers.get("Content-Type", "")
            if ctype.startswith("multipart/form-data"):
                message = BytesParser(policy=HTTP).parsebytes(
                    f"Content-Type: {ctype}\r\n\r\n".encode() + raw)
                pairs: list[tuple[str, str]] = []
                self._files = {}
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    filename = part.get_filename()
                    payload = part.get_payload(decode=True) or b""
                    if filename is not None:
                        self._files[name] = (filename, payload)
                    else:
                        pairs.append((name, payload.decode()))
                return pairs
            return parse_qsl(raw.decode(), keep_blank_values=True)

        def _dispatch(self, method: str) -> None:
            parts = urlsplit(self.path)
            self.query = dict(parse_qsl(parts.query))
            self._session_cache = self._session()
            self.user = self._session_cache[1]["user"]
            route = f"{method} {parts.path}"
            site.hits.append(route)
            if route in site.delays:
                time.sleep(site.delays[route])
            if route in site.broken:
                self._send(503, "")
                return
            func = ROUTES.get(route)
            if func is None:
                self._error("Sorry, the requested file could not be found", "filenotfound")
                return
            func(self)

        def do_GET(self) -> None:  # noqa: N802
            self._dispatch("GET")

        def do_POST(self) -> None:  # noqa: N802
            self.data = self._form_data()
            self.form = dict(self.data)
            self._dispatch("POST")

        # -- login ----------------------------------------------------------------------
        def login_page(self, error: str = "") -> None:
            session = self._session_cache[1]
            if self.query.get("testsession"):
                self._redirect("/my/")
                return
            error = error or session.pop("loginerrormsg", "")
            alert = (f'<a href="#" id="loginerrormessage" class="sr-only">{error}</a>'
                     f'<div class="alert alert-danger" role="alert">{error}</div>') if error else ""
            action = site.login_action or f"{site.url}/login/index.php"
            self._page("Log in to the site", f"""{alert}
<form class="login-form" action="{action}" method="post" id="login">
<input id="anchor" type="hidden" name="anchor" value="">
<input type="hidden" name="logintoken" value="{session['logintoken']}">
<input type="text" name="username" id="username" value="" placeholder="Username">
<input type="password" name="password" id="password" value="" placeholder="Password">
<button class="btn btn-primary" type="submit" id="loginbtn">Log in</button>
</form>
<form action="{site.url}/login/index.php" method="post" id="guestlogin">
<input type="hidden" name="logintoken" value="{session['logintoken']}">
<input type="hidden" name="username" value="guest">
<input type="hidden" name="password" value="guest">
<button class="btn btn-secondary" type="submit">Access as a guest</button>
</form>""", bodyid="page-login-index")

        def login_post(self) -> None:
            session = self._session_cache[1]
            site.posts.append(("login", [(k, v) for k, v in self.data if k != "password"]))
            user, password = self.form.get("username", ""), self.form.get("password", "")
            if self.form.get("logintoken") != session["logintoken"]:
                self.login_page("Invalid login, please try again")
                return
            if site.users.get(user) != password:
                # Moodle keeps the message in the session and redirects to a fresh login page.
                session["loginerrormsg"] = "Invalid login, please try again"
                self._redirect("/login/index.php")
                return
            sid = secrets.token_hex(8)   # Moodle gives a new session id on login
            site.sessions[sid] = {"user": user, "sesskey": secrets.token_hex(5),
                                  "logintoken": "", "renew": True}
            self._session_cache = (sid, site.sessions[sid])
            if user in site.must_change_password:
                self._redirect("/login/change_password.php")
                return
            self._redirect("/login/index.php?testsession=2")

        def change_password(self) -> None:
            self._page("Change password", '<form action="change_password.php" method="post">'
                       '<input type="password" name="password"><input type="password" '
                       'name="newpassword1"></form>', bodyid="page-login-change_password")

        def dashboard(self) -> None:
            if not self._logged_in():
                return
            self._page("Dashboard", "<h1>Dashboard</h1>", bodyid="page-my-index")

        def _logged_in(self) -> bool:
            if not self.user:
                self._redirect("/login/index.php")
                return False
            return True

        def _course(self, cid: str | None, manage: bool = False) -> Course | None:
            """require_login($course) plus, when *manage*, the activity capability."""
            if not self._logged_in():
                return None
            course = site.courses.get(int(cid)) if cid and cid.isdigit() else None
            if course is None:
                self._error("Can't find data record in database table course.", "invalidrecord")
                return None
            if self.user not in course.enrolled:
                self._redirect(f"/enrol/index.php?id={course.id}")
                return None
            if manage and self.user not in course.managers:
                self._error("Sorry, but you do not currently have permissions to do that "
                            "(Manage activities).", "nopermissions")
                return None
            return course

        def enrol_page(self) -> None:
            self._page("Enrolment options", "<p>You cannot enrol yourself in this course.</p>",
                       bodyid="page-enrol-index")

        def course_page(self) -> None:
            course = self._course(self.query.get("id"))
            if course:
                links = "".join(f'<li class="activity scorm modtype_scorm"><a href="{site.url}'
                                f'/mod/scorm/view.php?id={a.cmid}">{html.escape(a.name)}</a></li>'
                                for a in site.in_course(course.id))
                self._page(course.fullname, f"<ul class='section'>{links}</ul>",
                           bodyid="page-course-view-topics")

        def scorm_index(self) -> None:
            course = self._course(self.query.get("id"))
            if course and not site.in_course(course.id):   # Moodle's notice() page
                self._page("Notice", '<div class="box generalbox" id="notice">There are no SCORM '
                           'packages</div><div class="continuebutton"><a href="'
                           f'{site.url}/course/view.php?id={course.id}">Continue</a></div>')
            elif course:
                rows = "".join(f'<tr><td class="cell c0">Topic {a.section}</td><td class="cell c1">'
                               f'<a href="view.php?id={a.cmid}">{html.escape(a.name)}</a></td></tr>'
                               for a in site.in_course(course.id))
                self._page("SCORM packages", f'<table class="generaltable">{rows}</table>',
                           bodyid="page-mod-scorm-index")

        def scorm_view(self) -> None:
            activity = site.activities.get(int(self.query.get("id", "0") or 0))
            if activity is None:
                self._error("Course module is incorrect", "invalidcoursemodule")
                return
            if self._course(str(activity.course)):
                self._page(activity.name, f"<h2>{html.escape(activity.name)}</h2>",
                           bodyid="page-mod-scorm-view")

        # -- the activity form ------------------------------------------------------------
        def modedit_get(self) -> None:
            if "update" in self.query:
                activity = site.activities.get(int(self.query["update"]))
                if activity is None:
                    self._error("Can't find data record in database table course_modules.",
                                "invalidrecord")
                    return
                if activity.locked and self._course(str(activity.course)):
                    self._error("Sorry, but you do not currently have permissions to do that "
                                "(Manage activities).", "nopermissions")
                    return
                if self._course(str(activity.course), manage=True):
                    itemid = self._new_draft({activity.filename: activity.package})
                    values = dict(activity.settings, name=activity.name,
                                  cmidnumber=activity.idnumber, update=str(activity.cmid),
                                  add="", coursemodule=str(activity.cmid), packagefile=str(itemid),
                                  section=str(activity.section))
                    self._render_form(site.courses[activity.course], values)
                return
            course = self._course(self.query.get("course"), manage=True)
            if course:
                itemid = self._new_draft({})
                self._render_form(course, {"add": "scorm", "update": "0", "name": "",
                                           "section": self.query.get("section", "0"),
                                           "cmidnumber": "", "packagefile": str(itemid)})

        def _new_draft(self, files: dict[str, bytes]) -> int:
            itemid = secrets.randbelow(999_999_999) + 1
            site.drafts[(self.user, itemid)] = dict(files)
            return itemid

        def _render_form(self, course: Course, values: dict[str, str],
                         errors: dict[str, str] | None = None) -> None:
            sesskey = self._session_cache[1]["sesskey"]
            self._page("Adding a new SCORM package",
                       form_html(site.url, course, values, errors or {}, sesskey),
                       footer=filemanager_script(course, int(values["packagefile"])),
                       bodyid="page-mod-scorm-mod")

        def modedit_post(self) -> None:
            site.posts.append(("modedit", list(self.data)))
            if not self._logged_in():
                return
            if self.form.get("sesskey") != self._session_cache[1]["sesskey"]:
                self._error("Incorrect sesskey submitted, form not accepted!", "invalidsesskey")
                return
            course = self._course(self.form.get("course"), manage=True)
            if course is None:
                return
            missing = [k for k in FORM_DEFAULTS if k not in self.form]
            if missing:  # a browser always sends these: the client must keep the defaults
                self._error(f"Stand-in: the form was posted without {missing}", "standin")
                return
            errors: dict[str, str] = {}
            if not self.form.get("name", "").strip():
                errors["name"] = "- You must supply a value here."
            files = site.drafts.get((self.user, int(self.form.get("packagefile") or 0)), {})
            version = None
            if not files:
                errors["packagefile"] = "- You must supply a value here."
            else:
                version = read_version(next(iter(files.values())))
                if version is None:
                    errors["packagefile"] = ("Incorrect file package - missing imsmanifest.xml "
                                             "or AICC structure")
            cmid = int(self.form.get("coursemodule") or 0)
            idnumber = self.form.get("cmidnumber", "")
            if idnumber and any(a.idnumber == idnumber and a.cmid != cmid
                                for a in site.in_course(course.id)):
                errors["cmidnumber"] = "ID number is already used for another course module"
            if errors:
                self._render_form(course, dict(self.form), errors)
                return
            filename, package = next(iter(files.items()))
            settings = {k: v for k, v in self.form.items() if k in FORM_DEFAULTS}
            with site.lock:
                section = int(self.form.get("section") or 0)
                if cmid in site.activities:   # an update never moves the activity
                    section = site.activities[cmid].section
                else:
                    cmid = site.next_cmid
                    site.next_cmid += 1
                site.activities[cmid] = Activity(cmid, course.id, section,
                                                 self.form["name"], idnumber, package, filename,
                                                 version or "", settings)
            if "submitbutton" in self.form:
                self._redirect(f"/mod/scorm/view.php?id={cmid}&forceview=1")
            else:
                self._redirect(f"/course/view.php?id={course.id}#section-0")

        # -- files ------------------------------------------------------------------------
        def repository_upload(self) -> None:
            answer: dict[str, Any]
            if not self.user:
                answer = {"error": "You are not logged in"}
            elif self.form.get("sesskey") != self._session_cache[1]["sesskey"]:
                answer = {"error": "Incorrect sesskey submitted, form not accepted!"}
            elif self.form.get("repo_id") != str(UPLOAD_REPO_ID):
                answer = {"error": "Invalid repository ID"}
            else:
                answer = self._store(int(self.form.get("itemid") or 0), "repo_upload_file")
            self._send(200, json.dumps(answer))  # Moodle sends it as text/html

        def _store(self, itemid: int, part: str) -> dict[str, Any]:
            filename, payload = self._files.get(part, ("", b""))
            if not filename:
                return {"error": "No file was uploaded", "errorcode": "upload_error_no_file"}
            if not payload.strip(b"\0"):
                return {"error": f"The file '{filename}' is either empty or a folder.",
                        "errorcode": "upload_error_invalid_file"}
            if len(payload) > site.max_bytes:
                return {"error": f"The file {filename} is too large. The maximum size you can "
                                 f"upload is {site.max_bytes} bytes.", "errorcode": "maxbytesfile",
                        "stacktrace": None, "debuginfo": None, "reproductionlink": None}
            area = site.drafts.setdefault((self.user, itemid), {})
            if filename in area and self.form.get("overwrite") != "1":
                return {"event": "fileexists",
                        "newfile": {"filepath": "/", "filename": "x (1).zip"}}
            area[filename] = payload
            return {"url": f"{site.url}/draftfile.php/5/user/draft/{itemid}/{filename}",
                    "id": itemid, "file": filename}

        def ws_upload(self) -> None:
            if not site.token or self.form.get("token") != site.token:
                self._send(200, json.dumps({"error": "Invalid token - token not found",
                                            "errorcode": "invalidtoken", "stacktrace": None,
                                            "debuginfo": None, "reproductionlink": None}),
                           "application/json")
                return
            self.user = site.token_user
            itemid = secrets.randbelow(999_999_999) + 1
            answer = self._store(itemid, "file_1")
            if "error" in answer:
                self._send(200, json.dumps(answer), "application/json")
                return
            self._send(200, json.dumps([{"component": "user", "contextid": 5, "userid": "2",
                                         "filearea": "draft", "filename": answer["file"],
                                         "filepath": "/", "itemid": itemid, "license": "unknown",
                                         "author": "", "source": ""}]), "application/json")

        def ws_rest(self) -> None:
            if not site.token or self.form.get("wstoken") != site.token:
                answer: Any = {"exception": "core\\exception\\moodle_exception",
                               "errorcode": "invalidtoken",
                               "message": "Invalid token - token not found"}
            elif self.form.get("wsfunction") == "core_webservice_get_site_info":
                answer = {"sitename": "Stand-in", "username": site.token_user,
                          "siteurl": site.url, "userid": 2}
            else:
                cid = int(self.form.get("courseids[0]", "0"))
                answer = {"scorms": [{"id": a.cmid - 30, "coursemodule": a.cmid, "course": cid,
                                      "name": a.name, "version": a.version, "revision": 1}
                                     for a in site.in_course(cid)], "warnings": []}
            self._send(200, json.dumps(answer), "application/json")

    ROUTES = {
        "GET /login/index.php": Handler.login_page, "POST /login/index.php": Handler.login_post,
        "GET /my/": Handler.dashboard, "GET /enrol/index.php": Handler.enrol_page,
        "GET /login/change_password.php": Handler.change_password,
        "GET /course/view.php": Handler.course_page,
        "GET /mod/scorm/index.php": Handler.scorm_index,
        "GET /mod/scorm/view.php": Handler.scorm_view,
        "GET /course/modedit.php": Handler.modedit_get,
        "POST /course/modedit.php": Handler.modedit_post,
        "POST /repository/repository_ajax.php": Handler.repository_upload,
        "POST /webservice/upload.php": Handler.ws_upload,
        "POST /webservice/rest/server.php": Handler.ws_rest,
    }
    return Handler
