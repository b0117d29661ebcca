"""``builder publish moodle --lang`` against the real Moodle of the kit: one activity per language."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.build import build_course
from builder.cli import cli as builder_cli
from tests.moodle.kit import Moodle
from tests.moodle.test_publish_real import EXAMPLE, TEACHER_PW

pytestmark = pytest.mark.xdist_group("moodle")


def test_two_languages_become_two_activities_with_their_id_numbers(moodle: Moodle, tmp_path: Path) -> None:
    [package] = build_course(EXAMPLE, formats=("scorm12",), out=tmp_path / "dist", languages=("en",)).packages
    course_dir = tmp_path / "demo-course"
    course_dir.mkdir()
    (course_dir / "course.yml").write_text("id: demo-course\ntitle: Demo course\nlanguage: en\n"
                                           "translations: [fr, es]\n", encoding="utf-8")
    cid = moodle.new_course("langs")
    moodle.enrol("teacher", TEACHER_PW, cid, role="editingteacher")
    for lang in ("fr", "es"):
        result = CliRunner().invoke(builder_cli, [
            "publish", "moodle", str(course_dir), "--lang", lang, "--package", str(package.path),
            "--url", moodle.url, "--course-id", str(cid), "--user", "teacher"],
            env={"MOODLE_PASSWORD": TEACHER_PW, "MOODLE_TOKEN": ""})
        assert result.exit_code == 0, result.output
        assert f"SCORM activity added (ID number demo-course-{lang})" in result.output
    got = sorted((a["idnumber"], a["name"]) for a in moodle.activities(cid))
    assert got == [("demo-course-es", "Demo course (Español)"), ("demo-course-fr", "Demo course (Français)")]
