"""Moodle client for ``builder publish moodle``: add or update a course's SCORM activity.

Moodle has no web service that creates or updates a SCORM activity, so the client does
what a teacher does in a browser: log in, open the activity settings form
(``/course/modedit.php``), put the zip in the user's draft file area, and post the form
back with every default value kept. The activity is found again by its ID number
(``cmidnumber``), which we set to the builder course id, so publishing twice updates the
same course module instead of adding a second one.

The password and token are held in :class:`Secret` and every error message passes through
one redaction step before it leaves :func:`publish_package`.
"""
from __future__ import annotations

import logging
import secrets as _random
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from lxml.html import HtmlElement

from builder import moodle_html as html
from builder.moodle_http import Transport
from builder.moodle_html import ModForm
from builder.moodle_package import MOODLE_VERSIONS
from builder.moodle_site import (Activity, CourseNotFound, FormRejected, LoginFailed, MoodleError,
                                 MoodleSite, NotMoodle, PackageRejected, PermissionDenied, Secret,
                                 StateUnknown, Unreachable, redact, upload_error)

__all__ = ["Activity", "CourseNotFound", "FormRejected", "LoginFailed", "MoodleClient",
           "MoodleError", "MoodleSite", "NotMoodle", "PackageRejected", "PermissionDenied",
           "ScormInfo", "Secret", "StateUnknown", "Unreachable", "redact"]

log = logging.getLogger(__name__)

# Pages Moodle sends a user to right after login, before anything else works.
INTERRUPTIONS = {
    "/login/change_password.php": "change their password",
    "/user/edit.php": "complete their profile",
    "/user/policy.php": "accept the site policy",
    "/admin/tool/policy/": "accept the site policies",
    "/admin/tool/mfa/": "pass multi-factor authentication (not supported here)",
}


@dataclass(frozen=True)
class ScormInfo:
    """What Moodle keeps about an activity's package: the version it read and the revision."""

    version: str
    revision: int


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


