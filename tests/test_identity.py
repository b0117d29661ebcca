"""The course identity (``theme:`` in course.yml, lesson banners): checks, files and pages."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.build import build_course
from builder.check import check_and_prepare
from builder.cli import cli
from builder.errors import Problem
from builder.identity import FONT_STACKS, accessible_shade, contrast, wash

LOOK = Path(__file__).resolve().parent / "courses" / "look"


@pytest.fixture
def look(tmp_path: Path) -> Path:
    """A copy of tests/courses/look that a test may edit."""
    dest = tmp_path / "courses" / "look"
    shutil.copytree(LOOK, dest)
    return dest


def problems_of(course: Path) -> list[Problem]:
    return check_and_prepare(course)[2]


def set_theme(course: Path, theme: str) -> Path:
    """Replace the theme block of *course*'s course.yml with *theme* (YAML lines); return course.yml."""
    config = course / "course.yml"
    text = config.read_text(encoding="utf-8")
    start, end = text.index("theme:\n"), text.index("packaging:")
    config.write_text(text[:start] + theme + text[end:], encoding="utf-8")
    return config


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def only(problems: list[Problem], path: Path, line: int) -> Problem:
    found = [p for p in problems if p.location.path == path and p.location.line == line]
    assert len(found) == 1, "\n".join(p.format() for p in problems)
    return found[0]


def test_the_look_course_is_clean_and_ships_its_pictures(look: Path, tmp_path: Path) -> None:
    assert problems_of(look) == []
    built = build_course(look, formats=("scorm2004",), out=tmp_path / "dist")
    with zipfile.ZipFile(built.packages[0].path) as archive:
        names = set(archive.namelist())
        index = archive.read("index.html").decode()
        lesson = archive.read("01-a-full-lesson.html").decode()
    assert {"media/logo.svg", "media/cover.svg", "media/banner.svg", "media/steps.svg"} <= names
    assert '<style>:root{--brand:#6929c4;--brand-dark:' in index and f"--font:{FONT_STACKS['sans']}" in index
    assert '<img class="logo" src="media/logo.svg" alt="Neighbours network">' in index
    # the cover and the banner are on screen at once: not lazy; pictures in the text are
    assert '<img class="cover" src="media/cover.svg" alt="" role="presentation">' in index
    assert '<img class="banner" src="media/banner.svg" alt="" role="presentation">' in lesson
    assert 'loading="lazy" src="media/steps.svg"' in lesson


def test_a_colour_below_aa_is_darkened_with_a_located_warning(look: Path) -> None:
    config = set_theme(look, 'theme:\n  colour: "#f5a623"\n')
    [problem] = problems_of(look)
    assert (problem.location.path, problem.location.line, problem.severity) == (config, line_of(config, "  colour:"),
                                                                                 "warning")
    shade = accessible_shade("#f5a623")
    assert "2.02:1 on white" in problem.message and f"the darker shade {shade}" in problem.message
    assert contrast(shade, "#ffffff") >= 4.5 and contrast(shade, wash("#f5a623")) >= 4.5
    result = CliRunner().invoke(cli, ["check", "--strict", str(look)])
    assert result.exit_code == 1 and f'colour: "{shade}"' in result.output


def test_an_accessible_colour_is_used_as_written() -> None:
    assert accessible_shade("#0b6e69") == "#0b6e69"
    assert accessible_shade("#000") == "#000"


@pytest.mark.parametrize(("theme", "needle", "message"), [
    ('theme:\n  colour: teal\n', "colour", "theme colour 'teal' is not a hex colour"),
    ('theme:\n  font: comic\n', "font", "unknown font 'comic'"),
    ('theme:\n  font: {file: "https://fonts.example.org/x.woff2"}\n', "font", "is outside the package"),
    ('theme:\n  font: {file: fonts/missing.woff2}\n', "font", "not found"),
    ('theme:\n  font: {file: media/logo.svg}\n', "font", "is not a .woff2 or .woff file"),
    ('theme:\n  logo: {file: media/logo.svg}\n', "logo", "the logo has no alt text"),
    ('theme:\n  cover: {file: media/cover.svg, alt: Town, decorative: true}\n', "cover",
     "the cover is marked decorative but has alt text"),
    ('theme:\n  cover: {file: "https://example.org/c.png", alt: Town}\n', "cover", "is loaded from the internet"),
    ('theme:\n  colour: "#123456"\n  colours: "#123456"\n', "colours", "colours"),
])
def test_wrong_theme_values_are_located_errors(look: Path, theme: str, needle: str, message: str) -> None:
    config = set_theme(look, theme)
    line = line_of(config, f"  {needle}:")
    problem = only(problems_of(look), config, line)
    assert message in problem.message and problem.is_error, problem.format()
    result = CliRunner().invoke(cli, ["build", str(look), "--out", str(look.parent / "dist")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"course.yml:{line}: error" in result.output
    assert not (look.parent / "dist").exists() or not any((look.parent / "dist").iterdir())


def test_a_font_file_in_the_course_gets_a_font_face(look: Path, tmp_path: Path) -> None:
    (look / "fonts").mkdir()
    (look / "fonts" / "Reader.woff2").write_bytes(b"wOF2 not a real font, only its place matters here")
    set_theme(look, 'theme:\n  font: {file: fonts/Reader.woff2, family: Reader Sans, fallback: humanist}\n')
    assert problems_of(look) == []
    built = build_course(look, formats=("scorm12",), out=tmp_path / "dist")
    with zipfile.ZipFile(built.packages[0].path) as archive:
        index = archive.read("index.html").decode()
        assert "fonts/Reader.woff2" in archive.namelist()
    assert '@font-face{font-family:"Reader Sans";src:url("fonts/Reader.woff2") format("woff2")' in index
    assert f'--font:"Reader Sans", {FONT_STACKS["humanist"]}' in index


def test_banner_problems_are_located_in_the_front_matter(look: Path) -> None:
    lesson = look / "lessons" / "01-a-full-lesson.md"
    text = lesson.read_text(encoding="utf-8").replace("banner_decorative: true\n", "")
    lesson.write_text(text, encoding="utf-8")
    problem = only(problems_of(look), lesson, line_of(lesson, "banner:"))
    assert "the banner has no alt text" in problem.message and "banner_alt" in (problem.hint or "")
    short = look / "lessons" / "02-short.md"
    short.write_text(short.read_text(encoding="utf-8").replace("title: Short", "title: Short\nbanner_alt: Sky"),
                     encoding="utf-8")
    assert "'banner_alt' without 'banner'" in only(problems_of(look), short, 3).message


def test_the_printed_title_page_shows_the_logo_and_the_cover() -> None:
    from builder.build import load_checked
    from builder.printed.document import render_print_html

    _course, renderer, _warnings = load_checked(LOOK)
    html = render_print_html(renderer.course, renderer.content, "workbook")
    title_page = html[html.index('<section class="cover"'):html.index("</section>")]
    assert '<img class="cover-logo" src="media/logo.svg" alt="Neighbours network">' in title_page
    # a decorative cover is a background: a tagged PDF leaves it out of its structure
    assert '<div class="cover-picture" style="background-image: url(\'media/cover.svg\')"></div>' in title_page
