"""--allow-incomplete: plain-text fallbacks carry the source's lang where HTML allows it."""
from __future__ import annotations

import zipfile
from pathlib import Path

from builder.build import build_course
from builder.i18n.catalogs import extract
from tests.i18n_helpers import copy_bilingual, set_translation


def _page(zip_path: Path, name: str) -> str:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.read(name).decode("utf-8")


def test_titles_alt_texts_and_long_quiz_texts_in_the_source_language_are_marked(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    quiz = course / "quizzes" / "final.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace(
        "intro: Answer both questions.", 'intro: "Answer both questions.\\n\\nTake your time."'), encoding="utf-8")
    extract(course)
    fr = course / "locales" / "fr"
    for po, source in ((fr / "02-saving.po", "Saving water"), (fr / "01-sources.po", "A drop of water"),
                       (fr / "01-sources.po", "Keep the river clean"), (fr / "course.po", "Where water comes from")):
        set_translation(po, source, "")
    result = build_course(course, formats=("scorm12",), out=tmp_path / "dist", languages=("fr",), allow_incomplete=True)
    package = result.packages[0].path
    saving, sources, start = (_page(package, n) for n in ("02-saving.html", "01-sources.html", "index.html"))
    assert '<h1 tabindex="-1" lang="en">Saving water</h1>' in saving
    assert '<span class="menu-number">2.</span> <span lang="en">Saving water</span></a>' in sources
    assert '<span class="pager-title" id="pager-next-title" lang="en">Saving water</span>' in sources
    assert '<img lang="en"' in sources and 'alt="A drop of water"' in sources
    assert '<p class="callout-title" lang="en">Keep the river clean</p>' in sources
    assert '<h3 lang="en">Where water comes from</h3>' in start
    assert '<span class="menu-module-title" lang="en">Where water comes from</span>' in sources
    final = _page(package, "assessment.html")
    assert '<p><span lang="en">Answer both questions.</span></p>' in final
    assert '<p><span lang="en">Take your time.</span></p>' in final
    # Translated texts stay unmarked.
    assert '<h1 tabindex="-1">Les sources de l&#39;eau</h1>' in sources
