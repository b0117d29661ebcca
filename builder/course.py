"""The load stage: a course folder → the course model (:mod:`builder.model`) and problems.

``load_course(folder)`` reads ``course.yml``, every lesson's front matter and every quiz,
checks them, and returns a frozen :class:`Course`, or raises
:class:`~builder.errors.ContentError` with every problem found. Markdown bodies are kept
as text here; :mod:`builder.content` turns them into HTML.
"""
from __future__ import annotations

import datetime
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.content import split_front_matter
from builder.errors import ContentError, Location, Problem
from builder.identity import BANNER_FIELDS, Identity, parse_banner, parse_identity
from builder.i18n.languages import LANG_RE, read_translations
from builder.i18n.messages import COURSE_SPEC, FRONT_SPEC, QUIZ_SPEC
from builder.model import Course, Lesson, Module, Packaging, SessionPlan
from builder.paths import resolve_ref
from builder.quiz import Quiz, parse_quiz
from builder.schema import Field, check_mapping, kind_of, quote_hint
from builder.targets import DEFAULT_FORMATS, TARGETS
from builder.units import ASSESSMENT_PLACES, ROLLUPS, UNIT_MODES, check_choice, check_multilingual, check_requires
from builder.yamlsrc import line_of, parse_yaml, scalar_text

if TYPE_CHECKING:
    from builder.i18n.apply import Localizer

__all__ = ["Course", "Lesson", "Module", "Packaging", "load_course", "read_course"]

COMPLETION_RULES = ("pages", "quiz", "both")
RESERVED_IDS = ("index", "assessment")
COURSE_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,63}$")
LESSON_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


COURSE_FIELDS = [
    Field("id", str, required=True, doc="a stable identifier, e.g. migration-basics"),
    Field("title", str, required=True, doc="the course title"),
    Field("description", str), Field("language", str, required=True, doc="a BCP 47 tag such as en or fr"),
    Field("version", str, required=True, doc="e.g. 1.0.0"),
    Field("date", str, doc="YYYY-MM-DD"), Field("authors", list), Field("licence", str),
    Field("objectives", list), Field("minutes", int),
    Field("modules", list, required=True, doc="the list of modules with their lessons"),
    Field("assessment", str, doc="the final assessment quiz file"),
    Field("packaging", dict), Field("theme", dict, doc="colour, logo, cover and font (see docs/theme.md)"),
    Field("translations", list, doc="target languages, e.g. [fr, es]"),
]
PACKAGING_FIELDS = [Field("formats", list), Field("passing_score", int), Field("completion", str),
                    Field("multilingual", bool),
                    Field("units", str, doc="course, module or lesson"),
                    Field("assessment", str, doc="unit or last-module"), Field("rollup", str, doc="assessment or units")]
MODULE_FIELDS = [Field("id", str, required=True), Field("title", str, required=True),
                 Field("lessons", list, required=True, doc="lesson files, e.g. lessons/01-intro.md"),
                 Field("session", dict, doc="duration, format and materials of the face-to-face session"),
                 Field("requires", list, doc="ids of modules finished first, e.g. [core]")]
SESSION_FIELDS = [Field("duration", int, doc="minutes, e.g. 90"), Field("format", str, doc="e.g. workshop"),
                  Field("materials", list, doc="a list, e.g. [flip chart, handout]")]
YamlCache = tuple[dict[tuple[Path, int, str], tuple[Any, list[Problem]]],
                  dict[tuple[Path, int, str], tuple[Any, list[Problem]]]]
"""Parsed YAML by file, line offset and text: what an earlier read parsed, and this read."""

LESSON_FIELDS = [Field("title", str, required=True, doc="the lesson title"), Field("id", str),
                 Field("objectives", list), Field("minutes", int), Field("quiz", str), *BANNER_FIELDS]


