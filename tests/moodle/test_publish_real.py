"""``builder publish moodle`` against the real Moodle 4.5.6 of the kit (see tests/moodle/kit.py).

Every test makes its own Moodle course, so tests do not depend on each other's data. The
packages are built once per module; the command runs in-process with ``--package``, through
the top-level ``builder`` group, so its log lines ("Adding", "Would update") are in the output.
"""
from __future__ import annotations

import shutil
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from builder.build import build_course
from builder.cli import cli as builder_cli
from tests.moodle.kit import Moodle

# One Moodle serves every test of this folder: under pytest-xdist they all run on one worker
# (--dist loadgroup), so no second site is started and none is stopped while in use.
pytestmark = pytest.mark.xdist_group("moodle")

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "courses" / "migration-local-development"
IDNUMBER = "migration-local-development-en"  # the course is translated: the English package's activity
TEACHER_PW = "Teach#2026x"
STUDENT_PW = "Learn#2026x"


@pytest.fixture(scope="module")
def zips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example course built in both formats, and a changed 1.2 build ("scorm12-v2")."""
    out = tmp_path_factory.mktemp("dist")
    built = {p.format: Path(p.path) for p in
             build_course(EXAMPLE, formats=("scorm12", "scorm2004"), out=out, languages=("en",)).packages}
    changed = tmp_path_factory.mktemp("changed") / EXAMPLE.name
    shutil.copytree(EXAMPLE, changed)
    lesson = sorted((changed / "lessons").rglob("*.md"))[0]
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nA sentence added in version 2.\n",
                      encoding="utf-8")
    out2 = tmp_path_factory.mktemp("dist2")
    [v2] = build_course(changed, formats=("scorm12",), out=out2, languages=("en",)).packages
    built["scorm12-v2"] = Path(v2.path)
    return built


@pytest.fixture
def course(moodle: Moodle) -> Iterator[int]:
    """A new Moodle course with an editing teacher ``teacher`` (password TEACHER_PW)."""
    cid = moodle.new_course("pub")
    moodle.enrol("teacher", TEACHER_PW, cid, role="editingteacher")
    yield cid


def cli(moodle: Moodle, course: int | str, package: Path, *args: str, user: str = "teacher",
        password: str = TEACHER_PW, token: str = "", url: str | None = None,
        from_env: bool = False) -> Result:
    """Run ``builder publish moodle`` in-process with --package and the given account.

    It goes through the ``builder`` group, as the installed command does: that group sets up
    logging, so the output holds the log lines as well as the printed result.

    With *from_env*, the user comes from ``MOODLE_USER`` and the password from standard
    input (``--password-stdin``) instead of ``--user`` and ``MOODLE_PASSWORD``.
    """
    account = ["--password-stdin"] if from_env else ["--user", user]
    return CliRunner().invoke(
        builder_cli, ["publish", "moodle", str(EXAMPLE), "--package", str(package), "--url", url or moodle.url,
                  "--course-id", str(course), *account, *args],
        env={"MOODLE_PASSWORD": "" if from_env else password, "MOODLE_TOKEN": token,
             "MOODLE_USER": user if from_env else ""},
        input=password + "\n" if from_env else None)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def failed(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output


def only_activity(moodle: Moodle, course: int) -> dict[str, Any]:
    [activity] = moodle.activities(course)
    return activity


def test_teacher_adds_then_updates_in_place_with_password(moodle: Moodle, course: int,
                                                          zips: dict[str, Path]) -> None:
    """Add, update, rename; the last publish takes the user from MOODLE_USER, password on stdin."""
    out = ok(cli(moodle, course, zips["scorm12"], "--section", "1", "--name", "Demo"))
    first = only_activity(moodle, course)
    assert out.strip().endswith(f"{moodle.url}/mod/scorm/view.php?id={first['cmid']}")
    assert (first["name"], first["idnumber"], first["section"], first["version"],
            first["revision"]) == ("Demo", IDNUMBER, 1, "SCORM_1.2", 1)
    other = moodle.php("scorm_add", "--course", str(course), "--zip", str(zips["scorm12"]),
                       "--name", "Other", "--idnumber", "other")
    moodle.enrol("learner1", STUDENT_PW, course)
    moodle.store_track("learner1", first["cmid"], "cmi.core.lesson_location", "page-3")

    out = ok(cli(moodle, course, zips["scorm12-v2"]))
    assert "SCORM activity updated" in out
    mine = next(a for a in moodle.activities(course) if a["idnumber"] == IDNUMBER)
    assert (mine["cmid"], mine["name"], mine["section"], mine["revision"]) == \
        (first["cmid"], "Demo", 1, 2)
    assert mine["reference"] == zips["scorm12-v2"].name
    assert [a["idnumber"] for a in moodle.activities(course)].count(IDNUMBER) == 1
    assert other and any(a["name"] == "Other" for a in moodle.activities(course))
    kept = moodle.tracks(first["cmid"], "learner1")["attempts"][0]["scoes"][0]["elements"]
    assert kept["cmi.core.lesson_location"] == "page-3"

    out = ok(cli(moodle, course, zips["scorm12-v2"], "--name", "Renamed", from_env=True))
    assert only_named(moodle, course) == "Renamed" and TEACHER_PW not in out


def only_named(moodle: Moodle, course: int) -> str:
    return str(next(a["name"] for a in moodle.activities(course) if a["idnumber"] == IDNUMBER))


@pytest.mark.parametrize("fmt, label, version", [("scorm12", "SCORM 1.2", "SCORM_1.2"),
                                                  ("scorm2004", "SCORM 2004", "SCORM_1.3")])
def test_token_publish_reads_the_real_version(moodle: Moodle, zips: dict[str, Path], fmt: str,
                                              label: str, version: str) -> None:
    course = moodle.new_course("tok")
    out = ok(cli(moodle, course, zips[fmt], user=moodle.admin, password=moodle.admin_password,
                 token=moodle.token))
    assert f"(Moodle read it as {label})" in out
    assert only_activity(moodle, course)["version"] == version
    assert moodle.token not in out and moodle.admin_password not in out


def test_attempt_options_come_from_the_course_and_flags(moodle: Moodle, course: int,
                                                        zips: dict[str, Path]) -> None:
    ok(cli(moodle, course, zips["scorm12"]))
    cmid = only_activity(moodle, course)["cmid"]
    settings = moodle.scorm_settings(course, cmid)
    # The example's graded final quiz allows 3 attempts; a new attempt after a completed,
    # passed or failed one; the grade from the highest attempt.
    assert (settings["maxattempt"], settings["forcenewattempt"], settings["whatgrade"]) == (3, 1, 0)
    out = ok(cli(moodle, course, zips["scorm12"], "--max-attempts", "0", "--force-new-attempt",
                 "always", "--grade-attempt", "last", "--dry-run"))
    assert "settings: attempts unlimited, new attempt always, grade from the last attempt" in out
    assert "settings now: attempts 3, new attempt after-completion, grade from the highest" in out
    assert moodle.scorm_settings(course, cmid)["forcenewattempt"] == 1   # dry run: unchanged
    ok(cli(moodle, course, zips["scorm12"], "--max-attempts", "0", "--force-new-attempt",
           "always", "--grade-attempt", "last"))
    assert attempt_settings(moodle, course, cmid) == (0, 2, 3)
    # An update without attempt options keeps the activity's values (a teacher's choice);
    # one option given changes only that one.
    out = ok(cli(moodle, course, zips["scorm12-v2"], "--dry-run"))
    assert "settings: attempts unlimited, new attempt always, grade from the last attempt " \
        "(kept)" in out
    ok(cli(moodle, course, zips["scorm12-v2"]))
    assert attempt_settings(moodle, course, cmid) == (0, 2, 3)
    ok(cli(moodle, course, zips["scorm12"], "--max-attempts", "5", "--force-new-attempt", "no"))
    assert attempt_settings(moodle, course, cmid) == (5, 0, 3)
    ok(cli(moodle, course, zips["scorm12-v2"], "--grade-attempt", "highest"))
    assert attempt_settings(moodle, course, cmid) == (5, 0, 0)


def attempt_settings(moodle: Moodle, course: int, cmid: int) -> tuple[int, int, int]:
    """Moodle's (maxattempt, forcenewattempt, whatgrade) of the activity, from its web service."""
    settings = moodle.scorm_settings(course, cmid)
    return settings["maxattempt"], settings["forcenewattempt"], settings["whatgrade"]


