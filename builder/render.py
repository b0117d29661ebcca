"""Rendering: course model → the files of a package (except the manifest).

The theme chain is MkDocs-style: ``<course>/templates/`` is searched before the default
theme (the top-level ``templates/`` folder, installed as ``builder.theme``). One Jinja2
environment is made per build, with autoescaping and ``StrictUndefined``.
"""
from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from builder.content import LessonSource, MarkdownRenderer
from builder.course import Course, Lesson, Module
from builder.errors import Location, Problem, TemplateError
from builder.paths import is_junk
from builder.quiz import Quiz, quiz_payload

TEMPLATE_NAMES = ("index.html", "lesson.html", "assessment.html")
SCORM_LABELS = {"scorm12": "1.2", "scorm2004": "2004"}


def default_theme_dir() -> Path:
    """The default theme: ``builder/theme`` when installed, ``templates/`` in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "theme"
    return installed if installed.is_dir() else here.parent / "templates"


def theme_dirs(course: Course) -> list[Path]:
    """Template folders in search order: the course's overrides, then the default theme."""
    override = course.root / "templates"
    return ([override] if override.is_dir() else []) + [default_theme_dir()]


@dataclass(frozen=True)
class Page:
    """One HTML page of the package."""

    id: str
    url: str
    title: str
    kind: str
    module: Module | None = None
    number: int = 0
    minutes: int | None = None
    lesson: Lesson | None = None
    quiz: Quiz | None = None


@dataclass
class CourseContent:
    """Lesson HTML and the course files the lessons use, with any problems found."""

    lessons: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    markdown: MarkdownRenderer = field(default_factory=MarkdownRenderer)


def build_pages(course: Course) -> list[Page]:
    """The pages of *course* in reading order: start page, lessons, assessment."""
    pages = [Page(id="index", url="index.html", title=course.title, kind="index")]
    number = 0
    for module in course.modules:
        for lesson in module.lessons:
            number += 1
            pages.append(Page(id=lesson.id, url=f"{lesson.id}.html", title=lesson.title, kind="lesson",
                              module=module, number=number, minutes=lesson.minutes, lesson=lesson,
                              quiz=lesson.quiz))
    if course.assessment:
        pages.append(Page(id="assessment", url="assessment.html", title=course.assessment.title,
                          kind="assessment", number=number + 1, quiz=course.assessment))
    return pages


PARALLEL_MIN_LESSONS = 40
"""Below this many lessons, starting worker processes costs more than it saves."""


