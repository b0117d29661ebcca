"""XLIFF export and import: round trips into the PO catalogs, and every refusal with its line."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner
from lxml import etree

from builder.cli import cli
from builder.errors import ConfigError, ContentError
from builder.translate_io import export_xliff, import_xliff, read_catalog
from builder.xliff import NS12, NS20, unit_id

COURSE_YML = "id: demo\ntitle: Demo\nlanguage: en\ntranslations: [fr, es]\n"


def _catalog(lang: str) -> Catalog:
    cat = Catalog(locale=lang, project="demo", version="1.0.0", fuzzy=False)
    cat.add("Why migration is local", "Pourquoi la migration est locale", context="01-why.md#h-1",
            locations=[("lessons/01-why.md", 3)], auto_comments=["heading"], user_comments=["checked by Anne"])
    cat.add("Read **this** [page](02-next.md).", "Lisez **cette** [page](02-next.md).",
            context="01-why.md#p-2", locations=[("lessons/01-why.md", 5)], flags=["fuzzy"],
            previous_id="Read [this page](02-next.md).")
    cat.add("Line one\nline two with <b>tags</b> & ampersand", "", context="01-why.md#p-3",
            locations=[("lessons/01-why.md", 7), ("lessons/01-why.md", 8)])
    cat.add("No context here", "Pas de contexte")
    cat.add("Same context", "Même contexte", context="dup")
    cat.add("Same context, other text", "", context="dup")
    return cat


def _po(cat: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, cat, width=76, include_previous=True)
    return buffer.getvalue()


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    (folder / "locales" / "fr").mkdir(parents=True)
    (folder / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    (folder / "locales" / "fr" / "01-why.po").write_bytes(_po(_catalog("fr")))
    small = Catalog(locale="fr", project="demo", fuzzy=False)
    small.add("Demo", "Démo", context="course.yml#title", locations=[("course.yml", 2)])
    (folder / "locales" / "fr" / "course.po").write_bytes(_po(small))
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "locales" / "fr").glob("*.po"))}


@pytest.mark.parametrize("fmt", ["xliff", "xliff2"])
def test_export_then_import_unchanged_keeps_catalogs_byte_identical(course: Path, tmp_path: Path, fmt: str) -> None:
    before = _snapshot(course)
    data, count = export_xliff(course, "fr", fmt)
    assert count == 7
    xlf = tmp_path / "fr.xlf"
    xlf.write_bytes(data)
    assert import_xliff(xlf, course) == []
    assert _snapshot(course) == before


def _catalog_fields(path: Path) -> list[tuple[object, ...]]:
    cat = read_catalog(path)
    return [(m.context, m.id, m.string, m.fuzzy, sorted(m.locations), m.auto_comments, m.user_comments,
             m.previous_id) for m in cat if m.id]


@pytest.mark.parametrize("fmt", ["xliff", "xliff2"])
def test_round_trip_into_an_emptied_catalog_restores_every_field(course: Path, tmp_path: Path, fmt: str) -> None:
    """Export, wipe the translations, import: msgstr, fuzzy state, translator comments come back."""
    po = course / "locales" / "fr" / "01-why.po"
    expected = _catalog_fields(po)
    data, _ = export_xliff(course, "fr", fmt)
    cat = read_catalog(po)
    for message in cat:
        if message.id:
            message.string = ""
            message.flags.discard("fuzzy")
            message.user_comments = []
    po.write_bytes(_po(cat))
    xlf = tmp_path / "fr.xlf"
    xlf.write_bytes(data)
    written = import_xliff(xlf, course)
    assert [p.name for p, _ in written] == ["01-why.po"]
    got = _catalog_fields(po)
    assert got == expected
    assert got[1][7] == ["Read [this page](02-next.md)."]  # the '#| msgid' survives read and write


def test_xliff12_carries_context_state_notes_and_references(course: Path) -> None:
    data, _ = export_xliff(course, "fr", "xliff")
    root = etree.fromstring(data)
    ns = {"x": NS12}
    files = root.findall("x:file", ns)
    assert [f.get("original") for f in files] == ["locales/fr/01-why.po", "locales/fr/course.po"]
    assert files[0].get("source-language") == "en" and files[0].get("target-language") == "fr"
    units = files[0].findall(".//x:trans-unit", ns)
    first, fuzzy, empty = units[0], units[1], units[2]
    assert first.get("resname") == "01-why.md#h-1" and first.get("approved") == "yes"
    assert first.find("x:target", ns).get("state") == "translated"
    assert [n.text for n in first.findall("x:note", ns)] == ["heading", "checked by Anne"]
    assert fuzzy.get("approved") == "no"
    assert fuzzy.find("x:target", ns).get("state") == "needs-review-translation"
    assert fuzzy.find("x:alt-trans/x:source", ns).text == "Read [this page](02-next.md)."
    assert empty.find("x:source", ns).text == "Line one\nline two with <b>tags</b> & ampersand"
    assert empty.find("x:target", ns).get("state") == "new"
    refs = [[c.text for c in g] for g in empty.findall("x:context-group", ns)]
    assert refs == [["lessons/01-why.md", "7"], ["lessons/01-why.md", "8"]]
    assert len({u.get("id") for u in units}) == len(units)


def test_xliff2_is_one_file_per_catalog_with_languages_on_the_root(course: Path) -> None:
    data, _ = export_xliff(course, "fr", "xliff2")
    root = etree.fromstring(data)
    assert root.get("srcLang") == "en" and root.get("trgLang") == "fr"
    units = root.findall(f".//{{{NS20}}}unit")
    assert units[1].find(f"{{{NS20}}}segment").get("state") == "initial"  # fuzzy
    assert units[0].find(f"{{{NS20}}}segment").get("state") == "translated"


def _edit(data: bytes, old: str, new: str) -> bytes:
    text = data.decode("utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def test_a_translated_target_is_applied_and_its_review_clears_fuzzy(course: Path, tmp_path: Path) -> None:
    data, _ = export_xliff(course, "fr", "xliff")
    data = _edit(data, '<target state="new"></target>', '<target state="translated">Ligne un\nligne deux</target>')
    data = _edit(data, 'approved="no" xml:space="preserve" resname="01-why.md#p-2"', 'approved="yes" xml:space="preserve" resname="01-why.md#p-2"')
    data = _edit(data, 'state="needs-review-translation"', 'state="translated"')
    xlf = tmp_path / "fr.xlf"
    xlf.write_bytes(data)
    written = import_xliff(xlf, course)
    assert [(p.name, n) for p, n in written] == [("01-why.po", 2)]
    with (course / "locales" / "fr" / "01-why.po").open("rb") as handle:
        cat = read_po(handle)
    assert cat.get("Line one\nline two with <b>tags</b> & ampersand", context="01-why.md#p-3").string == \
        "Ligne un\nligne deux"
    reviewed = cat.get("Read **this** [page](02-next.md).", context="01-why.md#p-2")
    assert not reviewed.fuzzy and not reviewed.previous_id


def _problems(xlf: Path, course: Path) -> str:
    with pytest.raises(ContentError) as info:
        import_xliff(xlf, course)
    return str(info.value)


def test_stale_source_unknown_unit_and_file_are_located_and_nothing_is_written(course: Path, tmp_path: Path) -> None:
    data, _ = export_xliff(course, "fr", "xliff")
    data = _edit(data, '<target state="new"></target>', '<target state="translated">Nouveau</target>')
    data = _edit(data, f'id="{unit_id(None, "No context here")}"', 'id="m000000000000"')
    data = _edit(data, 'original="locales/fr/course.po"', 'original="locales/fr/gone.po"')
    xlf = tmp_path / "fr.xlf"
    xlf.write_bytes(data)
    # a source text the catalog changed since the export
    po = course / "locales" / "fr" / "01-why.po"
    po.write_bytes(_edit(po.read_bytes(), 'msgid "Why migration is local"',
                         'msgid "Why migration is a local matter"'))
    before = _snapshot(course)
    text = _problems(xlf, course)
    lines = data.decode().splitlines()
    stale = next(i for i, line in enumerate(lines, 1) if 'resname="01-why.md#h-1"' in line)
    gone = next(i for i, line in enumerate(lines, 1) if "gone.po" in line)
    assert f"fr.xlf:{stale}: error: stale export: the source of unit" in text
    assert "('Why migration is local') is no longer in 'locales/fr/01-why.po'" in text
    assert "error: unknown unit id 'm000000000000' in 'locales/fr/01-why.po'" in text
    assert f"fr.xlf:{gone}: error: unknown file 'locales/fr/gone.po'" in text
    assert _snapshot(course) == before


def test_wrong_target_language_and_language_not_in_the_course(course: Path, tmp_path: Path) -> None:
    data, _ = export_xliff(course, "fr", "xliff")
    xlf = tmp_path / "x.xlf"
    xlf.write_bytes(_edit(data, 'target-language="fr"', 'target-language="de"'))
    assert "error: the target language is 'de' but the catalog 'locales/fr/01-why.po' is for 'fr'" \
        in _problems(xlf, course)
    (course / "course.yml").write_text(COURSE_YML.replace("[fr, es]", "[es]"), encoding="utf-8")
    xlf.write_bytes(data)
    assert "'fr' is not a language of demo" in _problems(xlf, course)


def test_malformed_xml_is_reported_at_its_line(course: Path, tmp_path: Path) -> None:
    data, _ = export_xliff(course, "fr", "xliff")
    lines = data.decode().splitlines()
    lines[6] = lines[6] + "<broken"
    xlf = tmp_path / "bad.xlf"
    xlf.write_text("\n".join(lines), encoding="utf-8")
    text = _problems(xlf, course)
    assert "bad.xlf:" in text and "error: not well-formed XML" in text
    line = int(text.split("bad.xlf:")[1].split(":")[0])
    assert line in (7, 8)


def test_export_refuses_the_source_language_and_a_language_without_catalogs(course: Path) -> None:
    with pytest.raises(ConfigError, match="source language"):
        export_xliff(course, "en", "xliff")
    with pytest.raises(ConfigError, match="no PO catalogs for 'es'"):
        export_xliff(course, "es", "xliff")


def test_cli_export_import_and_error_exit(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "agency" / "demo-fr.xlf"
    result = CliRunner().invoke(cli, ["translate", "export", str(course), "--lang", "fr", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"<?xml")
    result = CliRunner().invoke(cli, ["translate", "import", str(out), str(course)])
    assert result.exit_code == 0, result.output
    out.write_text("<xliff", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "builder", "translate", "import", str(out), str(course)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "demo-fr.xlf:1: error: not well-formed XML" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_broken_catalog_is_reported_at_its_line(course: Path) -> None:
    po = course / "locales" / "fr" / "course.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith('msgstr "Démo"'))
    lines[number - 1] = 'msgstrr "Démo"'
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        export_xliff(course, "fr", "xliff")
    assert f"course.po:{number}: error: the catalog is not a valid PO file" in str(info.value)
