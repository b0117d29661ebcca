"""A build session: load → plan → convert → validate → render → target, with stage caches.

``builder build``, ``builder check`` and ``builder serve`` all run a :class:`Session`, so the
preview finds exactly the problems ``check`` finds and writes exactly what ``build`` packs.
The preview keeps its session: a rebuild reads the course again (cheap), converts only
the lessons whose text or surroundings changed (the conversion cache), and re-renders only
the pages whose content changed when the course's shape did not (the render cache).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from builder.check import render_problems, validate
from builder.convert import ConversionCache, CourseContent, convert_course
from builder.course import Course, read_course
from builder.errors import Problem, sort_problems
from builder.plan import Plan
from builder.i18n.fallbacks import mark_lesson_html
from builder.i18n.session import localizer_for
from builder.labels import read_strings
from builder.render import Renderer
from builder.theme import theme_dirs

log = logging.getLogger(__name__)


@dataclass
class Change:
    """What a :meth:`Session.run` found different from the previous run."""

    full: bool = True
    """Everything must be rendered again (first run, course shape, theme or labels changed)."""
    pages: set[str] = field(default_factory=set)
    """Page URLs whose content changed (when not *full*)."""
    files: set[str] = field(default_factory=set)
    """Course files (archive paths) to copy again."""


class Session:
    """The build of one course folder, kept between runs by the preview."""

    def __init__(self, course_dir: Path, parallel: bool = False, language: str | None = None,
                 incomplete: str = "error") -> None:
        """Args:
            course_dir: the course folder.
            parallel: convert a big course's lessons in worker processes.
            language: build this translation of the course (a language of its
                ``translations:``), or None for the source.
            incomplete: what a missing or fuzzy translation is: ``error``, ``warning``
                or ``allow`` (the source text is used, marked with its language).
        """
        self.course_dir = course_dir
        self.parallel = parallel
        self.language = language
        self.incomplete = incomplete
        self.course: Course | None = None
        self.content: CourseContent | None = None
        self.renderer: Renderer | None = None
        self.problems: list[Problem] = []
        self._cache = ConversionCache()
        self._yaml: dict[Any, Any] = {}
        self._theme_key: Any = None

    @property
    def plan(self) -> Plan:
        """The page plan of the latest good run."""
        assert self.content is not None
        return self.content.plan

    @property
    def ok(self) -> bool:
        """The latest run found no error (warnings allowed)."""
        return self.content is not None and not any(p.is_error for p in self.problems)

    def run(self, changed: set[Path] | None = None, render_check: bool = False) -> Change:
        """Load, plan, convert and validate the course; keep the result when it has no error.

        Args:
            changed: paths changed since the last run (None: unknown, drop the caches).
            render_check: also render every page once and report template errors as
                problems (``builder check``); a build gets them from its render instead.

        Returns:
            What changed for the renderer; ``self.problems`` holds every problem, sorted.
        """
        if changed is None:
            self._cache.clear()
        else:
            self._cache.forget(changed)
        earlier, self._yaml = ({} if changed is None else self._yaml), {}
        localizer, problems = localizer_for(self.course_dir, self.language, self.incomplete)
        course, found = read_course(self.course_dir, (earlier, self._yaml), localizer)
        problems += found
        if course is None:
            self.problems = sort_problems(problems)
            return Change()
        dirs = theme_dirs(course)
        labels, found, covered = read_strings(dirs, course.language)
        content = convert_course(course, labels, self.parallel, self._cache)
        if localizer is not None and localizer.plain:  # --allow-incomplete: mark source-language titles, alt texts
            content.fallbacks = dict.fromkeys(localizer.plain, localizer.source_language)
            content.lessons = {k: mark_lesson_html(v, content.fallbacks) for k, v in content.lessons.items()}
        problems = problems + found + content.problems + validate(content, dirs, covered)
        if localizer is not None:
            problems = [localizer.relocate(p) for p in problems] + localizer.summary()
        renderer = None
        if render_check:
            renderer = Renderer(content.course, content)
            problems += render_problems(renderer)
        self.problems = sort_problems(problems)
        if any(p.is_error for p in self.problems):
            return Change()
        return self._keep(content, dirs, changed, renderer)

    def _keep(self, content: CourseContent, dirs: list[Path], changed: set[Path] | None,
              renderer: Renderer | None) -> Change:
        """Make *content* current and tell what the renderer must redo."""
        theme_key = (tuple(dirs), content.labels)
        old = self.content
        theme_changed = changed is None or theme_key != self._theme_key or any(
            _is_under(p, d) for p in changed for d in dirs)
        self._theme_key = theme_key
        self.course, self.content = content.course, content
        if old is None or self.renderer is None or theme_changed:
            self.renderer = renderer or Renderer(content.course, content)
            return Change(full=True)
        if _shape(old) != _shape(content):
            # Same theme: keep the compiled templates, forget every page and file.
            self.renderer.update(content, {p.url for p in old.plan.pages}, set(old.files))
            return Change(full=True)
        pages = {p.url for p in content.plan.pages if _page_changed(old, content, p.id)}
        gone = {_normal(p) for p in changed or ()}
        files = {rel for rel, path in content.files.items()
                 if old.files.get(rel) != path or _normal(path) in gone}  # a localised copy appearing too
        self.renderer.update(content, pages, files)
        return Change(full=False, pages=pages, files=files)


def _shape(content: CourseContent) -> Any:
    """Everything about a course that appears on more than one page (the menu, course.js)."""
    course = content.course
    pages = [(p.id, p.url, p.title, p.kind, p.template, p.module.id if p.module else None,
              p.module.title if p.module else None, p.number, p.minutes, p.quiz.id if p.quiz else None)
             for p in content.plan.pages]
    quizzes = [(q.id, q.graded, q.total_weight, q.attempts, q.passing_score) for q in course.quizzes]
    return (replace(course, modules=(), assessment=None, lesson_files=()), pages, quizzes)


def _page_changed(old: CourseContent, new: CourseContent, page_id: str) -> bool:
    """Whether a page shows something else than before: its lesson, HTML, quiz or snippets."""
    before, after = old.plan.page(page_id), new.plan.page(page_id)
    if before is None or after is None:
        return True
    if (before.lesson, before.quiz) != (after.lesson, after.quiz):
        return True
    if old.lessons.get(page_id) != new.lessons.get(page_id):
        return True
    # Equal texts can still carry other HTML (a linked file moved): compare the snippets.
    files = [x.source for x in (after.lesson, after.quiz) if x is not None]
    if after.kind == "index":
        files.append(new.course.root / "course.yml")
    return any(old.snippets.get(f) != new.snippets.get(f) for f in files)


def _normal(path: Path) -> str:
    """An absolute, normalised spelling of *path* (no file system access)."""
    return os.path.normpath(os.path.abspath(path))


def _is_under(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False
