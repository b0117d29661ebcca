"""The page plan: package → units → pages, the one place that knows page order and URLs.

Everything else that needs a page's URL, its template, its neighbours or the unit it
belongs to (rendering, links between lessons, the runtime's page list, the manifest's
launch page) reads a :class:`Plan`. Every page sits at the package root, in reading order:
the start page, the lessons in course order, then the final assessment. ``packaging:
units`` decides how the pages are cut into units (SCOs): one unit holding every page
(``course``, the default), one per module or one per lesson (the start page goes with the
first unit; the assessment is a unit of its own or ends the last one). A page's menu,
its neighbours and the runtime's page list stay inside its unit (:meth:`Plan.unit_plan`).
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
    """A launchable part of a package (a SCO): the whole course, a module or a lesson.

    Attributes:
        id: the course id (one unit), a module id, a lesson id or ``assessment``.
        launch: its first page's URL (the resource's ``href``).
        pages: its pages in reading order.
        title: the LMS menu label.
        module: the module it belongs to (module and lesson units; None otherwise).
        requires: ids of the units a learner finishes first (from the modules' ``requires``).
    """

    id: str
    launch: str
    pages: tuple[Page, ...]
    title: str = ""
    module: Module | None = None
    requires: tuple[str, ...] = ()

    @property
    def scored(self) -> bool:
        """Whether a graded quiz is on one of its pages (it can be passed or failed)."""
        return any(page.quiz is not None and page.quiz.graded for page in self.pages)

    @property
    def assessment(self) -> bool:
        """Whether it holds the final assessment."""
        return any(page.kind == "assessment" for page in self.pages)


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
    _unit_plans: tuple[Plan, ...] = field(repr=False, compare=False, default=())
    """With several units: a plan of each unit's pages alone (same order as units)."""
    _unit_index: dict[str, int] = field(repr=False, compare=False, default_factory=dict)
    """With several units: the unit of each page, by page id."""

    def unit_of(self, page: Page) -> Unit:
        """The unit *page* belongs to."""
        return self.units[self._unit_index.get(page.id, 0)]

    def unit_plan(self, page: Page) -> Plan:
        """The plan of *page*'s unit alone (this plan when there is one unit): its menu,
        neighbours and page list never lead out of the SCO."""
        if not self._unit_plans:
            return self
        return self._unit_plans[self._unit_index[page.id]]

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
        The plan, its pages cut into units as ``packaging.units`` says.
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
    if course.packaging.units == "course":
        return _layout(pages, (Unit(id=course.id, launch=pages[0].url, pages=tuple(pages), title=course.title),))
    units = _cut(course, pages)
    index = {page.id: n for n, unit in enumerate(units) for page in unit.pages}
    subplans = tuple(_layout(list(unit.pages), (unit,)) for unit in units)
    whole = _layout(pages, units)
    return Plan(units=whole.units, pages=whole.pages, _position=whole._position, _modules=whole._modules,
                _starts=whole._starts, _unit_plans=subplans, _unit_index=index)


def _cut(course: Course, pages: list[Page]) -> tuple[Unit, ...]:
    """The units of a course with ``units: module`` or ``lesson`` (see the module docstring)."""
    by_lesson = course.packaging.units == "lesson"
    groups: list[tuple[str, str, Module | None, list[Page]]] = []
    for page in pages[1:]:
        if page.module is None:
            continue
        key = page.id if by_lesson else page.module.id
        if not groups or groups[-1][0] != key:
            groups.append((key, page.title if by_lesson else page.module.title, page.module, []))
        groups[-1][3].append(page)
    if not groups:
        groups.append((course.id, course.title, None, []))
    groups[0][3].insert(0, pages[0])
    final = [p for p in pages if p.kind == "assessment"]
    if final and course.packaging.assessment == "last-module":
        groups[-1][3].extend(final)
    elif final:
        groups.append((ASSESSMENT_PAGE, final[0].title, None, final))
    units_of: dict[str, list[str]] = {}
    for key, _title, module, _pages in groups:
        if module is not None:
            units_of.setdefault(module.id, []).append(key)
    units = []
    for key, title, module, unit_pages in groups:
        needed = [] if module is None else [u for m in module.requires for u in units_of.get(m, [])]
        units.append(Unit(id=key, launch=unit_pages[0].url, pages=tuple(unit_pages), title=title,
                          module=module, requires=tuple(needed)))
    return tuple(units)


def _layout(pages: list[Page], units: tuple[Unit, ...]) -> Plan:
    """A plan of *pages* (in reading order) with the look-up tables of its menu."""
    modules: list[tuple[Module, int, int]] = []  # each run of one module's lesson pages
    for index, page in enumerate(pages):
        module = page.module
        if module is None:
            continue
        if modules and modules[-1][0] is module and modules[-1][1] + modules[-1][2] == index:
            modules[-1] = (module, modules[-1][1], modules[-1][2] + 1)
        else:
            modules.append((module, index, 1))
    position: dict[str, int] = {}
    for index, page in enumerate(pages):
        position.setdefault(page.id, index)
    return Plan(units=units, pages=pages, _position=position, _modules=tuple(modules),
                _starts=tuple(start for _m, start, _n in modules))
