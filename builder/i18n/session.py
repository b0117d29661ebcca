"""What a session needs for one language: the catalogs, their checks and a localizer."""
from __future__ import annotations

from pathlib import Path

from builder.errors import Location, Problem
from builder.i18n.apply import Localizer
from builder.i18n.checks import language_folders, load_translations
from builder.i18n.media import orphan_media
from builder.yamlsrc import parse_yaml


def course_languages(course_dir: Path) -> tuple[str, tuple[str, ...]]:
    """The source language and the ``translations:`` of a course, read from its course.yml alone.

    Bad values are left out here; reading the course reports them.
    """
    from builder.i18n.languages import LANG_RE, read_translations

    config = course_dir / "course.yml"
    try:
        data, _ = parse_yaml(config.read_text(encoding="utf-8"), config)
    except (OSError, UnicodeDecodeError):
        return "en", ()
    if not isinstance(data, dict):
        return "en", ()
    value = data.get("language")
    language = value if isinstance(value, str) and LANG_RE.match(value) else "en"
    raw = data.get("translations")
    languages, _ = read_translations(raw if isinstance(raw, list) else [], language, config, 1)
    return language, languages


def localizer_for(course_dir: Path, language: str | None, incomplete: str) -> tuple[Localizer | None, list[Problem]]:
    """The localizer of *language* (None for the source) and the problems of the catalogs.

    The catalog folders of the whole course are checked in every session (the source's
    too, so that ``check`` reports a catalog for a language the course does not list).
    """
    source, languages = course_languages(course_dir)
    problems = language_folders(course_dir, languages) + orphan_media(course_dir, languages)
    if language is None or language == source:
        return None, problems
    if language not in languages:
        problems.append(Problem(Location(course_dir / "course.yml"), f"'{language}' is not a language of this course",
                                f"its languages: {', '.join((source, *languages))}; add it to 'translations:'"))
        return None, problems
    translations, found = load_translations(course_dir.absolute(), language)
    return Localizer(course_dir.absolute(), translations, source, incomplete), problems + found
