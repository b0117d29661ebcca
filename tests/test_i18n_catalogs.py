"""translate extract and status: messages, PO round trip (fuzzy with #| msgid, obsolete), figures."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from builder.cli import cli
from builder.i18n.catalogs import extract
from builder.i18n.segment import segment_markdown
from tests.i18n_helpers import copy_bilingual, read, set_translation, write

ISSUE_14_BLOCKS = """Intro with *emphasis*, `code` and [a link](02-b.md).

:::accordion Questions people ask
### Who pays?
The council pays.

:::tabs
First tab text.
:::
:::

::: steps "Three steps"
1. Collect data.
2. Analyse it.
:::

:::card
Card text only.
:::

::: hotspots ../media/map.svg
A paragraph inside hotspots.
:::

```
code block: not a message
```

    indented code: not a message
"""


def test_blocks_become_messages_whatever_the_name_of_their_container() -> None:
    found = [(s.kind, s.text, s.first + 1) for s in segment_markdown(ISSUE_14_BLOCKS)]
    # (a file named on the ':::' line, as in '::: hotspots ../media/map.svg', is not a title)
    assert found == [
        ("p", "Intro with *emphasis*, `code` and [a link](02-b.md).", 1),
        ("title", "Questions people ask", 3),
        ("heading", "Who pays?", 4),
        ("p", "The council pays.", 5),
        ("p", "First tab text.", 8),
        ("title", "Three steps", 12),
        ("item", "Collect data.", 13),
        ("item", "Analyse it.", 14),
        ("p", "Card text only.", 18),
        ("p", "A paragraph inside hotspots.", 22),
    ]


def test_the_committed_catalogs_are_current_and_a_second_extract_changes_nothing(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    before = {p: p.read_bytes() for p in (course / "locales").rglob("*.po*")}
    result = extract(course)
    assert result.changed == ()
    assert sorted(p.relative_to(course).as_posix() for p in result.files) == [
        "locales/fr/01-sources.po", "locales/fr/02-saving.po", "locales/fr/course.po",
        "locales/templates/01-sources.pot", "locales/templates/02-saving.pot", "locales/templates/course.pot"]
    assert {p: p.read_bytes() for p in before} == before


def test_messages_carry_context_and_source_line(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    catalog = read(course / "locales" / "templates" / "01-sources.pot")
    by_id = {m.id: m for m in catalog if m.id}
    para = by_id["Most of the water comes from the river.[^1] It is cleaned at the `plant-2` station "
                 "before it reaches the houses."]  # two source lines, one message, inline Markdown kept
    assert (para.context, para.locations) == ("lessons/01-sources.md:p", [("lessons/01-sources.md", 12)])
    assert by_id["Keep the river clean"].context == "lessons/01-sources.md:title"
    assert by_id["River"].context == "lessons/01-sources.md:cell"
    assert by_id["A drop of water"].context == "lessons/01-sources.md:alt"
    quiz = {m.context: m.id for m in read(course / "locales" / "templates" / "course.pot") if m.id}
    assert quiz["quizzes/final.yml:questions/store/answers"] == "reservoir"
    assert quiz["course.yml:modules/water/title"] == "Where water comes from"
    assert "1000" not in quiz.values() and "2" not in quiz.values()  # numbers and weights are not messages


def test_round_trip_changed_text_is_fuzzy_with_the_old_msgid_and_removed_text_obsolete(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    lesson = course / "lessons" / "02-saving.md"
    text = lesson.read_text(encoding="utf-8")
    text = text.replace("Everyone can save water.", "Everyone can save a lot of water.")
    text = text.replace("- Fix dripping taps.\n", "")
    text = text.replace("## At home\n", "## At home\n\nA new paragraph.\n")
    lesson.write_text(text, encoding="utf-8")
    assert extract(course).changed  # the template and the French catalog
    po = course / "locales" / "fr" / "02-saving.po"
    catalog = read(po)
    changed = next(m for m in catalog if m.id == "Everyone can save a lot of water.")
    assert changed.fuzzy and changed.string == "Tout le monde peut économiser l'eau."
    raw = po.read_text(encoding="utf-8")
    assert '#| msgid "Everyone can save water."\nmsgctxt "lessons/02-saving.md:p"\n' \
           'msgid "Everyone can save a lot of water."' in raw
    assert '#~ msgid "Fix dripping taps."\n#~ msgstr "Réparez les robinets qui fuient."' in raw
    new = next(m for m in catalog if m.id == "A new paragraph.")
    assert not new.string and not new.fuzzy
    # Other messages of the file kept their translation, not fuzzy: the context has no position.
    kept = next(m for m in catalog if m.id == "Turn off the tap while brushing your teeth.")
    assert kept.string and not kept.fuzzy
    # Extracting again changes nothing: previous msgids and obsolete entries stay as they are.
    assert extract(course).changed == ()
    # The translator checks the fuzzy one: removing the flag drops '#| msgid' on the next extract.
    set_translation(po, "Everyone can save a lot of water.", "Tout le monde peut économiser beaucoup d'eau.")
    extract(course)
    assert "#| msgid" not in po.read_text(encoding="utf-8").split("\n#~", 1)[0].split("\n", 5)[-1]


def test_a_new_language_gets_empty_catalogs(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    config = course / "course.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("translations: [fr]", "translations: [fr, es]"),
                      encoding="utf-8")
    extract(course)
    catalog = read(course / "locales" / "es" / "01-sources.po")
    assert str(catalog.locale) == "es" and [m.string for m in catalog if m.id] == [""] * 16


def test_status_counts_translated_fuzzy_and_untranslated(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    runner = CliRunner()
    done = runner.invoke(cli, ["translate", "status", "--json", "--require-complete", str(course)])
    assert done.exit_code == 0, done.output
    figures = json.loads(done.output)["bilingual"]["fr"]
    assert figures["total"] == {"translated": 43, "fuzzy": 0, "untranslated": 0, "total": 43, "percent": 100.0}
    po = course / "locales" / "fr" / "01-sources.po"
    set_translation(po, "River", "")
    set_translation(po, "Wells", "Puits", fuzzy=True)
    catalog = read(po)
    catalog.delete("The rest", context="lessons/01-sources.md:cell")  # not extracted yet: untranslated
    write(po, catalog)
    done = runner.invoke(cli, ["translate", "status", "--json", str(course)])
    assert done.exit_code == 0
    file = json.loads(done.output)["bilingual"]["fr"]["files"]["locales/fr/01-sources.po"]
    assert file == {"translated": 13, "fuzzy": 1, "untranslated": 2, "total": 16, "percent": 81.2}
    done = runner.invoke(cli, ["translate", "status", "--require-complete", str(course)])
    assert done.exit_code == 1
    table = done.output.splitlines()
    assert table[3].split() == ["locales/fr/01-sources.po", "13", "1", "2", "81%"]
    assert table[-2].split() == ["fr:", "all", "files", "40", "1", "2", "93%"]
    assert table[-1].startswith("  fr: no localised copy (locales/fr/...) of media/dot.png; information only")
