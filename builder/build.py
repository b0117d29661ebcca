"""Build orchestration: check → render → manifest → zip, for every requested format.

Everything for every format is rendered and checked in memory before the first byte is
written, and the zips are staged in a temporary folder inside the output folder and only
then renamed into place. A build that fails, for any reason, leaves the output folder as
it was.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import meta

from builder import package
from builder.check import check_and_prepare
from builder.course import Course
from builder.errors import ConfigError, ContentError, PackageError, Problem
from builder.manifest import MANIFEST_NAME, build_manifest
from builder.paths import is_junk
from builder.render import CourseContent, Page, Renderer
from builder.scorm import ScormVersion, get_version

log = logging.getLogger(__name__)

SITE_MARKER = ".builder-site"
"""Marks a folder written by :func:`build_site`; only such a folder gets stale files removed."""


@dataclass(frozen=True)
class PackageResult:
    """One package written by a build."""

    path: Path
    format: str
    size: int


@dataclass
class BuildResult:
    """What :func:`build_course` did."""

    course: Course
    packages: list[PackageResult] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    elapsed: float = 0.0


@dataclass
class SiteResult:
    """What :func:`build_site` did."""

    course: Course
    out_dir: Path
    files: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    elapsed: float = 0.0


def package_name(course: Course, fmt: str) -> str:
    """Return the zip name of a course in one format: ``<slug>-<version>-<format>.zip``.

    Args:
        course: the course.
        fmt: ``scorm12`` or ``scorm2004``.

    Returns:
        The file name; characters that are awkward in file names become ``-``.
    """
    version = re.sub(r"[^A-Za-z0-9._+-]", "-", course.version)
    return f"{course.slug}-{version}-{fmt}.zip"


def load_checked(course_dir: Path, strict: bool = False) -> tuple[Course, Renderer, list[Problem]]:
    """Check a course and prepare its renderer, or raise with every problem.

    Args:
        course_dir: the course folder.
        strict: treat warnings as errors.

    Returns:
        ``(course, renderer, warnings)``; every warning has been logged.

    Raises:
        ContentError: the course has errors (or warnings, with *strict*).
    """
    course, content, problems = check_and_prepare(course_dir, parallel=True, render=False)
    if course is None or content is None or any(p.is_error for p in problems):
        raise ContentError(problems)
    for problem in problems:
        # Same "path:line: warning: message" form as 'builder check' (editors parse it).
        log.warning(problem.format(), extra={"located": True})
    if strict and problems:
        raise ContentError(problems)
    return course, PackageRenderer(course, content), problems


class PackageRenderer(Renderer):
    """A :class:`~builder.render.Renderer` that renders each page once for every SCORM version.

    Page templates receive the SCORM version as the ``scorm`` variable. When no template
    of the theme chain reads it, a page is the same for every version, so building both
    formats renders each page once (only ``assets/course.js`` differs, and the base class
    still makes it per version).
    """

    def __init__(self, course: Course, content: CourseContent | None = None) -> None:
        super().__init__(course, content)
        self.version_free = not templates_read(self.env, "scorm")
        self._rendered: dict[tuple[str, str | None], bytes] = {}

    def render_page(self, page: Page, scorm: str | None) -> bytes:
        """Render one page, reusing the output of another version when it cannot differ."""
        key = (page.url, None if self.version_free else scorm)
        if key not in self._rendered:
            self._rendered[key] = super().render_page(page, scorm)
        return self._rendered[key]


def templates_read(env: jinja2.Environment, name: str) -> bool:
    """Tell whether any template the environment can load reads the variable *name*.

    Args:
        env: a Jinja2 environment with a loader.
        name: a context variable.

    Returns:
        True if a template uses it, or if a template cannot be inspected (the safe answer).
    """
    if env.loader is None:
        return True
    for template in env.list_templates(filter_func=lambda n: n.endswith((".html", ".htm", ".xml", ".j2"))):
        try:
            source = env.loader.get_source(env, template)[0]
            # Parsing is only needed when the name occurs at all (parsing costs ~10 ms a file).
            if name in source and name in meta.find_undeclared_variables(env.parse(source)):
                return True
        except jinja2.TemplateError:
            return True
    return False


def read_schema_files(schemas: Path, version: ScormVersion) -> dict[str, bytes]:
    """Read the XML control files (XSD/DTD) of one SCORM version from a schema folder.

    Args:
        schemas: a folder holding ``scorm12/`` and ``scorm2004_4th/`` (the layout of the
            shared scorm-schemas folder).
        version: the version whose set is wanted.

    Returns:
        Archive path (relative to the set folder, sub-folders kept) → bytes.

    Raises:
        ConfigError: the set folder is missing or holds no ``.xsd`` file.
    """
    base = schemas / version.schema_set
    files: dict[str, bytes] = {}
    if base.is_dir():
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base).as_posix()
            if path.is_file() and not is_junk(rel):
                files[rel] = path.read_bytes()
    if not any(name.endswith(".xsd") for name in files):
        raise ConfigError(f"{base} holds no XSD files for {version.label}; --schemas needs a "
                          f"folder with {', '.join(sorted({'scorm12', 'scorm2004_4th'}))}/ sub-folders")
    return files


def assemble_package(course: Course, renderer: Renderer, version: ScormVersion,
                     schema_files: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Render one package in memory: the course files, the manifest and any control files.

    Args:
        course: the checked course.
        renderer: its renderer.
        version: the SCORM version.
        schema_files: XSD/DTD files to put at the package root (not listed in the manifest).

    Returns:
        Archive path → bytes, ``imsmanifest.xml`` included.

    Raises:
        PackageError: a course file collides with a control file, or a bad archive path.
        TemplateError: a theme template failed.
    """
    rendered = renderer.render_all(version.runtime)
    for name in rendered:
        package.check_archive_path(name)
    files = package.without_junk(rendered)
    clashes = sorted(set(files) & set(schema_files or {}))
    if clashes:
        raise PackageError(f"the course file '{clashes[0]}' has the name of a schema file; rename it")
    result = dict(schema_files or {})
    result.update(files)
    result[MANIFEST_NAME] = build_manifest(course, files, version.format)
    return result


