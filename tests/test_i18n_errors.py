"""Translation errors an author can act on: located at the source, one per missing catalog, syntax first."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from builder.cli import cli
from tests.i18n_helpers import copy_bilingual, set_translation


def _failed_build(course: Path, tmp_path: Path) -> list[str]:
    """The error lines of a failed build of *course* (nothing written, no traceback)."""
    out = tmp_path / "dist"
    done = CliRunner().invoke(cli, ["build", str(course), "-o", str(out)])
    assert done.exit_code == 1, done.output
    assert "Traceback" not in done.output and not out.exists()
    return [line for line in done.output.split("\n") if ": error" in line]


def test_a_new_source_paragraph_is_reported_at_its_lesson_line_naming_the_catalog(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    lesson = course / "lessons" / "02-saving.md"
    text = lesson.read_text(encoding="utf-8").replace("Everyone can save water.\n",
                                                      "Everyone can save water.\n\nA new sentence, not extracted.\n")
    lesson.write_text(text, encoding="utf-8")
    line = text.split("\n").index("A new sentence, not extracted.") + 1
    errors = _failed_build(course, tmp_path)
    assert len(errors) == 1, errors
    assert errors[0].endswith(f"lessons/02-saving.md:{line}: error: no translation into fr: "
                              "\"A new sentence, not extracted.\" is not in fr/02-saving.po")


def test_a_catalog_never_extracted_is_one_error_with_a_count(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    (course / "locales" / "fr" / "02-saving.po").unlink()
    done = CliRunner().invoke(cli, ["build", str(course), "-o", str(tmp_path / "dist")])
    errors = [line for line in done.output.split("\n") if ": error" in line]
    assert done.exit_code == 1 and len(errors) == 1, done.output
    assert "lessons/02-saving.md:2: error: no translation into fr: locales/fr/02-saving.po does not exist" \
        in errors[0]
    assert "so 7 message(s) of this file have none" in errors[0]
    assert "hint: run 'builder translate extract'" in done.output


def test_a_po_syntax_error_comes_alone_not_under_each_message_of_that_catalog(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    po = course / "locales" / "fr" / "01-sources.po"
    lines = po.read_text(encoding="utf-8").split("\n")
    bad = next(n for n, text in enumerate(lines) if text.startswith("msgstr \"") and text != 'msgstr ""')
    lines[bad] = lines[bad][:-1]  # the closing quote is missing
    po.write_text("\n".join(lines), encoding="utf-8")
    errors = _failed_build(course, tmp_path)
    assert len(errors) == 1, errors
    assert errors[0].endswith(f"01-sources.po:{bad + 1}: error: the catalog is not a valid PO file: a text is not "
                              "in double quotes, or its closing quote is missing")


def test_an_untranslated_entry_is_reported_at_the_entry_first_line(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    po = course / "locales" / "fr" / "02-saving.po"
    line = set_translation(po, "Fix dripping taps.", "")
    lines = po.read_text(encoding="utf-8").split("\n")
    assert lines[line - 1].startswith("#. ") and lines[line - 2] == ""  # the comment that opens the entry
    errors = _failed_build(course, tmp_path)
    assert [e for e in errors if e.endswith(f"02-saving.po:{line}: error: untranslated: \"Fix dripping taps.\"")]