class MoodleClient(Transport):
    """A logged-in browser-like session on one Moodle site."""

    def __init__(self, site: MoodleSite, session: requests.Session | None = None) -> None:
        super().__init__(site, session)
        self.sesskey: str | None = None

    # -- pages --------------------------------------------------------------------------
    def page(self, path: str) -> tuple[requests.Response, HtmlElement]:
        """GET a page and raise the matching error for login, enrol and error pages."""
        response = self.request("GET", path)
        doc = html.parse_page(response.text, response.url)
        self._check(response, doc)
        return response, doc

    def _check(self, response: requests.Response, doc: HtmlElement) -> None:
        where = urlsplit(response.url).path
        problem = html.error_page_message(doc)
        if problem:
            message, code = problem
            if code == "invalidcourseid" or message.rstrip(".").endswith("database table course"):
                raise CourseNotFound(f"course not found on {self.site.url}: {message}")
            if code in ("nopermissions", "accessdenied", "requireloginerror", "noaccess") \
                    or message.startswith("Sorry, but you do not currently have permissions"):
                raise PermissionDenied(f"user '{self.site.user}' lacks a permission: {message}")
            raise MoodleError(f"Moodle answered with an error: {message}"
                              + (f" ({code})" if code else ""))
        if where.endswith("/login/index.php"):
            raise LoginFailed("Moodle sent us back to the login page (session expired?)")
        if where.endswith("/enrol/index.php"):
            raise PermissionDenied(f"user '{self.site.user}' is not enrolled in this course "
                                   "and cannot open it")
        if response.status_code >= 400:
            raise MoodleError(f"HTTP {response.status_code} from {where}")
        if not html.is_moodle_page(doc):
            raise NotMoodle(f"{response.url.split('?', 1)[0]} did not answer like a Moodle page")

    # -- steps --------------------------------------------------------------------------
    def login(self) -> None:
        """Log in with the login form and keep the session key."""
        response = self.request("GET", "/login/index.php")
        doc = html.parse_page(response.text, response.url)
        if not html.is_moodle_page(doc):
            landed = urlsplit(response.url)
            if landed.netloc != urlsplit(self.site.url).netloc:
                raise LoginFailed(f"{self.site.url}/login/index.php sends logins to "
                                  f"{landed.scheme}://{landed.netloc}: single sign-on is not "
                                  "supported; use an account that logs in on Moodle's own page")
            raise NotMoodle(f"{self.site.url} does not look like a Moodle site "
                            "(no Moodle login page at /login/index.php)")
        # Moodle's own address (after any http -> https or host redirect): later POSTs
        # must not be redirected, as a redirected POST arrives as a GET.
        self.base = str(html.read_mcfg(doc)["wwwroot"]).rstrip("/")
        form = html.login_form(doc)
        if form is None:
            raise LoginFailed(f"{self.site.url} shows no user name and password form; "
                              "sites with single sign-on only are not supported")
        action = html.form_action(form, response.url)
        if _origin(action) != _origin(self.base) or _origin(response.url) != _origin(self.base):
            raise LoginFailed(f"the login form of {self.site.url} posts to "
                              f"{urlsplit(action).scheme}://{urlsplit(action).netloc}, not to the "
                              "site itself; the password was not sent")
        fields = [(k, v) for k, v in html.form_fields(form) if k not in ("username", "password")]
        fields += [("username", self.site.user), ("password", self.site.password.reveal())]
        response = self.request("POST", action, data=fields, safe=False, allow_redirects=False,
                                unknown=Unreachable(
                                    f"{self.site.url} did not answer the login in time"))
        response = self._follow(response)
        doc = html.parse_page(response.text, response.url)
        path = urlsplit(response.url).path
        for where, what in INTERRUPTIONS.items():
            if where in path:
                raise LoginFailed(f"after logging in, Moodle asks '{self.site.user}' to {what}; "
                                  "log in once in a browser to do it, then publish again")
        if html.login_form(doc) is not None or "notloggedin" in html.body_classes(doc):
            alerts = html.page_alerts(doc)
            reason = alerts[0] if alerts else "the login was not accepted"
            raise LoginFailed(f"Moodle refused the login of user '{self.site.user}' at "
                              f"{self.site.url}: {reason}")
        self.sesskey = html.read_mcfg(doc).get("sesskey")
        log.info("Logged in to %s as %s", self.site.url, self.site.user)

    def _follow(self, response: requests.Response) -> requests.Response:
        """Follow the redirects after the login post with GETs on the site's own origin."""
        for _ in range(10):
            if not response.is_redirect:
                return response
            target = urljoin(response.url, response.headers.get("Location", ""))
            if _origin(target) != _origin(self.base):
                raise LoginFailed(f"after the login, {self.site.url} sent us to "
                                  f"{urlsplit(target).netloc}: single sign-on is not supported")
            response = self.request("GET", target)
        raise LoginFailed(f"{self.site.url} kept redirecting after the login")

    def check_course(self, course_id: int) -> tuple[list[int], dict[int, str]]:
        """Make sure the course exists and the user can open it.

        Returns:
            The SCORM activities linked from the course page, and its sections by number.
        """
        _, doc = self.page(f"/course/view.php?id={course_id}")
        return _scorm_cmids(doc), html.course_sections(doc)

    def current_package(self, form: ModForm) -> bytes | None:
        """Download the package an activity holds, from its settings form's draft area."""
        files = html.draft_files(form.doc, int(form.value("packagefile") or 0))
        if not files:
            return None
        response = self.request("GET", str(files[0]["url"]), read_timeout=self.site.upload_timeout)
        if response.status_code != 200:
            log.warning("Could not download the activity's current package (HTTP %s)",
                        response.status_code)
            return None
        return response.content

    def learners_with_attempts(self, cmid: int) -> int:
        """Count the users with at least one attempt, from the SCORM basic report."""
        _, doc = self.page(f"/mod/scorm/report.php?id={cmid}&mode=basic&attemptsmode=1")
        return len(html.learners_with_attempts(doc))

    def find_activity(self, course_id: int, idnumber: str,
                      seen: list[int] | None = None) -> tuple[int, ModForm] | None:
        """Return the SCORM activity whose ID number is *idnumber*, with its settings form.

        Candidates are the SCORM activities listed by ``/mod/scorm/index.php`` (all of the
        course's, hidden ones included for teachers) plus any *seen* on the course page;
        each one's settings form tells its ID number.
        """
        _, doc = self.page(f"/mod/scorm/index.php?id={course_id}")
        cmids = _scorm_cmids(doc)
        cmids += [cmid for cmid in seen or [] if cmid not in cmids]
        log.debug("SCORM activities in course %s: %s", course_id, cmids)
        for cmid in cmids:
            try:
                form = self.open_form(f"/course/modedit.php?update={cmid}")
            except PermissionDenied:   # an activity this account may not edit is not ours
                log.warning("Skipping SCORM activity %s: no permission to edit it", cmid)
                continue
            if (form.value("cmidnumber") or "").strip() == idnumber:
                return cmid, form
        return None

    def open_form(self, path: str) -> ModForm:
        """Open the SCORM activity settings form (add or update)."""
        response, doc = self.page(path)
        form = html.find_form(doc, "_qf__mod_scorm_mod_form")
        if form is None:
            raise MoodleError(f"{urlsplit(response.url).path} did not show the SCORM "
                              "activity form (is the SCORM module enabled on the site?)")
        return ModForm(response.url, doc, form, html.form_fields(form))

    def upload(self, package: Path, form: ModForm, fresh: bool) -> int:
        """Put *package* in a draft file area and return its draft item id.

        With a token, ``/webservice/upload.php`` makes a new draft area. Otherwise the file
        goes through the "Upload a file" repository, into the form's own (empty) draft area
        when adding, or into a new one when updating, so the old package is not picked.
        """
        if self.site.token:
            return self._upload_ws(package)
        form_itemid = int(form.value("packagefile") or 0)
        target = html.filemanager_target(form.doc, form_itemid)
        if target.repo_id is None:
            raise MoodleError("the SCORM form offers no 'Upload a file' repository to this user; "
                              "ask the site admin to enable it, or give a web service token "
                              "in MOODLE_TOKEN")
        itemid = _random.randbelow(999_999_999) + 1 if fresh or not form_itemid else form_itemid
        data = [("sesskey", self.sesskey or form.value("sesskey") or ""),
                ("repo_id", str(target.repo_id)), ("itemid", str(itemid)), ("savepath", "/"),
                ("title", package.name), ("overwrite", "1"), ("env", "filemanager")]
        if target.ctx_id is not None:
            data.append(("ctx_id", str(target.ctx_id)))
        if target.client_id:
            data.append(("client_id", target.client_id))
        answer = self._post_file("/repository/repository_ajax.php?action=upload", data,
                                 "repo_upload_file", package)
        if not isinstance(answer, dict) or "error" in answer or "id" not in answer:
            raise upload_error(answer)
        return int(answer["id"])

    def _upload_ws(self, package: Path) -> int:
        token = self.site.token.reveal() if self.site.token else ""
        data = [("token", token), ("filearea", "draft"), ("itemid", "0"), ("filepath", "/")]
        answer = self._post_file("/webservice/upload.php", data, "file_1", package)
        if isinstance(answer, list) and answer and isinstance(answer[0], dict) \
                and "itemid" in answer[0]:
            return int(answer[0]["itemid"])
        raise upload_error(answer)

    def _post_file(self, path: str, data: list[tuple[str, str]], name: str, package: Path) -> Any:
        log.info("Uploading %s (%d kB)", package.name, (package.stat().st_size + 1023) // 1024)
        content = package.read_bytes()   # bytes, not a file: a retry must send it all again
        response = self.request(
            "POST", path, data=data, files={name: (package.name, content, "application/zip")},
            safe=False, read_timeout=self.site.upload_timeout,
            unknown=Unreachable("the upload got no answer in time; the course was not "
                                "changed (Moodle deletes unused draft files itself)"))
        try:
            return response.json()
        except ValueError:
            doc = html.parse_page(response.text, response.url)
            self._check(response, doc)
            raise MoodleError(f"unexpected answer to the upload (HTTP {response.status_code})")

    def submit(self, form: ModForm, doing: str, course_url: str) -> int | None:
        """Post the form; return the course module id, or None if Moodle did not say it."""
        unknown = StateUnknown(
            f"Moodle got the activity form but did not answer in time, so the activity may or "
            f"may not have been {doing}. Check {course_url}; publishing again is safe: it "
            f"updates the activity with this ID number if it exists.")
        action = html.form_action(form.form, form.url)
        try:
            response = self.request("POST", action, data=form.fields, allow_redirects=False,
                                    safe=False, unknown=unknown)
        except KeyboardInterrupt:   # stopped while Moodle may be saving: say so
            raise unknown from None
        target = response.headers.get("Location") if response.is_redirect else None
        doc = html.parse_page(response.text, response.url)
        if target is None and response.status_code == 200:
            target = html.refresh_target(doc)
        if target:
            path = urlsplit(target).path
            if path.endswith("/login/index.php"):
                raise LoginFailed("the session ended before the form was saved; nothing changed")
            ids = parse_qs(urlsplit(target).query).get("id")
            if path.endswith("/mod/scorm/view.php") and ids:
                return int(ids[0])
            if path.endswith("/course/view.php"):
                return None
        errors = html.form_errors(doc)
        if errors:
            text = "; ".join(f"{name}: {message}" for name, message in errors.items())
            cls = PackageRejected if "packagefile" in errors else FormRejected
            what = "the package" if cls is PackageRejected else "the activity settings"
            if "packagefile" in errors and self.site.token:
                text += " (the upload went through MOODLE_TOKEN: is it a token of this account?)"
            raise cls(f"Moodle rejected {what}: {text}", errors)
        if response.status_code == 200 and not html.is_moodle_page(doc):
            # Moodle stops with a bare message on some broken packages (a manifest that is
            # not XML prints "XML error: ..." and nothing else).
            said = " ".join(doc.text_content().split())[:300]
            raise PackageRejected(f"Moodle did not save the activity; it answered: {said}")
        self._check(response, doc)
        raise MoodleError(f"unexpected answer after saving the form (HTTP {response.status_code});"
                          f" check {course_url}")

    def web_service(self, function: str, **params: str) -> Any:
        """Call a REST web service function with the token; return its decoded JSON answer."""
        token = self.site.token.reveal() if self.site.token else ""
        response = self.request(
            "POST", "/webservice/rest/server.php?moodlewsrestformat=json",
            data={"wstoken": token, "wsfunction": function, **params})
        try:
            return response.json()
        except ValueError:
            raise MoodleError(f"the web service answered {function} with something that is not "
                              f"JSON (HTTP {response.status_code})") from None

    def check_token(self) -> None:
        """Make sure the token is valid and belongs to the account that logs in."""
        answer = self.web_service("core_webservice_get_site_info")
        if not isinstance(answer, dict) or "username" not in answer:
            message = answer.get("message", "") if isinstance(answer, dict) else ""
            raise LoginFailed(f"Moodle refused the web service token in MOODLE_TOKEN: {message}")
        if str(answer["username"]).lower() != self.site.user.lower():
            raise LoginFailed(f"MOODLE_TOKEN belongs to user '{answer['username']}', not "
                              f"'{self.site.user}': give a token of the account that publishes")

    def scorm_versions(self, course_id: int) -> dict[int, ScormInfo]:
        """Ask ``mod_scorm_get_scorms_by_courses`` the version and revision Moodle keeps."""
        answer = self.web_service("mod_scorm_get_scorms_by_courses",
                                  **{"courseids[0]": str(course_id)})
        if not isinstance(answer, dict) or "scorms" not in answer:
            message = answer.get("message", "") if isinstance(answer, dict) else ""
            raise MoodleError(f"the web service could not list SCORM activities: {message}")
        return {int(s["coursemodule"]): ScormInfo(
                    MOODLE_VERSIONS.get(str(s.get("version", "")), str(s.get("version", ""))),
                    int(s.get("revision") or 0)) for s in answer["scorms"]}


def _scorm_cmids(doc: HtmlElement) -> list[int]:
    cmids: list[int] = []
    for href in html.links_with(doc, "/mod/scorm/view.php"):
        ids = parse_qs(urlsplit(href).query).get("id")
        if ids and ids[0].isdigit() and int(ids[0]) not in cmids:
            cmids.append(int(ids[0]))
    return cmids
