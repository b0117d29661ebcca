"""Publishing orchestration: settings, building the package, handing it to the Moodle client.

Settings come, in this order of precedence, from command-line options, the environment
(``MOODLE_USER``, ``MOODLE_PASSWORD``, ``MOODLE_TOKEN``) and the ``moodle:`` section of the
project's ``builder.yml`` (or ``.builder.yml``). Secrets are never read from that file.
"""
from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from builder.errors import ConfigError, PublishError
from builder.manifest import MANIFEST_NAME
from builder.moodle_site import site_url
from builder.targets import TARGETS

if TYPE_CHECKING:  # builder.moodle imports requests (0.1-0.2 s): only when publishing
    from builder.moodle import Activity, MoodleSite, Secret
    from builder.moodle_site import AttemptSettings
    from builder.publish_langs import Edition

log = logging.getLogger(__name__)

SETTINGS_FILES = ("builder.yml", ".builder.yml")
MOODLE_KEYS = {"url", "course_id", "user", "section", "format", "name", "timeout",
               "max_attempts", "force_new_attempt", "grade_attempt"}
SECRET_KEYS = {"password", "token", "pass", "passwd", "secret"}
FORMATS = tuple(name for name, target in TARGETS.items() if target.scorm is not None)
"""What an LMS takes: the SCORM targets of the registry (``scorm12``, ``scorm2004``)."""


@dataclass(frozen=True)
class MoodleSettings:
    """Everything ``publish moodle`` needs besides the course folder."""

    url: str
    course_id: int
    user: str
    password: Secret
    token: Secret | None = None
    section: int | None = None             # None: not given (0 for a new activity)
    format: str = "scorm12"
    name: str | None = None
    timeout: float = 60.0
    # The attempt options: None when not given. A new activity then gets the default (the
    # course's graded quizzes' limit, after-completion, highest); an update keeps its value.
    max_attempts: int | None = None
    force_new_attempt: str | None = None
    grade_attempt: str | None = None
    replace_version: bool = False

    def __post_init__(self) -> None:
        # Checked here, so that a bad address stops the command before the build.
        object.__setattr__(self, "url", site_url(self.url))

    def site(self) -> MoodleSite:
        """Return the :class:`MoodleSite` for the client."""
        from builder.moodle import MoodleSite

        return MoodleSite(self.url, self.user, self.password, self.token,
                          read_timeout=self.timeout)


def find_settings_file(start: Path) -> Path | None:
    """Return the nearest ``builder.yml`` or ``.builder.yml`` in *start* or its parents."""
    for folder in [start.resolve(), *start.resolve().parents]:
        for name in SETTINGS_FILES:
            if (folder / name).is_file():
                return folder / name
    return None


def load_moodle_section(path: Path | None) -> dict[str, Any]:
    """Read the ``moodle:`` section of a settings file; refuse secrets and unknown keys.

    Raises:
        ConfigError: for invalid YAML, a secret in the file, or an unknown key.
    """
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    section = data.get("moodle") if isinstance(data, dict) else None
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: 'moodle' must be a mapping of url, course_id, user, section")
    secret = sorted(SECRET_KEYS & set(section))
    if secret:
        raise ConfigError(f"{path}: remove 'moodle: {secret[0]}' from the file: passwords and "
                          "tokens never go in files; use MOODLE_PASSWORD / MOODLE_TOKEN")
    unknown = sorted(set(section) - MOODLE_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key 'moodle: {unknown[0]}' "
                          f"(known: {', '.join(sorted(MOODLE_KEYS))})")
    return section


def course_identity(course_dir: Path) -> tuple[str, str]:
    """Return ``(id, title)`` from the course's ``course.yml``.

    Raises:
        ConfigError: if the file is missing or has no ``id``.
    """
    path = course_dir / "course.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"{course_dir} is not a course folder (no course.yml)") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(data, dict) or not data.get("id"):
        raise ConfigError(f"{path}: the course needs an 'id' (it becomes the activity ID number)")
    return str(data["id"]), str(data.get("title") or data["id"])


def build_packages(course_dir: Path, fmt: str, out: Path, languages: tuple[str, ...] | None = None) -> list[Path]:
    """Build the course in one format with :func:`builder.build.build_course`; return the zips
    (one per language of *languages*, None: every language and the multilingual package)."""
    try:
        from builder.build import build_course
    except ImportError:
        raise PublishError("the build step is not available in this installation; "
                           "pass a built zip with --package") from None
    result = build_course(course_dir, formats=(fmt,), out=out, languages=languages)
    found = [Path(p.path) for p in result.packages if p.format == fmt]
    if not found:
        raise PublishError(f"the build made no {fmt} package for {course_dir}")
    return found


