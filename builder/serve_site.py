"""Live preview builds: one course rendered into a temporary folder, rebuilt on change.

A :class:`PreviewSite` keeps a :class:`~builder.session.Session` (the same stages as
``builder build`` and ``builder check``, with stage caches), so that saving one lesson
converts and re-renders one page instead of the whole course, and the preview reports
exactly the problems ``builder check`` prints (a render that fails on a template runs the
check's render of every page, so template errors read as in ``check``). Changes that alter the course's shape
(titles, order, ``course.yml``, templates) re-render everything. A broken course keeps the
last good files on disk. Every package is made by its target, as ``builder build`` makes it.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from builder import package
from builder.convert import CourseContent
from builder.course import Course
from builder.check import render_problems
from builder.errors import BuilderError, TemplateError, sort_problems
from builder.manifest import MANIFEST_NAME, build_manifest
from builder.render import Renderer, course_script
from builder.session import Change, Session
from builder.targets import PREVIEW_FORMATS, Target, get_target

log = logging.getLogger(__name__)

FORMATS = PREVIEW_FORMATS
"""Preview formats (the SCORM targets, and ``none``: the web target, no LMS) → target name."""


@dataclass
class BuildReport:
    """The outcome of the latest build of a course."""

    ok: bool = False
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    kind: str = "none"  # "full", "partial", "media" or "none"


class PreviewSite:
    """The preview build of one course folder inside *work_dir*/:func:`site_folder`/."""

    def __init__(self, course_dir: Path, work_dir: Path, language: str | None = None,
                 slug: str | None = None) -> None:
        """Args:
            course_dir: the course folder.
            work_dir: the temporary build area.
            language: the language previewed (a translation), or None for the source.
            slug: the name in the site's URLs (default: the course folder's name); a
                translation previewed beside the source has ``<slug>~<lang>``.
        """
        self.course_dir = course_dir.resolve()
        self.slug = slug or self.course_dir.name
        self.language = language
        self.root = work_dir / (site_folder(self.course_dir) + (f"~{language}" if slug else ""))
        self.pkg_root = self.root / "pkg"
        self.lock = threading.RLock()
        self.active: set[str] = set()
        self.report = BuildReport()
        # One language (default: the source); missing translations are warnings, as in check.
        self.session = Session(self.course_dir, language=language, incomplete="warning")
        self._pending: set[Path] | None = None  # changes not yet built (None: all)
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
        from builder.serve_units import state_file

        return state_file(self.root, fmt, None)

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
            try:
                self.report = self._build(changed)
            except BuilderError as exc:
                self.report = BuildReport(ok=False, problems=exc.format_message().splitlines())
            except Exception as exc:  # a bug must not stop the server: show it on the page
                log.exception("preview build of %s failed", self.slug)
                self.report = BuildReport(ok=False, problems=[f"internal error: {exc!r}"])
            self.report.seconds = time.perf_counter() - start
            return self.report

    def _build(self, changed: set[Path] | None) -> BuildReport:
        """Run the session (as ``builder check`` does), then write what changed."""
        session = self.session
        # While the course is broken, changes pile up: the files on disk are those of the
        # last good build, and the next good build must cover every change since.
        if changed is None or self._pending is None:
            self._pending = None
        else:
            self._pending |= changed
        change = session.run(self._pending)
        problems = [p.format() for p in session.problems]
        if not session.ok:
            if self._pending is not None and session.content is None:
                self._pending = None  # nothing good yet: the next build starts afresh
            return BuildReport(ok=False, problems=problems)
        self._pending = set()
        assert session.course is not None
        self.title = session.course.title
        kind = "full" if change.full or not self.files else "partial" if change.pages else "media"
        try:
            if kind == "full":
                self._write_full(self.active)
            else:
                self._write_changes(change)
        except TemplateError as exc:
            # Report the template errors as 'builder check' does: each once, with every page it broke.
            self._pending = None  # the files on disk may be those of an older build: redo everything
            assert session.renderer is not None
            found = sort_problems(session.problems + render_problems(session.renderer))
            lines = [p.format() for p in found]
            if not any(p.is_error for p in found):  # a failure the check's renders did not meet
                lines += exc.format_message().splitlines()
            return BuildReport(ok=False, problems=lines)
        return BuildReport(ok=True, problems=problems, kind=kind)

    @property
    def course(self) -> Course | None:
        """The course of the latest good build."""
        return self.session.course

    @property
    def content(self) -> CourseContent | None:
        """The converted course of the latest good build."""
        return self.session.content

    @property
    def renderer(self) -> Renderer | None:
        """The renderer of the latest good build."""
        return self.session.renderer

    def _write_full(self, formats: set[str]) -> None:
        renderer = self.session.renderer
        assert renderer is not None
        for fmt in sorted(formats):
            files = get_target(FORMATS[fmt]).assemble(renderer)
            _swap_in(self.pkg_root, fmt, files)
            self.files[fmt] = set(files)

    def _write_changes(self, change: Change) -> None:
        """Write the changed pages and files (and course.js, and a manifest for new files)."""
        renderer = self.session.renderer
        assert renderer is not None
        pages = [p for p in renderer.pages if p.url in change.pages]
        course_files = renderer.course_files()
        for fmt in sorted(self.active):
            target: Target = get_target(FORMATS[fmt])
            out = {p.url: renderer.render_page(p, target.scorm) for p in pages}
            out["assets/course.js"] = course_script(renderer.course, renderer.content.plan, target.scorm, target.adapter,
                                               renderer.labels)
            out.update({rel: course_files[rel] for rel in change.files})
            out = package.without_junk(out)
            names = self.files.setdefault(fmt, set()) | set(out)
            if target.scorm is not None and not names <= self.files[fmt]:
                units = renderer.content.plan.units
                out[MANIFEST_NAME] = build_manifest(renderer.course, names - {MANIFEST_NAME}, target.name,
                                                    units[0].launch, units=units)
                names.add(MANIFEST_NAME)
            self.files[fmt] = names
            package.write_folder(out, self.pkg_root / fmt)

    # ----------------------------------------------------------------- LMS data
    def launch_info(self, fmt: str) -> dict[str, Any]:
        """What the LMS takes from the manifest: mastery score, thresholds, launch data."""
        manifest = self.package_dir(fmt) / MANIFEST_NAME
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


def _swap_in(pkg_root: Path, fmt: str, files: dict[str, bytes]) -> None:
    """Write a complete package next to the current one, then swap the two folders."""
    pkg_root.mkdir(parents=True, exist_ok=True)
    fresh = pkg_root / f".{fmt}.new"
    stale = pkg_root / f".{fmt}.old"
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    package.write_folder(files, fresh)
    current = pkg_root / fmt
    if current.exists():
        os.replace(current, stale)
    os.replace(fresh, current)
    shutil.rmtree(stale, ignore_errors=True)
