"""The theme: '!theme/' overrides that extend what they replace, the template contract, lang/dir.

Each test changes the templates of a fresh starter course the way an author could and
checks what ``builder check`` (and ``builder build``) say, with the file and line.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from builder.build import build_course
from builder.check import check_and_prepare, theme_samples
from builder.cli import cli
from builder.course import load_course
from builder.errors import ContentError, Problem
from builder.locale import text_direction
from tests.render_helpers import render_files
from builder.theme import check_theme, default_theme_dir, theme_dirs
from tests.test_check import edit, find, line_no, problems_of

THEME = default_theme_dir()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def listing(problems: list[Problem]) -> str:
    return "\n".join(p.format() for p in problems)


def theme_copy(name: str) -> str:
    return (THEME / name).read_text(encoding="utf-8")


# ------------------------------------------------------------------ overrides that extend

def test_override_extends_the_template_it_replaces(starter: Path) -> None:
    write(starter / "templates/lesson.html",
          '{% extends "!theme/lesson.html" %}\n'
          '{% block lesson_text %}{{ super() }}<p class="after-text">Ask your trainer.</p>{% endblock %}\n')
    assert problems_of(starter) == []
    files = render_files(load_course(starter), "2004")
    doc = lxml_html.fromstring(files["01-welcome.html"])
    body = doc.xpath("//div[@class='lesson-body']")[0]
    assert body.getnext().get("class") == "after-text"  # added right after the lesson text
    assert doc.xpath("string(//main/h1)") == "Welcome"  # the rest of the theme's page is kept
    quiz_page = lxml_html.fromstring(files["02-next-steps.html"])
    assert quiz_page.xpath("count(//form[@data-quiz='check'])") == 1
    assert b"after-text" not in files["index.html"]


def test_base_override_applies_to_the_theme_pages_too(starter: Path) -> None:
    write(starter / "templates/assets/brand.css", "h1 { color: #800000; }\n")
    write(starter / "templates/base.html", '{% extends "!theme/base.html" %}\n'
          '{% block head %}<link rel="stylesheet" href="assets/brand.css">{% endblock %}\n')
    assert problems_of(starter) == []
    files = render_files(load_course(starter), "1.2")
    for name in ("index.html", "01-welcome.html", "assessment.html"):
        doc = lxml_html.fromstring(files[name])
        assert doc.xpath("//head/link[@rel='stylesheet']/@href") == ["assets/course.css", "assets/brand.css"]
    assert files["assets/brand.css"] == b"h1 { color: #800000; }\n"


def test_an_override_that_extends_itself_is_an_error(starter: Path) -> None:
    lesson = write(starter / "templates/lesson.html",
                   '{% extends "lesson.html" %}\n{% block main %}{{ super() }}{% endblock %}\n')
    p = find(problems_of(starter), lesson, 1, "'lesson.html' extends itself")
    assert '{% extends "!theme/lesson.html" %}' in p.hint
    result = CliRunner().invoke(cli, ["build", str(starter), "--out", str(starter.parent / "dist")])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"{lesson}:1: error[extends-itself]: 'lesson.html' extends itself" in result.output
    assert not (starter.parent / "dist").exists() or not list((starter.parent / "dist").iterdir())


# ------------------------------------------------------------------ blocks that do not exist

def test_the_content_block_bug_is_found_by_check_and_build(starter: Path) -> None:
    """Issue 8: a lesson.html filling 'content' (the block is 'main') used to pass --strict."""
    lesson = write(starter / "templates/lesson.html",
                   '{% extends "base.html" %}\n{% block content %}\n<h1 tabindex="-1">{{ page.title }}</h1>\n'
                   "{{ content }}\n{% endblock %}\n")
    problems = problems_of(starter)
    unknown = find(problems, lesson, 2, "block 'content' is not a block of base.html, so it is never shown")
    assert unknown.is_error and "main" in unknown.hint and unknown.rule == "unknown-block"
    lost = find(problems, lesson, 1, "pages rendered from lesson.html lack what the learner runtime needs")
    assert lost.is_error and lost.rule == "theme-contract"
    assert "the lesson text" in lost.message and "<h1> in <main>" in lost.message
    assert "quiz 'check'" in lost.message and "!theme/lesson.html" in lost.hint
    result = CliRunner().invoke(cli, ["check", "--strict", str(starter)])
    assert result.exit_code == 1
    assert f"{lesson}:2: error[unknown-block]: block 'content' is not a block of base.html" in result.output
    with pytest.raises(ContentError) as info:
        build_course(starter, out=starter.parent / "dist")
    assert any(p.location.path == lesson for p in info.value.problems)
    assert not (starter.parent / "dist").exists()


def test_a_misspelt_block_gets_did_you_mean(starter: Path) -> None:
    lesson = write(starter / "templates/lesson.html",
                   '{% extends "!theme/lesson.html" %}\n\n{% block lesson_txt %}{{ super() }}<p>x</p>{% endblock %}\n')
    p = find(problems_of(starter), lesson, 3, "block 'lesson_txt' is not a block of !theme/lesson.html")
    assert p.hint == "did you mean 'lesson_text'?"


def test_blocks_nested_in_a_filled_block_are_fine(starter: Path) -> None:
    write(starter / "templates/index.html", '{% extends "!theme/index.html" %}\n'
          '{% block main %}{{ super() }}{% block extra %}<p>More</p>{% endblock %}{% endblock %}\n')
    assert problems_of(starter) == []


def test_text_outside_blocks_is_a_warning(starter: Path) -> None:
    index = write(starter / "templates/index.html",
                  '{% extends "!theme/index.html" %}\n<p>Lost words</p>\n{% block about %}{% endblock %}\n')
    p = find(problems_of(starter), index, 2, "text outside a block is not shown")
    assert not p.is_error and p.rule == "text-outside-blocks"


def test_an_unreadable_template_file_is_no_internal_error(starter: Path) -> None:
    (starter / "templates").mkdir()
    (starter / "templates/notes.html").write_bytes(b"\xff\xfe not UTF-8")
    result = CliRunner().invoke(cli, ["check", str(starter)])
    assert result.exit_code == 0, result.output  # 2 was an internal error
    assert "'templates/notes.html' is not a file of the theme" in result.output


# ------------------------------------------------------------------ what the runtime needs

def test_replacing_main_without_the_content_names_the_block(starter: Path) -> None:
    lesson = write(starter / "templates/lesson.html",
                   '{% extends "!theme/lesson.html" %}\n{# my lesson page #}\n'
                   '{% block main %}\n<h1 tabindex="-1">{{ page.title }}</h1>\n{% endblock %}\n')
    problems = problems_of(starter)
    p = find(problems, lesson, 3, "lesson.html lack what the learner runtime needs: the lesson text")
    assert "quiz 'check'" in p.message and "<h1>" not in p.message
    assert len([x for x in problems if x.is_error]) == 1, listing(problems)
    edit(lesson, '<h1 tabindex="-1">{{ page.title }}</h1>', "{{ super() }}<p>Extra</p>")
    assert problems_of(starter) == []


def test_a_base_without_the_menu_block_is_blamed_on_that_block(starter: Path) -> None:
    base = write(starter / "templates/base.html",
                 '{% extends "!theme/base.html" %}\n{% block menu %}<nav>my menu</nav>{% endblock %}\n')
    problems = problems_of(starter)
    for page in ("index", "lesson", "assessment"):
        p = find(problems, base, 2, f"pages rendered from {page}.html lack what the learner runtime needs")
        assert p.message.endswith('the course menu <nav id="course-menu">')


def test_a_whole_base_replacement_must_keep_scripts_and_labels(starter: Path) -> None:
    text = theme_copy("base.html")
    assert '<script src="assets/runtime.js" defer></script>\n' in text
    text = text.replace('<script src="assets/runtime.js" defer></script>\n', "")
    text = text.replace('"exit_done": ui.exit_done,', "")
    base = write(starter / "templates/base.html", text)
    p = find(problems_of(starter), base, 1, "pages rendered from lesson.html lack what the learner runtime needs")
    assert '<script src="assets/runtime.js">' in p.message and "exit_done" in p.message
    assert 'src="assets/course.js"' not in p.message


def test_a_quiz_override_without_results_is_blamed_on_quiz_html(starter: Path) -> None:
    text = theme_copy("quiz.html")
    start = text.index('<section class="quiz-results"')
    end = text.index("</section>", start) + len("</section>\n")
    quiz = write(starter / "templates/quiz.html", text[:start] + text[end:])
    problems = problems_of(starter)
    for page in ("lesson", "assessment"):
        p = find(problems, quiz, 1, f"pages rendered from {page}.html lack what the learner runtime needs")
        assert "its .quiz-results with .quiz-score" in p.message
    assert all(p.location.path == quiz for p in problems), listing(problems)


def test_every_question_keeps_its_fieldset(starter: Path) -> None:
    quiz = write(starter / "templates/quiz.html",
                 theme_copy("quiz.html").replace('data-question="{{ q.id }}"', ""))
    p = find(problems_of(starter), quiz, 1, "pages rendered from assessment.html lack what the learner runtime needs")
    assert "<fieldset data-question=\"q1\"> with a .question-feedback" in p.message


def test_the_default_theme_keeps_its_own_contract(repo_root: Path) -> None:
    for course_dir in (repo_root / "courses/migration-local-development",
                       repo_root / "tests/courses/all-question-types"):
        course, content, problems = check_and_prepare(course_dir)
        assert course is not None and content is not None and problems == [], listing(problems)
        samples = list(theme_samples(content))
        assert {s.template for s in samples} == {"index.html", "lesson.html", "assessment.html"}
        assert any(s.content and s.template == "lesson.html" for s in samples)
        assert any(s.quizzes for s in samples)
        assert check_theme(theme_dirs(course), samples) == []


def test_the_contract_checks_rendered_pages(starter: Path) -> None:
    """A sample page missing its hooks fails even with no override to blame (default theme)."""
    course = load_course(starter)
    sample = next(s for s in theme_samples(check_and_prepare(starter)[1]) if s.template == "lesson.html")
    broken = type(sample)(sample.template, sample.page_id, sample.html.replace(b'id="course-menu"', b""),
                          sample.content, sample.quizzes)
    problems = check_theme(theme_dirs(course), [broken])
    assert len(problems) == 1 and problems[0].location.path == THEME / "lesson.html"
    assert "course-menu" in problems[0].message


# ------------------------------------------------------------------ lang and dir

@pytest.mark.parametrize(("tag", "direction"), [
    ("en", "ltr"), ("fr-CA", "ltr"), ("ar", "rtl"), ("ar-EG", "rtl"), ("he", "rtl"), ("fa", "rtl"),
    ("ur", "rtl"), ("ps", "rtl"), ("yi", "rtl"), ("az-Arab", "rtl"), ("pa-Arab-PK", "rtl"),
    ("ku-Latn", "ltr"), ("sd-Deva", "ltr"), ("", "ltr")])
def test_text_direction(tag: str, direction: str) -> None:
    assert text_direction(tag) == direction


def test_html_carries_lang_and_dir(starter: Path) -> None:
    course_yml = starter / "course.yml"
    files = render_files(load_course(starter), None)
    assert lxml_html.fromstring(files["index.html"]).xpath("/html/@dir") == ["ltr"]
    edit(course_yml, "language: en", "language: he")
    files = render_files(load_course(starter), None)
    for name in ("index.html", "01-welcome.html", "assessment.html"):
        root = lxml_html.fromstring(files[name])
        assert (root.get("lang"), root.get("dir")) == ("he", "rtl")
    assert line_no(course_yml, "language: he")
