"""Localised media: ``locales/<lang>/<path>`` replaces the course file ``<path>`` in that language.

A figure with words in it (an SVG diagram, a cover) is translated by drawing a copy:
``locales/fr/media/cycle.svg`` stands in for ``media/cycle.svg`` in every French output
(packages, web site, printed editions, preview). The archive path stays the source's, so
lessons, quizzes and ``theme:`` keep pointing at ``media/cycle.svg`` in every language.
Catalogs (``*.po``) are not media; everything else in a language folder is.
"""
from __future__ import annotations

from pathlib import Path

from builder.errors import Location, Problem
from builder.i18n.catalogs import LOCALES, TEMPLATES
from builder.paths import is_junk

MEDIA_DIR = "media"
"""The course folder whose files ``translate status`` lists when a language has no copy."""


def localized_files(root: Path, language: str, files: dict[str, Path]) -> dict[str, Path]:
    """*files* (archive path → file) with each file that has a copy in *language* replaced by it.

    Only course files are replaced (those at ``root/<archive path>``), never theme files.
    """
    folder = root / LOCALES / language
    if not folder.is_dir():
        return files
    out = dict(files)
    for rel, path in files.items():
        copy = folder / rel
        if path == root / rel and copy.is_file():
            out[rel] = copy
    return out


def media_copies(root: Path, language: str) -> list[str]:
    """The paths (relative to the course folder) of *language*'s localised files, sorted."""
    folder = root / LOCALES / language
    if not folder.is_dir():
        return []
    return sorted(rel for path in folder.rglob("*") if path.is_file()
                  and not is_junk(rel := path.relative_to(folder).as_posix())
                  and not (path.parent == folder and path.suffix in (".po", ".pot")))


def orphan_media(root: Path, languages: tuple[str, ...]) -> list[Problem]:
    """Errors for localised files whose source counterpart does not exist in the course."""
    problems = []
    for language in languages:
        for rel in media_copies(root, language):
            if not (root / rel).is_file():
                problems.append(Problem(Location(root / LOCALES / language / rel),
                                        f"a localised file with no source counterpart: the course has no '{rel}'",
                                        f"name it after a course file (locales/{language}/media/x.svg "
                                        "replaces media/x.svg), or delete it"))
    return problems


def media_without_copy(root: Path, language: str) -> list[str]:
    """The files of the course's ``media/`` folder that have no copy in *language* (sorted).

    Information for translators, not a problem: a photo or a figure without words needs none.
    """
    folder = root / MEDIA_DIR
    if not folder.is_dir() or language == TEMPLATES:
        return []
    have = set(media_copies(root, language))
    return sorted(rel for path in folder.rglob("*") if path.is_file()
                  and not is_junk(rel := path.relative_to(root).as_posix()) and rel not in have)
