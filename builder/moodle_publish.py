"""The steps of ``publish moodle`` on a logged-in client: find, compare, plan, upload, save.

Before anything changes, the activity's current package is compared with the new one: a
package that would switch the SCORM version of an activity learners have used is refused
(learners would lose their progress and Moodle's other player may fail on their old data),
unless the caller says ``replace_version``. A dry run does every check and returns the plan.
"""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from builder import moodle_html as html
from builder.moodle import MoodleClient, ScormInfo
from builder.moodle_html import ModForm
from builder.moodle_package import GRADE_LEARNING_OBJECTS, LABELS, package_version, sco_count, sha1
from builder.moodle_site import (Activity, AttemptSettings, MoodleError, MoodleSite,
                                 PackageRejected, SectionNotFound, StateUnknown, Unreachable,
                                 VersionChangeRefused, redact)

log = logging.getLogger("builder.moodle")


@dataclass
class Target:
    """Where and what to publish: the Moodle course, the activity's identity and options."""

    course_id: int
    idnumber: str
    name: str
    section: int = 0
    rename: bool = False
    attempts: AttemptSettings = field(default_factory=AttemptSettings)
    replace_version: bool = False
    section_given: bool = False  # the user named the section (checked on updates too)
    attempts_given: frozenset[str] = frozenset()  # attempt options the user gave; an update
    # sets only these and keeps the activity's other current values


@contextmanager
def _redacted(site: MoodleSite) -> Iterator[None]:
    """Strip secrets from any error that leaves the block."""
    try:
        yield
    except MoodleError as exc:
        exc.mask(site.secrets())
        raise
    except requests.RequestException as exc:
        raise Unreachable(redact(f"request to {site.url} failed: {exc}", site.secrets())) from None


def publish_package(package: Path, site: MoodleSite, target: Target, dry_run: bool = False,
                    client: MoodleClient | None = None) -> Activity:
    """Add the package as a SCORM activity, or update the one with ID number ``target.idnumber``.

    Args:
        package: the SCORM zip.
        site: the Moodle site and account.
        target: course, ID number, name, section (for a new activity), attempt options.
        dry_run: log in, check the token, find the activity and compare packages; change nothing.
        client: an open client to reuse (tests); one is made and closed otherwise.

    Returns:
        The :class:`Activity` added or updated (or that would be), with the plan of a dry run.

    Raises:
        MoodleError: with a message fit for the user; secrets never appear in it.
    """
    own = client is None
    client = client or MoodleClient(site)
    try:
        with _redacted(site):
            return _publish(client, package, site, target, dry_run)
    finally:
        if own:
            client.close()


def _publish(client: MoodleClient, package: Path, site: MoodleSite, target: Target,
             dry_run: bool) -> Activity:
    """Log in, check, find and compare; then stop (dry run) or upload and save."""
    client.login()
    if site.token:
        client.check_token()
    course_url = f"{client.base}/course/view.php?id={target.course_id}"
    seen, sections = client.check_course(target.course_id)
    found = client.find_activity(target.course_id, target.idnumber, seen)
    data = package.read_bytes()
    cmid: int | None = None
    if found:
        cmid, form = found
        if target.section_given:
            _check_section(target.section, sections, course_url)
            _warn_no_move(target.section, form, cmid)
        plan = _compare(client, site, target, found[0], form, data)
    else:
        _check_section(target.section, sections, course_url)
        form = client.open_form(f"/course/modedit.php?add=scorm&type=&course={target.course_id}"
                                f"&section={target.section}&return=0&sr=0")
        plan = [f"new activity '{target.name}' in section {target.section}, "
                f"package {LABELS.get(package_version(data) or '', '?')}"]
    attempts, lines = _attempt_plan(target, form, update=cmid is not None)
    plan += lines
    where = f"SCORM activity {cmid}" if cmid else \
        f"a SCORM activity to course {target.course_id}, section {target.section}"
    if dry_run:
        log.info("Would %s %s (ID number %s)", "update" if cmid else "add", where,
                 target.idnumber)
        url = f"{client.base}/mod/scorm/view.php?id={cmid}" if cmid else course_url
        return Activity(cmid, url, "would update" if cmid else "would add", plan=plan)
    log.info("%s %s (ID number %s)", "Updating" if cmid else "Adding", where, target.idnumber)
    return _save(client, package, site, target, cmid, form, course_url, attempts)


def _attempt_plan(target: Target, form: ModForm, update: bool) -> tuple[dict[str, str],
                                                                        list[str]]:
    """Return the attempt fields to set and the dry run's lines about them.

    A new activity gets every option (given or default). An update sets only the options
    the user gave and keeps the activity's current values of the others, so that a
    teacher's choice in Moodle survives the next publish.
    """
    values = target.attempts.form_values()
    if not update:
        return values, ["settings: " + target.attempts.describe()]
    now = AttemptSettings.from_form({k: form.value(k) for k in values})
    given = {k: v for k, v in dataclasses.asdict(target.attempts).items()
             if k in target.attempts_given}
    fields = {k: v for k, v in values.items()
              if AttemptSettings.FIELDS[k] in target.attempts_given}
    if now is None:  # values this client does not know: set only the given ones
        return fields, [f"settings: {', '.join(sorted(fields)) or 'none'} set, others kept"]
    new = dataclasses.replace(now, **given)
    lines = ["settings: " + new.describe() + ("" if given else " (kept)")]
    if new != now:
        lines.append("settings now: " + now.describe())
    return fields, lines


