"""Issue 10: the rough edges authors ran into (media paths, captions, tables, decorative images)."""
from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from builder.course import load_course
from tests.render_helpers import render_files
from tests.test_check import edit, find, line_no, problems_of

SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/>"
VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def page(course: Path, name: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(render_files(load_course(course), "2004")[name])


def test_audio_transcript_resolves_once_relative_to_the_lesson(starter: Path) -> None:
    write(starter / "media/spot.mp3", b"ID3")
    write(starter / "files/spot.txt", "The transcript.")
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n::: audio ../media/spot.mp3\ntitle: Radio spot\n"
         "transcript: ../files/spot.txt\n:::")
    assert problems_of(starter) == []
    doc = page(starter, "01-welcome.html")
    assert doc.xpath("//figure[contains(@class,'media-audio')]//figcaption/a/@href") == ["files/spot.txt"]


def test_captions_one_track_per_language(starter: Path) -> None:
    write(starter / "media/clip.mp4", b"\x00")
    write(starter / "media/clip.en.vtt", VTT)
    write(starter / "media/clip.fr.vtt", VTT)
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n::: video ../media/clip.mp4\ntitle: Interview\n"
         "captions: {fr: ../media/clip.fr.vtt, en: ../media/clip.en.vtt}\n:::")
    assert problems_of(starter) == []
    tracks = page(starter, "01-welcome.html").xpath("//track")  # libxml2 nests HTML5 void tags
    assert [(t.get("srclang"), t.get("src"), t.get("default")) for t in tracks] == [
        ("fr", "media/clip.fr.vtt", None), ("en", "media/clip.en.vtt", "")]  # "" = present
    assert [t.get("label") for t in tracks] == ["Captions (fr)", "Captions (en)"]


def test_captions_as_a_list_is_refused_at_its_line(starter: Path) -> None:
    write(starter / "media/clip.mp4", b"\x00")
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n::: video ../media/clip.mp4\ntitle: Interview\n"
         "captions: [../media/en.vtt, ../media/fr.vtt]\n:::")
    p = find(problems_of(starter), lesson, line_no(lesson, "captions:"), "one file per language")
    assert p.is_error


def test_missing_captions_hint_uses_the_path_that_works(starter: Path) -> None:
    write(starter / "media/clip.mp4", b"\x00")
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n::: video ../media/clip.mp4\ntitle: Interview\n:::")
    p = find(problems_of(starter), lesson, line_no(lesson, "::: video"), "a video needs a captions file")
    assert "'captions: ../media/file.en.vtt'" in (p.hint or "")
    # and the hint's form works from a lesson
    write(starter / "media/file.en.vtt", VTT)
    edit(lesson, "title: Interview", "title: Interview\ncaptions: ../media/file.en.vtt")
    assert problems_of(starter) == []


def test_attribute_line_under_a_table_styles_the_table(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n| a | b |\n|---|---|\n| 1 | 2 |\n{: .indicators #t1 }")
    assert problems_of(starter) == []
    doc = page(starter, "01-welcome.html")
    table = doc.xpath("//table")[0]
    assert table.get("class") == "indicators" and table.get("id") == "t1"
    assert "{:" not in table.text_content() and len(table.xpath(".//tbody/tr")) == 1


def test_attribute_line_under_a_table_is_checked(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n| a | b |\n|---|---|\n| 1 | 2 |\n{: onclick=\"alert(1)\" }")
    find(problems_of(starter), lesson, line_no(lesson, "onclick"), "'onclick' runs a script")


def test_decorative_images(starter: Path) -> None:
    write(starter / "media/line.svg", SVG)
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n![](../media/line.svg){: decorative }")
    assert problems_of(starter) == []
    img = page(starter, "01-welcome.html").xpath("//img[contains(@src,'line.svg')]")[0]
    assert img.get("alt") == "" and img.get("role") == "presentation" and img.get("decorative") is None


def test_decorative_with_alt_text_and_empty_alt_without_marker(starter: Path) -> None:
    write(starter / "media/line.svg", SVG)
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n![A line](../media/line.svg){: decorative }\n\n"
         "![](../media/line.svg)")
    problems = problems_of(starter)
    find(problems, lesson, line_no(lesson, "![A line]"), "is marked decorative but has alt text")
    p = find(problems, lesson, line_no(lesson, "![](../media/line.svg)"), "has no alt text")
    assert "{: decorative }" in (p.hint or "")
