"""Publishing to Moodle: what a real site cannot be made to do on demand, against the stand-in.

Timeouts, 5xx answers, pages that are not Moodle's, redirect pages, a login form posting
elsewhere, forced password changes: these run against ``tests/moodle_standin.py``, whose
answers were taken from the real Moodle 4.5.6. Everything a real site can show is tested
against it in ``tests/moodle/`` (adding, updating, versions, errors, the player).
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from builder.cli_publish import publish
from builder.errors import ConfigError
from builder.moodle import (Activity, LoginFailed, MoodleSite, NotMoodle, PackageRejected,
                            Secret, StateUnknown, Unreachable, redact)
from builder.moodle_publish import Target, publish_package
from builder.moodle_site import site_url
from builder.publish import find_settings_file, load_moodle_section
from tests.moodle_standin import FORM_DEFAULTS, StandinMoodle

PASSWORD = "s3cr3t-Pa55!"
TOKEN = "tok-0a1b2c3d4e5f"
IDNUMBER = "demo-course"


def make_zip(path: Path, schemaversion: str = "1.2", body: str = "v1",
             manifest: bool = True) -> Path:
    """Write a small SCORM-looking zip."""
    with zipfile.ZipFile(path, "w") as archive:
        if manifest:
            archive.writestr("imsmanifest.xml", (
                '<?xml version="1.0"?><manifest identifier="demo-course" '
                'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"><metadata>'
                f'<schema>ADL SCORM</schema><schemaversion>{schemaversion}</schemaversion>'
                '</metadata><organizations/><resources/></manifest>'))
        archive.writestr("index.html", f"<p>{body}</p>")
    return path


@pytest.fixture
def standin() -> Iterator[StandinMoodle]:
    site = StandinMoodle(users={"teacher": PASSWORD, "student": "learner-pw"}, token=TOKEN)
    site.add_course(7, users={"teacher", "student"}, managers={"teacher"})
    site.start()
    yield site
    site.stop()


def site_for(url: str, password: str = PASSWORD, token: str | None = None,
             read_timeout: float = 5.0) -> MoodleSite:
    return MoodleSite(url, "teacher", Secret(password), Secret(token) if token else None,
                      connect_timeout=1.0, read_timeout=read_timeout, upload_timeout=read_timeout,
                      tries=3, backoff=0.01)


def publish_to(standin: StandinMoodle, package: Path, course: int = 7, idnumber: str = IDNUMBER,
               site: MoodleSite | None = None, dry_run: bool = False, **kwargs: Any) -> Activity:
    """Publish *package* to the stand-in as the teacher (*kwargs* as for :class:`Target`)."""
    target = Target(course, idnumber, kwargs.pop("name", "Demo course"), **kwargs)
    return publish_package(package, site or site_for(standin.url), target, dry_run=dry_run)


def test_update_sends_back_every_setting_but_the_attempt_options(standin: StandinMoodle,
                                                                   tmp_path: Path) -> None:
    first = publish_to(standin, make_zip(tmp_path / "a.zip", body="first"))
    [activity] = standin.in_course(7)
    assert (activity.cmid, activity.name, activity.idnumber) == \
        (first.cmid, "Demo course", IDNUMBER)
    # Every default of the form went back as a browser sends it, but the attempt options,
    # which publish sets (here the defaults: unlimited, new attempt after completion, highest).
    assert activity.settings == FORM_DEFAULTS | {"forcenewattempt": "1"}
    activity.settings["maxgrade"] = "50"      # a teacher changed the grade in Moodle
    activity.name = "Renamed by the teacher"
    second = publish_to(standin, make_zip(tmp_path / "b.zip", body="second"))
    assert (second.action, second.cmid) == ("updated", first.cmid)
    [activity] = standin.in_course(7)
    assert activity.package == (tmp_path / "b.zip").read_bytes()
    assert activity.settings["maxgrade"] == "50"
    assert activity.name == "Renamed by the teacher"


class _NotMoodle(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = b"<html><body><h1>It works!</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _SingleSignOn(_NotMoodle):
    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/login/"):
            port = self.server.server_address[1]
            self.send_response(303)
            self.send_header("Location", f"http://localhost:{port}/idp/sso")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            super().do_GET()


@contextlib.contextmanager
def other_site(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A throwaway web site on 127.0.0.1 answering with *handler*; yields its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_single_sign_on_is_explained(tmp_path: Path) -> None:
    with other_site(_SingleSignOn) as url, pytest.raises(LoginFailed, match="single sign-on is not supported"):
        publish_package(make_zip(tmp_path / "a.zip"), site_for(url), Target(7, IDNUMBER, "x"))


def test_site_that_is_not_moodle(tmp_path: Path) -> None:
    with other_site(_NotMoodle) as url, pytest.raises(NotMoodle, match="does not look like a Moodle site"):
        publish_package(make_zip(tmp_path / "a.zip"), site_for(url), Target(7, IDNUMBER, "x"))



def test_timeout_is_retried_then_reported(standin: StandinMoodle, tmp_path: Path) -> None:
    standin.delays["GET /login/index.php"] = 1.0
    with pytest.raises(Unreachable, match="no answer within the timeout"):
        publish_to(standin, make_zip(tmp_path / "a.zip"),
                   site=site_for(standin.url, read_timeout=0.2))
    assert standin.hits.count("GET /login/index.php") == 3


def test_unavailable_is_retried(standin: StandinMoodle, tmp_path: Path) -> None:
    standin.broken.add("GET /mod/scorm/index.php")
    with pytest.raises(Unreachable, match="service unavailable"):
        publish_to(standin, make_zip(tmp_path / "a.zip"))
    assert standin.hits.count("GET /mod/scorm/index.php") == 3


def test_save_timeout_is_not_retried_and_says_state_unknown(
        standin: StandinMoodle, tmp_path: Path) -> None:
    standin.delays["POST /course/modedit.php"] = 4.0
    with pytest.raises(StateUnknown, match="may or may not have been added") as caught:
        publish_to(standin, make_zip(tmp_path / "a.zip"),
                   site=site_for(standin.url, read_timeout=1.5))
    assert standin.hits.count("POST /course/modedit.php") == 1
    assert "/course/view.php?id=7" in caught.value.message


def test_secrets_are_masked() -> None:
    site = site_for("moodle.example.org", token=TOKEN)
    assert site.url == "https://moodle.example.org"
    assert PASSWORD not in repr(site) and TOKEN not in repr(site)
    assert PASSWORD not in str(site.password)
    assert redact(f"x {PASSWORD} y {TOKEN}", site.secrets()) == "x ******** y ********"


# -- the command ----------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path: Path, standin: StandinMoodle, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    course = tmp_path / "courses" / "demo"
    course.mkdir(parents=True)
    (course / "course.yml").write_text(f"id: {IDNUMBER}\ntitle: Demo course\n")
    (tmp_path / "builder.yml").write_text(
        f"moodle:\n  url: {standin.url}\n  course_id: 7\n  user: teacher\n  section: 1\n")
    make_zip(tmp_path / "demo.zip")
    return tmp_path


def run(project: Path, *args: str, env: dict[str, str] | None = None,
        stdin: str | None = None):  # type: ignore[no-untyped-def]
    """Run ``publish moodle`` in *project* (the fixture made it the working folder)."""
    base = {"MOODLE_PASSWORD": PASSWORD, "MOODLE_TOKEN": "", "MOODLE_USER": ""}
    base.update(env or {})
    return CliRunner().invoke(publish, ["moodle", "courses/demo", "--package", "demo.zip", *args],
                              env=base, input=stdin)






def test_cli_without_password_and_terminal(project: Path) -> None:
    result = run(project, env={"MOODLE_PASSWORD": ""})
    assert result.exit_code != 0
    assert "MOODLE_PASSWORD" in result.output


def test_cli_refuses_a_password_in_the_settings_file(project: Path) -> None:
    settings = project / "builder.yml"
    settings.write_text(settings.read_text() + "  password: hunter2\n")
    result = run(project)
    assert result.exit_code != 0
    assert "passwords and tokens never go in files" in result.output
    assert "hunter2" not in result.output


def test_cli_needs_url_course_and_user(project: Path) -> None:
    (project / "builder.yml").unlink()
    result = run(project)
    assert result.exit_code != 0
    assert "missing --url, --course-id, --user" in result.output



def test_redirect_pages_instead_of_http_redirects(standin: StandinMoodle, tmp_path: Path) -> None:
    standin.meta_redirects = True   # Moodle does this when debugging output was already sent
    first = publish_to(standin, make_zip(tmp_path / "a.zip"))
    second = publish_to(standin, make_zip(tmp_path / "b.zip"))
    assert first.cmid == second.cmid and len(standin.in_course(7)) == 1


def test_password_in_the_site_address_is_refused_unseen() -> None:
    with pytest.raises(ConfigError, match="must not hold a user name or password") as caught:
        site_for(f"http://teacher:{PASSWORD}@127.0.0.1:9")
    assert PASSWORD not in caught.value.message


def test_site_addresses_are_normalised_or_refused() -> None:
    assert site_url("moodle.example.org") == "https://moodle.example.org"
    assert site_url(" HTTP://moodle.example.org:8080/moodle/ ") == "http://moodle.example.org:8080/moodle"
    assert site_url("localhost:8080") == "https://localhost:8080"
    for bad, why in (("ftp://x", "http:// or https://"), ("mailto:a@b.org", "http:// or https://"),
                     ("file:///etc/passwd", "http:// or https://"),
                     ("https://u:pw@moodle.example.org", "user name or password"),
                     ("https://moodle.example.org/?lang=en", "without '?"),
                     ("https://moodle.example.org/#top", "without '?"),
                     ("https://moodle.example.org:99999", "invalid port"),
                     ("https://", "must name a site"), ("https:///moodle", "must name a site")):
        with pytest.raises(ConfigError, match=re.escape(why)):
            site_url(bad)


@pytest.mark.parametrize("url", ["ftp://{host}", "https://teacher:pw@{host}", "http://{host}/?x=1",
                                 "http://{host}/#login"])
def test_cli_refuses_a_bad_url_before_any_request(url: str, project: Path,
                                                  standin: StandinMoodle) -> None:
    # No password either: the address is checked before anything is asked or sent.
    result = run(project, "--url", url.format(host=urlsplit(standin.url).netloc), "--dry-run",
                 env={"MOODLE_PASSWORD": ""})
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "--url must" in result.output and "no password" not in result.output
    assert "pw@" not in result.output
    assert standin.hits == []


def test_cli_ftp_url_is_refused_without_building_or_retrying(repo_root: Path, tmp_path: Path) -> None:
    # The QA report's command, word for word (the password on standard input).
    course = repo_root / "courses" / "migration-local-development"
    done = subprocess.run(
        [sys.executable, "-m", "builder", "publish", "moodle", str(course), "--dry-run", "--url", "ftp://x",
         "--course-id", "2", "--user", "u", "--password-stdin", "--out", str(tmp_path / "dist")],
        input="pw\n", capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith("MOODLE_")})
    assert done.returncode == 1
    assert "--url must be an http:// or https:// address" in done.stderr
    assert "No connection adapters" not in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "dist").exists()



def test_upload_refused_for_size(standin: StandinMoodle, tmp_path: Path) -> None:
    standin.max_bytes = 100
    with pytest.raises(PackageRejected, match="is too large"):
        publish_to(standin, make_zip(tmp_path / "a.zip"))
    assert standin.activities == {}


def test_forced_password_change_is_explained(standin: StandinMoodle, tmp_path: Path) -> None:
    standin.must_change_password.add("teacher")
    with pytest.raises(LoginFailed, match="asks 'teacher' to change their password"):
        publish_to(standin, make_zip(tmp_path / "a.zip"))


def test_upload_timeout_is_not_retried(standin: StandinMoodle, tmp_path: Path) -> None:
    standin.delays["POST /repository/repository_ajax.php"] = 4.0
    with pytest.raises(Unreachable, match="the upload got no answer in time; the course was "
                                          "not changed"):
        publish_to(standin, make_zip(tmp_path / "a.zip"),
                   site=site_for(standin.url, read_timeout=1.5))
    assert standin.hits.count("POST /repository/repository_ajax.php") == 1
    assert "POST /course/modedit.php" not in standin.hits


def test_activities_the_user_cannot_edit_are_skipped(
        standin: StandinMoodle, tmp_path: Path) -> None:
    other = publish_to(standin, make_zip(tmp_path / "o.zip"), idnumber="other", name="O")
    standin.activities[other.cmid or 0].locked = True
    mine = publish_to(standin, make_zip(tmp_path / "a.zip"))
    assert mine.action == "added" and mine.cmid != other.cmid
    assert publish_to(standin, make_zip(tmp_path / "b.zip")).cmid == mine.cmid


def test_logs_never_hold_secrets(standin: StandinMoodle, tmp_path: Path,
                                 caplog: pytest.LogCaptureFixture,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # A CLI test run earlier may have detached the 'builder' logger from the root (where
    # caplog listens) and raised its level (-q): undo both for this test.
    monkeypatch.setattr(logging.getLogger("builder"), "propagate", True)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="builder")
    publish_to(standin, make_zip(tmp_path / "a.zip"), site=site_for(standin.url, token=TOKEN))
    with pytest.raises(LoginFailed):
        publish_to(standin, make_zip(tmp_path / "a.zip"), site=site_for(standin.url, "bad-pw-1"))
    assert "Logged in to" in caplog.text and "Uploading" in caplog.text
    for secret in (PASSWORD, TOKEN, "bad-pw-1"):
        assert secret not in caplog.text


def test_settings_file_lookup_and_checks(tmp_path: Path) -> None:
    course = tmp_path / "courses" / "demo"
    course.mkdir(parents=True)
    (tmp_path / ".builder.yml").write_text("moodle:\n  url: https://m.example\n  course_id: 3\n")
    found = find_settings_file(course)
    assert found == tmp_path / ".builder.yml"
    assert load_moodle_section(found) == {"url": "https://m.example", "course_id": 3}
    found.write_text("moodle:\n  url: x\n  courseid: 3\n")
    with pytest.raises(ConfigError, match="unknown key 'moodle: courseid'"):
        load_moodle_section(found)
    found.write_text("moodle:\n  token: abc\n")
    with pytest.raises(ConfigError, match="never go in files") as caught:
        load_moodle_section(found)
    assert "abc" not in caught.value.message
    found.write_text("other: 1\n")
    assert load_moodle_section(found) == {}


def test_token_of_another_account_is_refused_before_anything(standin: StandinMoodle,
                                                             tmp_path: Path) -> None:
    standin.token_user = "student"
    with pytest.raises(LoginFailed, match="MOODLE_TOKEN belongs to user 'student', not 'teacher'"):
        publish_to(standin, make_zip(tmp_path / "a.zip"), site=site_for(standin.url, token=TOKEN),
                   dry_run=True)
    assert not [hit for hit in standin.hits if "upload" in hit or "modedit" in hit]


def test_login_form_posting_elsewhere_gets_no_password(standin: StandinMoodle,
                                                       tmp_path: Path) -> None:
    standin.login_action = "http://127.0.0.2:9/steal"
    with pytest.raises(LoginFailed, match="posts to http://127.0.0.2:9, not to the site itself"):
        publish_to(standin, make_zip(tmp_path / "a.zip"))
    assert not [hit for hit in standin.hits if hit.startswith("POST")]


def test_secret_mask_replaces_whole_values_only() -> None:
    # issue 10: with MOODLE_PASSWORD=x the host printed as moodle.e********ample.org
    assert redact("no answer from https://moodle.example.org: x refused", ["x"]) == \
        "no answer from https://moodle.example.org: ******** refused"
    assert redact(f"token={TOKEN}&x=1 {PASSWORD}. pw={PASSWORD.replace('!', '%21')}",
                  [PASSWORD, TOKEN]) == "token=********&x=1 ********. pw=********"


def test_settings_check_the_address_when_made() -> None:
    from builder.publish import MoodleSettings

    settings = MoodleSettings(url="moodle.example.org/", course_id=7, user="teacher",
                              password=Secret(PASSWORD))
    assert settings.url == "https://moodle.example.org"
    with pytest.raises(ConfigError, match="http:// or https://"):
        MoodleSettings(url="ftp://moodle.example.org", course_id=7, user="teacher",
                       password=Secret(PASSWORD))
