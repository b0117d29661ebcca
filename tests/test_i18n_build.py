"""Building per language: names, --lang, incomplete translations, what stays from the source."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from builder.build import build_course
from builder.cli import cli
from builder.serve_site import PreviewSite
from tests.i18n_helpers import copy_bilingual, set_translation
from tests.shared import validate_zip

NAMES = ["bilingual-1.0.0-en-scorm12.zip", "bilingual-1.0.0-en-scorm2004.zip",
         "bilingual-1.0.0-fr-scorm12.zip", "bilingual-1.0.0-fr-scorm2004.zip"]


def _read(zip_path: Path, name: str) -> str:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.read(name).decode("utf-8")


def _payloads(html: str) -> list[dict[str, object]]:
    found = re.findall(r'<script type="application/json" class="quiz-data"[^>]*>(.*?)</script>', html, re.DOTALL)
    return [json.loads(text) for text in found]


def test_one_package_set_per_language_each_valid(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    result = build_course(course, out=tmp_path / "dist")
    assert sorted(p.path.name for p in result.packages) == NAMES
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == NAMES
    for package in result.packages:
        validate_zip(package.path)


def test_lang_limits_the_languages_and_an_unknown_one_is_refused(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    runner = CliRunner()
    done = runner.invoke(cli, ["build", str(course), "--lang", "fr", "-o", str(tmp_path / "fr")])
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in (tmp_path / "fr").iterdir()) == NAMES[2:]
    done = runner.invoke(cli, ["build", str(course), "--lang", "en,fr", "-f", "scorm12", "-o", str(tmp_path / "two")])
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == [NAMES[0], NAMES[2]]
    done = runner.invoke(cli, ["build", str(course), "--lang", "de", "-o", str(tmp_path / "de")])
    assert done.exit_code == 1 and "'de' is not a language of this course (languages: en, fr)" in done.output
    assert not (tmp_path / "de").exists() and "Traceback" not in done.output


def test_the_french_package_has_its_language_its_own_identifier_and_the_source_ids(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    result = build_course(course, formats=("scorm2004",), out=tmp_path / "dist")
    en, fr = (p.path for p in result.packages)
    page = _read(fr, "01-sources.html")
    assert '<html lang="fr" dir="ltr">' in page
    assert "<h1 tabindex=\"-1\">Les sources de l&#39;eau</h1>" in page
    assert '<h2 id="the-river">La rivière</h2>' in page  # the section id of the source
    assert '<a href="02-saving.html#at-home">comment économiser l\'eau</a>' in page
    manifests = {lang: etree.fromstring(_read(path, "imsmanifest.xml").encode()) for lang, path in (("en", en),
                                                                                                      ("fr", fr))}
    assert manifests["en"].get("identifier") == "MANIFEST-bilingual-course"
    assert manifests["fr"].get("identifier") == "MANIFEST-bilingual-course-fr"
    assert [e.text for e in manifests["fr"].iter("{*}language")] == ["fr"]
    assert [e.text for e in manifests["en"].iter("{*}language")] == ["en"]
    # Question ids, correct answers, weights and numbers come from the source in every language.
    en_quiz, fr_quiz = (_payloads(_read(path, "assessment.html"))[0] for path in (en, fr))

    def shape(payload: dict[str, object]) -> object:
        return [{k: v for k, v in q.items() if k in ("id", "type", "correct", "weight", "value", "tolerance")}
                for q in payload["questions"]]  # type: ignore[attr-defined]

    assert shape(en_quiz) == shape(fr_quiz) and len(shape(fr_quiz)) == 3  # type: ignore[arg-type]
    fill_in = next(q for q in fr_quiz["questions"] if q["id"] == "store")  # type: ignore[attr-defined]
    assert fill_in["answers"] == ["réservoir", "reservoir", "barrage-réservoir"]


def test_an_incomplete_translation_fails_at_its_po_line_unless_allowed(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    po = course / "locales" / "fr" / "02-saving.po"
    line = set_translation(po, "Everyone can save water.", "")
    fuzzy = set_translation(po, "Fix dripping taps.", "Réparez les robinets.", fuzzy=True)
    out = tmp_path / "dist"
    done = CliRunner().invoke(cli, ["build", str(course), "-o", str(out)])
    assert done.exit_code == 1 and "Traceback" not in done.output
    shown = po.relative_to(Path.cwd()) if po.is_relative_to(Path.cwd()) else po
    assert f'{shown}:{line}: error: untranslated: "Everyone can save water."' in done.output
    assert f'{shown}:{fuzzy}: error: fuzzy translation (the source text changed): "Fix dripping taps."' \
        in done.output
    assert not out.exists()  # nothing written, not even the complete English packages
    # check warns, once per catalog, and passes
    checked = CliRunner().invoke(cli, ["check", str(course)])
    assert checked.exit_code == 0
    assert "warning: the fr translation is incomplete: 1 untranslated and 1 fuzzy message(s)" in checked.output
    # --allow-incomplete: the source text, marked with its language for screen readers
    done = CliRunner().invoke(cli, ["build", str(course), "-o", str(out), "--allow-incomplete", "--lang", "fr"])
    assert done.exit_code == 0, done.output
    page = _read(out / NAMES[3], "02-saving.html")
    assert '<p><span lang="en">Everyone can save water.</span></p>' in page
    assert '<li><span lang="en">Fix dripping taps.</span></li>' in page
    assert "<li>Fermez le robinet pendant que vous vous brossez les dents.</li>" in page


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    first = build_course(course, out=tmp_path / "one")
    second = build_course(course, out=tmp_path / "two")
    assert [p.path.read_bytes() for p in first.packages] == [p.path.read_bytes() for p in second.packages]


def test_translations_key_errors_are_located(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    config = course / "course.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "translations: [fr]", "translations:\n  - fr\n  - en\n  - fr\n  - fr_FR"), encoding="utf-8")
    done = CliRunner().invoke(cli, ["check", str(course)])
    assert done.exit_code == 1
    assert "course.yml:7: error: 'en' is the course's own language (language: en)" in done.output
    assert "course.yml:8: error: 'fr' is listed twice in translations" in done.output
    assert "course.yml:9: error: 'fr_FR' in translations is not a language tag" in done.output


def test_the_preview_shows_the_language_asked_for(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    site = PreviewSite(course, tmp_path / "live", "fr")
    site.active.add("scorm2004")
    assert site.build(None).ok
    page = (site.pkg_root / "scorm2004" / "02-saving.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in page and "<h1 tabindex=\"-1\">Économiser l&#39;eau</h1>" in page
    # A translator saves the catalog: the next rebuild shows the new text.
    po = course / "locales" / "fr" / "02-saving.po"
    set_translation(po, "Everyone can save water.", "Chacun peut économiser l'eau.")
    report = site.build({po})
    assert report.ok, report.problems
    page = (site.pkg_root / "scorm2004" / "02-saving.html").read_text(encoding="utf-8")
    assert "<p>Chacun peut économiser l'eau.</p>" in page
