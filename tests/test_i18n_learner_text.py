"""Everything a learner reads in a translation is in its language: picture alt texts, UI labels."""
from __future__ import annotations

import zipfile
from pathlib import Path

from builder.build import build_course
from builder.i18n.catalogs import extract
from tests.i18n_helpers import copy_bilingual, read, set_translation

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
