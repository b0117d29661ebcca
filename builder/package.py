"""Deterministic, atomic zip packages.

The same files always give the same bytes: ``imsmanifest.xml`` first, then the other
entries sorted by name, one fixed timestamp (``SOURCE_DATE_EPOCH``, else the course date),
fixed permissions, no directory entries and no extra fields. The zip is written to a
temporary file beside the destination and renamed over it, so a failure never leaves a
half-written package, and an existing package stays as it was.

:func:`builder.paths.is_junk` is the one place that decides which files never go into a
package (``.DS_Store``, editor backups, dot folders...): the renderer calls it when it
collects files, and :func:`without_junk` applies it again to everything being zipped.
"""
from __future__ import annotations

import logging
import os
import posixpath
import tempfile
import time
import zipfile
from collections.abc import Mapping
from pathlib import Path

from builder.errors import ConfigError, PackageError
from builder.manifest import MANIFEST_NAME
from builder.file_rules import windows_name_problem
from builder.paths import is_junk

log = logging.getLogger(__name__)

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip entry can carry."""
FILE_MODE = 0o644
_S_IFREG = 0o100000
_UNIX = 3  # "made by" system: external attributes hold Unix mode bits
COMPRESSLEVEL = 6

# Already compressed formats are stored: deflating them again costs time and saves nothing.
STORED_SUFFIXES = frozenset((".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".mp4", ".m4v",
                             ".webm", ".mp3", ".m4a", ".ogg", ".oga", ".ogv", ".opus", ".zip",
                             ".gz", ".woff", ".woff2"))


def without_junk(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Return a copy of *files* without the entries :func:`is_junk` rejects.

    Args:
        files: archive path → content.

    Returns:
        The filtered dict (same order).
    """
    kept = {name: data for name, data in files.items() if not is_junk(name)}
    for name in files.keys() - kept.keys():
        log.debug("left out junk file %s", name)
    return kept


def check_archive_path(path: str) -> None:
    """Reject an archive path that is not a plain relative ``/``-separated file path.

    Args:
        path: the path to check.

    Raises:
        PackageError: empty, absolute, with ``\\``, ``..``, ``.`` or empty components, or a
            name that Windows cannot hold (``aux``, ``a:b``, a trailing dot...).
    """
    parts = path.split("/")
    if (not path or "\\" in path or path.startswith("/") or ":" in parts[0]
            or any(p in ("", ".", "..") for p in parts)):
        raise PackageError(f"'{path}' cannot be a file name inside a package")
    unsafe = windows_name_problem(path)
    if unsafe:
        raise PackageError(f"'{path}' cannot be a file name inside a package: {unsafe}")


def zip_date_time(course_date: str | None = None,
                  environ: Mapping[str, str] | None = None) -> tuple[int, int, int, int, int, int]:
    """Choose the timestamp of every zip entry.

    ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) wins, then the course date
    (``YYYY-MM-DD``, midnight), else 1980-01-01. The result is clamped to the range a zip
    can store (1980–2107) and to even seconds (zip keeps two-second steps).

    Args:
        course_date: the course's ``date`` or None.
        environ: the environment to read (default ``os.environ``).

    Returns:
        ``(year, month, day, hour, minute, second)``.

    Raises:
        ConfigError: ``SOURCE_DATE_EPOCH`` or the date is not valid.
    """
    env = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        try:
            stamp = time.gmtime(int(raw))
        except (ValueError, OverflowError, OSError) as exc:
            raise ConfigError(f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds") from exc
        value = tuple(stamp[:6])
    elif course_date:
        try:
            year, month, day = (int(p) for p in course_date.split("-"))
            time.strptime(course_date, "%Y-%m-%d")
        except ValueError as exc:
            raise ConfigError(f"course date {course_date!r} is not YYYY-MM-DD") from exc
        value = (year, month, day, 0, 0, 0)
    else:
        value = ZIP_EPOCH
    value = max(value, ZIP_EPOCH)
    value = min(value, (2107, 12, 31, 23, 59, 58))
    return (value[0], value[1], value[2], value[3], value[4], value[5] - value[5] % 2)


def entry_order(names: list[str] | set[str] | Mapping[str, bytes]) -> list[str]:
    """Return archive names in package order: the manifest first, then sorted.

    Args:
        names: the archive paths.

    Returns:
        The ordered list.
    """
    return sorted(names, key=lambda n: (n != MANIFEST_NAME, n))


def zip_bytes_info(name: str, date_time: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    """Make the fixed :class:`zipfile.ZipInfo` of one entry (time, mode, method).

    Args:
        name: the archive path.
        date_time: the entry timestamp.

    Returns:
        The ZipInfo to write the entry with.
    """
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.create_system = _UNIX
    info.external_attr = (_S_IFREG | FILE_MODE) << 16
    suffix = posixpath.splitext(name)[1].lower()
    info.compress_type = zipfile.ZIP_STORED if suffix in STORED_SUFFIXES else zipfile.ZIP_DEFLATED
    return info


def write_zip(files: Mapping[str, bytes], dest: Path,
              date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH, manifest: bool = True) -> Path:
    """Write a deterministic zip atomically.

    Args:
        files: archive path → content, including ``imsmanifest.xml`` for a package
            with a manifest. Junk entries (:func:`is_junk`) are left out.
        dest: the zip to create or replace; its folder must exist.
        date_time: the timestamp of every entry (see :func:`zip_date_time`).
        manifest: the zip must hold ``imsmanifest.xml`` (every SCORM package).

    Returns:
        *dest*.

    Raises:
        PackageError: a bad archive path, or the zip could not be written (the previous
            *dest*, if any, is then unchanged and no temporary file is left behind).
    """
    for name in files:
        check_archive_path(name)
    kept = without_junk(files)
    if manifest and MANIFEST_NAME not in kept:
        raise PackageError(f"no {MANIFEST_NAME} to put in {dest.name}")
    date_time = max(tuple(date_time), ZIP_EPOCH)  # type: ignore[assignment]
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    except OSError as exc:
        raise PackageError(f"cannot write in {dest.parent}: {exc.strerror or exc}") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as archive:
                for name in entry_order(kept):
                    archive.writestr(zip_bytes_info(name, date_time), kept[name],
                                     compresslevel=COMPRESSLEVEL)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PackageError(f"cannot write {dest}: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.debug("wrote %s (%d entries)", dest.name, len(kept))  # dest may be a staging folder
    return dest


def write_file(path: Path, data: bytes) -> None:
    """Write one file atomically (temporary file + rename), creating its folder.

    A reader never sees half a file: this is what the preview server relies on.

    Args:
        path: the file to create or replace.
        data: its content.

    Raises:
        OSError: the file could not be written (no temporary file is left behind).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_folder(files: Mapping[str, bytes], dest: Path) -> None:
    """Write the files of a package unpacked into *dest*, each file atomically.

    Args:
        files: archive path → content; paths are checked and junk is left out.
        dest: the folder (created if missing; callers write into a fresh folder and then
            move it into place, so no stale file survives).

    Raises:
        PackageError: a bad archive path.
        OSError: a file could not be written.
    """
    for name in files:
        check_archive_path(name)
    kept = without_junk(files)
    for name in sorted(kept):
        write_file(dest / name, kept[name])
