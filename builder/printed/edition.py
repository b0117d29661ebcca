"""The printed editions as a build step: render every requested edition, then write them.

``builder build`` calls :func:`render_editions` after the course is checked and before
anything is written, and :func:`write_editions` once the zips are in place, so a failing
edition leaves ``dist/`` as it was. The lead moves this into the target registry.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from builder.course import PRINT_FORMATS, Course
from builder.errors import ConfigError, ContentError, Problem
from builder.printed.document import convert_lessons, render_print_html
from builder.printed.pdf import PdfInfo, render_pdf, write_pdf
from builder.render import CourseContent
from builder.theme import theme_dirs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedEdition:
    """One edition laid out in memory, not yet written."""

    edition: str
    name: str
    data: bytes
    pages: int


def edition_name(course: Course, edition: str, language: str | None = None) -> str:
    """The PDF name: ``<slug>-<version>[-<lang>]-<edition>.pdf``.

    Args:
        course: the course.
        edition: ``handbook`` or ``workbook``.
        language: a language tag when the course has several languages, else None.

    Returns:
        The file name; characters that are awkward in file names become ``-``.
    """
    version = re.sub(r"[^A-Za-z0-9._+-]", "-", course.version)
    lang = f"-{re.sub(r'[^A-Za-z0-9-]', '-', language)}" if language else ""
    return f"{course.slug}-{version}{lang}-{edition}.pdf"


def split_formats(formats: tuple[str, ...] | None) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """Separate the PDF editions from the package formats of a ``--format`` choice.

    Returns:
        ``(package formats or None, editions)``; None stays None (the course decides).
    """
    if formats is None:
        return None, ()
    editions = tuple(f for f in formats if f in PRINT_FORMATS)
    return tuple(f for f in formats if f not in PRINT_FORMATS), editions


def render_editions(course: Course, content: CourseContent, editions: tuple[str, ...]) -> list[RenderedEdition]:
    """Lay out each requested edition of a checked course as a PDF in memory.

    Args:
        course: the checked course.
        content: its converted content.
        editions: ``handbook`` and/or ``workbook``.

    Returns:
        The PDFs, in the order asked.

    Raises:
        ConfigError: an unknown edition.
        ContentError: a link or image inside a facilitator note is broken (the only
            text that ``check`` does not follow).
    """
    rendered = []
    for edition in dict.fromkeys(editions):
        if edition not in PRINT_FORMATS:
            raise ConfigError(f"unknown printed edition '{edition}'; use handbook or workbook")
        problems: list[Problem] = []
        lessons = convert_lessons(course, content.labels, edition == "handbook", problems)
        if any(p.is_error for p in problems):
            raise ContentError([p for p in problems if p.is_error])
        html = render_print_html(course, content, edition, lessons)
        allowed = [course.root, *theme_dirs(course)]
        data, pages = render_pdf(html, course.root, allowed, f"{course.id}/{course.version}/{edition}")
        rendered.append(RenderedEdition(edition, edition_name(course, edition), data, pages))
    return rendered


def write_editions(rendered: list[RenderedEdition], out: Path) -> list[PdfInfo]:
    """Write laid-out editions into *out*, each atomically."""
    return [write_pdf(item.data, out / item.name, item.pages) for item in rendered]
