"""Everything a learner reads in a translation is in its language: picture alt texts, UI labels."""
from __future__ import annotations

import html as html_lib
import re
import zipfile
from pathlib import Path

import pytest

from builder.build import build_course
from builder.content import LessonSource, MarkdownRenderer
from builder.i18n.catalogs import extract
from builder.labels import read_strings
from tests.i18n_helpers import REPO, copy_bilingual, read, set_translation

THEME = """theme:
  logo: {file: media/dot.png, alt: Town water service}
  cover: {file: media/dot.png, alt: A river under a bridge}
"""


def _page(zip_path: Path, name: str) -> str:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.read(name).decode("utf-8")


def _with_pictures(tmp_path: Path) -> Path:
    """The bilingual course with a logo, a cover and a banner, each with alt text, extracted."""
    course = copy_bilingual(tmp_path)
    config = course / "course.yml"
    config.write_text(config.read_text(encoding="utf-8") + THEME, encoding="utf-8")
    lesson = course / "lessons" / "02-saving.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "title: Saving water\n", "title: Saving water\nbanner: ../media/dot.png\nbanner_alt: A dripping tap\n", 1),
        encoding="utf-8")
    extract(course)
    return course


def test_logo_cover_and_banner_alt_texts_are_messages_put_into_the_translation(tmp_path: Path) -> None:
    course = _with_pictures(tmp_path)
    contexts = {m.id: m.context for m in read(course / "locales" / "fr" / "course.po") if m.id}
    assert contexts["Town water service"] == "course.yml:theme/logo/alt"
    assert contexts["A river under a bridge"] == "course.yml:theme/cover/alt"
    lesson_po = course / "locales" / "fr" / "02-saving.po"
    assert {m.id: m.context for m in read(lesson_po) if m.id}["A dripping tap"] == "lessons/02-saving.md:banner_alt"
    set_translation(course / "locales" / "fr" / "course.po", "Town water service", "Service des eaux de la ville")
    set_translation(course / "locales" / "fr" / "course.po", "A river under a bridge", "Une rivière sous un pont")
    set_translation(lesson_po, "A dripping tap", "Un robinet qui goutte")
    result = build_course(course, formats=("scorm12",), out=tmp_path / "dist")
    en, fr = sorted((p.path for p in result.packages), key=lambda p: "-fr-" in p.name)
    start, lesson = _page(fr, "index.html"), _page(fr, "02-saving.html")
    assert 'alt="Service des eaux de la ville"' in start and 'alt="Une rivière sous un pont"' in start
    assert 'alt="Un robinet qui goutte"' in lesson and "A dripping tap" not in lesson
    assert 'alt="A dripping tap"' in _page(en, "02-saving.html")


def _labels(language: str) -> dict[str, str]:
    labels, problems, _ = read_strings([REPO / "templates"], language)
    assert not problems
    return labels


@pytest.mark.parametrize(("language", "one", "many"), [
    ("en", "1 of 11 pages viewed", "2 of 11 pages viewed"),
    ("fr", "Pages vues : 1 sur 11", "Pages vues : 2 sur 11"),
    ("es", "1 de 11 páginas vistas", "2 de 11 páginas vistas"),
    ("ar", "الصفحات التي اطلعت عليها: 1 من 11", "الصفحات التي اطلعت عليها: 2 من 11"),
])
def test_the_progress_text_reads_right_for_one_page_and_for_many(language: str, one: str, many: str) -> None:
    label = _labels(language)["progress"]
    assert label.replace("{done}", "1").replace("{total}", "11") == one
    assert label.replace("{done}", "2").replace("{total}", "11") == many


def test_footnote_back_links_are_titled_in_the_page_language(tmp_path: Path) -> None:
    lesson = tmp_path / "lessons" / "01.md"
    body = "A fact.[^1]\n\n[^1]: Its source.\n"
    renderer = MarkdownRenderer()
    for language, title in (("fr", "Retour à l'appel de note 1"), ("en", "Back to reference 1")):
        source = LessonSource(root=tmp_path, path=lesson, body=body, body_line=1, lessons_by_path={},
                              labels=_labels(language), language=language)
        html = renderer.convert(source)
        found = re.search(r'class="footnote-backref"[^>]*title="([^"]*)"', html)
        assert found is not None and html_lib.unescape(found.group(1)) == title


def test_the_footer_licence_follows_the_language_typography(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    config = course / "course.yml"
    config.write_text(config.read_text(encoding="utf-8") + "licence: CC BY 4.0\n", encoding="utf-8")
    result = build_course(course, formats=("scorm12",), out=tmp_path / "dist")
    en, fr = sorted((p.path for p in result.packages), key=lambda p: "-fr-" in p.name)
    assert " · Licence : CC BY 4.0</p>" in _page(fr, "01-sources.html")
    assert " · Licence: CC BY 4.0</p>" in _page(en, "01-sources.html")