def check_package(package: Path) -> None:
    """Make sure *package* is a zip with ``imsmanifest.xml`` at its root.

    Raises:
        PublishError: otherwise, before anything is sent to Moodle.
    """
    try:
        with zipfile.ZipFile(package) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile) as exc:
        raise PublishError(f"{package} is not a readable zip: {exc}") from None
    if MANIFEST_NAME not in names:
        raise PublishError(f"{package} has no {MANIFEST_NAME} at its root; Moodle would refuse it")


def course_attempts(course_dir: Path) -> int:
    """Return the attempts the course allows: its graded quizzes' limit, 0 for unlimited.

    The largest ``attempts`` of the graded quizzes; 0 (unlimited) when one of them is
    unlimited, when there is no graded quiz, or when the course cannot be read.
    """
    from builder.course import load_course
    from builder.errors import ContentError

    try:
        quizzes = [q for q in load_course(course_dir).quizzes if q.graded]
    except ContentError:
        return 0
    if not quizzes or any(q.attempts == 0 for q in quizzes):
        return 0
    return max(q.attempts for q in quizzes)


def attempt_settings(course_dir: Path, settings: MoodleSettings) -> AttemptSettings:
    """Moodle's attempt options: the course's attempt limit unless overridden, and the rest."""
    from builder.moodle_site import MAX_ATTEMPTS, AttemptSettings

    limit = settings.max_attempts
    if limit is None:
        limit = course_attempts(course_dir)
        if limit > MAX_ATTEMPTS:
            log.warning("The course allows %s attempts; Moodle offers at most %s: publishing "
                        "with unlimited attempts (use --max-attempts to choose)", limit,
                        MAX_ATTEMPTS)
            limit = 0
    return AttemptSettings(limit, settings.force_new_attempt or "after-completion",
                           settings.grade_attempt or "highest")


def given_attempt_options(settings: MoodleSettings) -> frozenset[str]:
    """The attempt options the user gave (flag or settings file): an update sets only these."""
    return frozenset(name for name in ("max_attempts", "force_new_attempt", "grade_attempt")
                     if getattr(settings, name) is not None)


def publish_moodle(course_dir: Path, settings: MoodleSettings, *, dry_run: bool = False,
                   out: Path = Path("dist"), package: Path | None = None,
                   langs: str | None = None) -> list[tuple[Edition, Activity]]:
    """Build the course (unless *package* is given) and add or update its Moodle activities.

    Args:
        course_dir: the course folder (with ``course.yml``).
        settings: site, account, course, format and attempt options.
        dry_run: log in, check the token, find the activity; change nothing.
        out: where the build writes packages.
        package: an already built zip to publish instead of building (one activity only).
        langs: ``--lang`` (comma-separated languages); None: every language of a translated
            course, or its multilingual package (see :mod:`builder.publish_langs`).

    Returns:
        Each :class:`~builder.publish_langs.Edition` with its :class:`~builder.moodle.Activity`
        (whose ``url`` is the activity page).

    Raises:
        PublishError: any failure, with a message fit for the user.
        ConfigError: a language the course does not have; --package with several activities.
    """
    from builder.multilingual import MULTILINGUAL
    from builder.publish_langs import editions, pick_package

    idnumber, title = course_identity(course_dir)
    wanted = editions(course_dir, idnumber, title, langs, settings.name, package)
    attempts = attempt_settings(course_dir, settings)
    if package is not None and len(wanted) > 1:
        raise ConfigError(f"--package gives one zip but {len(wanted)} activities are to be published "
                          f"({', '.join(e.idnumber for e in wanted)}); name one language with --lang")
    languages = None if any(e.part in (None, MULTILINGUAL) for e in wanted) else \
        tuple(str(e.part) for e in wanted)
    built = [package] if package is not None else build_packages(course_dir, settings.format, out, languages)
    from builder.moodle_publish import Target, publish_package

    done = []
    for edition in wanted:
        zip_path = package if package is not None else pick_package(built, edition, settings.format)
        check_package(zip_path)
        log.info("Publishing %s (%s) to %s, course %s, ID number %s", zip_path.name, settings.format,
                 settings.url, settings.course_id, edition.idnumber)
        target = Target(settings.course_id, edition.idnumber, edition.name,
                        settings.section or 0, rename=settings.name is not None,
                        attempts=attempts, replace_version=settings.replace_version,
                        section_given=settings.section is not None,
                        attempts_given=given_attempt_options(settings))
        done.append((edition, publish_package(zip_path, settings.site(), target, dry_run=dry_run)))
    return done
