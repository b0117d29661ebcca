"""A printed edition in memory: the converted course → one PDF's bytes.

:class:`builder.targets.PrintTarget` calls :func:`render_edition` for the ``handbook`` and
``workbook`` targets; :mod:`builder.build` stages and writes the PDF with every other
output of the build, so a failing edition leaves ``dist/`` as it was.
"""
from __future__ import annotations

from builder.convert import CourseContent
from builder.errors import ConfigError, ContentError, Problem
from builder.printed.document import EDITIONS, convert_lessons, render_print_html
from builder.printed.pdf import render_pdf
from builder.theme import theme_dirs


def render_edition(content: CourseContent, edition: str) -> tuple[bytes, int]:
    """Lay out one edition of a checked course as a PDF in memory.

    Args:
        content: the converted course (its ``course`` carries the checked snippets).
        edition: ``handbook`` or ``workbook``.

    Returns:
        ``(pdf bytes, number of pages)``.

    Raises:
        ConfigError: an unknown edition.
        ContentError: a link or image inside a facilitator note is broken (the only
            text that ``check`` does not follow).
    """
    if edition not in EDITIONS:
        raise ConfigError(f"unknown printed edition '{edition}'; use handbook or workbook")
    course = content.course
    problems: list[Problem] = []
    lessons = convert_lessons(content, edition == "handbook", problems)
    if any(p.is_error for p in problems):
        raise ContentError([p for p in problems if p.is_error], subject=str(course.root))
    html = render_print_html(course, content, edition, lessons)
    allowed = [course.root, *theme_dirs(course)]
    swap = {course.root / rel: path for rel, path in content.files.items() if path != course.root / rel}
    return render_pdf(html, course.root, allowed, f"{course.id}/{course.version}/{edition}", swap)