class _Reader:
    """Collects problems while reading one course folder."""

    def __init__(self, root: Path, yaml_cache: YamlCache | None = None, localizer: Localizer | None = None) -> None:
        self.root = root
        self.localizer = localizer
        self.root_real = os.path.realpath(root)
        self.yaml_cache = yaml_cache
        self.problems: list[Problem] = []
        self.quiz_ids: dict[str, Path] = {}
        self.quiz_users: dict[Path, tuple[str, Quiz | None]] = {}  # quiz file → (user, quiz)
        self.lesson_files: dict[Path, None] = {}  # an ordered set: list look-ups grow with the square
        self.listed_at: dict[Path, int | None] = {}  # lesson file → line of its first entry

    def add(self, path: Path, line: int | None, message: str, hint: str | None = None,
            severity: str = "error") -> None:
        self.problems.append(Problem(Location(path, line), message, hint, severity))

    def read_text(self, path: Path) -> str | None:
        """The text of *path*, or None (with a located problem) when it is not UTF-8."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.add(path, None, f"the file cannot be read ({exc.strerror or exc})", "check its permissions")
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            self.add(path, line, f"the file is not UTF-8 text ({exc.reason} at byte {exc.start + 1})",
                     "save it as UTF-8 (in most editors: Save as… / Encoding: UTF-8)")
            return None

    def read_yaml(self, path: Path) -> Any:
        text = self.read_text(path)
        if text is None:
            return None
        data, found = self.parse(text, path, 0)
        self.problems += found
        return data

    def parse(self, text: str, path: Path, line_offset: int) -> tuple[Any, list[Problem]]:
        """:func:`parse_yaml`, remembered in the session's cache when there is one."""
        if self.yaml_cache is None:
            return parse_yaml(text, path, line_offset)
        earlier, now = self.yaml_cache
        key = (path, line_offset, text)
        found = earlier.get(key)
        now[key] = found if found is not None else parse_yaml(text, path, line_offset)
        return now[key]

    def read_quiz(self, base: Path, ref: str, where: Location, key: str, user: str) -> Quiz | None:
        """Read the quiz file *ref* named by *key* ('quiz' or 'assessment') for *user*."""
        path, problem = resolve_ref(self.root, base, ref, where, "quiz", self.root_real)
        if problem:
            self.problems.append(problem)
            return None
        assert path is not None
        if path.suffix.lower() not in (".yml", ".yaml"):
            self.add(where.path, where.line, f"{key} must be a quiz file (.yml), not '{ref}'",
                     "point it to a quiz in quizzes/, e.g. quizzes/final.yml")
            return None
        if path in self.quiz_users:
            first, quiz = self.quiz_users[path]
            if first == user:  # the same lesson listed twice: reported once, as such
                return quiz
            # Two places sharing one quiz would share its state in the runtime and count twice.
            self.add(where.path, where.line, f"quiz '{ref}' is already used by {first}",
                     "give each lesson (and the assessment) its own quiz file")
            return None
        self.quiz_users[path] = (user, None)
        quiz = self.parse_quiz_file(path)
        self.quiz_users[path] = (user, quiz)
        return quiz

    def parse_quiz_file(self, path: Path) -> Quiz | None:
        data = self.read_yaml(path)
        if data is None and self.problems and self.problems[-1].location.path == path:
            return None
        if self.localizer is not None:
            data = self.localizer.course_yaml(path, data, QUIZ_SPEC)
        quiz, found = parse_quiz(data, path, re.sub(r"[^A-Za-z0-9_-]", "-", path.stem) or "quiz")
        self.problems += found
        if quiz is not None:
            if quiz.id in self.quiz_ids and self.quiz_ids[quiz.id] != path:
                self.add(path, 1, f"quiz id '{quiz.id}' is also used by {self.quiz_ids[quiz.id].name}",
                         "give each quiz its own 'id:'")
            self.quiz_ids[quiz.id] = path
        return quiz

    def read_lesson(self, ref: str, where: Location, module_id: str) -> Lesson | None:
        path, problem = resolve_ref(self.root, self.root, ref, where, "lesson", self.root_real)
        if problem:
            self.problems.append(problem)
            return None
        assert path is not None
        self.lesson_files.setdefault(path, None)
        if path.suffix.lower() != ".md":
            self.add(where.path, where.line, f"lesson '{ref}' is not a Markdown (.md) file")
            return None
        text = self.read_text(path)
        if text is None:
            return None
        front, body, body_line, found = split_front_matter(text, path, self.parse)
        self.problems += found
        if front is None:
            return None
        if self.localizer is not None:
            front = self.localizer.front(path, front, FRONT_SPEC)
            body = self.localizer.body(path, body, body_line)
        values, found = check_mapping(front, LESSON_FIELDS, path, "the front matter", 1)
        self.problems += found
        if "title" not in values:
            return None
        lesson_id = values.get("id", path.stem)
        if not LESSON_ID_RE.match(lesson_id) or lesson_id in RESERVED_IDS:
            self.add(path, line_of(front, "id", 1), f"lesson id '{lesson_id}' is not usable",
                     "use lower-case letters, digits and '-' (not 'index' or 'assessment'); "
                     "rename the file or set 'id:' in the front matter")
            return None
        self.check_minutes(path, front, values)
        quiz = None
        if "quiz" in values:
            quiz = self.read_quiz(path.parent, values["quiz"], Location(path, line_of(front, "quiz", 1)),
                                  "quiz", f"lesson {path.relative_to(self.root).as_posix()}")
        banner, found = parse_banner(front, values, path, self.root)
        self.problems += found
        return Lesson(id=lesson_id, title=values["title"], source=path, body=body, body_line=body_line,
                      module_id=module_id, objectives=self.strings(front, values, "objectives", path),
                      minutes=values.get("minutes"), quiz=quiz, banner=banner)

    def check_minutes(self, path: Path, data: Any, values: dict[str, Any]) -> None:
        if values.get("minutes", 0) < 0:
            self.add(path, line_of(data, "minutes", 1), f"minutes cannot be negative ({values['minutes']})",
                     "give the estimated time in whole minutes, e.g. minutes: 15")
            del values["minutes"]

    def strings(self, data: Any, values: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
        items = values.get(key, [])
        texts: list[str] = []
        for index, item in enumerate(items):
            text = scalar_text(item)
            if text is None:
                self.add(path, line_of(items, index), f"each entry of '{key}' must be text, found {kind_of(item)}",
                         quote_hint(item) if isinstance(item, bool) else None)
            else:
                texts.append(text)
        return tuple(texts)


def read_course(root: Path, yaml_cache: YamlCache | None = None, localizer: Localizer | None = None
                ) -> tuple[Course | None, list[Problem]]:
    """Read and check the course in *root*; return it with every problem found.

    Args:
        root: a course folder (holding ``course.yml``).
        yaml_cache: ``(earlier, now)``: YAML an earlier read parsed, reused for unchanged
            text, and where this read leaves what it parsed (the preview's session keeps
            them; parsed data is never modified).

    Returns:
        ``(course, problems)``; course is None only when course.yml cannot be read at all.
        A course is returned alongside errors so that callers can check further.
    """
    root = root.absolute()
    reader = _Reader(root, yaml_cache, localizer)
    config = root / "course.yml"
    if not config.is_file():
        hint = "create one with 'builder new <name>'" if root.is_dir() else "check the folder name"
        return None, [Problem(Location(config), "course.yml not found", hint)]
    data = reader.read_yaml(config)
    if data is None and reader.problems:
        return None, reader.problems
    values, found = check_mapping(data, COURSE_FIELDS, config, "course.yml", 1)
    reader.problems += found
    if localizer is not None:
        values = localizer.course_yaml(config, values, COURSE_SPEC)
    course_id = values.get("id", "")
    if course_id and not COURSE_ID_RE.match(course_id):
        reader.add(config, line_of(data, "id"), f"course id '{course_id}' is not usable",
                   "use letters, digits and '-', starting with a letter (at most 64)")
    language = values.get("language", "en")
    if not LANG_RE.match(language):
        reader.add(config, line_of(data, "language"), f"'{language}' is not a language tag",
                   "use a BCP 47 tag such as en, fr, es or pt-BR")
    date = values.get("date")
    if date is not None and not _valid_date(date):
        reader.add(config, line_of(data, "date"), f"date '{date}' is not a valid date (YYYY-MM-DD)",
                   "use a real calendar date, e.g. 2026-11-01")
        date = None
    translations, found = read_translations(values.get("translations", []), language, config,
                                            line_of(data, "translations") if isinstance(data, dict) else 1)
    reader.problems += found
    reader.check_minutes(config, data, values)
    packaging = _read_packaging(reader, config, data, values)
    theme = _read_theme(reader, config, data, values)
    modules = _read_modules(reader, config, data, values)
    assessment = None
    if "assessment" in values:
        assessment = reader.read_quiz(root, values["assessment"], Location(config, line_of(data, "assessment")),
                                      "assessment", "the assessment")
    _check_lesson_ids(reader, modules)
    _check_completion(reader, config, data, values, packaging, modules, assessment)
    if not values.get("title") and not modules:
        return None, reader.problems
    # Built even when there are errors, so later checks (Markdown, links) still run and the
    # author sees every problem at once; load_course() refuses a course with errors.
    course = Course(root=root, id=course_id or "course", title=values.get("title", ""), language=language,
                    version=str(values.get("version", "0")), modules=tuple(modules), packaging=packaging,
                    description=values.get("description", ""), date=date,
                    authors=reader.strings(data, values, "authors", config),
                    licence=values.get("licence"),
                    objectives=reader.strings(data, values, "objectives", config),
                    minutes=values.get("minutes"), assessment=assessment, theme=theme,
                    lesson_files=tuple(reader.lesson_files), translations=translations,
                    lines=tuple((str(k), n) for k in values for n in [line_of(data, k)] if n is not None))
    if localizer is not None:
        course = replace(course, id=f"{course.id}-{localizer.language}", language=localizer.language)
    return course, reader.problems


def _check_completion(reader: _Reader, config: Path, data: Any, values: dict[str, Any], packaging: Packaging,
                      modules: list[Module], assessment: Quiz | None) -> None:
    """A completion rule that needs a passed quiz needs a graded quiz."""
    if packaging.completion not in ("quiz", "both"):
        return
    graded = [q for m in modules for les in m.lessons for q in [les.quiz] if q and q.graded]
    if not graded and not (assessment and assessment.graded):
        if assessment is not None or "assessment" not in values:
            reader.add(config, line_of(data.get("packaging"), "completion", line_of(data, "packaging")),
                       f"completion '{packaging.completion}' needs a graded quiz, but the course has none",
                       "add 'assessment: quizzes/final.yml' or use 'completion: pages'")


def _read_theme(reader: _Reader, config: Path, data: Any, values: dict[str, Any]) -> Identity | None:
    """The course's ``theme:`` (see :mod:`builder.identity`), problems added to *reader*."""
    if "theme" not in values:
        return None
    theme, found = parse_identity(values["theme"], config, reader.root, line_of(data, "theme"))
    reader.problems += found
    return theme


def _valid_date(text: str) -> bool:
    # fromisoformat alone also takes 20261101 and 2026-W44-7; the regex keeps YYYY-MM-DD.
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(DATE_RE.match(text))


def _read_packaging(reader: _Reader, config: Path, data: Any, values: dict[str, Any]) -> Packaging:
    if "packaging" not in values:
        return Packaging()
    raw = values["packaging"]
    pv, found = check_mapping(raw, PACKAGING_FIELDS, config, "packaging", line_of(data, "packaging"))
    reader.problems += found
    formats = tuple(pv.get("formats", DEFAULT_FORMATS))
    if not formats:
        reader.add(config, line_of(raw, "formats"), f"formats is empty; list one or more of {', '.join(TARGETS)}",
                   "e.g. formats: [scorm12, scorm2004], or remove the line to build both SCORM packages")
    for index, fmt in enumerate(formats):
        if fmt not in TARGETS:
            reader.add(config, line_of(raw.get("formats"), index), f"unknown package format '{fmt}'",
                       f"use one or more of {', '.join(TARGETS)}")
    score = pv.get("passing_score", 80)
    if not 0 <= score <= 100:
        reader.add(config, line_of(raw, "passing_score"), f"passing_score {score} is out of range",
                   "use a number from 0 to 100")
    completion = pv.get("completion", "pages")
    if completion not in COMPLETION_RULES:
        reader.add(config, line_of(raw, "completion"), f"unknown completion rule '{completion}'",
                   "use pages (all pages viewed), quiz (quiz passed) or both")
    choices = {key: pv.get(key, allowed[0]) for key, allowed in
               (("units", UNIT_MODES), ("assessment", ASSESSMENT_PLACES), ("rollup", ROLLUPS))}
    for key, allowed, hint in (("units", UNIT_MODES, "course is one SCO, module one SCO per module"),
                               ("assessment", ASSESSMENT_PLACES, "unit is a SCO of its own"),
                               ("rollup", ROLLUPS, "what makes the course passed")):
        reader.problems += check_choice(raw, key, choices[key], allowed, config, hint)
    multilingual = bool(pv.get("multilingual", False))
    reader.problems += check_multilingual(raw, choices["units"], multilingual, config)
    return Packaging(formats=tuple(f for f in formats if f in TARGETS) or DEFAULT_FORMATS,
                     passing_score=score, completion=completion, multilingual=multilingual,
                     **choices)


def _read_modules(reader: _Reader, config: Path, data: Any, values: dict[str, Any]) -> list[Module]:
    modules: list[Module] = []
    raw = values.get("modules", [])
    if "modules" in values and not raw:
        reader.add(config, line_of(data, "modules"), "the course has no modules")
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        line = line_of(raw, index)
        mv, found = check_mapping(item, MODULE_FIELDS, config, f"module {index + 1}", line)
        reader.problems += found
        if "id" not in mv or "title" not in mv:
            continue
        if mv["id"] in seen:
            reader.add(config, line, f"duplicate module id '{mv['id']}'", f"first used on line {seen[mv['id']]}")
        seen[mv["id"]] = line
        lessons: list[Lesson] = []
        refs = mv.get("lessons", [])
        if "lessons" in mv and not refs:
            reader.add(config, line_of(item, "lessons"), f"module '{mv['id']}' has no lessons")
        for n, ref in enumerate(refs):
            where = Location(config, line_of(refs, n))
            if not isinstance(ref, str):
                reader.add(config, where.line, "each lesson must be a file path, e.g. lessons/01-intro.md")
                continue
            first = reader.listed_at.setdefault((reader.root / ref).resolve(), where.line)
            if first != where.line:  # reported at the second entry, where the mistake is
                reader.add(config, where.line, f"lesson '{ref}' is listed twice (first on line {first})",
                           "each lesson appears once; remove this entry")
                continue
            lesson = reader.read_lesson(ref, where, mv["id"])
            if lesson:
                lessons.append(lesson)
        session = _read_session(reader, config, item, mv) if "session" in mv else None
        needs = tuple(str(r) for r in mv.get("requires", ()))
        modules.append(Module(id=mv["id"], title=mv["title"], lessons=tuple(lessons), session=session,
                              requires=needs))
    reader.problems += check_requires(config, raw, {m.id: m.requires for m in modules if m.requires},
                                      [m.id for m in modules])
    return modules


def _read_session(reader: _Reader, config: Path, item: Any, mv: dict[str, Any]) -> SessionPlan:
    """The module's ``session:`` (duration, format, materials), problems added to *reader*."""
    raw = item["session"]
    sv, found = check_mapping(raw, SESSION_FIELDS, config, f"the session of module '{mv['id']}'",
                              line_of(item, "session"))
    reader.problems += found
    if sv.get("duration", 1) <= 0:
        reader.add(config, line_of(raw, "duration"), f"duration must be more than 0 minutes ({sv['duration']})",
                   "give the length of the session in minutes, e.g. duration: 90")
        del sv["duration"]
    return SessionPlan(minutes=sv.get("duration"), format=sv.get("format"),
                   materials=reader.strings(raw, sv, "materials", config))


def _check_lesson_ids(reader: _Reader, modules: list[Module]) -> None:
    seen: dict[str, Path] = {}
    for module in modules:
        for lesson in module.lessons:
            if lesson.id in seen:
                first = seen[lesson.id]
                what = "is listed twice" if first == lesson.source else f"is also the id of {first.name}"
                reader.add(lesson.source, 1, f"lesson id '{lesson.id}' {what}",
                           "each lesson appears once and has its own id")
            seen[lesson.id] = lesson.source


def load_course(root: Path) -> Course:
    """Read the course in *root* or raise :class:`ContentError` listing every error."""
    course, problems = read_course(root)
    if course is None or any(p.is_error for p in problems):
        raise ContentError([p for p in problems if p.is_error] or problems)
    return course
