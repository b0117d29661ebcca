"""The page plan: package → units → pages, the one place that knows page order and URLs.

Everything else that needs a page's URL, its template, its neighbours or the unit it
belongs to (rendering, links between lessons, the runtime's page list, the manifest's
launch page) reads a :class:`Plan`. Today a package holds one unit (one SCO) at the
package root: the start page, the lessons in course order, then the final assessment.
"""
from __future__ import annotations

from bisect import bisect_right
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

MENU_FULL = 62
"""Courses of up to this many pages list every lesson of every module in each page's menu."""

MENU_LESSONS = 50
"""In bigger courses, a module's lessons are listed in runs of this many (plus one either side)."""

MENU_MODULES = 4
"""In bigger courses, the menu lists this many modules either side of the current one."""


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
class MenuGroup:
    """One module as a page's menu shows it.

    Attributes:
        module: the module.
        first: its first lesson page (where the module's title links when no lesson is listed).
        pages: the lesson pages listed under its title; empty when the module is one link.
    """

    module: Module
    first: Page
    pages: tuple[Page, ...]


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
    _modules: tuple[tuple[Module, int, int], ...] = field(repr=False, compare=False, default=())
    """Each module with lessons: the module, the index of its first page, its lesson count."""
    _starts: tuple[int, ...] = field(repr=False, compare=False, default=())
    """The index of each of those modules' first page, for finding a page's module."""

    def menu(self, page: Page) -> list[MenuGroup]:
        """The modules and lessons the menu of *page* lists, a bounded number in big courses.

        A course of at most :data:`MENU_FULL` pages lists everything. A bigger one lists up
        to ``2 * MENU_MODULES + 1`` modules around the current one (the first ones on the
        start page, the last ones on the assessment), each as one link, except the current
        module, which lists the run of :data:`MENU_LESSONS` lessons holding *page* plus the
        lesson either side of that run. The start page lists the whole course, so every
        page stays two links away without scripts, and a page's menu never grows with the
        size of the course: the output grows linearly with the number of pages.
        """
        groups = self._modules
        if len(self.pages) <= MENU_FULL:
            return [MenuGroup(m, self.pages[s], tuple(self.pages[s:s + n])) for m, s, n in groups]
        index = self._position[page.id]
        current = None
        if page.module is not None:  # lesson pages lie inside their module's run of pages
            current = bisect_right(self._starts, index) - 1
        centre = current if current is not None else (0 if index == 0 else len(groups) - 1)
        low = max(0, min(centre - MENU_MODULES, len(groups) - 2 * MENU_MODULES - 1))
        shown = []
        for g in range(low, min(len(groups), low + 2 * MENU_MODULES + 1)):
            module, start, count = groups[g]
            listed: tuple[Page, ...] = ()
            if g == current:
                run = (index - start) // MENU_LESSONS * MENU_LESSONS
                listed = tuple(self.pages[start + max(0, run - 1):start + min(count, run + MENU_LESSONS + 1)])
            shown.append(MenuGroup(module, self.pages[start], listed))
        return shown

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
    modules = []
    for module in course.modules:
        if module.lessons:
            modules.append((module, len(pages), len(module.lessons)))
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
    return Plan(units=(unit,), pages=pages, _position=position, _modules=tuple(modules),
                _starts=tuple(start for _m, start, _n in modules))