def build_course(course_dir: Path, formats: tuple[str, ...] | None = None, out: Path = Path("dist"),
                 schemas: Path | None = None, strict: bool = False) -> BuildResult:
    """Build the SCORM packages (and any printed editions) of one course into *out*.

    Args:
        course_dir: the course folder.
        formats: ``scorm12``, ``scorm2004``, ``handbook`` and/or ``workbook`` (PDF
            editions); None means the course's ``packaging.formats``.
        out: the output folder (created if missing).
        schemas: a folder with ``scorm12/`` and ``scorm2004_4th/`` control files to copy
            into each package, or None.
        strict: treat warnings as errors.

    Returns:
        The packages written, the warnings and the time taken.

    Raises:
        ConfigError: an unknown format or a bad schema folder.
        ContentError: the course has errors (nothing is written).
        TemplateError: a template failed (nothing is written).
        PackageError: a package could not be written (the output folder is unchanged).
    """
    started = time.perf_counter()
    # Printed editions (handbook, workbook): builder.printed; the lead moves this into the targets.
    from builder.printed.edition import render_editions, split_formats, write_editions
    formats, editions = split_formats(formats)
    versions = _versions(formats)
    course, renderer, warnings = load_checked(course_dir, strict)
    if formats is None:
        versions = [get_version(f) for f in course.packaging.scorm_formats]
        editions = course.packaging.print_formats
    date_time = package.zip_date_time(course.date)
    planned: list[tuple[ScormVersion, str, dict[str, bytes]]] = []
    for version in versions:
        control = read_schema_files(schemas, version) if schemas is not None else None
        files = assemble_package(course, renderer, version, control)
        planned.append((version, package_name(course, version.format), files))
    pdfs = render_editions(course, renderer.content, editions)  # in memory, before any write
    written = _write_all(planned, out, date_time)
    result = BuildResult(course=course, warnings=warnings)
    for (version, _name, _files), path in zip(planned, written):
        size = path.stat().st_size
        result.packages.append(PackageResult(path=path, format=version.format, size=size))
        log.info("built %s (%s, %s)", _shown(path), version.label, human_size(size))
    for pdf, info in zip(pdfs, write_editions(pdfs, out)):
        result.packages.append(PackageResult(path=info.path, format=pdf.edition, size=info.size))
        log.info("built %s (%s, %d pages, %s)", _shown(info.path), pdf.edition, info.pages, human_size(info.size))
    result.elapsed = time.perf_counter() - started
    return result


