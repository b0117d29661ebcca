"""``builder publish``: put a built course into an LMS (today: Moodle)."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from builder.errors import ConfigError
from builder.moodle_site import FORCE_NEW_ATTEMPT, GRADE_ATTEMPT, MAX_ATTEMPTS, site_url
from builder.publish import FORMATS, MoodleSettings, find_settings_file, load_moodle_section

if TYPE_CHECKING:  # builder.moodle imports requests: only when publishing
    from builder.moodle import Secret


@click.group()
def publish() -> None:
    """Publish a course to a learning management system."""


def _course_dir(course: Path) -> Path:
    from builder.folders import find_course  # the one rule every command uses

    return find_course(course)


def _password(from_stdin: bool) -> Secret:
    from builder.moodle import Secret

    if from_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
    else:
        value = os.environ.get("MOODLE_PASSWORD", "")
        if not value:
            if not sys.stdin.isatty():
                raise ConfigError("no password: set MOODLE_PASSWORD, use --password-stdin, "
                                  "or run in a terminal to be asked")
            value = click.prompt("Moodle password", hide_input=True, err=True)
    if not value:
        raise ConfigError("the Moodle password is empty")
    return Secret(value)


def _attempt_options(given: dict[str, Any], saved: dict[str, Any]) -> dict[str, Any]:
    """Merge the attempt options of the command line over those of the settings file.

    An option given in neither place stays None: a new activity then gets the default, and
    an update keeps the activity's current value.
    """
    def pick(key: str) -> Any:
        return given[key] if given[key] is not None else saved.get(key)

    limit, force, grade = pick("max_attempts"), pick("force_new_attempt"), pick("grade_attempt")
    return {"max_attempts": None if limit is None else int(limit),
            "force_new_attempt": None if force is None else str(force),
            "grade_attempt": None if grade is None else str(grade),
            "replace_version": bool(given["replace_version"])}


def _section(given: int | None, saved: dict[str, Any]) -> int | None:
    """The section from ``--section`` or the settings file; None when neither gives one."""
    if given is not None:
        return given
    return None if saved.get("section") is None else int(saved["section"])


@publish.command()
@click.argument("course", type=click.Path(path_type=Path))
@click.option("--url", help="Moodle site address, e.g. https://moodle.example.org")
@click.option("--course-id", type=click.IntRange(min=1),
              help="Moodle course id (the id in /course/view.php?id=N).")
@click.option("--user", help="Moodle user name (default: $MOODLE_USER or the settings file).")
@click.option("--section", type=click.IntRange(min=0),
              help="Course section number for a new activity (default 0); on an update "
                   "it must exist, and the activity is not moved.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Package format (default scorm12).")
@click.option("--name", help="Activity name (default: the course title; on update, given "
                             "explicitly, it renames the activity).")
@click.option("--lang", "langs", metavar="LANG[,LANG]",
              help="Publish these languages of a translated course, each as its own activity "
                   "(ID number <course-id>-<lang>); default: every language, or the multilingual "
                   "package when the course makes one.")
@click.option("--package", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Publish this zip instead of building the course (one activity: with a "
                   "translated course, name its language with --lang).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True, help="Where the build writes the zip.")
@click.option("--timeout", type=click.FloatRange(min=1),
              help="Seconds to wait for each answer (default 60; uploads 600).")
@click.option("--max-attempts", type=click.IntRange(0, MAX_ATTEMPTS),
              help="Moodle's 'Number of attempts' (0 = unlimited; default for a new activity: "
                   "the attempts of the course's graded quizzes; an update keeps the current).")
@click.option("--force-new-attempt", type=click.Choice(list(FORCE_NEW_ATTEMPT)),
              help="When Moodle starts a new attempt (default for a new activity "
                   "after-completion: after a completed, passed or failed one, so a retry is "
                   "recorded; an update keeps the current).")
@click.option("--grade-attempt", type=click.Choice(list(GRADE_ATTEMPT)),
              help="Which attempt gives the grade (default for a new activity highest; an "
                   "update keeps the current).")
@click.option("--replace-version", is_flag=True,
              help="Allow switching the SCORM version of an activity learners have used "
                   "(they lose their progress).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--dry-run", is_flag=True,
              help="Build, log in, check the token and the activity; change nothing.")
def moodle(course: Path, url: str | None, course_id: int | None, user: str | None,
           section: int | None, fmt: str | None, name: str | None, langs: str | None, package: Path | None,
           out: Path, timeout: float | None, password_stdin: bool, dry_run: bool,
           **attempts: Any) -> None:
    """Add COURSE to a Moodle course as a SCORM activity, or update it if it is there.

    The activity's ID number is the course id from course.yml, so publishing again
    replaces the package in the same activity: learners keep their progress and the
    gradebook keeps its column. A translated course becomes one activity per language
    (ID number <course-id>-<lang>), or one for its multilingual package. The password comes from MOODLE_PASSWORD, --password-stdin
    or a hidden prompt; a web service token (optional) from MOODLE_TOKEN.
    """
    from builder.moodle import Secret
    from builder.publish import publish_moodle  # keep 'builder --help' free of requests

    course_dir = _course_dir(course)
    settings_file = find_settings_file(course_dir) or find_settings_file(Path.cwd())
    saved = load_moodle_section(settings_file)
    url = url or saved.get("url")
    user = user or os.environ.get("MOODLE_USER") or saved.get("user")
    course_id = course_id or saved.get("course_id")
    missing = [opt for opt, value in (("--url", url), ("--course-id", course_id),
                                      ("--user", user)) if not value]
    if missing:
        raise ConfigError(f"missing {', '.join(missing)} (give the option, or put it in the "
                          "'moodle:' section of builder.yml)")
    url = site_url(str(url))  # refuse ftp://, user:password@ and ?query before asking anything
    try:
        settings = MoodleSettings(
            url=str(url), course_id=int(str(course_id)), user=str(user),
            password=_password(password_stdin),
            token=Secret(os.environ["MOODLE_TOKEN"]) if os.environ.get("MOODLE_TOKEN") else None,
            section=_section(section, saved),
            format=fmt or str(saved.get("format", "scorm12")),
            name=name or (str(saved["name"]) if saved.get("name") else None),
            timeout=float(timeout or saved.get("timeout", 60)),
            **_attempt_options(attempts, saved))
    except ValueError as exc:
        raise ConfigError(f"bad setting in {settings_file}: {exc}") from None
    if settings.format not in FORMATS:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}, not {settings.format}")
    published = publish_moodle(course_dir, settings, dry_run=dry_run, out=out, package=package, langs=langs)
    for edition, activity in published:
        label = f" (ID number {edition.idnumber})" if edition.part else ""
        if dry_run:
            what = (f"would update SCORM activity {activity.cmid}" if activity.cmid else
                    f"would add a SCORM activity to course {settings.course_id}")
            click.echo(f"Dry run: {what}{label}; nothing was changed.")
            for line in activity.plan:
                click.echo(f"  {line}")
        else:
            parsed = f" (Moodle read it as {activity.version})" if activity.version else ""
            click.echo(f"SCORM activity {activity.action}{label}{parsed}:")
        click.echo(activity.url)
