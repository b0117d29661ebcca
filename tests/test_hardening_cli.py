"""Issue 10: what the command line prints (-q, -v, --strict, template errors, --help, new)."""
from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import cli
from builder.scaffold import create_course, today
from tests.test_check import edit


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with one starter course, as the current folder."""
    monkeypatch.chdir(tmp_path)
    create_course(tmp_path / "courses", "demo", "Demo")
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_quiet_check_prints_nothing_when_all_is_well(project: Path) -> None:
    assert run("-q", "check") == (0, "")
    code, output = run("check")
    assert code == 0 and "courses/demo: OK (2 lessons, 2 quizzes)" in output


def test_quiet_check_still_prints_problems(project: Path) -> None:
    edit(project / "courses/demo/course.yml", "language: en", "language: e_n")
    code, output = run("-q", "check")
    assert code == 1 and "course.yml:6: error: 'e_n' is not a language tag" in output
    assert "courses/demo: 1 error(s)" in output and "OK" not in output


def test_verbose_check_adds_detail(project: Path) -> None:
    (project / "courses/demo/media/pic.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    edit(project / "courses/demo/lessons/01-welcome.md", "## A section", "## A section\n\n![P](../media/pic.svg)")
    _code, plain = run("check")
    code, verbose = run("-v", "check")
    assert code == 0
    for line in ("lesson 01-welcome: lessons/01-welcome.md", "lesson 02-next-steps: lessons/02-next-steps.md "
                 "(quiz check)", "assessment: quizzes/final.yml", "file: media/pic.svg", "checked in"):
        assert line in verbose and line not in plain


def test_strict_build_prints_each_warning_once_and_says_why(project: Path) -> None:
    edit(project / "courses/demo/lessons/01-welcome.md", "## A section", "### A skipped level")
    code, output = run("build", "--strict")
    assert code == 1
    assert output.count("skips a level") == 1, output
    assert "courses/demo: not built: --strict treats the 1 warning(s) above as errors" in output
    assert not (project / "dist").exists() or not list((project / "dist").glob("*.zip"))
    code, output = run("check", "--strict")
    assert code == 1 and output.count("skips a level") == 1
    assert "courses/demo: 0 error(s), 1 warning(s) (--strict: warnings count as errors)" in output


def test_build_errors_name_the_course(project: Path) -> None:
    edit(project / "courses/demo/course.yml", "language: en", "language: e_n")
    code, output = run("build")
    assert code == 1 and re.search(r"^courses/demo: 1 error\(s\), \d warning\(s\)$", output, re.M), output


def test_template_errors_look_the_same_in_build_and_check(project: Path) -> None:
    templates = project / "courses/demo/templates"
    templates.mkdir()
    theme = (Path(__file__).resolve().parent.parent / "templates/lesson.html").read_text(encoding="utf-8")
    (templates / "lesson.html").write_text(theme.replace("{% block main %}", "{% block main %}{{ nope.x }}", 1),
                                           encoding="utf-8")
    _code, checked = run("check")
    code, built = run("build")
    assert code == 1
    pattern = re.compile(r"^(courses/demo/templates/lesson\.html:\d+): error\[template-error\]: ('nope' is undefined)", re.M)
    c, b = pattern.search(checked), pattern.search(built)
    assert c and b, (checked, built)
    assert c.groups() == b.groups()
    hint = "    hint: fix the template; 'builder check' and 'builder build' both stop at this error"
    assert hint in checked and hint in built
    assert str(project) not in built  # a relative path, as check prints it


def test_verbose_build_shows_no_staging_paths(project: Path) -> None:
    code, output = run("-v", "build")
    assert code == 0 and "wrote demo-0.1.0-scorm12.zip" in output
    assert ".builder-" not in output and "built dist/demo-0.1.0-scorm12.zip" in output


def test_help_shows_whole_command_descriptions(project: Path) -> None:
    code, output = run("--help")
    assert code == 0 and "..." not in output.split("Commands:")[1]
    words = " ".join(output.split())
    assert "check Check COURSE folders and list every problem as path:line: message." in words
    assert "new Create a new course folder SLUG that builds and passes 'check' right away." in words


def test_new_writes_todays_date(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.datetime.now(datetime.UTC).date().isoformat()
    assert run("new", "fresh")[0] == 0
    after = datetime.datetime.now(datetime.UTC).date().isoformat()
    text = (project / "courses/fresh/course.yml").read_text(encoding="utf-8")
    assert f"date: {before}" in text or f"date: {after}" in text
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert run("new", "pinned")[0] == 0
    assert "date: 2026-01-01\n" in (project / "courses/pinned/course.yml").read_text(encoding="utf-8")
    assert today({"SOURCE_DATE_EPOCH": "0"}) == "1970-01-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    code, output = run("new", "broken")
    assert code == 1 and "SOURCE_DATE_EPOCH='soon' is not a number of seconds" in output
