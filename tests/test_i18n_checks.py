"""Checks on translations and catalogs, each reported at the PO file and line, exit 1, no traceback."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import cli
from tests.i18n_helpers import copy_bilingual, line_of_entry, set_translation

LESSON_PO = "locales/fr/01-sources.po"
RIVER = "Most of the water comes from the river.[^1] It is cleaned at the `plant-2` station before it reaches the houses."
LINK = "See [how to save water](02-saving.md#at-home)."


def _build(course: Path, tmp_path: Path) -> str:
    out = tmp_path / "dist"
    done = CliRunner().invoke(cli, ["build", str(course), "-o", str(out)])
    assert done.exit_code == 1, done.output
    assert "Traceback" not in done.output and not out.exists()
    return done.output


def _shown(path: Path) -> str:
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


@pytest.mark.parametrize(("source", "translation", "message"), [
    (LINK, "Voir comment économiser l'eau.", "the translation drops the link to 02-saving.md#at-home"),
    (LINK, "Voir [comment économiser l'eau](02-saving.md).",
     "the translation drops the link to 02-saving.md#at-home"),
    (RIVER, "La plus grande partie de l'eau vient de la rivière. Elle est traitée à la station `plant-2`.",
     "the translation drops the footnote reference [^1]"),
    (RIVER, "La plus grande partie de l'eau vient de la rivière.[^1] Elle est traitée à la station `usine-2`.",
     "the translation changes or drops the code `plant-2`"),
    ("The town takes its water from **two sources**: the river and the wells.",
     "La ville puise son eau à **deux sources : la rivière et les puits.",
     "unbalanced emphasis: an odd number of '**' in the translation"),
    ("A drop of water", "Une goutte ![x](../media/dot.png)", "the translation adds the picture ../media/dot.png"),
])
def test_a_translation_that_loses_markup_fails_at_its_line(tmp_path: Path, source: str, translation: str,
                                                           message: str) -> None:
    course = copy_bilingual(tmp_path)
    po = course / LESSON_PO
    line = set_translation(po, source, translation)
    assert f"{_shown(po)}:{line}: error: {message}" in _build(course, tmp_path)


def test_a_fill_in_question_needs_its_own_accepted_answers(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    po = course / "locales" / "fr" / "course.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr ""\n"réservoir\\n"\n"reservoir\\n"\n"barrage-réservoir"', 'msgstr "\\n"')
    po.write_text(text, encoding="utf-8")
    line = line_of_entry(po, "reservoir")  # the entry's first line (its '#.' comment)
    assert f"{_shown(po)}:{line}: error: the translated question accepts no answer" in _build(course, tmp_path)


@pytest.mark.parametrize("shorter", [False, True])
def test_a_problem_inside_a_translated_lesson_is_reported_at_the_catalog_entry(tmp_path: Path,
                                                                               shorter: bool) -> None:
    course = copy_bilingual(tmp_path)
    po = course / LESSON_PO
    if shorter:  # an earlier two-line paragraph becomes one line: later lines move up
        set_translation(po, RIVER, "`plant-2`[^1]")
    line = set_translation(po, "What goes into the river comes back in the tap.",
                           'Ce qui va dans la rivière <script>alert(1)</script> revient au robinet.')
    output = _build(course, tmp_path)
    assert f"{_shown(po)}:{line}: error" in output
    assert "(in the translation of lessons/01-sources.md:23)" in output


@pytest.mark.parametrize(("edit", "line", "message"), [
    (lambda t: t.replace('msgstr "La rivière"', 'msgstr "La rivière'), None, "the catalog is not a valid PO file"),
    (lambda t: t.replace('"Plural-Forms: nplurals=3;', '"Plural-Forms: nplurals=1;'), 15,
     "Plural-Forms says nplurals=1, but 'fr' has 3 plural forms"),
    (lambda t: t.replace('"Language: fr\\n"', '"Language: es\\n"'), 13,
     "the catalog says Language: es, but it is in the folder of 'fr'"),
])
def test_a_broken_catalog_is_an_error_at_its_line(tmp_path: Path, edit: object, line: int | None,
                                                   message: str) -> None:
    course = copy_bilingual(tmp_path)
    po = course / LESSON_PO
    po.write_text(edit(po.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    output = _build(course, tmp_path)
    where = f"{_shown(po)}:{line}" if line else f"{_shown(po)}:"
    assert f"{where}" in output and f"error: {message}" in output
    checked = CliRunner().invoke(cli, ["check", str(course)])
    assert checked.exit_code == 1 and f"error: {message}" in checked.output


def test_catalogs_for_a_language_the_course_does_not_list(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    (course / "locales" / "de").mkdir()
    (course / "locales" / "de" / "course.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    (course / "locales" / "french").mkdir()
    done = CliRunner().invoke(cli, ["check", str(course)])
    assert done.exit_code == 1
    de = _shown(course / "locales" / "de" / "course.po")
    assert f"{de}: error: catalogs for 'de', a language the course does not list" in done.output
    assert "french: error: 'french' is not a language tag (BCP 47)" in done.output
    _build(course, tmp_path)
