"""Which languages a build makes, and checking them all before anything is written."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from builder.errors import ConfigError, ContentError, Problem, StrictError
from builder.i18n.session import course_languages


def chosen_languages(course_dir: Path, wanted: tuple[str, ...] | None) -> list[str | None]:
    """The languages to build: None stands for the source; translations by their tag.

    Args:
        course_dir: the course folder.
        wanted: the ``--lang`` values (the source language allowed), or None for all.

    Raises:
        ConfigError: a wanted language is not one of the course's.
    """
    source, translations = course_languages(course_dir)
    if wanted is None:
        return [None, *translations]
    known = {lang.lower(): lang for lang in translations}
    chosen: list[str | None] = []
    for lang in wanted:
        if lang.lower() == source.lower():
            value: str | None = None
        elif lang.lower() in known:
            value = known[lang.lower()]
        else:
            raise ConfigError(f"{course_dir}: '{lang}' is not a language of this course "
                              f"(languages: {', '.join((source, *translations))})")
        if value not in chosen:
            chosen.append(value)
    return chosen


def load_languages(course_dir: Path, wanted: tuple[str, ...] | None, strict: bool, incomplete: str,
                   ) -> list[tuple[Any, Any, list[Problem]]]:
    """:func:`builder.build.load_checked` for every chosen language; raise once for all of them.

    Returns:
        ``(course, renderer, warnings)`` per language, the first language first.

    Raises:
        ContentError: any language has errors (every language's problems, each once).
    """
    from builder.build import load_checked

    loaded = []
    problems: list[Problem] = []
    strict_failed = False
    for language in chosen_languages(course_dir, wanted):
        try:
            loaded.append(load_checked(course_dir, strict, language=language, incomplete=incomplete))
        except ContentError as exc:
            strict_failed = strict_failed or isinstance(exc, StrictError)
            problems += [p for p in exc.problems if p not in problems]
    if problems:
        if strict_failed and not any(p.is_error for p in problems):
            raise StrictError(problems, str(course_dir))
        raise ContentError(problems, subject=str(course_dir))
    return loaded