def build_site(course_dir: Path, out_dir: Path, scorm: str | None = None,
               strict: bool = False) -> SiteResult:
    """Write the unpacked files of a course (the manifest too, for a SCORM version) to a folder.

    Each file is replaced atomically, so a server reading the folder never sees half a
    file. If the folder was written by an earlier call, files that are no longer part of
    the site are removed; any other folder only gets files added or replaced.

    Args:
        course_dir: the course folder.
        out_dir: the folder to write (created if missing).
        scorm: ``1.2``/``scorm12``, ``2004``/``scorm2004``, or None for a preview build
            without LMS (no manifest).
        strict: treat warnings as errors.

    Returns:
        The files written (archive paths), the warnings and the time taken.

    Raises:
        ConfigError: unknown *scorm* value.
        ContentError: the course has errors (nothing is written).
        TemplateError: a template failed (nothing is written).
        PackageError: a file could not be written.
    """
    started = time.perf_counter()
    version = _version(scorm) if scorm is not None else None
    course, renderer, warnings = load_checked(course_dir, strict)
    if version is not None:
        files = assemble_package(course, renderer, version)
    else:
        files = package.without_junk(renderer.render_all(None))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        owned = (out_dir / SITE_MARKER).is_file()
        for name in sorted(files):
            package.check_archive_path(name)
            package.write_file(out_dir / name, files[name])
        (out_dir / SITE_MARKER).write_bytes(b"")
        if owned:
            package.remove_stale(out_dir, set(files) | {SITE_MARKER})
    except OSError as exc:
        raise PackageError(f"cannot write {out_dir}: {exc.strerror or exc}") from exc
    return SiteResult(course=course, out_dir=out_dir, files=sorted(files), warnings=warnings,
                      elapsed=time.perf_counter() - started)


def human_size(size: int) -> str:
    """Format a byte count for people: ``512 B``, ``12 KB``, ``3.4 MB``.

    Args:
        size: bytes.

    Returns:
        The formatted size.
    """
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _version(name: str) -> ScormVersion:
    try:
        return get_version(name)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _versions(formats: tuple[str, ...] | None) -> list[ScormVersion]:
    if formats is None:
        return []
    versions: list[ScormVersion] = []
    for name in formats:
        version = _version(name)
        if version not in versions:
            versions.append(version)
    return versions


def _write_all(planned: list[tuple[ScormVersion, str, dict[str, bytes]]], out: Path,
               date_time: tuple[int, int, int, int, int, int]) -> list[Path]:
    """Stage every zip in a temporary folder inside *out*, then move them all into place.

    If anything fails, packages already moved are put back as they were and a freshly
    created *out* is removed again.
    """
    created = _first_missing(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackageError(f"cannot create {out}: {exc.strerror or exc}") from exc
    try:
        with tempfile.TemporaryDirectory(prefix=".builder-", dir=out) as tmp:
            staging = Path(tmp)
            staged = _write_staged(planned, staging, date_time)
            return _move_into_place(staged, out, staging)
    except BaseException:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise


def _first_missing(path: Path) -> Path | None:
    """The outermost folder of *path* that does not exist yet (None if it exists)."""
    missing = None
    for folder in [path, *path.absolute().parents]:
        if folder.exists():
            break
        missing = folder
    return missing


def _write_staged(planned: list[tuple[ScormVersion, str, dict[str, bytes]]], staging: Path,
                  date_time: tuple[int, int, int, int, int, int]) -> list[Path]:
    """Write every zip into *staging*, in parallel threads (zlib releases the GIL)."""
    if len(planned) < 2:
        return [package.write_zip(files, staging / name, date_time) for _v, name, files in planned]
    workers = min(len(planned), os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="builder-zip") as pool:
        futures = [pool.submit(package.write_zip, files, staging / name, date_time)
                   for _v, name, files in planned]
        return [future.result() for future in futures]


def _move_into_place(staged: list[Path], out: Path, staging: Path) -> list[Path]:
    done: list[tuple[Path, Path | None]] = []  # (destination, backup of the old file)
    try:
        for source in staged:
            dest = out / source.name
            backup = None
            if dest.exists():
                backup = staging / f"{source.name}.previous"
                os.replace(dest, backup)
            done.append((dest, backup))
            os.replace(source, dest)
    except OSError as exc:
        for dest, backup in reversed(done):
            if backup is not None and backup.exists():
                os.replace(backup, dest)
            elif backup is None:
                dest.unlink(missing_ok=True)
        raise PackageError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return [dest for dest, _backup in done]


def _shown(path: Path) -> str:
    """The path relative to the cwd when it is below it, else as given."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel
