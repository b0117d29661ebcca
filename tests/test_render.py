"""Markdown extensions, the theme chain and the generated course data."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from builder.check import check_and_prepare
from builder.course import load_course, read_course
from builder.errors import TemplateError
from builder.render import Renderer
from tests.render_helpers import render_files


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def lesson_html(course_dir: Path, lesson_id: str = "01-welcome") -> lxml_html.HtmlElement:
    files = render_files(load_course(course_dir), "2004")
    return lxml_html.fromstring(files[f"{lesson_id}.html"])


def test_callouts_are_semantic_asides(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    write(lesson, lesson.read_text(encoding="utf-8") + "\n::: case-study \"Riverton\"\nA *fictional* town.\n\n"
          "- one\n- two\n:::\n\n::: reflection\nWhat would you do?\n:::\n")
    doc = lesson_html(starter)
    asides = doc.xpath("//aside[contains(@class, 'callout')]")
    kinds = [a.get("class") for a in asides]
    assert "callout callout-case-study" in kinds and "callout callout-reflection" in kinds
    case = asides[kinds.index("callout callout-case-study")]
    assert case.get("aria-label") == "Case study: Riverton"
    assert case.xpath("string(.//p[@class='callout-title'])") == "Riverton"
    assert case.xpath("count(.//ul/li)") == 2 and case.xpath("string(.//em)") == "fictional"


def test_links_images_and_downloads_are_rewritten(starter: Path) -> None:
    write(starter / "media/map.svg", "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/>")
    write(starter / "files/hand out.pdf", "%PDF-1.4\n")
    lesson = starter / "lessons/01-welcome.md"
    write(lesson, lesson.read_text(encoding="utf-8") + "\n![A map](../media/map.svg)\n\n"
          "[Handout](<../files/hand out.pdf>) and [back](02-next-steps.md#try-it) and [web](https://example.org)\n")
    course = load_course(starter)
    files = render_files(course, "1.2")
    doc = lxml_html.fromstring(files["01-welcome.html"])
    assert doc.xpath("//img[@alt='A map']/@src") == ["media/map.svg"]
    assert files["media/map.svg"].startswith(b"<svg")
    assert files["files/hand out.pdf"] == b"%PDF-1.4\n"
    assert doc.xpath("//a[text()='Handout']/@href") == ["files/hand%20out.pdf"]
    assert doc.xpath("//a[text()='Handout']/@download") == [""]
    assert doc.xpath("//a[text()='back']/@href") == ["02-next-steps.html#try-it"]
    assert doc.xpath("//a[text()='web']/@href") == ["https://example.org"]


def test_tables_footnotes_definition_lists(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    write(lesson, lesson.read_text(encoding="utf-8") + "\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
          "Term\n: Its definition\n")
    doc = lesson_html(starter)
    wrapper = doc.xpath("//div[@class='table-scroll']")[0]
    assert wrapper.get("tabindex") == "0" and wrapper.xpath("count(.//th)") == 2
    assert doc.xpath("string(//dl/dt)") == "Term" and doc.xpath("string(//dl/dd)") == "Its definition"
    assert doc.xpath("//div[@class='footnote']//li")


def test_video_with_captions(starter: Path) -> None:
    write(starter / "media/clip.mp4", "not really a video")
    write(starter / "media/clip.en.vtt", "WEBVTT\n")
    lesson = starter / "lessons/01-welcome.md"
    write(lesson, lesson.read_text(encoding="utf-8") + "\n::: video ../media/clip.mp4\ntitle: A clip\n"
          "captions: ../media/clip.en.vtt\n:::\n")
    doc = lesson_html(starter)
    video = doc.xpath("//figure/video")[0]
    assert video.get("controls") is not None
    assert video.xpath("source/@src") == ["media/clip.mp4"] and video.xpath("source/@type") == ["video/mp4"]
    track = video.xpath(".//track")[0]  # libxml2 parses HTML4, so <track> may nest
    assert (track.get("kind"), track.get("src"), track.get("srclang")) == ("captions", "media/clip.en.vtt", "en")
    assert doc.xpath("string(//figure/figcaption)") == "A clip"


def test_pages_course_data_and_lang(starter: Path) -> None:
    files = render_files(load_course(starter), "2004")
    assert {"index.html", "01-welcome.html", "02-next-steps.html", "assessment.html",
            "assets/course.js"} <= set(files)
    data = json.loads(re.sub(r"^window\.BUILDER_COURSE = |;\n$", "", files["assets/course.js"].decode()))
    assert data["scorm"] == "2004" and data["completion"] == "both" and data["passingScore"] == 80
    assert [p["url"] for p in data["pages"]] == ["index.html", "01-welcome.html", "02-next-steps.html",
                                                 "assessment.html"]
    assert data["quizzes"]["final"]["graded"] is True and data["quizzes"]["check"]["graded"] is False
    for name in ("index.html", "01-welcome.html", "assessment.html"):
        assert lxml_html.fromstring(files[name]).get("lang") == "en"


def test_quiz_payload_is_embedded(starter: Path) -> None:
    files = render_files(load_course(starter), "1.2")
    doc = lxml_html.fromstring(files["assessment.html"])
    payload = json.loads(doc.xpath("string(//script[contains(@class,'quiz-data')])"))
    assert payload["id"] == "final" and payload["passingScore"] == 80
    assert payload["questions"][0]["correct"] == ["a"]
    assert payload["questions"][1]["answers"] == ["Markdown", "md"]


def test_course_templates_override_the_theme(starter: Path) -> None:
    write(starter / "templates/lesson.html", "<!doctype html><html lang=\"{{ course.language }}\">"
          "<title>{{ page.title }}</title><main>OVERRIDE {{ content }}</main></html>")
    files = render_files(load_course(starter), "1.2")
    assert b"OVERRIDE" in files["01-welcome.html"]
    assert b"OVERRIDE" not in files["index.html"]  # other templates still come from the theme


def test_template_error_names_template_and_line(starter: Path) -> None:
    write(starter / "templates/lesson.html", "line one\n{{ page.no_such_thing }}\n")
    with pytest.raises(TemplateError) as info:
        render_files(load_course(starter), "1.2")
    assert "lesson.html:2" in info.value.message and "no_such_thing" in info.value.message


def test_template_autoescapes(starter: Path) -> None:
    course_yml = starter / "course.yml"
    write(course_yml, course_yml.read_text(encoding="utf-8").replace('title: "Starter course"',
                                                                     'title: "Fish & <Chips>"'))
    files = render_files(load_course(starter), "1.2")
    assert b"Fish &amp; &lt;Chips&gt;" in files["index.html"]
    assert b"<Chips>" not in files["index.html"]


def test_example_course_renders_every_lesson(repo_root: Path) -> None:
    course, content, problems = check_and_prepare(repo_root / "courses/migration-local-development")
    assert course is not None and content is not None and not problems
    renderer = Renderer(course, content)
    files = renderer.render_all("2004", "scorm2004")
    for lesson in course.lessons:
        doc = lxml_html.fromstring(files[f"{lesson.id}.html"])
        assert doc.xpath("count(//h1)") == 1
        assert doc.xpath("string(//h1)").strip() == lesson.title
    assert files["assets/runtime.js"] and files["assets/course.css"]


def test_parallel_conversion_matches_sequential(tmp_path: Path) -> None:
    from builder.convert import PARALLEL_MIN_LESSONS, convert_course
    from builder.scaffold import create_course

    course_dir = create_course(tmp_path, "big")
    lessons = [f"lessons/{n:03d}.md" for n in range(PARALLEL_MIN_LESSONS + 5)]
    for n, rel in enumerate(lessons):
        body = f"## Part {n}\n\nText with *emphasis* and a [link]({n + 1:03d}.md).\n"
        if n == 7:
            body += "\n![](../media/missing.png)\n"
        write(course_dir / rel, f"---\ntitle: Lesson {n}\n---\n{body}")
    course_yml = course_dir / "course.yml"
    text = course_yml.read_text(encoding="utf-8")
    listing = "".join(f"      - {rel}\n" for rel in lessons)
    text = text.replace("      - lessons/01-welcome.md\n      - lessons/02-next-steps.md\n", listing)
    write(course_yml, text)
    course, problems = read_course(course_dir)
    assert course is not None and not problems
    one = convert_course(course, {}, parallel=False)
    many = convert_course(course, {}, parallel=True)
    assert list(many.lessons.items()) == list(one.lessons.items())
    assert many.problems == one.problems and many.files == one.files
    # The last lesson links to a lesson that does not exist; lesson 7 has two image problems.
    assert [p.location.path.name for p in one.problems] == ["007.md", "007.md", f"{len(lessons) - 1:03d}.md"]


def test_the_theme_links_to_the_start_page_the_plan_names(starter: Path) -> None:
    from dataclasses import replace

    renderer = Renderer(load_course(starter))
    pages = renderer.content.plan.pages
    assert pages[0].kind == "index"
    pages[0] = replace(pages[0], url="start.html")  # the plan, not the theme, names the start page
    doc = lxml_html.fromstring(renderer.render_page_now(pages[1], "2004"))
    assert doc.xpath("//a[@class='course-title']/@href") == ["start.html"]
    assert doc.xpath("//nav[@id='course-menu']//a[@data-page='index']/@href") == ["start.html"]
    assert "index.html" not in renderer.render_page_now(pages[1], None).decode("utf-8")
