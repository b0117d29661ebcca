"""Plural-aware interface labels: one text per CLDR category, chosen by Babel (pages) and Intl (runtime)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import cli
from builder.labels import read_strings
from builder.plural_labels import count_label, label_forms
from builder.theme import default_theme_dir
from tests.i18n_helpers import copy_bilingual

CORE_JS = Path(__file__).resolve().parent.parent / "templates" / "src" / "core.js"
MINUTES = {
    "en": ["About 1 minute", "About 2 minutes", "About 5 minutes", "About 11 minutes"],
    "fr": ["Environ 1 minute", "Environ 2 minutes", "Environ 5 minutes", "Environ 11 minutes"],
    "es": ["1 minuto aproximadamente", "Unos 2 minutos", "Unos 5 minutos", "Unos 11 minutos"],
    "ar": ["نحو دقيقة واحدة", "نحو دقيقتين", "نحو 5 دقائق", "نحو 11 دقيقة"],
}
DURATION = {
    "en": ["Duration: 1 minute", "Duration: 2 minutes", "Duration: 5 minutes", "Duration: 11 minutes"],
    "fr": ["Durée : 1 minute", "Durée : 2 minutes", "Durée : 5 minutes", "Durée : 11 minutes"],
    "es": ["Duración: 1 minuto", "Duración: 2 minutos", "Duración: 5 minutos", "Duración: 11 minutos"],
    "ar": ["المدة: دقيقة واحدة", "المدة: دقيقتان", "المدة: 5 دقائق", "المدة: 11 دقيقة"],
}
COUNTS = (1, 2, 5, 11)


def _labels(language: str) -> dict[str, str]:
    labels, problems, _ = read_strings([default_theme_dir()], language)
    assert problems == []
    return labels


@pytest.mark.parametrize("language", sorted(MINUTES))
def test_minutes_and_duration_take_the_form_each_count_needs(language: str) -> None:
    labels = _labels(language)
    assert [count_label(labels, "minutes", n, language) for n in COUNTS] == MINUTES[language]
    assert [count_label(labels, "print_duration", n, language) for n in COUNTS] == DURATION[language]


def _runtime_fmt(language: str, label: object, cases: list[dict[str, int]], by: str) -> list[str]:
    """The runtime's own ``fmt`` (cut out of core.js) run in Node for each *cases* values."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is missing (tests/setup.sh installs it)")
    source = CORE_JS.read_text(encoding="utf-8")
    found = re.search(r"^  function fmt\(.*?^  \}$", source, re.MULTILINE | re.DOTALL)
    assert found is not None, "fmt() not found in core.js"
    script = (f"var doc = {{documentElement: {{lang: {json.dumps(language)}}}}}, window = globalThis;\n"
              f"{found.group(0)}\nconsole.log(JSON.stringify({json.dumps(cases)}.map(function (v) "
              f"{{ return fmt({json.dumps(label)}, v, {json.dumps(by)}); }})));")
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True, timeout=60)
    result: list[str] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["1 of 1 page viewed", "1 of 2 pages viewed", "1 of 5 pages viewed", "1 of 11 pages viewed"]),
    ("fr", ["Pages vues : 1 sur 1", "Pages vues : 1 sur 2", "Pages vues : 1 sur 5", "Pages vues : 1 sur 11"]),
    ("es", ["1 de 1 página vista", "1 de 2 páginas vistas", "1 de 5 páginas vistas", "1 de 11 páginas vistas"]),
    ("ar", [f"الصفحات التي اطلعت عليها: 1 من {n}" for n in COUNTS]),
])
def test_the_runtime_progress_label_follows_the_total(language: str, expected: list[str]) -> None:
    forms = label_forms(_labels(language), "progress")
    assert isinstance(forms, dict) and "other" in forms
    assert _runtime_fmt(language, forms, [{"done": 1, "total": n} for n in COUNTS], "total") == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["1 of 12 correct", "2 of 12 correct", "5 of 12 correct", "11 of 12 correct"]),
    ("fr", ["1 réponse juste sur 12", "2 réponses justes sur 12", "5 réponses justes sur 12",
            "11 réponses justes sur 12"]),
    ("es", ["1 de 12 correcta", "2 de 12 correctas", "5 de 12 correctas", "11 de 12 correctas"]),
    ("ar", [f"الإجابات الصحيحة: {n} من 12" for n in COUNTS]),
])
def test_the_runtime_correct_count_follows_n(language: str, expected: list[str]) -> None:
    forms = label_forms(_labels(language), "correct_count")
    assert _runtime_fmt(language, forms, [{"n": n, "total": 12} for n in COUNTS], "n") == expected
    assert _runtime_fmt(language, "{n} of {total}", [{"n": 1, "total": 2}], "n") == ["1 of 2"]  # plain text


def _theme(tmp_path: Path, text: str) -> list[Path]:
    folder = tmp_path / "theme"
    folder.mkdir(parents=True)
    (folder / "strings.yml").write_text(text, encoding="utf-8")
    return [folder, default_theme_dir()]


def test_a_language_must_give_every_plural_form_it_needs(tmp_path: Path) -> None:
    dirs = _theme(tmp_path, "# course labels\nar:\n  minutes: \"نحو {n} دقيقة\"\n")
    labels, problems, _ = read_strings(dirs, "ar")
    assert [(p.rule, p.location.line) for p in problems] == [("no-ui-labels", 2)]
    assert "lack plural forms: minutes (zero, one, two, few, many)" in problems[0].message
    assert labels["minutes"] == "نحو {n} دقيقة" and "minutes.one" not in labels  # no English form left over
    # French needs one and many besides other
    labels, problems, _ = read_strings(_theme(tmp_path / "fr", "fr:\n  minutes: {one: \"{n} min\", other: x}\n"), "fr")
    assert len(problems) == 1 and "minutes (many)" in problems[0].message


def test_a_plural_label_needs_other_and_known_categories(tmp_path: Path) -> None:
    dirs = _theme(tmp_path, "en:\n  minutes: {one: \"{n} minute\", several: \"{n} minutes\"}\n")
    _labels_found, problems, _ = read_strings(dirs, "en")
    bad = [p for p in problems if "must be a text, or map plural categories" in p.message]
    assert len(bad) == 1 and bad[0].location.line == 2 and "not a category: several" in bad[0].message


def test_built_pages_say_1_minute_in_each_language(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    lesson = course / "lessons" / "01-sources.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("minutes: 10", "minutes: 1"), encoding="utf-8")
    out = tmp_path / "dist"
    done = CliRunner().invoke(cli, ["build", str(course), "-o", str(out)])
    assert done.exit_code == 0, done.output
    pages = {}
    for lang, words in (("en", "About 1 minute<"), ("fr", "Environ 1 minute<")):
        package = next(out.glob(f"*-{lang}-scorm12.zip"))
        with zipfile.ZipFile(package) as archive:
            pages[lang] = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".html"))
        assert words in pages[lang]
    assert "About 1 minutes" not in pages["en"] and "Environ 1 minutes" not in pages["fr"]
