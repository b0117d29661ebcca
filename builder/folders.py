"""The one rule for finding course folders, used by every command."""
from __future__ import annotations

from pathlib import Path

from builder.errors import ConfigError

COURSES = Path("courses")
"""Where commands look for courses when none is named, and for a bare course name."""


def find_courses(names: tuple[Path, ...] | list[Path]) -> list[Path]:
    """The course folders that command-line arguments name.

    Each name may be a course folder, its ``course.yml``, a folder of courses (every
    sub-folder with a ``course.yml``), or the bare name of a course in ``./courses/``.
    With no names, every course in ``./courses/``.

    Args:
        names: the arguments as given.

    Returns:
        Course folders, each once, in the order named (sorted within a folder of courses).

    Raises:
        ConfigError: a name leads to no course, or there is no course at all.
    """
    if not names:
        found = sorted(p.parent for p in COURSES.glob("*/course.yml")) if COURSES.is_dir() else []
        if not found:
            raise ConfigError("no course found: give a course folder, or run this in a folder whose "
                              "courses/ holds course folders (create one with 'builder new NAME')")
        return found
    folders: list[Path] = []
    for name in names:
        for folder in _courses_of(name):
            if folder not in folders:
                folders.append(folder)
    return folders


def find_course(name: Path) -> Path:
    """The one course folder *name* leads to (see :func:`find_courses`).

    Raises:
        ConfigError: *name* leads to no course, or to several.
    """
    found = _courses_of(name)
    if len(found) != 1:
        raise ConfigError(f"{name}: a folder of {len(found)} courses; name one course folder")
    return found[0]


def _courses_of(name: Path) -> list[Path]:
    path = name.parent if name.name == "course.yml" else name
    if not path.exists() and len(name.parts) == 1 and (COURSES / name / "course.yml").is_file():
        path = COURSES / name
    if not path.exists():
        raise ConfigError(f"{name}: no such folder (and no such course folder in {COURSES}/)")
    if (path / "course.yml").is_file():
        return [path]
    found = sorted(p.parent for p in path.glob("*/course.yml")) if path.is_dir() else []
    if not found:
        raise ConfigError(f"{name}: not a course folder (no course.yml) nor a folder of courses")
    return found