def test_section_of_an_update_is_checked_and_never_moves(moodle: Moodle, course: int,
                                                         zips: dict[str, Path]) -> None:
    ok(cli(moodle, course, zips["scorm12"], "--section", "1"))
    cmid = only_activity(moodle, course)["cmid"]
    for args in (["--dry-run"], []):
        out = failed(cli(moodle, course, zips["scorm12-v2"], "--section", "7", *args))
        assert "the course has no section 7; its sections are: 0 (General), 1 (New section)" in out
    assert only_activity(moodle, course)["revision"] == 1
    out = ok(cli(moodle, course, zips["scorm12-v2"], "--section", "0"))
    assert f"SCORM activity {cmid} is in section 1 and stays there: an update never moves" in out
    assert (only_activity(moodle, course)["section"], only_activity(moodle, course)["revision"]) \
        == (1, 2)


def test_dry_run_checks_everything_and_changes_nothing(moodle: Moodle, course: int,
                                                       zips: dict[str, Path]) -> None:
    out = ok(cli(moodle, course, zips["scorm12"], "--dry-run", "--section", "1"))
    assert f"Dry run: would add a SCORM activity to course {course}" in out
    assert f"Would add a SCORM activity to course {course}, section 1" in out   # the log line
    assert "Adding" not in out and moodle.activities(course) == []
    out = failed(cli(moodle, course, zips["scorm12"], "--dry-run", "--section", "7"))
    assert "the course has no section 7; its sections are: 0 (General), 1 (New section)" in out
    out = failed(cli(moodle, course, zips["scorm12"], "--dry-run", user=moodle.admin,
                     password=moodle.admin_password, token="0" * 32))
    assert "Moodle refused the web service token in MOODLE_TOKEN: Invalid token" in out
    out = ok(cli(moodle, course, zips["scorm12"]))
    assert f"Adding a SCORM activity to course {course}" in out  # log lines reach the output
    out = ok(cli(moodle, course, zips["scorm12-v2"], "--dry-run", user=moodle.admin,
                 password=moodle.admin_password, token=moodle.token))
    cmid = only_activity(moodle, course)["cmid"]
    assert f"Dry run: would update SCORM activity {cmid} (ID number {IDNUMBER}); nothing was changed." in out
    assert f"SCORM activity {cmid}: SCORM 1.2 -> SCORM 1.2, revision 1 -> 2" in out
    assert f"Would update SCORM activity {cmid} (ID number {IDNUMBER})" in out
    assert "Updating" not in out and only_activity(moodle, course)["revision"] == 1


