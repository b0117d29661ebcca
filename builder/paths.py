"""Safe resolution of paths that authors write inside course files."""
from __future__ import annotations

import os
import re
from pathlib import Path

from builder.errors import Location, Problem
from builder.file_rules import windows_name_problem

_RELATIVE_HINT = ("paths are relative to the file that names them: from a lesson in lessons/, "
                  "write ../media/picture.svg")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


_WINDOWS_PATH = re.compile(r"^[A-Za-z]:([/\\]|$)")


def is_windows_path(ref: str) -> bool:
    """True for a Windows drive path such as ``C:/Users/me/picture.png``."""
    return bool(_WINDOWS_PATH.match(ref))


def is_external(ref: str) -> bool:
    """True for URLs with a scheme (https:, mailto:) and protocol-relative URLs.

    A Windows drive path (``C:/...``) is not a URL, whatever its first letter.
    """
    return (bool(_SCHEME.match(ref)) and not is_windows_path(ref)) or ref.startswith("//")


def resolve_ref(root: Path, base_dir: Path, ref: str, where: Location,
                what: str = "file", root_real: str | None = None) -> tuple[Path | None, Problem | None]:
    """Resolve *ref* (relative to *base_dir*) and make sure it stays inside *root*.

    Args:
        root: the course folder.
        base_dir: the folder of the file that contains the reference.
        ref: the path as written by the author (no query or fragment).
        where: where the reference was written, for the problem.
        what: a word for the kind of file, used in messages.
        root_real: ``os.path.realpath(root)`` when the caller already has it.

    Returns:
        ``(path, None)`` for an existing file inside the course; ``(None, problem)`` otherwise.
    """
    if is_windows_path(ref):
        return None, Problem(where, f"{what} path '{ref}' is an absolute Windows path (a drive letter); "
                             "it only exists on your computer", hint=_RELATIVE_HINT)
    if "\\" in ref:
        return None, Problem(where, f"{what} path '{ref}' uses '\\'", hint="use '/' between folder names")
    if ref.startswith("/"):
        return None, Problem(where, f"{what} path '{ref}' is absolute", hint=_RELATIVE_HINT)
    # os.path.realpath on strings: Path.resolve() costs several times more, and a course
    # resolves a path for every lesson, quiz, image and link.
    root_real = root_real or os.path.realpath(root)
    candidate = base_dir / ref
    real_text = os.path.realpath(candidate)
    if real_text != root_real and not real_text.startswith(root_real.rstrip(os.sep) + os.sep):
        return None, Problem(where, f"{what} path '{ref}' leaves the course folder",
                             hint="keep every file inside the course folder (a symlink must point inside it too)")
    real = Path(real_text)
    if not os.path.isfile(real_text):
        hint = None
        if candidate.parent.is_dir():
            import difflib
            names = [p.name for p in candidate.parent.iterdir() if p.is_file()]
            close = difflib.get_close_matches(candidate.name, names, n=1)
            if close:
                hint = f"did you mean '{close[0]}'?"
        return None, Problem(where, f"{what} '{ref}' not found", hint=hint or "check the file name and folder; "
                             "paths are relative to the file that names them")
    unsafe = windows_name_problem(real.relative_to(root_real).as_posix())
    if unsafe:
        return None, Problem(where, f"{what} '{ref}': {unsafe}",
                             hint="rename the file (letters, digits, '-', '_' and '.' are safe everywhere)")
    return real, None


def course_relative(root: Path, path: Path) -> str:
    """The POSIX path of *path* relative to the course folder *root*."""
    return path.resolve().relative_to(root.resolve()).as_posix()


_JUNK_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep"}


def is_junk(rel: str) -> bool:
    """True for OS and editor litter that must never reach a package."""
    parts = rel.split("/")
    name = parts[-1]
    return (name in _JUNK_NAMES or name.endswith(("~", ".swp", ".swo", ".tmp", ".bak"))
            or name.startswith((".#", "#", "._")) or "__MACOSX" in parts
            or any(p.startswith(".") for p in parts))
