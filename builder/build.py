"""Build orchestration: a :class:`~builder.session.Session`, then every target, then write.

Everything for every target is rendered and checked in memory before the first byte is
written, and the zips (and folders) are staged in a temporary folder inside the output
folder and only then renamed into place. A build that fails, for any reason, leaves the
output folder as it was.
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

from builder import package
from builder.course import Course
from builder.errors import ContentError, PackageError, Problem, StrictError
from builder.render import Renderer
from builder.session import Session
from builder.i18n.build_languages import load_languages
from builder.targets import Target, get_target

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class PackageResult:
    """One package written by a build."""

    path: Path
    format: str
    size: int
    folder: Path | None = None
    """The unpacked copy, for targets that write one (``web``)."""


@dataclass
class BuildResult:
    """What :func:`build_course` did."""

    course: Course
    packages: list[PackageResult] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    elapsed: float = 0.0


@dataclass(frozen=True)
class _Planned:
    """One package rendered in memory, waiting to be written."""

    target: Target
    stem: str
    files: dict[str, bytes]


def package_name(course: Course, fmt: str, suffix: str = ".zip", language: str | None = None) -> str:
    """Return the file name of a course in one format: ``<slug>-<version>-<format>.zip``.

    Args:
        course: the course.
        fmt: a target name (``scorm12``, ``scorm2004``, ``web``).
        suffix: ``.zip``, or ``""`` for the name of an unpacked folder.
        language: the language part of the name instead of the course's language
            (``multilingual`` for the package holding every language).

    Returns:
        The file name; characters that are awkward in file names become ``-``. A course
        with ``translations:`` has the language in it: ``<slug>-<version>-<lang>-<format>.zip``.
    """
    version = re.sub(r"[^A-Za-z0-9._+-]", "-", course.version)
    if course.translations or language:  # one set per language: the language is part of every name
        return f"{course.slug}-{version}-{language or course.language}-{fmt}{suffix}"
    return f"{course.slug}-{version}-{fmt}{suffix}"


def load_checked(course_dir: Path, strict: bool = False, parallel: bool = True, language: str | None = None,
                 incomplete: str = "error") -> tuple[Course, Renderer, list[Problem]]:
    """Run the checking stages of a session, or raise with every problem.

    Args:
        course_dir: the course folder.
        strict: treat warnings as errors.
        parallel: convert a big course in worker processes.
        language: a language of the course's ``translations:`` (None: the source).
        incomplete: ``error`` (a missing translation fails) or ``allow`` (the source text
            is used, marked with its language).

    Returns:
        ``(course, renderer, warnings)``; every warning has been logged.

    Raises:
        ContentError: the course has errors (or warnings, with *strict*).
    """
    session = Session(course_dir, parallel=parallel, language=language, incomplete=incomplete)
    session.run()
    problems = session.problems
    if not session.ok or session.renderer is None or session.course is None:
        raise ContentError(problems, subject=str(course_dir))
    for problem in problems:
        # Same "path:line: warning: message" form as 'builder check' (editors parse it).
        log.warning(problem.format(), extra={"located": True})
    if strict and problems:
        raise StrictError(problems, str(course_dir))  # the warnings are shown once, above
    return session.course, session.renderer, problems


def build_course(course_dir: Path, formats: tuple[str, ...] | None = None, out: Path = Path("dist"),
                 schemas: Path | None = None, strict: bool = False, languages: tuple[str, ...] | None = None,
                 allow_incomplete: bool = False) -> BuildResult:
    """Build the packages of one course into *out*.

    Args:
        course_dir: the course folder.
        formats: target names (see :data:`builder.targets.TARGETS`); None means the
            course's ``packaging.formats``.
        out: the output folder (created if missing).
        schemas: a folder with ``scorm12/`` and ``scorm2004_4th/`` control files to copy
            into each SCORM package, or None.
        strict: treat warnings as errors.
        languages: the languages to build (the source and those of ``translations:``);
            None builds every one.
        allow_incomplete: use the source text where a translation is missing or fuzzy,
            instead of failing.

    Returns:
        The packages written (every language's), the warnings and the time taken.

    Raises:
        ConfigError: an unknown format or a bad schema folder.
        ContentError: the course has errors (nothing is written).
        TemplateError: a template failed (nothing is written).
        PackageError: a package could not be written (the output folder is unchanged).
    """
    started = time.perf_counter()
    _targets(formats or ())  # an unknown format fails before any work
    loaded = load_languages(course_dir, languages, strict, "allow" if allow_incomplete else "error")
    course, _, warnings = loaded[0]
    planned = []
    for each, renderer, _ in loaded:
        targets = _targets(formats if formats is not None else each.packaging.formats)
        planned += [_Planned(t, package_name(each, t.name, ""), t.assemble(renderer, schemas)) for t in targets]
    if course.packaging.multilingual and course.translations and languages is None:
        planned += _multilingual(course, [renderer for _, renderer, _ in loaded], formats, schemas)
    written = _write_all(planned, out, package.zip_date_time(course.date))
    result = BuildResult(course=course, warnings=[w for _, _, found in loaded for w in found])
    for item, (path, folder) in zip(planned, written):
        size = path.stat().st_size
        result.packages.append(PackageResult(path=path, format=item.target.name, size=size, folder=folder))
        log.info("built %s (%s, %s)%s", _shown(path), item.target.label, human_size(size),
                 f" and {_shown(folder)}/" if folder else "")
    result.elapsed = time.perf_counter() - started
    return result


def _multilingual(course: Course, renderers: list[Renderer], formats: tuple[str, ...] | None,
                  schemas: Path | None) -> list[_Planned]:
    """The multilingual package of each SCORM target (``packaging: multilingual: true``)."""
    from builder.multilingual import MULTILINGUAL, assemble
    from builder.targets import ScormTarget

    planned = []
    for target in _targets(formats if formats is not None else course.packaging.formats):
        if isinstance(target, ScormTarget):
            planned.append(_Planned(target, package_name(course, target.name, "", MULTILINGUAL),
                                    assemble(renderers, target, schemas)))
    return planned


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


def _targets(names: tuple[str, ...]) -> list[Target]:
    """The targets named, each once, in the order given."""
    found: list[Target] = []
    for name in names:
        target = get_target(name)
        if target not in found:
            found.append(target)
    return found


def _write_all(planned: list[_Planned], out: Path,
               date_time: tuple[int, int, int, int, int, int]) -> list[tuple[Path, Path | None]]:
    """Stage every zip (and folder) in a temporary folder inside *out*, then move them into place.

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
            moved = _move_into_place([p for pair in staged for p in pair if p is not None], out, staging)
            places = iter(moved)
            return [(next(places), next(places) if folder is not None else None) for _zip, folder in staged]
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


def _write_staged(planned: list[_Planned], staging: Path,
                  date_time: tuple[int, int, int, int, int, int]) -> list[tuple[Path, Path | None]]:
    """Write every zip (and folder) into *staging*, in parallel threads (zlib releases the GIL)."""
    def one(item: _Planned) -> tuple[Path, Path | None]:
        if item.target.suffix == ".pdf":
            (data,) = item.files.values()
            dest = staging / f"{item.stem}.pdf"
            package.write_file(dest, data)
            return dest, None
        dest = staging / f"{item.stem}.zip"
        if item.target.scorm is not None:
            zipped = package.write_zip(item.files, dest, date_time)
        else:
            zipped = package.write_zip(item.files, dest, date_time, manifest=False)
        folder = None
        if item.target.folder:
            folder = staging / item.stem
            package.write_folder(item.files, folder)
        return zipped, folder

    if len(planned) < 2:
        return [one(item) for item in planned]
    workers = min(len(planned), os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="builder-zip") as pool:
        return list(pool.map(one, planned))


def _move_into_place(staged: list[Path], out: Path, staging: Path) -> list[Path]:
    done: list[tuple[Path, Path | None]] = []  # (destination, backup of the old file)
    try:
        for source in staged:
            dest = out / source.name
            backup = None
            if dest.exists() or dest.is_symlink():
                backup = staging / f"{source.name}.previous"
                os.replace(dest, backup)
            done.append((dest, backup))
            os.replace(source, dest)
    except OSError as exc:
        for dest, backup in reversed(done):
            if backup is not None and backup.exists():
                if dest.is_dir() and not dest.is_symlink():
                    shutil.rmtree(dest, ignore_errors=True)
                os.replace(backup, dest)
            elif backup is None and dest.is_dir():
                shutil.rmtree(dest, ignore_errors=True)
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
