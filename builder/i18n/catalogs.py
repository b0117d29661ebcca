"""Gettext catalogs of a course: extract messages into templates and merge them (Babel).

``locales/templates/<name>.pot`` holds the messages of the source; ``locales/<lang>/<name>.po``
their translation into each language of ``translations:``. ``<name>`` is a lesson file's
stem, or ``course`` for course.yml and every quiz. Output is deterministic: dates come from
the course's ``date`` (or stay as the file had them), so two extracts in a row change nothing.
"""
from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message as PoMessage
from babel.messages.pofile import denormalize, read_po, write_po

from builder.content import split_front_matter
from builder.course import Course, load_course
from builder.errors import ContentError, Location, Problem
from builder.i18n.messages import (COURSE_CATALOG, COURSE_SPEC, FRONT_SPEC, PLAIN_KINDS, QUIZ_SPEC,
                                   MessageSet,
                                   catalog_of_lesson)
from builder.package import write_file
from builder.yamlsrc import parse_yaml

LOCALES = "locales"
TEMPLATES = "templates"
HEADER = ("# Translations of the course '{title}' ({name}).\n"
          "# Made by 'builder translate extract': write each translation after msgstr. A changed\n"
          "# source text is marked fuzzy, with the old text as '#| msgid': check the translation,\n"
          "# then remove the fuzzy flag.\n#")
NOTES = {
    "text": "plain text (no Markdown)",
    "answers": "accepted answers, one per line: list every answer learners may type in this language",
}
MARKDOWN_NOTE = "Markdown ({kind}): keep the links, images, footnotes, `code` and ** * markers"
_GENERATED_BY = re.compile(rb'^"Generated-By: [^"]*"\n', re.MULTILINE)


@dataclass(frozen=True)
class ExtractResult:
    """What ``translate extract`` wrote: every catalog file, and which of them changed."""

    files: tuple[Path, ...]
    changed: tuple[Path, ...]


def course_messages(course: Course) -> MessageSet:
    """Every translatable message of *course*, by catalog, in course order.

    Args:
        course: a loaded course (its lesson and quiz files are read again for their text).

    Returns:
        The messages: ``course`` (course.yml, then each quiz), then one catalog per lesson.
    """
    found = MessageSet()
    root = course.root
    config = root / "course.yml"
    data, _ = parse_yaml(config.read_text(encoding="utf-8"), config)
    found.add_yaml(COURSE_CATALOG, "course.yml", data, COURSE_SPEC)
    for quiz in course.quizzes:
        rel = quiz.source.relative_to(root).as_posix()
        quiz_data, _ = parse_yaml(quiz.source.read_text(encoding="utf-8"), quiz.source)
        found.add_yaml(COURSE_CATALOG, rel, quiz_data, QUIZ_SPEC)
    for lesson in course.lessons:
        rel = lesson.source.relative_to(root).as_posix()
        name = catalog_of_lesson(lesson.source)
        front, body, body_line, _ = split_front_matter(lesson.source.read_text(encoding="utf-8"), lesson.source)
        found.catalogs.setdefault(name, {})
        found.add_yaml(name, rel, front, FRONT_SPEC)
        found.add_body(name, rel, body, body_line)
    return found


def course_date(course: Course) -> datetime.datetime:
    """The date written into new catalogs: the course's ``date``, else 2000-01-01 (never 'now')."""
    day = datetime.date.fromisoformat(course.date) if course.date else datetime.date(2000, 1, 1)
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def babel_locale(language: str) -> Locale | None:
    """Babel's locale for a BCP 47 tag, or None when Babel does not know the language."""
    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return None


def template_catalog(course: Course, name: str, messages: MessageSet) -> Catalog:
    """The template (``.pot``) of catalog *name*."""
    when = course_date(course)
    catalog = Catalog(project=course.id, version=course.version, creation_date=when, revision_date=when,
                      header_comment=HEADER.format(title=course.title.replace("\n", " "), name=name),
                      msgid_bugs_address="", fuzzy=False)
    for message in messages.catalogs.get(name, {}).values():
        catalog.add(message.text, locations=message.locations, context=message.context,
                    auto_comments=[_note(message.kind)])
    return catalog


def _note(kind: str) -> str:
    """The comment that tells translators what a message is."""
    if kind in NOTES:
        return NOTES[kind]
    if kind in PLAIN_KINDS:
        return f"plain text ({kind})"
    return MARKDOWN_NOTE.format(kind="paragraph" if kind == "p" else "text" if kind == "markdown" else kind)


def po_bytes(catalog: Catalog) -> bytes:
    """*catalog* as PO text: previous msgids and obsolete entries kept, no tool version."""
    out = io.BytesIO()
    write_po(out, catalog, width=0, include_previous=True, ignore_obsolete=False)
    return _GENERATED_BY.sub(b"", out.getvalue())


