"""The catalog cache: a second read reuses the checked catalogs; any change to a file is read again."""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.i18n import checks
from builder.i18n.checks import load_translations
from tests.i18n_helpers import copy_bilingual, set_translation


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    real = checks.read_catalog

    def counting(path: Path, data: bytes | None = None) -> object:
        reads.append(path)
        return real(path, data)

    monkeypatch.setattr(checks, "read_catalog", counting)
    return reads


def test_a_second_load_reads_no_catalog_and_a_changed_one_is_read_again(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUILDER_CACHE_DIR", str(tmp_path / "cache"))
    course = copy_bilingual(tmp_path)
    reads = _count_reads(monkeypatch)
    first, problems = load_translations(course, "fr")
    assert len(reads) == 3 and not problems
    reads.clear()
    second, _ = load_translations(course, "fr")
    assert reads == [] and second == first
    po = course / "locales" / "fr" / "02-saving.po"
    line = set_translation(po, "Everyone can save water.", "Chacun peut [économiser](http://x.example) l'eau.")
    third, problems = load_translations(course, "fr")
    assert reads == [po]
    assert third.entries[("lessons/02-saving.md:p", "Everyone can save water.")].text.startswith("Chacun peut")
    assert [(p.location.path, p.location.line) for p in problems] == [(po, line)]  # the check ran on the new text
    reads.clear()
    assert load_translations(course, "fr")[1] == problems and reads == []  # its problem is kept too


def test_the_cache_can_be_turned_off_and_a_broken_cache_file_is_ignored(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    course = copy_bilingual(tmp_path)
    reads = _count_reads(monkeypatch)
    monkeypatch.setenv("BUILDER_CACHE_DIR", "off")
    load_translations(course, "fr")
    load_translations(course, "fr")
    assert len(reads) == 6 and not (tmp_path / "cache").exists()
    monkeypatch.setenv("BUILDER_CACHE_DIR", str(tmp_path / "cache"))
    load_translations(course, "fr")
    for stored in (tmp_path / "cache" / "catalogs").iterdir():
        stored.write_bytes(b"not a pickle")
    reads.clear()
    found, problems = load_translations(course, "fr")
    assert len(reads) == 3 and not problems and found.entries