def _warn_no_move(section: int, form: ModForm, cmid: int) -> None:
    """Say that an update leaves the activity where it is, when --section names another one."""
    current = form.value("section")
    if current is not None and current.isdigit() and int(current) != section:
        log.warning("SCORM activity %s is in section %s and stays there: an update never "
                    "moves the activity (move it in Moodle if you want it in section %s)",
                    cmid, current, section)


def _check_section(section: int, sections: dict[int, str], course_url: str) -> None:
    """Refuse a section number the course does not have (Moodle would create just that one)."""
    if not sections or section in sections:
        return
    listed = ", ".join(f"{n} ({name})" if name else str(n) for n, name in sorted(sections.items()))
    raise SectionNotFound(f"the course has no section {section}; its sections are: {listed} "
                          f"(see {course_url})")


def _current(client: MoodleClient, site: MoodleSite, target: Target,
             cmid: int) -> ScormInfo | None:
    """Ask the web service (token only) which version and revision the activity holds."""
    if not site.token:
        return None
    try:
        return client.scorm_versions(target.course_id).get(cmid)
    except (MoodleError, ValueError) as exc:
        log.warning("Could not ask Moodle about the activity: %s", redact(str(exc),
                                                                          site.secrets()))
        return None


def _compare(client: MoodleClient, site: MoodleSite, target: Target, cmid: int, form: ModForm,
             data: bytes) -> list[str]:
    """Compare the activity's package with the new one; refuse a version switch learners feel."""
    old = client.current_package(form)
    info = _current(client, site, target, cmid)
    old_version = (info.version if info else None) or (package_version(old) if old else None)
    new_version = package_version(data)
    same = old is not None and sha1(old) == sha1(data)
    if info and info.revision:
        revision = f"revision {info.revision}" + ("" if same else f" -> {info.revision + 1}")
    else:
        revision = "same package, same revision" if same else "changed package, new revision"
    plan = [f"SCORM activity {cmid}: {LABELS.get(old_version or '', 'unknown version')} -> "
            f"{LABELS.get(new_version or '', '?')}, {revision}"]
    if old_version and new_version and old_version != new_version:
        learners = client.learners_with_attempts(cmid)
        plan.append(f"learners with attempts: {learners}")
        if learners and not target.replace_version:
            raise VersionChangeRefused(
                f"SCORM activity {cmid} holds a {LABELS[old_version]} package and {learners} "
                f"learner(s) have attempts in it; replacing it with {LABELS[new_version]} would "
                "make them lose their progress and results in it (their stored data does not "
                "carry over, and Moodle's other player may fail on it). To keep their records, "
                "publish the new version as a new activity (give the course a new 'id' in "
                "course.yml, or publish to another Moodle course), or pass --replace-version "
                "to switch this activity anyway.")
    return plan


def _save(client: MoodleClient, package: Path, site: MoodleSite, target: Target,
          cmid: int | None, form: ModForm, course_url: str,
          attempts: dict[str, str]) -> Activity:
    """Upload the package and post the settings form; return what Moodle made of it."""
    itemid = client.upload(package, form, fresh=cmid is not None)
    if cmid is None or target.rename:
        form.set("name", target.name)
    form.set("cmidnumber", target.idnumber)
    form.set("packagefile", str(itemid))
    if form.value("scormtype") is not None:
        form.set("scormtype", "local")
    for name, value in attempts.items():
        form.set(name, value)
    if cmid is None and sco_count(package.read_bytes()) > 1:
        # One SCO per unit: grade by the units completed or passed (docs/publish.md, "Units")
        form.set("grademethod", GRADE_LEARNING_OBJECTS)
    buttons = html.submit_buttons(form.form)
    form.set("submitbutton", buttons.get("submitbutton", "Save and display"))
    doing = "updated" if cmid else "added"
    saved = client.submit(form, doing, course_url)
    if saved is None:
        again = client.find_activity(target.course_id, target.idnumber)
        saved = again[0] if again else cmid
    if saved is None:
        raise StateUnknown(f"Moodle saved the form but the activity with ID number "
                           f"{target.idnumber} was not found afterwards; check {course_url}")
    url = f"{client.base}/mod/scorm/view.php?id={saved}"
    info = _current(client, site, target, saved)
    expect = package_version(package.read_bytes())
    if info and expect and info.version != expect:
        raise PackageRejected(f"the activity was {doing} ({url}) but Moodle read the package as "
                              f"{LABELS.get(info.version, info.version)}, not {LABELS[expect]}")
    return Activity(saved, url, doing, LABELS.get(info.version) if info else None)
