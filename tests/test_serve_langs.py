"""``builder serve`` of a translated course: every language on its own URL, with catalog status."""
from __future__ import annotations

import urllib.request
from pathlib import Path

from tests.i18n_helpers import copy_bilingual, set_translation
from tests.serve_helpers import serve_process


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return str(response.read().decode("utf-8"))


def test_languages_are_listed_with_their_status_and_built_when_opened(tmp_path: Path) -> None:
    course = copy_bilingual(tmp_path)
    set_translation(course / "locales" / "fr" / "course.po", "Water in the town", "L'eau dans la ville", fuzzy=True)
    work = tmp_path / "work"
    work.mkdir()
    with serve_process(course, work) as (url, lines):
        start = get(url + "/")
        assert "<caption>Languages</caption>" in start
        assert "English (en, source)" in start and "Français (fr)" in start
        assert 'href="/bilingual~fr/lms.html?format=scorm2004"' in start
        assert "fuzzy" in start and "1 fuzzy" in start
        assert not any("bilingual~fr: built" in line for line in lines)  # not built until opened
        lms = get(url + "/bilingual~fr/lms.html?format=scorm12")
        assert 'aria-current="page">Français (fr)</a>' in lms
        assert 'href="/bilingual/lms.html?format=scorm12"' in lms
        assert "Translation: " in lms and "1 fuzzy" in lms
        page = get(url + "/bilingual~fr/pkg/scorm12/index.html")
        assert '<html lang="fr"' in page
        assert any("bilingual~fr: built" in line for line in lines)
        source = get(url + "/bilingual/lms.html?format=scorm12")
        assert "Translation: the source language" in source


def test_an_untranslated_course_has_no_language_bar(tmp_path: Path, starter: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    with serve_process(starter, work) as (url, _lines):
        assert "Languages" not in get(url + "/")
        assert 'class="formats languages"' not in get(url + "/starter/lms.html")
