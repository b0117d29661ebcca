"""Interface labels (``strings.yml``): every course language has every label, or check fails."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from builder.build import build_course
from builder.cli import cli
from builder.errors import ContentError
from builder.labels import read_strings
from builder.theme import default_theme_dir
from tests.test_check import edit, find, line_no, problems_of

THEME_STRINGS = default_theme_dir() / "strings.yml"
BUILT_IN = ("en", "fr", "es", "ar")


def theme_labels() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(THEME_STRINGS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("language", BUILT_IN)
def test_built_in_languages_have_every_label_with_the_same_placeholders(language: str) -> None:
    data = theme_labels()
    english, labels = data["en"], data[language]
    assert set(labels) == set(english)
    for key, text in english.items():
        # "{n}", "{total}" ... are filled in by templates and the runtime: a translation keeps them all
        # (a plural form may spell the number out, as Arabic does for one and two: it keeps no more)
        source = text["other"] if isinstance(text, dict) else text
        forms = labels[key] if isinstance(labels[key], dict) else {"other": labels[key]}
        assert isinstance(text, dict) == isinstance(labels[key], dict), key
        assert sorted(re.findall(r"\{\w+\}", forms["other"])) == sorted(re.findall(r"\{\w+\}", source)), key
        for form in forms.values():
            assert set(re.findall(r"\{\w+\}", form)) <= set(re.findall(r"\{\w+\}", source)), key
            assert form.strip(), key
    _labels, problems, covered = read_strings([default_theme_dir()], language)
    assert covered and problems == []


def test_arabic_labels_are_arabic() -> None:
    """No label of the Arabic section is English left untranslated (Latin letters)."""
    texts = {f"{k}.{form}": text for k, v in theme_labels()["ar"].items()
             for form, text in (v.items() if isinstance(v, dict) else [("", v)])}
    latin = {k: v for k, v in texts.items() if re.search(r"[A-Za-z]", re.sub(r"\{\w+\}", "", v))}
    assert latin == {}


def test_language_without_labels_is_an_error_at_the_language_line(starter: Path) -> None:
    course_yml = starter / "course.yml"
    edit(course_yml, "language: en", "language: sw")
    p = find(problems_of(starter), course_yml, line_no(course_yml, "language: sw"),
             "no interface labels for language 'sw'")
    assert p.is_error and p.rule == "no-ui-labels" and str(THEME_STRINGS) in p.message
    with pytest.raises(ContentError):
        build_course(starter, out=starter.parent / "dist")
    assert not (starter.parent / "dist").exists()
    result = CliRunner().invoke(cli, ["check", str(starter)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{course_yml}:{line_no(course_yml, 'language: sw')}: error[no-ui-labels]:" in result.output


def test_missing_labels_are_named_at_their_section(starter: Path) -> None:
    course_yml = starter / "course.yml"
    edit(course_yml, "language: en", "language: sw")
    strings = starter / "templates/strings.yml"
    strings.parent.mkdir(exist_ok=True)
    english = theme_labels()["en"]
    lines = [f"  {key}: " + (json.dumps(text) if isinstance(text, dict) else f"'{text.replace(chr(39), chr(39) * 2)}'")
             for key, text in english.items() if key not in ("next", "check")]
    strings.write_text("# Kiswahili\nsw:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    p = find(problems_of(starter), strings, 2, "lack 2 of the English ones: check, next")
    assert p.is_error and "strings.yml" in (p.hint or "")
    edit(strings, "sw:\n", "sw:\n  next: Endelea\n  check: Angalia majibu\n")
    assert [q for q in problems_of(starter) if q.rule == "no-ui-labels"] == []


def test_a_regional_tag_uses_its_base_language(starter: Path) -> None:
    course_yml = starter / "course.yml"
    text = course_yml.read_text(encoding="utf-8")
    for tag in ("es-419", "ar-EG", "fr-CA", "en-GB"):
        course_yml.write_text(text.replace("language: en", f"language: {tag}"), encoding="utf-8")
        assert [q for q in problems_of(starter) if q.rule == "no-ui-labels"] == [], tag


def test_a_label_the_course_adds_in_english_is_needed_in_the_course_language(starter: Path) -> None:
    """A course's own template may use a label of its own: the course language needs it too."""
    course_yml = starter / "course.yml"
    edit(course_yml, "language: en", "language: fr")
    strings = starter / "templates/strings.yml"
    strings.parent.mkdir(exist_ok=True)
    strings.write_text("en:\n  trainer: Ask your trainer\n", encoding="utf-8")
    fr_line = line_no(THEME_STRINGS, "fr:")
    find(problems_of(starter), THEME_STRINGS, fr_line, "lack 1 of the English ones: trainer")
    strings.write_text("en:\n  trainer: Ask your trainer\nfr:\n  trainer: Demandez à votre formateur\n",
                       encoding="utf-8")
    assert [q for q in problems_of(starter) if q.rule == "no-ui-labels"] == []
