"""Helpers of the translation tests: the bilingual fixture course and its catalogs."""
from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parent.parent
BILINGUAL = REPO / "tests" / "courses" / "bilingual"


def copy_bilingual(tmp_path: Path) -> Path:
    """A copy of tests/courses/bilingual (English source, complete French catalogs)."""
    dest = tmp_path / "bilingual"
    shutil.copytree(BILINGUAL, dest)
    return dest


def read(path: Path) -> Catalog:
    """A PO file read with Babel."""
    with path.open("rb") as handle:
        return read_po(handle)


def write(path: Path, catalog: Catalog) -> None:
    """Write *catalog* back (as a translator's tool would)."""
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, include_previous=True)


def set_translation(path: Path, source: str, text: str, fuzzy: bool = False) -> int:
    """Change the translation of the message *source* in *path*; return its entry's first line."""
    found = read(path)
    for message in found:
        if message.id == source:
            message.string = text
            message.flags = {"fuzzy"} if fuzzy else set()
    write(path, found)
    return line_of_entry(path, source)


def line_of_msgid(path: Path, source: str) -> int:
    """The line of ``msgid "<source>"`` in *path* (what a problem must name)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if line == f'msgid "{source}"')


def line_of_entry(path: Path, source: str) -> int:
    """The first line of the entry of *source* in *path* (its ``#.`` comment: what a problem must name)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    line = line_of_msgid(path, source)
    while line > 1 and lines[line - 2].startswith(("#", "msgctxt")):
        line -= 1
    return line
