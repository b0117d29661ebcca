"""Text that must read left to right inside right-to-left pages: addresses, versions, codes."""
from __future__ import annotations

import json
from pathlib import Path

from lxml import html as lxml_html

from builder.course import load_course
from tests.render_helpers import render_files
from tests.test_check import edit

ARABIC = Path(__file__).resolve().parent / "courses" / "arabic"


def test_written_out_addresses_are_marked_left_to_right(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n\nSee <https://example.org/a> or "
                      "[the site](https://example.org/b) or <team@example.org>.\n", encoding="utf-8")
    edit(starter / "course.yml", "language: en", "language: ar")
    root = lxml_html.fromstring(render_files(load_course(starter), None)["01-welcome.html"])
    links = {a.get("href"): a.get("dir") for a in root.iter("a") if "example.org" in a.get("href", "")}
    assert links["https://example.org/a"] == "ltr"
    assert links["https://example.org/b"] is None  # its text is words: it follows the page
    assert [v for k, v in links.items() if k.startswith("mailto:")] == ["ltr"]


def test_the_version_in_the_footer_is_isolated() -> None:
    root = lxml_html.fromstring(render_files(load_course(ARABIC), "2004")["index.html"])
    footer = root.find(".//footer")
    assert footer is not None and [b.text for b in footer.iter("bdi")] == ["1.0.0"]
    assert "إصدار الدورة 1.0.0" in footer.text_content()


def test_course_data_carries_the_decimal_mark() -> None:
    text = render_files(load_course(ARABIC), "2004")["assets/course.js"].decode("utf-8")
    data = json.loads(text[text.index("{"):text.rindex("}") + 1])
    assert (data["language"], data["decimal"]) == ("ar", ",")