def merge_catalog(template: Catalog, existing: Catalog | None, language: str, course: Course) -> Catalog:
    """*existing* (or a new catalog for *language*) updated to *template*.

    Changed source texts become fuzzy with the old text as ``#| msgid``; removed ones
    become obsolete (``#~``) when they had a translation; untranslated removed ones go.
    """
    if existing is None:
        when = course_date(course)
        existing = Catalog(locale=babel_locale(language), project=course.id, version=course.version,
                           creation_date=when, revision_date=when, header_comment=template.header_comment,
                           msgid_bugs_address="", fuzzy=False, language_team=language)
    previous = {_key(m): list(m.previous_id) for m in existing if m.id and m.previous_id}
    existing.update(template, update_header_comment=True, update_creation_date=True)
    for message in existing:
        if message.id and message.fuzzy and not message.previous_id and _key(message) in previous:
            message.previous_id = previous[_key(message)]
        if message.id and not message.fuzzy:
            message.previous_id = []
    for key in [k for k, m in existing.obsolete.items() if not m.string]:
        del existing.obsolete[key]
    existing.project, existing.version = course.id, course.version
    return existing


_BAD_LINE = re.compile(r'^(?![ \t]*$)(?![ \t]*#(?!~))(?![ \t]*#~(?![ \t]*(?:msg|")))'
                       r'(?![ \t]*(?:#~[ \t]*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?'
                       r'"(?:[^"\\\n]|\\.)*"[ \t]*$).*$', re.MULTILINE)
"""A line that is neither blank, a comment, nor a keyword (or nothing) and one closed ``"..."``."""


def _unquoted_line(text: str) -> int | None:
    """The first line whose text is not one closed ``"..."`` string (Babel reads those as empty)."""
    found = _BAD_LINE.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


def _read_previous(message: PoMessage) -> None:
    """Move a ``#| msgid`` line, which Babel reads as a translator comment, to ``previous_id``."""
    kept: list[str] = []
    previous: list[str] = []
    for comment in message.user_comments:
        if comment.startswith("|"):
            previous.append(comment[1:].strip())
        else:
            kept.append(comment)
    if not previous:
        return
    message.user_comments = kept
    text = " ".join(previous)
    if text.startswith("msgid "):
        head = text[len("msgid "):].split(" msgid_plural ", 1)[0]
        message.previous_id = [denormalize("\n".join(re.findall(r'"(?:[^"\\]|\\.)*"', head)))]


def _key(message: PoMessage) -> tuple[str, str]:
    return str(message.id), message.context or ""


def extract(course_dir: Path) -> ExtractResult:
    """Write the templates of *course_dir* and merge them into each language's catalogs.

    Raises:
        ContentError: the course has errors, or an existing catalog cannot be read.
    """
    course = load_course(course_dir)
    messages = course_messages(course)
    root = course.root
    problems: list[Problem] = []
    written: list[Path] = []
    changed: list[Path] = []
    pending: dict[Path, bytes] = {}
    templates: dict[str, Catalog] = {}
    for name in messages.catalogs:
        templates[name] = template_catalog(course, name, messages)
        pending[root / LOCALES / TEMPLATES / f"{name}.pot"] = po_bytes(templates[name])
    for language in course.translations:
        for name, template in templates.items():
            path = root / LOCALES / language / f"{name}.po"
            existing, found = read_catalog(path) if path.exists() else (None, [])
            problems += found
            if existing is not None or not found:
                pending[path] = po_bytes(merge_catalog(template, existing, language, course))
    if problems:
        raise ContentError(problems)
    for path, data in pending.items():
        written.append(path)
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, data)
            changed.append(path)
    return ExtractResult(tuple(written), tuple(changed))


def read_catalog(path: Path, data: bytes | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Read one PO file with Babel (its bytes *data* if given); a syntax error is a located problem."""
    try:
        raw = path.read_bytes() if data is None else data
        bad = _unquoted_line(raw.decode("utf-8"))
        if bad is not None:
            return None, [Problem(Location(path, bad), "the catalog is not a valid PO file: a text is not in "
                                  "double quotes, or its closing quote is missing",
                                  'write each text as "...", with \\" for a quote inside it')]
        catalog = read_po(io.BytesIO(raw), abort_invalid=True)
        for message in [*catalog, *catalog.obsolete.values()]:
            if message.user_comments:
                _read_previous(message)
        return catalog, []
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(Location(path), f"the catalog cannot be read ({exc})", "save it as UTF-8 text")]
    except Exception as exc:  # Babel's PoFileError and friends: a broken file, not a bug of ours
        line = getattr(exc, "lineno", None)
        text = str(exc).split(" on ", 1)[0]
        return None, [Problem(Location(path, line + 1 if isinstance(line, int) else None),  # Babel counts from 0
                              f"the catalog is not a valid PO file: {text}",
                              "fix the line, or delete the file and run 'builder translate extract' again")]
