"""Links, images and HTML everywhere Markdown goes; section links; strings.yml; templates.

Each test breaks a fresh starter course the way an author could, and checks that
``builder check`` names the file and line, and that what passes also builds.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from builder.build import build_course
from builder.check import check_and_prepare
from builder.cli import cli
from builder.course import load_course, read_course
from builder.errors import ContentError, Problem, TemplateError
from builder.convert import Snippet, convert_snippets
from builder.render import Renderer
from tests.render_helpers import render_files
from tests.test_check import edit, find, line_no, problems_of

SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/>"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def listing(problems: list[Problem]) -> str:
    return "\n".join(p.format() for p in problems)


def no_problem(problems: list[Problem], text: str) -> None:
    hits = [p for p in problems if text in p.message]
    assert not hits, listing(hits)


# ------------------------------------------------------------------ 1. quiz texts and objectives

def test_quiz_prompt_image_and_lesson_link_are_packaged_and_rewritten(starter: Path) -> None:
    write(starter / "media/pic.svg", SVG)
    final = starter / "quizzes/final.yml"
    edit(final, "prompt: Which file lists the lessons of the course?",
         'prompt: "Look at ![The cycle](../media/pic.svg) and [the welcome lesson](../lessons/01-welcome.md)."')
    edit(final, "feedback: Yes. Its modules list the lesson files in order.",
         "feedback: \"Yes. See [next steps](../lessons/02-next-steps.md#try-it).\"")
    course, content, problems = check_and_prepare(starter)
    assert problems == [], listing(problems)
    assert content is not None and content.files["media/pic.svg"] == starter / "media/pic.svg"
    files = render_files(load_course(starter), "2004")
    assert files["media/pic.svg"].startswith(b"<svg")
    doc = lxml_html.fromstring(files["assessment.html"])
    prompt = doc.xpath("//span[@class='question-prompt']")[0]
    assert prompt.xpath(".//img/@src") == ["media/pic.svg"] and prompt.xpath(".//img/@alt") == ["The cycle"]
    assert prompt.xpath(".//a/@href") == ["01-welcome.html"]
    payload = json.loads(doc.xpath("string(//script[contains(@class,'quiz-data')])"))
    assert 'href="02-next-steps.html#try-it"' in payload["questions"][0]["choices"]["a"]


def test_broken_images_and_links_in_quiz_texts_are_located(starter: Path) -> None:
    final = starter / "quizzes/final.yml"
    edit(final, "      - text: index.html", "      - text: \"![](../media/pic.svg) index.html\"")
    edit(final, "      incorrect: They are Markdown files.",
         "      incorrect: \"See [the lesson](../lessons/03-missing.md) and ![a map](../media/map.png).\"")
    edit(final, "attempts: 0", "attempts: 0\nintro: |\n  Read [the handout](../files/nope.pdf) first.")
    problems = problems_of(starter)
    find(problems, final, line_no(final, "![](../media/pic.svg)"), "has no alt text")
    find(problems, final, line_no(final, "![](../media/pic.svg)"), "image '../media/pic.svg' not found")
    find(problems, final, line_no(final, "03-missing.md"), "broken link to lesson")
    find(problems, final, line_no(final, "map.png"), "image '../media/map.png' not found")
    find(problems, final, line_no(final, "nope.pdf"), "linked file '../files/nope.pdf' not found")


def test_same_path_in_two_questions_points_at_each_question(starter: Path) -> None:
    final = starter / "quizzes/final.yml"
    edit(final, "prompt: Which file lists the lessons of the course?", "prompt: \"See ![x](../media/gone.svg)\"")
    edit(final, "prompt: Lesson files use the ____ format.", "prompt: \"Then ![y](../media/gone.svg) ____\"")
    problems = problems_of(starter)
    find(problems, final, line_no(final, "See ![x]"), "not found")
    find(problems, final, line_no(final, "Then ![y]"), "not found")


def test_objectives_and_description_links_and_images(starter: Path) -> None:
    write(starter / "media/logo.svg", SVG)
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "  - Find your way around a lesson.",
         "  - Find your way around a lesson, then go to [the next one](02-next-steps.md).")
    course_yml = starter / "course.yml"
    edit(course_yml, "  One or two sentences that tell learners what this course is about.",
         "  One or two sentences. ![Logo](media/logo.svg)")
    edit(course_yml, "  - Say what learners will be able to do after the course.",
         "  - Start with [the welcome](lessons/01-welcome.md).\n  - Read ![no such](media/none.svg).")
    problems = problems_of(starter)
    find(problems, course_yml, line_no(course_yml, "media/none.svg"), "image 'media/none.svg' not found")
    assert len(errors(problems)) == 1, listing(problems)
    edit(course_yml, "  - Read ![no such](media/none.svg).\n", "")
    files = render_files(load_course(starter), "1.2")
    index = lxml_html.fromstring(files["index.html"])
    assert index.xpath("//div[@class='lead']//img/@src") == ["media/logo.svg"]
    assert index.xpath("//section[@class='objectives']//a/@href") == ["01-welcome.html"]
    welcome = lxml_html.fromstring(files["01-welcome.html"])
    assert welcome.xpath("//section[@class='objectives']//a/@href") == ["02-next-steps.html"]
    assert files["media/logo.svg"].startswith(b"<svg")


def test_same_text_in_two_files_at_different_depths_links_from_each_file(starter: Path) -> None:
    # Snippet HTML lives on the model object it belongs to, not in a table keyed by the
    # text: each copy resolves its link relative to its own file.
    text = "See [the guide](../files/guide.txt)."
    write(starter / "files/guide.txt", "top")
    write(starter / "quizzes/files/guide.txt", "deep")
    final = starter / "quizzes/final.yml"
    deep = starter / "quizzes/final/final.yml"
    write(deep, final.read_text(encoding="utf-8").replace(
        "prompt: Which file lists the lessons of the course?", f'prompt: "{text}"'))
    final.unlink()
    edit(starter / "course.yml", "assessment: quizzes/final.yml", "assessment: quizzes/final/final.yml")
    edit(starter / "quizzes/check.yml", "prompt: Lessons are written in Markdown.", f'prompt: "{text}"')
    course, _content, problems = check_and_prepare(starter)
    assert course is not None and problems == [], listing(problems)
    files = render_files(load_course(starter), "2004")
    lesson = lxml_html.fromstring(files["02-next-steps.html"])
    assessment = lxml_html.fromstring(files["assessment.html"])
    assert lesson.xpath("//span[@class='question-prompt']//a/@href") == ["files/guide.txt"]
    assert assessment.xpath("//span[@class='question-prompt']//a/@href") == ["quizzes/files/guide.txt"]
    assert files["files/guide.txt"] == b"top" and files["quizzes/files/guide.txt"] == b"deep"


def test_lesson_objective_problem_points_at_the_front_matter(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "  - Find your way around a lesson.", "  - See <img src=\"../media/x.svg\">.")
    problems = problems_of(starter)
    find(problems, lesson, line_no(lesson, "<img"), "raw HTML image has no alt text")
    find(problems, lesson, line_no(lesson, "<img"), "is not put into the package")


def test_snippets_can_be_converted_again_after_an_edit(starter: Path) -> None:
    write(starter / "media/a.svg", SVG)
    check = starter / "quizzes/check.yml"
    course, content, problems = check_and_prepare(starter)
    assert course is not None and content is not None and problems == []
    edit(check, "prompt: Lessons are written in Markdown.", "prompt: \"![A](../media/a.svg) in Markdown?\"")
    content.course = load_course(starter)
    files, found = convert_snippets(content)
    assert found == [] and files == {"media/a.svg": starter / "media/a.svg"}
    prompt = content.course.quizzes[0].questions[0].prompt
    assert isinstance(prompt, Snippet) and prompt == "![A](../media/a.svg) in Markdown?"
    assert content.inline(prompt).startswith('<img alt="A" loading="lazy" src="media/a.svg">')
    edit(check, "a.svg", "b.svg")
    content.course = load_course(starter)
    files, found = convert_snippets(content)
    assert files == {} and [p.location.line for p in found] == [line_no(check, "b.svg")]


def test_plain_snippets_keep_the_fast_path(starter: Path) -> None:
    _course, content, _problems = check_and_prepare(starter)
    assert content is not None
    texts = [q.prompt for quiz in content.course.quizzes for q in quiz.questions]
    texts += [o for lesson in content.course.lessons for o in lesson.objectives]
    assert texts and not any(isinstance(t, Snippet) for t in texts)
    assert content.inline("*Plain* text") == "<em>Plain</em> text"


# ------------------------------------------------------------------ 2. raw HTML

@pytest.mark.parametrize("html, message", [
    ('<img src="https://example.org/x.png" alt="x">', "'https://example.org/x.png' is loaded from the internet"),
    ('<img src="//example.org/x.png" alt="x">', "is loaded from the internet"),
    ('<img src="a.png" srcset="https://example.org/x.png 2x" alt="x">', "is loaded from the internet"),
    ('<iframe src="https://example.org/embed"></iframe>', "raw HTML <iframe> is not allowed in lessons"),
    ("<script>alert(1)</script>", "raw HTML <script> is not allowed in lessons; packages run only the "
                                  "builder's runtime"),
    ('<style>body { color: red }</style>', "raw HTML <style> is not allowed"),
    ('<span onclick="steal()">hi</span>', "raw HTML attribute 'onclick' runs a script"),
    ('<img src="../media/pic.svg">', "raw HTML image has no alt text"),
    ('<img src="../media/pic.svg" alt="A picture">', "uses '../media/pic.svg', which is not put into the package"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "runs a script"),
    ('<div style="background: url(https://example.org/bg.png)">x</div>', "is loaded from the internet"),
])
def test_raw_html_rules_in_lessons(starter: Path, html: str, message: str) -> None:
    write(starter / "media/pic.svg", SVG)
    lesson = starter / "lessons/02-next-steps.md"
    edit(lesson, "The knowledge check below", f"Before.\n\n{html}\n\nThe knowledge check below")
    p = find(problems_of(starter), lesson, line_no(lesson, html[:12]), message)
    assert p.is_error


def test_internet_image_in_a_lesson_is_reported_once(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", '## A section\n\n<img src="https://example.org/x.png" alt="x">')
    problems = problems_of(starter)
    assert len(problems) == 1 and problems[0].location.path == lesson, listing(problems)
    with pytest.raises(TemplateError) as info:  # rendering without a check refuses it too
        render_files(load_course(starter), "1.2")
    assert "'https://example.org/x.png' is loaded from the internet (while rendering 01-welcome.html)" \
        in info.value.message


def test_raw_local_image_hint_and_inline_html(starter: Path) -> None:
    write(starter / "media/pic.svg", SVG)
    lesson = starter / "lessons/02-next-steps.md"
    edit(lesson, "The knowledge check below", "Text <img src=\"../media/pic.svg\" alt=\"P\"> and "
         "<kbd>Ctrl</kbd> and &copy; and <br>.\n\nThe knowledge check below")
    problems = problems_of(starter)
    p = find(problems, lesson, line_no(lesson, "<img"), "is not put into the package")
    assert "![alt](path)" in (p.hint or "")
    assert len(problems) == 1, listing(problems)  # <kbd>, entities and <br> are fine


def test_javascript_markdown_link_is_an_error_and_removed(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n[js](javascript:alert(1)) and [ok](https://example.org)")
    problems = problems_of(starter)
    find(problems, lesson, line_no(lesson, "[js]"), "runs a script")
    assert len(errors(problems)) == 1, listing(problems)


def test_raw_html_in_quiz_feedback(starter: Path) -> None:
    check = starter / "quizzes/check.yml"
    edit(check, "correct: Right. Each lesson is one Markdown file.",
         "correct: 'Right. <img src=\"x.png\" onerror=\"alert(1)\">'")
    problems = problems_of(starter)
    find(problems, check, line_no(check, "onerror"), "raw HTML attribute 'onerror' runs a script")
    find(problems, check, line_no(check, "onerror"), "raw HTML image has no alt text")


def test_data_uri_images_are_accepted(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    edit(lesson, "## A section", f"## A section\n\n![A dot]({pixel})\n\n![Odd](data:text/html,hi)")
    problems = problems_of(starter)
    odd = find(problems, lesson, line_no(lesson, "![Odd]"), "uses 'data:', which packages do not allow")
    assert "data:image/" in (odd.hint or "")  # the URL-scheme allow-list (issue 10) reports it
    assert len(problems) == 1, listing(problems)
    edit(lesson, "\n\n![Odd](data:text/html,hi)", "")
    files = render_files(load_course(starter), "1.2")
    assert lxml_html.fromstring(files["01-welcome.html"]).xpath("//img[@alt='A dot']/@src") == [pixel]


def test_template_loading_from_a_cdn_is_a_problem(starter: Path) -> None:
    base = starter / "templates/base.html"
    theme = (Path(__file__).resolve().parent.parent / "templates/base.html").read_text(encoding="utf-8")
    write(base, theme.replace("</head>", '<script src="https://cdn.example.org/lib.js"></script>\n</head>'))
    problems = problems_of(starter)
    p = find(problems, base, line_no(base, "cdn.example.org"), "'https://cdn.example.org/lib.js' is loaded "
             "from the internet")
    assert "other page(s)" in p.message  # one problem for every page the template broke
    assert len(problems) == 1, listing(problems)
    with pytest.raises(TemplateError) as info:
        build_course(starter, out=starter.parent / "dist")
    assert "cdn.example.org" in info.value.message and info.value.location is not None
    assert not (starter.parent / "dist").exists()


def test_template_stylesheet_from_the_internet(starter: Path) -> None:
    write(starter / "templates/lesson.html", '{% extends "base.html" %}{% block main %}'
          '<link rel="stylesheet" href="//fonts.example.org/css">{{ content }}{% endblock %}')
    find(problems_of(starter), starter / "templates/lesson.html", 1, "is loaded from the internet")


# ------------------------------------------------------------------ 3. strings.yml

@pytest.mark.parametrize("text, line, message", [
    ("en:\n  menu: Menu\n  next: a: b\n", 3, "YAML syntax error"),
    ("- en\n- fr\n", 1, "strings.yml must map each language to its labels"),
    ("en:\n  - menu\n", 1, "'en' must hold 'label: text' lines"),
    ("en:\n  menu:\n    nested: x\n", 2, "label 'menu' of 'en' must be a text"),
    ("en:\n  menu: Menu\n  menu: Again\n", 3, "duplicate key 'menu'"),
])
def test_broken_strings_file_is_located(starter: Path, text: str, line: int, message: str) -> None:
    strings = starter / "templates/strings.yml"
    write(strings, text)
    find(problems_of(starter), strings, line, message)
    with pytest.raises(ContentError):
        build_course(starter, out=starter.parent / "dist")
    result = CliRunner().invoke(cli, ["build", str(starter), "--out", str(starter.parent / "dist")])
    assert result.exit_code == 1 and "Internal error" not in result.output
    assert message in result.output


def test_course_strings_override_some_labels(starter: Path) -> None:
    write(starter / "templates/strings.yml", "en:\n  next: Onwards\n")
    assert problems_of(starter) == []
    files = render_files(load_course(starter), "1.2")
    assert b">Onwards</a>" in files["index.html"]


# ------------------------------------------------------------------ 4. templates at check time

def test_check_reports_template_syntax_error_with_its_line(starter: Path) -> None:
    lesson_tpl = starter / "templates/lesson.html"
    write(lesson_tpl, '{% extends "base.html" %}\n{% block main %}\n<h1>{{ lesson.title </h1>\n{% endblock %}\n')
    problems = problems_of(starter)
    p = find(problems, lesson_tpl, 3, "")
    assert p.is_error and "while rendering" in p.message
    result = CliRunner().invoke(cli, ["check", str(starter)])
    assert result.exit_code == 1 and f"{lesson_tpl}:3: error[template-error]:" in result.output


def test_check_reports_unknown_variable_once_for_all_pages(starter: Path) -> None:
    lesson_tpl = starter / "templates/lesson.html"
    write(lesson_tpl, '{% extends "base.html" %}\n{% block main %}\n{{ lesson.no_such_thing }}\n{% endblock %}\n')
    problems = problems_of(starter)
    p = find(problems, lesson_tpl, 3, "no_such_thing")
    assert "01-welcome.html and 1 other page(s)" in p.message
    assert len(problems) == 1, listing(problems)


def test_template_error_carries_its_location(starter: Path) -> None:
    write(starter / "templates/lesson.html", "line one\n{{ page.no_such_thing }}\n")
    with pytest.raises(TemplateError) as info:
        render_files(load_course(starter), "1.2")
    assert info.value.location is not None and info.value.location.line == 2
    assert info.value.location.path.name == "lesson.html"
    assert "lesson.html:2" in info.value.message


def test_template_reading_scorm_is_checked_for_each_version(starter: Path) -> None:
    write(starter / "templates/index.html", '{% extends "base.html" %}{% block main %}'
          '{{ {"1.2": "one"}[scorm] }}{% endblock %}')
    p = find(problems_of(starter), starter / "templates/index.html", 1, "")
    assert "index.html" in p.message


def test_check_without_render_leaves_templates_to_the_build(starter: Path) -> None:
    write(starter / "templates/lesson.html", "{{ lesson.title\n")
    assert check_and_prepare(starter, render=False)[2] == []
    assert check_and_prepare(starter)[2]


# ------------------------------------------------------------------ 5. section links

def test_section_links_are_checked(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section {#intro}\n\n"
         "[next](02-next-steps.md#no-such-section) [here](#nowhere) [click here]() "
         "[fine](02-next-steps.md#try-it) [self](#intro) [note](#fn:1) [top](#)")
    problems = problems_of(starter)
    line = line_no(lesson, "[click here]()")
    p = find(problems, lesson, line, "section '#no-such-section' not found in lesson '02-next-steps'")
    assert p.hint == "its sections: #try-it"
    p = find(problems, lesson, line, "section '#nowhere' not found in lesson '01-welcome'")
    find(problems, lesson, line, "the link 'click here' has no target")
    assert len(problems) == 3, listing(problems)


def test_section_link_suggests_a_close_id(starter: Path) -> None:
    lesson = starter / "lessons/02-next-steps.md"
    edit(lesson, "The knowledge check below", "See [the section](01-welcome.md#a-sectoin).\n\n"
         "The knowledge check below")
    p = find(problems_of(starter), lesson, line_no(lesson, "a-sectoin"), "section '#a-sectoin' not found")
    assert p.hint == "did you mean '#a-section'?"


def test_section_link_in_a_quiz(starter: Path) -> None:
    check = starter / "quizzes/check.yml"
    edit(check, "incorrect: Each lesson is one Markdown file with front matter.",
         "incorrect: \"See [the section](../lessons/01-welcome.md#b-section) and [this](#try-it).\"")
    problems = problems_of(starter)
    find(problems, check, line_no(check, "b-section"), "section '#b-section' not found in lesson '01-welcome'")
    assert len(problems) == 1, listing(problems)  # '#try-it' is on the quiz's own lesson page


# ------------------------------------------------------------------ 6. likely mistakes (warnings)

def test_stray_fence_is_a_warning_at_its_line(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "[^1]: A footnote", ":::\n\n[^1]: A footnote")
    problems = problems_of(starter)
    p = find(problems, lesson, _last_line(lesson, ":::"), "this ':::' line does not belong to a block")
    assert not p.is_error
    assert CliRunner().invoke(cli, ["check", "--strict", str(starter)]).exit_code == 1


def _last_line(path: Path, exact: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return max(n for n, line in enumerate(lines, 1) if line == exact)


def test_undefined_footnote_is_a_warning(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\nA claim[^2] and `code [^x]`.")
    problems = problems_of(starter)
    p = find(problems, lesson, line_no(lesson, "[^2]"), "footnote '[^2]' has no definition")
    assert not p.is_error and len(problems) == 1, listing(problems)


def test_empty_lesson_is_a_warning(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    text = lesson.read_text(encoding="utf-8")
    write(lesson, text[:text.index("Write the lesson")])
    p = find(problems_of(starter), lesson, _last_line(lesson, "---"), "the lesson has no text")
    assert not p.is_error


def test_unlisted_lesson_file_is_a_warning(starter: Path) -> None:
    draft = starter / "lessons/drafts/03-draft.md"
    write(draft, "---\ntitle: Draft\n---\nText\n")
    write(starter / "lessons/.hidden.md", "x")
    problems = problems_of(starter)
    p = find(problems, draft, None, "'lessons/drafts/03-draft.md' is not listed in course.yml; add it to a "
             "module or delete it")
    assert not p.is_error and len(problems) == 1, listing(problems)


def test_listed_lesson_that_fails_is_not_called_not_a_lesson(starter: Path) -> None:
    nxt = starter / "lessons/02-next-steps.md"
    edit(nxt, "title: Next steps", "title: Next steps\nid: Bad_Id")
    problems = problems_of(starter)
    find(problems, nxt, line_no(nxt, "id: Bad_Id"), "lesson id 'Bad_Id' is not usable")
    no_problem(problems, "is not a lesson of this course")


def test_listed_lesson_files_include_lessons_that_failed_to_load(starter: Path) -> None:
    lesson = starter / "lessons/02-next-steps.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("title: Next steps", "id: Bad Id\ntitle: Next steps"),
                      encoding="utf-8")
    course, _problems = read_course(starter)
    assert course is not None and [les.id for les in course.lessons] == ["01-welcome"]
    expected = {(starter / "lessons" / n).resolve() for n in ("01-welcome.md", "02-next-steps.md")}
    assert frozenset(course.lesson_files) == expected


def test_unknown_template_file_is_a_warning(starter: Path) -> None:
    write(starter / "templates/lesson.htm", "x")
    write(starter / "templates/assets/logo.svg", SVG)
    write(starter / "templates/parts/footer.html", "<p>footer</p>")
    theme = (Path(__file__).resolve().parent.parent / "templates/base.html").read_text(encoding="utf-8")
    include = '{% include "parts/footer.html" %}</footer>'
    write(starter / "templates/base.html", theme.replace("</footer>", include))
    problems = problems_of(starter)
    p = find(problems, starter / "templates/lesson.htm", None, "'templates/lesson.htm' is not a file of the theme")
    assert p.hint == "did you mean 'lesson.html'?" and not p.is_error
    assert len(problems) == 1, listing(problems)


def test_example_course_output_is_unchanged_by_the_checks(repo_root: Path) -> None:
    course, content, problems = check_and_prepare(repo_root / "courses/migration-local-development")
    assert course is not None and content is not None and problems == [], listing(problems)
    fresh = render_files(load_course(repo_root / "courses/migration-local-development"), "2004")
    assert Renderer(course, content).render_all("2004", "scorm2004") == fresh
