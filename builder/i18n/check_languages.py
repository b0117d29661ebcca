"""``builder check`` of a course in each of its languages."""
from __future__ import annotations

from pathlib import Path

from builder.convert import CourseContent
from builder.course import Course
from builder.errors import Problem
from builder.i18n.build_languages import chosen_languages


def check_languages(course_dir: Path, wanted: tuple[str, ...] | None
                    ) -> tuple[Course | None, CourseContent | None, list[Problem]]:
    """Check *course_dir* in every chosen language, as :func:`builder.check.check_and_prepare` does.

    A missing or fuzzy translation is a warning here (the source text stands in); broken
    catalogs and translations that lose a link are errors.

    Returns:
        ``(course, content, problems)`` of the first language checked (None when it has
        errors), and every language's problems, each once.

    Raises:
        ConfigError: a wanted language is not one of the course's.
    """
    from builder import check

    first: tuple[Course | None, CourseContent | None] | None = None
    problems: list[Problem] = []
    for language in chosen_languages(course_dir, wanted):
        course, content, found = check.check_and_prepare(course_dir, language=language)
        problems += [p for p in found if p not in problems]
        if first is None:
            first = (course, content)
    assert first is not None
    return first[0], first[1], problems
