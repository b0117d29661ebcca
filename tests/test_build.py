"""Build orchestration: the `builder build` command, build options and unpacked site builds."""
from __future__ import annotations

import dataclasses
import logging
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.build import build_course, package_name
from builder.cli import cli
from builder.errors import ConfigError, ContentError
from tests.shared import REPO, validate_zip

MINIMAL = Path(__file__).parent / "courses" / "minimal"


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A private copy of the minimal test course."""
    return Path(shutil.copytree(MINIMAL, tmp_path / "src" / "minimal"))


def listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def break_quiz(course_dir: Path) -> None:
    quiz = "title: Final\nquestions:\n  - type: single\n    prompt: Which?\n    choices: []\n"
    (course_dir / "quizzes" / "final.yml").write_text(quiz)


# --- the command line --------------------------------------------------------------------

def test_cli_builds_every_format_with_progress_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["build", str(MINIMAL), "--format", "all", "--out", str(out)])
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in out.iterdir())
    assert made == ["minimal-1.0.0-handbook.pdf", "minimal-1.0.0-scorm12.zip", "minimal-1.0.0-scorm2004.zip",
                    "minimal-1.0.0-web", "minimal-1.0.0-web.zip", "minimal-1.0.0-workbook.pdf"]
    lines = [line for line in result.output.splitlines() if line.strip()]
    built = [line for line in lines if "built " in line]
    assert len(built) == 5
    assert "SCORM 1.2" in built[0] and "SCORM 2004 4th Edition" in built[1] and "website" in built[2]
    assert "handbook" in built[3] and "workbook" in built[4]
    assert "5 package(s)" in lines[-1]
    for pdf in out.glob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF-")
    for path in out.glob("*-scorm*.zip"):
        validate_zip(path)


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_cli_single_format(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["build", str(MINIMAL), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == [f"minimal-1.0.0-{fmt}.zip"]


def test_cli_broken_course_reports_path_line_and_keeps_dist(tmp_path: Path, course_dir: Path) -> None:
    break_quiz(course_dir)
    out = tmp_path / "dist"
    out.mkdir()
    (out / "old.zip").write_bytes(b"old")
    result = CliRunner().invoke(cli, ["build", str(course_dir), "--out", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{course_dir.name}/quizzes/final.yml:" in result.output.replace("\\", "/")
    assert listing(out) == {"old.zip": b"old"}


def test_cli_schemas_option(tmp_path: Path) -> None:
    from tests.shared import schemas_dir

    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["build", str(MINIMAL), "--out", str(out), "--schemas", str(schemas_dir())])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "minimal-1.0.0-scorm12.zip") as archive:
        assert "adlcp_rootv1p2.xsd" in archive.namelist()


# --- build_course options ----------------------------------------------------------------

def test_default_formats_come_from_the_course(tmp_path: Path, course_dir: Path) -> None:
    yml = course_dir / "course.yml"
    yml.write_text(yml.read_text().replace("formats: [scorm12, scorm2004]", "formats: [scorm2004]"))
    result = build_course(course_dir, out=tmp_path / "dist")
    assert [p.format for p in result.packages] == ["scorm2004"]
    result = build_course(course_dir, formats=("scorm12", "1.2"), out=tmp_path / "dist")
    assert [p.format for p in result.packages] == ["scorm12"]


def test_unknown_format_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="scorm2005"):
        build_course(MINIMAL, formats=("scorm2005",), out=tmp_path / "dist")
    assert not (tmp_path / "dist").exists()


def test_warnings_are_logged_and_strict_fails(
        tmp_path: Path, course_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    yml = course_dir / "course.yml"
    yml.write_text(yml.read_text().replace("description: The smallest course that exercises packaging.\n", ""))
    with caplog.at_level(logging.WARNING, logger="builder.build"):
        result = build_course(course_dir, out=tmp_path / "dist")
    assert result.warnings and "no description" in result.warnings[0].message
    assert "no description" in caplog.text
    assert len(result.packages) == 2
    # the warning was logged above; the error says why the build failed, naming the course
    with pytest.raises(ContentError, match="minimal: not built: --strict treats the 1 warning") as info:
        build_course(course_dir, out=tmp_path / "strict", strict=True)
    assert "no description" in info.value.problems[0].message
    assert not (tmp_path / "strict").exists()


def test_package_name_is_file_system_safe(tmp_path: Path) -> None:
    result = build_course(MINIMAL, formats=("scorm12",), out=tmp_path)
    course = result.course
    assert package_name(course, "scorm12") == "minimal-1.0.0-scorm12.zip"
    odd = dataclasses.replace(course, version="2024/03 beta")
    assert package_name(odd, "scorm2004") == "minimal-2024-03-beta-scorm2004.zip"


# --- pages rendered once for both versions -----------------------------------------------

def test_pages_are_shared_between_versions_only_when_templates_ignore_scorm(
        tmp_path: Path, course_dir: Path) -> None:
    shared = build_course(course_dir, out=tmp_path / "shared")
    pages = {}
    for built in shared.packages:
        with zipfile.ZipFile(built.path) as archive:
            pages[built.format] = archive.read("01-welcome.html")
    assert pages["scorm12"] == pages["scorm2004"]

    (course_dir / "templates").mkdir()
    (course_dir / "templates" / "index.html").write_text(
        '{% extends "!theme/index.html" %}{% block main %}{{ super() }}<p class="v">SCORM {{ scorm }}</p>'
        '{% endblock %}\n')
    result = build_course(course_dir, out=tmp_path / "own")
    for built in result.packages:
        with zipfile.ZipFile(built.path) as archive:
            index = archive.read("index.html").decode()
        expected = "SCORM 1.2" if built.format == "scorm12" else "SCORM 2004"
        assert f'<p class="v">{expected}</p>' in index


def test_example_courses_build_into_valid_packages(tmp_path: Path) -> None:
    from urllib.parse import unquote

    from lxml import etree

    courses = sorted(p.parent for p in (REPO / "courses").glob("*/course.yml"))
    assert courses, "the repository has no example course"
    for course in courses:
        # Every language (translations still being written fall back to the source text).
        result = build_course(course, formats=("scorm12", "scorm2004"), out=tmp_path / course.name,
                              allow_incomplete=True)
        languages = 1 + len(result.course.translations)
        assert [p.format for p in result.packages] == ["scorm12", "scorm2004"] * languages
        for built in result.packages:
            with zipfile.ZipFile(built.path) as archive:
                names = archive.namelist()
                manifest = etree.fromstring(archive.read("imsmanifest.xml"))
            assert names[0] == "imsmanifest.xml"
            listed = {unquote(e.get("href")) for e in manifest.iter("{*}file")}
            assert listed == set(names) - {"imsmanifest.xml"}
            validate_zip(built.path)
