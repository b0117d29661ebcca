"""Live preview builds: one course rendered into a temporary folder, rebuilt on change.

A :class:`PreviewSite` keeps the loaded course, its converted lessons and a
:class:`~builder.render.Renderer`, so that saving one lesson re-renders one page instead of
the whole course. Changes that alter the course's structure (titles, order, ``course.yml``,
templates) rebuild everything. A broken course keeps the last good files on disk and
reports the same problems that ``builder check`` prints.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from builder.check import check_and_prepare
from builder.convert import CourseContent, convert_lesson, convert_snippets
from builder.course import Course, Lesson, read_course, read_lesson
from builder.errors import BuilderError, Problem
from builder.manifest import build_manifest
from builder.plan import Page, plan_course
from builder.render import Renderer, course_data

log = logging.getLogger(__name__)

FORMATS = {"scorm12": "1.2", "scorm2004": "2004", "none": None}
"""Preview formats: the two SCORM versions and a build that runs without an LMS."""

MANIFEST = "imsmanifest.xml"


@dataclass
class BuildReport:
    """The outcome of the latest build of a course."""

    ok: bool = False
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    kind: str = "none"  # "full", "partial", "media" or "none"


class PreviewSite:
    """The preview build of one course folder inside *work_dir*/:func:`site_folder`/."""

    def __init__(self, course_dir: Path, work_dir: Path) -> None:
        self.course_dir = course_dir.resolve()
        self.slug = self.course_dir.name
        self.root = work_dir / site_folder(self.course_dir)
        self.pkg_root = self.root / "pkg"
        self.lock = threading.RLock()
        self.active: set[str] = set()
        self.report = BuildReport()
        self.course: Course | None = None
        self.content: CourseContent | None = None
        self.renderer: Renderer | None = None
        self.files: dict[str, set[str]] = {}
        self.title = self.slug

    # ----------------------------------------------------------------- folders
    def package_dir(self, fmt: str) -> Path:
        """The unpacked package of *fmt*, built on first use."""
        with self.lock:
            if fmt not in self.active:
                self.active.add(fmt)
                if self.report.ok:
                    self._write_full({fmt})
            return self.pkg_root / fmt

    def state_path(self, fmt: str) -> Path:
        """Where the simulated LMS keeps the learner data of *fmt* (survives restarts)."""
        return self.root / f"state-{fmt}.json"

    def watched_paths(self) -> list[Path]:
        """Folders whose changes trigger a rebuild: the course and its theme chain."""
        dirs = [self.course_dir]
        if self.renderer is not None:
            dirs += [d for d in self.renderer.dirs if not d.is_relative_to(self.course_dir)]
        return dirs

    # ----------------------------------------------------------------- building
    def build(self, changed: set[Path] | None = None) -> BuildReport:
        """Rebuild after *changed* paths (None: everything) and return the report."""
        start = time.perf_counter()
        with self.lock:
            kind = "full"
            try:
                if changed and self.report.ok and self._try_incremental(changed):
                    kind = self.report.kind
                else:
                    self._full_build()
            except BuilderError as exc:
                self.report = BuildReport(ok=False, problems=exc.format_message().splitlines())
            except Exception as exc:  # a bug must not stop the server: show it on the page
                log.exception("preview build of %s failed", self.slug)
                self.report = BuildReport(ok=False, problems=[f"internal error: {exc!r}"])
            self.report.seconds = time.perf_counter() - start
            if self.report.ok:
                self.report.kind = kind
            return self.report

    def _full_build(self) -> None:
        # Pages are rendered right after (template errors reach the report from there).
        course, content, problems = check_and_prepare(self.course_dir, render=False)
        if course is None or content is None or any(p.is_error for p in problems):
            self._fail(problems)
            return
        self.course, self.content = course, content
        self.renderer = Renderer(course, content)
        self.title = course.title
        self._write_full(self.active)
        self.report = BuildReport(ok=True, problems=_lines(problems))

    def _fail(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.is_error] or problems
        self.report = BuildReport(ok=False, problems=_lines(errors))

    def _write_full(self, formats: set[str]) -> None:
        assert self.renderer is not None and self.course is not None
        for fmt in sorted(formats):
            files = self.renderer.render_all(FORMATS[fmt])
            if FORMATS[fmt] is not None:
                files[MANIFEST] = build_manifest(self.course, files, fmt)
            _swap_in(self.pkg_root, fmt, files)
            self.files[fmt] = set(files)

    def _try_incremental(self, changed: set[Path]) -> bool:
        """Re-render only what *changed* touches; False when a full build is needed."""
        assert self.course is not None and self.content is not None and self.renderer is not None
        sources = [p for p in changed if p.suffix.lower() in (".md", ".yml", ".yaml")]
        if any(_is_under(p, self.course_dir / "templates") for p in changed):
            return False
        if any(p.name == "course.yml" for p in sources):
            return False
        if not sources:
            return self._copy_media(changed)
        course = self._reread_lessons(sources)
        if course is None:
            course, problems = read_course(self.course_dir)
            if course is None or any(p.is_error for p in problems):
                return False
        if _skeleton(course) != _skeleton(self.course):
            return False
        old = {lesson.id: lesson for lesson in self.course.lessons}
        old_assessment = self.course.assessment
        touched = [lesson for lesson in course.lessons if old.get(lesson.id) != lesson]
        self.content.course, self.content.plan = course, plan_course(course)
        new_html: dict[str, str] = {}
        new_files: dict[str, Path] = {}
        for lesson in touched:
            html, files, lesson_problems, _links = convert_lesson(self.content, lesson.id)
            if any(p.is_error for p in lesson_problems):
                return False  # let the full check report every problem
            new_html[lesson.id] = html
            new_files.update(files)
        self.content.lessons.update(new_html)
        # Quiz texts and objectives of the touched lessons may hold links and images too.
        snippet_files, snippet_problems = convert_snippets(self.content)
        if any(p.is_error for p in snippet_problems):
            return False  # the full build reports them (and starts from fresh content)
        new_files.update(snippet_files)
        course, pages = self.content.course, self.content.plan.pages
        self.course = course
        self.content.files.update(new_files)
        changed_pages = [p for p in pages if p.id in new_html or
                         (p.kind == "assessment" and course.assessment != old_assessment)]
        self._write_pages(changed_pages, new_files)
        self.report = BuildReport(ok=True, problems=self.report.problems, kind="partial")
        return True

    def _reread_lessons(self, sources: list[Path]) -> Course | None:
        """Read just the changed lesson files into a copy of the course.

        Returns None when a changed file is not a lesson of the course, or reading it found
        a problem: the caller then reads the whole course.
        """
        assert self.course is not None
        by_source = {lesson.source.resolve(): lesson for lesson in self.course.lessons}
        fresh: dict[str, Lesson] = {}
        for path in sources:
            old = by_source.get(path.resolve())
            if old is None or path.suffix.lower() != ".md":
                return None
            new, problems = read_lesson(self.course_dir, old.source, old.module_id)
            if new is None or any(p.is_error for p in problems):
                return None
            fresh[old.id] = new
        modules = tuple(replace(m, lessons=tuple(fresh.get(les.id, les) for les in m.lessons))
                        for m in self.course.modules)
        return replace(self.course, modules=modules)

    def _write_pages(self, pages: list[Page], new_files: dict[str, Path]) -> None:
        assert self.renderer is not None and self.course is not None
        for fmt in sorted(self.active):
            scorm = FORMATS[fmt]
            out: dict[str, bytes] = {p.url: self.renderer.render_page(p, scorm) for p in pages}
            data = json.dumps(course_data(self.course, self.renderer.pages, scorm), ensure_ascii=False,
                              sort_keys=True, separators=(",", ":"))
            out["assets/course.js"] = f"window.BUILDER_COURSE = {data};\n".encode("utf-8")
            for rel, path in new_files.items():
                out[rel] = path.read_bytes()
            names = self.files.setdefault(fmt, set()) | set(out)
            if scorm is not None and not names <= self.files[fmt] | {MANIFEST}:
                out[MANIFEST] = build_manifest(self.course, names, fmt)
            self.files[fmt] = names | ({MANIFEST} if scorm else set())
            for rel, data_bytes in out.items():
                _write_file(self.pkg_root / fmt / rel, data_bytes)

    def _copy_media(self, changed: set[Path]) -> bool:
        assert self.content is not None
        by_path = {path.resolve(): rel for rel, path in self.content.files.items()}
        hits = {by_path[p.resolve()]: p for p in changed if p.resolve() in by_path}
        if any(not p.is_file() for p in hits.values()):
            return False  # a used file was deleted: let the check say so
        for fmt in sorted(self.active):
            for rel, path in hits.items():
                _write_file(self.pkg_root / fmt / rel, path.read_bytes())
        self.report = BuildReport(ok=True, problems=self.report.problems, kind="media")
        return True

    # ----------------------------------------------------------------- LMS data
    def launch_info(self, fmt: str) -> dict[str, Any]:
        """What the LMS takes from the manifest: mastery score, thresholds, launch data."""
        manifest = self.package_dir(fmt) / MANIFEST
        if not manifest.is_file():
            return {}
        return read_launch_info(manifest.read_bytes())


def site_folder(course_dir: Path) -> str:
    """The work folder name of a course: its slug and a short hash of its absolute path.

    Two copies of a course with the same slug never share a folder, and a restart of the
    same course finds its stored LMS data again.
    """
    path = course_dir.resolve()
    digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:10]
    return f"{path.name}-{digest}"


def read_launch_info(manifest: bytes) -> dict[str, Any]:
    """Read the values an LMS copies from ``imsmanifest.xml`` into the data model."""
    root = etree.fromstring(manifest)

    def first(xpath: str) -> Any:
        found = root.xpath(xpath)
        return found[0] if isinstance(found, list) and found else None

    info: dict[str, Any] = {}
    mastery = first("//*[local-name()='masteryscore']/text()")
    if mastery is not None:
        info["masteryScore"] = str(mastery).strip()
    measure = first("//*[local-name()='primaryObjective'][@satisfiedByMeasure='true']"
                    "/*[local-name()='minNormalizedMeasure']/text()")
    if measure is not None:
        info["scaledPassingScore"] = str(measure).strip()
    threshold = first("//*[local-name()='completionThreshold'][@completedByMeasure='true']"
                      "/@minProgressMeasure")
    if threshold is not None:
        info["completionThreshold"] = str(threshold).strip()
    data = first("//*[local-name()='datafromlms' or local-name()='dataFromLMS']/text()")
    if data is not None:
        info["launchData"] = str(data)
    return info


def _skeleton(course: Course) -> Any:
    """Everything about a course that appears on more than one page."""
    pages = [(p.id, p.url, p.title, p.kind, p.module.id if p.module else None,
              p.module.title if p.module else None, p.number, p.minutes,
              p.quiz.id if p.quiz else None) for p in plan_course(course).pages]
    return (replace(course, modules=(), assessment=None), pages,
            [(q.id, q.graded, q.total_weight, q.attempts, q.passing_score) for q in course.quizzes])


def _lines(problems: list[Problem]) -> list[str]:
    return [p.format() for p in problems]


def _is_under(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _write_file(dest: Path, data: bytes) -> None:
    """Write atomically, so the server never sends a half-written file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, dest)


def _swap_in(pkg_root: Path, fmt: str, files: dict[str, bytes]) -> None:
    """Write a complete package next to the current one, then swap the two folders."""
    pkg_root.mkdir(parents=True, exist_ok=True)
    fresh = pkg_root / f".{fmt}.new"
    stale = pkg_root / f".{fmt}.old"
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    for rel, data in files.items():
        dest = fresh / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    current = pkg_root / fmt
    if current.exists():
        os.replace(current, stale)
    os.replace(fresh, current)
    shutil.rmtree(stale, ignore_errors=True)