def test_version_switch_is_refused_once_learners_have_attempts(moodle: Moodle, course: int,
                                                               zips: dict[str, Path]) -> None:
    ok(cli(moodle, course, zips["scorm12"]))
    ok(cli(moodle, course, zips["scorm2004"]))            # nobody has used it yet: allowed
    ok(cli(moodle, course, zips["scorm12"]))
    cmid = only_activity(moodle, course)["cmid"]
    moodle.enrol("learner2", STUDENT_PW, course)
    moodle.store_track("learner2", cmid, "cmi.core.lesson_status", "incomplete")
    out = failed(cli(moodle, course, zips["scorm2004"], "--dry-run"))
    assert "holds a SCORM 1.2 package and 1 learner(s) have attempts in it" in out
    assert "--replace-version" in out and "new activity" in out
    failed(cli(moodle, course, zips["scorm2004"]))
    assert only_activity(moodle, course)["version"] == "SCORM_1.2"
    out = ok(cli(moodle, course, zips["scorm2004"], "--replace-version", "--dry-run"))
    assert f"SCORM activity {cmid}: SCORM 1.2 -> SCORM 2004" in out
    assert "learners with attempts: 1" in out
    ok(cli(moodle, course, zips["scorm2004"], "--replace-version"))
    assert only_activity(moodle, course)["version"] == "SCORM_1.3"


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.mark.parametrize("case", ["password", "course", "port", "student", "not-enrolled",
                                  "bad-manifest", "blank-name"])
def test_errors_say_what_the_real_site_said(case: str, moodle: Moodle, course: int,
                                            zips: dict[str, Path], tmp_path: Path) -> None:
    package = zips["scorm12"]
    args: list[str] = []
    kwargs: dict[str, Any] = {}
    expected = {
        "password": "Moodle refused the login of user 'teacher' at http://127.0.0.1:",
        "course": "Can't find data record in database table course.",
        "port": "connection refused",
        "student": "user 'learner3' lacks a permission",
        "not-enrolled": "is not enrolled in this course",
        "bad-manifest": "it answered: XML error: Not well-formed (invalid token) at line 1",
        "blank-name": "Moodle rejected the activity settings: name:",
    }[case]
    if case == "password":
        kwargs = {"password": "Wrong#pw1"}
    elif case == "course":
        course = 999_999  # no such course
    elif case == "port":
        kwargs = {"url": _closed_port()}
    elif case == "student":
        moodle.enrol("learner3", STUDENT_PW, course)
        kwargs = {"user": "learner3", "password": STUDENT_PW}
    elif case == "not-enrolled":
        course = moodle.new_course("other")
    elif case == "bad-manifest":
        package = tmp_path / "broken.zip"
        with zipfile.ZipFile(package, "w") as archive:
            archive.writestr("imsmanifest.xml", "this is not XML")
            archive.writestr("index.html", "<p>x</p>")
    else:
        args = ["--name", "  "]
    out = failed(cli(moodle, course, package, *args, **kwargs))
    assert expected in out
    if case == "password":
        assert "Invalid login, please try again" in out   # Moodle's own words
    for secret in (TEACHER_PW, STUDENT_PW, "Wrong#pw1"):
        assert secret not in out
    if case in ("password", "student", "bad-manifest", "blank-name"):
        assert moodle.activities(course) == []