def render_content(course: Course, labels: dict[str, str] | None = None,
                   parallel: bool = False) -> CourseContent:
    """Convert every lesson's Markdown and collect the files they use.

    Args:
        course: the loaded course.
        labels: UI labels (callout names etc.) in the course language.
        parallel: convert big courses in worker processes (one per CPU). Only for
            single-threaded callers such as ``builder build``: it forks.

    Returns:
        The lesson HTML by lesson id, used files by archive path, and problems found.
    """
    content = CourseContent()
    labels = labels if labels is not None else load_strings(theme_dirs(course), course.language)
    by_path = {lesson.source: lesson.id for lesson in course.lessons}
    jobs = [(course.root, lesson.source, lesson.body, lesson.body_line, by_path, labels, course.language)
            for lesson in course.lessons]
    workers = _worker_count(len(jobs)) if parallel else 1
    if workers > 1:
        chunks = [jobs[i::workers] for i in range(workers)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = list(pool.map(_convert_lessons, chunks))
        # Put the interleaved chunks back into course order.
        results: list[tuple[str, list[str], list[Problem]]] = [None] * len(jobs)  # type: ignore[list-item]
        for offset, part in enumerate(parts):
            results[offset::workers] = part
    else:
        results = _convert_lessons(jobs, content.markdown)
    for lesson, (html, files, problems) in zip(course.lessons, results):
        content.lessons[lesson.id] = html
        content.problems.extend(problems)
        for rel in files:
            content.files[rel] = course.root / rel
    for rel in content.files:
        if rel == "imsmanifest.xml" or rel.endswith(".html") and "/" not in rel or rel.startswith("assets/"):
            content.problems.append(Problem(Location(course.root / rel), f"the file name '{rel}' is used by the "
                                            "package itself", "move the file into a folder such as media/ or files/"))
    return content


_Job = tuple[Path, Path, str, int, dict[Path, str], dict[str, str], str]


def _convert_lessons(jobs: list[_Job], markdown: MarkdownRenderer | None = None
                     ) -> list[tuple[str, list[str], list[Problem]]]:
    """Convert lessons in order; runs in the calling process or in a worker."""
    markdown = markdown or MarkdownRenderer()
    results = []
    for root, path, body, body_line, by_path, labels, language in jobs:
        source = LessonSource(root=root, path=path, body=body, body_line=body_line,
                              lessons_by_path=by_path, labels=labels, language=language)
        html = markdown.convert(source)
        results.append((html, sorted(source.files), source.problems))
    return results


def _worker_count(lessons: int) -> int:
    if lessons < PARALLEL_MIN_LESSONS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, lessons // (PARALLEL_MIN_LESSONS // 2)))


def load_strings(dirs: list[Path], language: str) -> dict[str, str]:
    """UI labels for *language* from the theme chain's ``strings.yml`` (English fallback)."""
    labels: dict[str, str] = {}
    base = language.split("-")[0].lower()
    for folder in reversed(dirs):  # default theme first, overrides last
        path = folder / "strings.yml"
        if not path.is_file():
            continue
        # libyaml when available: this file is read on every build and is large.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        for lang in ("en", base, language):
            entries = data.get(lang)
            if isinstance(entries, dict):
                labels.update({str(k): str(v) for k, v in entries.items()})
    return labels


def make_environment(dirs: list[Path], markdown: MarkdownRenderer) -> jinja2.Environment:
    """A Jinja2 environment over the theme chain, with our filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = lambda text: Markup(markdown.block(str(text)))
    env.filters["markdown_inline"] = lambda text: Markup(markdown.inline(str(text)))
    return env


def course_data(course: Course, pages: list[Page], scorm: str | None) -> dict[str, Any]:
    """The ``window.BUILDER_COURSE`` object of ``assets/course.js``."""
    passing = course.packaging.passing_score
    entries = []
    for page in pages:
        entry: dict[str, Any] = {"id": page.id, "url": page.url, "title": page.title}
        if page.module:
            entry["module"] = page.module.id
        if page.quiz:
            entry["quizzes"] = [page.quiz.id]
        entries.append(entry)
    quizzes = {
        q.id: {"graded": q.graded, "weight": q.total_weight, "attempts": q.attempts,
               "passingScore": q.passing_score if q.passing_score is not None else passing}
        for q in course.quizzes
    }
    return {"id": course.id, "title": course.title, "language": course.language, "version": course.version,
            "scorm": scorm, "passingScore": passing, "completion": course.packaging.completion,
            "pages": entries, "quizzes": quizzes}


class Renderer:
    """Renders the pages of one course; reusable across SCORM versions and page rebuilds."""

    def __init__(self, course: Course, content: CourseContent | None = None) -> None:
        self.course = course
        self.dirs = theme_dirs(course)
        self.labels = load_strings(self.dirs, course.language)
        self.content = content if content is not None else render_content(course, self.labels)
        self.env = make_environment(self.dirs, self.content.markdown)
        self.pages = build_pages(course)

    def quiz_data(self, quiz: Quiz) -> dict[str, Any]:
        """The runtime payload of *quiz* with its effective passing score."""
        passing = quiz.passing_score if quiz.passing_score is not None else self.course.packaging.passing_score
        return quiz_payload(quiz, passing, self.content.markdown.inline)

    def render_page(self, page: Page, scorm: str | None) -> bytes:
        """Render one page to UTF-8 bytes.

        Raises:
            TemplateError: when a template is missing or fails, naming the template and line.
        """
        index = self.pages.index(page)
        context: dict[str, Any] = {
            "course": self.course, "pages": self.pages, "page": page, "ui": self.labels, "scorm": scorm,
            "prev": self.pages[index - 1] if index > 0 else None,
            "next": self.pages[index + 1] if index + 1 < len(self.pages) else None,
            "lesson": page.lesson, "quiz": page.quiz, "quiz_data": self.quiz_data,
            "content": Markup(self.content.lessons.get(page.id, "")),
        }
        name = {"index": "index.html", "lesson": "lesson.html", "assessment": "assessment.html"}[page.kind]
        try:
            return self.env.get_template(name).render(context).encode("utf-8")
        except jinja2.TemplateNotFound as exc:
            searched = ", ".join(str(d) for d in self.dirs)
            raise TemplateError(f"template '{exc.name}' not found (searched: {searched})") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
        except (jinja2.UndefinedError, jinja2.TemplateError, TypeError, ValueError) as exc:
            where = _template_location(exc)
            raise TemplateError(f"{where}{exc} (while rendering {page.url})") from None

    def assets(self) -> dict[str, bytes]:
        """Theme asset files (``assets/``), overrides first."""
        files: dict[str, bytes] = {}
        for folder in reversed(self.dirs):
            base = folder / "assets"
            if not base.is_dir():
                continue
            for path in sorted(base.rglob("*")):
                if path.is_file() and not is_junk(path.relative_to(folder).as_posix()):
                    files[path.relative_to(folder).as_posix()] = path.read_bytes()
        return files

    def render_all(self, scorm: str | None) -> dict[str, bytes]:
        """Every package file except the manifest, by archive path."""
        files = self.assets()
        data = json.dumps(course_data(self.course, self.pages, scorm), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))
        files["assets/course.js"] = f"window.BUILDER_COURSE = {data};\n".encode("utf-8")
        for page in self.pages:
            files[page.url] = self.render_page(page, scorm)
        for rel, path in self.content.files.items():
            files[rel] = path.read_bytes()
        return files


def render_course(course: Course, scorm: str | None, content: CourseContent | None = None) -> dict[str, bytes]:
    """Render *course* for a SCORM version (``"1.2"``, ``"2004"`` or None for preview).

    Args:
        course: the loaded course.
        scorm: the SCORM version the runtime should talk to.
        content: lesson HTML already converted (by a check), to avoid doing it twice.

    Returns:
        Archive path → bytes for every file except ``imsmanifest.xml``.

    Raises:
        TemplateError: a theme template failed.
    """
    return Renderer(course, content).render_all(scorm)


def _template_location(exc: BaseException) -> str:
    tb = exc.__traceback__
    where = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".j2")):
            where = f"{filename}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return where

