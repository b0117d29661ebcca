"""The page plan: package → units → pages, the one place that knows page order and URLs.

Everything else that needs a page's URL, its template, its neighbours or the unit it
belongs to (rendering, links between lessons, the runtime's page list, the manifest's
launch page) reads a :class:`Plan`. Today a package holds one unit (one SCO) at the
package root: the start page, the lessons in course order, then the final assessment.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.model import Course, Lesson, Module
from builder.quiz import Quiz

START_PAGE = "index"
"""Id of the start page; also the launch page of the unit (``index.html``)."""

ASSESSMENT_PAGE = "assessment"
"""Id of the final assessment page."""

TEMPLATES = {"index": "index.html", "lesson": "lesson.html", "assessment": "assessment.html"}
"""The theme template of each page kind."""


@dataclass(frozen=True)
class Page:
    """One HTML page of a package.

    Attributes:
        id: unique in the course (``index``, a lesson id, ``assessment``).
        url: the page's path inside the package, relative to the unit.
        title: shown in the menu and the page's ``<h1>``.
        kind: ``index``, ``lesson`` or ``assessment``.
        template: the theme template that renders it.
        module: the lesson's module (None for the start and assessment pages).
        number: 1-based position among content pages (0 for the start page).
        minutes: the lesson's estimated duration.
        lesson: the lesson shown (lesson pages).
        quiz: the quiz shown at the end of the page, if any.
    """

    id: str
    url: str
    title: str
    kind: str
    template: str = ""
    module: Module | None = None
    number: int = 0
    minutes: int | None = None
    lesson: Lesson | None = None
    quiz: Quiz | None = None


@dataclass(frozen=True)
class Unit:
    """A launchable part of a package (a SCO); today the whole course, at the package root."""

    id: str
    launch: str
    pages: tuple[Page, ...]


@dataclass(frozen=True)
class Plan:
    """The pages of a course in reading order, grouped into units, with fast look-ups."""

    units: tuple[Unit, ...]
    pages: list[Page]
    _position: dict[str, int] = field(repr=False, compare=False, default_factory=dict)

    def neighbours(self, page: Page) -> tuple[Page | None, Page | None]:
        """The pages before and after *page* in reading order (None at either end)."""
        index = self._position[page.id]
        before = self.pages[index - 1] if index > 0 else None
        after = self.pages[index + 1] if index + 1 < len(self.pages) else None
        return before, after

    def page(self, page_id: str) -> Page | None:
        """The page with id *page_id*, or None."""
        index = self._position.get(page_id)
        return None if index is None else self.pages[index]

    def lesson_ids(self) -> dict[Path, str]:
        """Lesson id by lesson source file, for links between lessons."""
        return {page.lesson.source: page.id for page in self.pages if page.lesson is not None}

    def lesson_urls(self) -> dict[str, str]:
        """Page URL by lesson id, for links between lessons."""
        return {page.id: page.url for page in self.pages if page.lesson is not None}


def plan_course(course: Course) -> Plan:
    """Lay out the pages of *course*: start page, lessons in module order, assessment.

    Args:
        course: the course (loaded, possibly converted).

    Returns:
        The plan: one unit at the package root holding every page.
    """
    pages = [Page(id=START_PAGE, url=f"{START_PAGE}.html", title=course.title, kind="index",
                  template=TEMPLATES["index"])]
    number = 0
    for module in course.modules:
        for lesson in module.lessons:
            number += 1
            pages.append(Page(id=lesson.id, url=f"{lesson.id}.html", title=lesson.title, kind="lesson",
                              template=TEMPLATES["lesson"], module=module, number=number,
                              minutes=lesson.minutes, lesson=lesson, quiz=lesson.quiz))
    if course.assessment:
        pages.append(Page(id=ASSESSMENT_PAGE, url=f"{ASSESSMENT_PAGE}.html", title=course.assessment.title,
                          kind="assessment", template=TEMPLATES["assessment"], number=number + 1,
                          quiz=course.assessment))
    unit = Unit(id=course.id, launch=pages[0].url, pages=tuple(pages))
    position: dict[str, int] = {}
    for index, page in enumerate(pages):
        position.setdefault(page.id, index)
    return Plan(units=(unit,), pages=pages, _position=position)
