"""Translating interactive blocks: only words are messages; options and positions stay.

A hotspot's ``(x%, y%)`` and the ``required`` option of a ``:::`` line are not words: they
are left out of the messages (so a list that became hotspots keeps its translations) and
taken from the source when a translation is put in, whatever the translation says.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from builder.build import build_course
from builder.i18n.catalogs import extract
from builder.i18n.segment import read_title, replace_segments, segment_markdown
from builder.interactive import split_args
from tests.i18n_helpers import copy_bilingual, read, set_translation

HOTSPOTS = """::: hotspots required "Where the water goes"
![A drop of water](../media/dot.png)

1. (11.4%, 9.3%) **Assess.** Gather the data that exists and build a short
   local migration profile.
2. ( 31% ,35%) Town hall: registration and housing support.
:::

1. (5%, 5%) An ordinary list item keeps its brackets.
"""


def test_a_hotspot_message_is_its_text_without_the_position() -> None:
    found = [(s.kind, s.text) for s in segment_markdown(HOTSPOTS)]
    assert found == [
        ("title", "Where the water goes"),
        ("alt", "A drop of water"),
        # the same message as the numbered list had before it became hotspots
        ("item", "**Assess.** Gather the data that exists and build a short local migration profile."),
        ("item", "Town hall: registration and housing support."),
        ("item", "(5%, 5%) An ordinary list item keeps its brackets."),
    ]


def test_a_translated_hotspot_keeps_the_source_position() -> None:
    segments = segment_markdown(HOTSPOTS)
    french = {"**Assess.** Gather the data that exists and build a short local migration profile.":
              "(90%, 90%) **Analyser.** Rassembler les données existantes et\nétablir un profil.",
              "Town hall: registration and housing support.": "Mairie : enregistrement."}
    done = replace_segments(HOTSPOTS, [(s, french.get(s.text, s.text)) for s in segments]).split("\n")
    assert done[3] == "1. (11.4%, 9.3%) (90%, 90%) **Analyser.** Rassembler les données existantes et"
    assert done[4] == "   établir un profil."
    assert done[5] == "2. ( 31% ,35%) Mairie : enregistrement."


@pytest.mark.parametrize(("line", "title"), [
    ("::: tabs required", None),
    ("::: tabs required Levels of government", "Levels of government"),
    ('::: card required "Sex and gender"', "Sex and gender"),
    ("::: card Sex and gender", "Sex and gender"),
    ("::: accordion\trequired 'Questions'", "Questions"),
    ("::: steps requirements", "requirements"),  # a word that only starts like the option
    ("::: note required reading", "required reading"),  # callouts have no options
])
def test_the_options_of_a_block_line_are_not_in_its_title(line: str, title: str | None) -> None:
    found = [(s.kind, s.text) for s in segment_markdown(line + "\nText.\n:::\n")]
    assert found == ([("title", title)] if title else []) + [("p", "Text.")]


@pytest.mark.parametrize(("line", "translation", "expected"), [
    ("::: tabs required Levels", "Niveaux", "::: tabs required Niveaux"),
    ('::: card required "Sex and gender"', "Sexe et genre", '::: card required "Sexe et genre"'),
    # a bare translation that would read as the option, or lose quotes of its own, is quoted
    ("::: card Reading list", "required lectures", '::: card "required lectures"'),
    ("::: card Reading list", '"Lire" et "écrire"', '::: card ""Lire" et "écrire""'),
    ('::: tabs required "Levels"', 'Les "niveaux"', '::: tabs required Les "niveaux"'),
    ('::: tabs required "Levels"', '"A" ou "B"', '::: tabs required ""A" ou "B""'),
    ("::: tabs required Levels", "required", "::: tabs required required"),
    ('> ::: note "Levels"', 'Les "niveaux"', '> ::: note Les "niveaux"'),
])
def test_a_translated_title_cannot_drop_or_alter_the_options(line: str, translation: str, expected: str) -> None:
    text = line + "\nText.\n:::"
    segment = next(s for s in segment_markdown(text) if s.kind == "title")
    done = replace_segments(text, [(segment, translation)]).split("\n")[0]
    assert done == expected
    source, translated = read_title(line.lstrip("> ")), read_title(done.lstrip("> "))
    assert source is not None and translated == (source[0], translation)
    if "tabs" in line or "card" in line:  # as the block itself reads its line
        assert split_args(done.split(None, 2)[2]) == translated


LESSON_BLOCKS = """
::: accordion
### Rain water
Roofs collect it.

### Grey water
Sinks give it.
:::

::: tabs required
### River
The main source.

### Wells
The rest.
:::

::: hotspots
![A drop of water](../media/dot.png)

1. (20%, 30%) **Tap.** Where water comes out.
2. (70.5%, 80%) **Drain.** Where it goes.
:::
"""
FRENCH = {"Rain water": "Eau de pluie", "Roofs collect it.": "Les toits la recueillent.",
          "Grey water": "Eaux grises", "Sinks give it.": "Les éviers les produisent.",
          "River": "required", "The main source.": "La source principale.", "Wells": "Puits",
          "The rest.": "Le reste.", "**Tap.** Where water comes out.": "**Robinet.** Là où l'eau sort.",
          "**Drain.** Where it goes.": "**Évacuation.** Là où elle part."}


def test_a_translated_course_keeps_positions_options_and_plain_accordion_titles(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    lesson = course / "lessons" / "01-sources.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + LESSON_BLOCKS, encoding="utf-8")
    extract(course)
    catalog = course / "locales" / "fr" / "01-sources.po"
    new = {m.id for m in read(catalog) if m.id and (m.fuzzy or not m.string)}  # Babel guesses some
    assert new == set(FRENCH)  # the alt text was a message already: found again, not new
    for source, french in FRENCH.items():
        set_translation(catalog, source, french)
    result = build_course(course, formats=("scorm2004",), out=tmp_path / "dist")
    en, fr = (p.path for p in result.packages)
    pages = []
    for package in (en, fr):
        with zipfile.ZipFile(package) as archive:
            pages.append(lxml_html.fromstring(archive.read("01-sources.html").decode("utf-8")))
    source, page = pages
    assert [s.text for s in page.xpath("//details/summary")] == ["Eau de pluie", "Eaux grises"]
    tabs = page.xpath("//div[@data-block='tabs']")[0]
    assert tabs.get("data-required") == "true"
    # a tab heading keeps the source's section id, as every heading does
    assert [(h.get("id"), h.text) for h in tabs.xpath(".//h3")] == [("river", "required"), ("wells", "Puits")]
    assert ([m.get("style") for m in page.xpath("//a[@class='hotspot-marker']")]
            == [m.get("style") for m in source.xpath("//a[@class='hotspot-marker']")]
            == ["left: 20%; top: 30%", "left: 70.5%; top: 80%"])
    assert [s.text for s in page.xpath("//strong[@class='hotspot-title']")] == ["Robinet.", "Évacuation."]
