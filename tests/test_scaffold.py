"""``builder new``: the starter course checks clean and builds valid packages at once."""
from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner

from builder.cli import cli
from tests.shared import validate_zip


def test_new_course_checks_and_builds(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    created = runner.invoke(cli, ["new", "my-course", "--title", "My & course"])
    assert created.exit_code == 0, created.output
    assert (tmp_path / "courses/my-course/course.yml").is_file()
    checked = runner.invoke(cli, ["check", "--strict"])
    assert checked.exit_code == 0, checked.output
    assert "courses/my-course: OK (2 lessons, 2 quizzes)" in checked.output
    built = runner.invoke(cli, ["build"])
    assert built.exit_code == 0, built.output
    zips = sorted((tmp_path / "dist").glob("*.zip"))
    assert [z.name for z in zips] == ["my-course-0.1.0-scorm12.zip", "my-course-0.1.0-scorm2004.zip"]
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            assert b"My &amp; course" in archive.read("index.html")
        validate_zip(path)


def test_new_refuses_bad_names_and_existing_folders(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    bad = runner.invoke(cli, ["new", "My Course"])
    assert bad.exit_code == 1 and "not a usable course name" in bad.output
    assert runner.invoke(cli, ["new", "dup"]).exit_code == 0
    again = runner.invoke(cli, ["new", "dup"])
    assert again.exit_code == 1 and "already exists" in again.output
    assert "Traceback" not in bad.output + again.output
