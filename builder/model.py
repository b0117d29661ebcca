"""The course model: frozen dataclasses for a course, its modules, lessons and packaging.

Values only: :mod:`builder.course` reads them from a course folder (the load stage), and
every later stage works on them (quizzes are :class:`builder.quiz.Quiz`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.identity import Identity, Picture
from builder.quiz import Quiz
from builder.targets import DEFAULT_FORMATS


@dataclass(frozen=True)
class Packaging:
    """How the course is packaged and when it counts as completed and passed."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    passing_score: int = 80
    completion: str = "pages"
    multilingual: bool = False
    """One more package per SCORM format holding every language (``packaging: multilingual``)."""
    units: str = "course"
    """The unit of tracking (one SCO each): ``course``, ``module`` or ``lesson``."""
    assessment: str = "unit"
    """Where the final assessment goes when units are smaller than the course: ``unit``
    (a SCO of its own) or ``last-module`` (inside the last unit)."""
    rollup: str = "assessment"
    """What makes a multi-unit course passed: ``assessment`` (the unit holding the final
    assessment is passed; every scored unit when there is none) or ``units``."""


@dataclass(frozen=True)
class Lesson:
    """One lesson: its front matter and its Markdown body (not yet rendered)."""

    id: str
    title: str
    source: Path
    body: str
    body_line: int
    module_id: str
    objectives: tuple[str, ...] = ()
    minutes: int | None = None
    quiz: Quiz | None = None
    banner: Picture | None = None
    """The picture above the lesson (front matter ``banner:``), or None."""


@dataclass(frozen=True)
class SessionPlan:
    """How a module runs face to face (``session:`` in course.yml): the handbook's session plan."""

    minutes: int | None = None
    format: str | None = None
    materials: tuple[str, ...] = ()


@dataclass(frozen=True)
class Module:
    """A module: an ordered group of lessons."""

    id: str
    title: str
    lessons: tuple[Lesson, ...]
    session: SessionPlan | None = None
    requires: tuple[str, ...] = ()
    """Ids of the modules a learner finishes first (``requires:``; enforced by the LMS)."""


@dataclass(frozen=True)
class Course:
    """A whole course as read from its folder."""

    root: Path
    id: str
    title: str
    language: str
    version: str
    modules: tuple[Module, ...]
    packaging: Packaging
    description: str = ""
    date: str | None = None
    authors: tuple[str, ...] = ()
    licence: str | None = None
    objectives: tuple[str, ...] = ()
    minutes: int | None = None
    assessment: Quiz | None = None
    theme: Identity | None = None
    """The course's identity (``theme:``: colour, logo, cover, font), or None."""
    lesson_files: tuple[Path, ...] = ()
    """Every lesson file listed in course.yml that exists inside the course, loaded or not
    (resolved absolute paths, in course order, each once)."""
    translations: tuple[str, ...] = ()
    """The target languages (``translations:``), BCP 47 tags other than ``language``."""
    lines: tuple[tuple[str, int], ...] = ()
    """The line of each top-level key of course.yml, for messages about the course."""

    def line_of(self, key: str) -> int | None:
        """The line of *key* in course.yml, or None when it is not written there."""
        return dict(self.lines).get(key)

    @property
    def slug(self) -> str:
        """The course folder name."""
        return self.root.name

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        """All lessons in course order."""
        return tuple(lesson for module in self.modules for lesson in module.lessons)

    @property
    def quizzes(self) -> tuple[Quiz, ...]:
        """All quizzes in course order (lesson quizzes, then the assessment)."""
        found = [lesson.quiz for lesson in self.lessons if lesson.quiz]
        return tuple(found + ([self.assessment] if self.assessment else []))
