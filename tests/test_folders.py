"""The one rule every command uses to find course folders."""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.errors import ConfigError
from builder.folders import find_course, find_courses


def make(root: Path, *names: str) -> None:
    for name in names:
        (root / name).mkdir(parents=True)
        (root / name / "course.yml").write_text("id: x\n", encoding="utf-8")


def test_every_spelling_of_a_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path, "courses/a", "courses/b", "elsewhere/c")
    assert find_courses(()) == [Path("courses/a"), Path("courses/b")]
    assert find_courses((Path("courses/a"),)) == [Path("courses/a")]
    assert find_courses((Path("courses/a/course.yml"),)) == [Path("courses/a")]
    assert find_courses((Path("b"),)) == [Path("courses/b")]  # a bare name from ./courses/
    assert find_courses((Path("elsewhere"), Path("elsewhere/c"))) == [Path("elsewhere/c")]
    assert find_course(Path("a")) == Path("courses/a")
    with pytest.raises(ConfigError, match="a folder of 2 courses"):
        find_course(Path("courses"))
    with pytest.raises(ConfigError, match="nope: no such folder"):
        find_courses((Path("nope"),))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="not a course folder"):
        find_courses((Path("empty"),))


def test_no_course_at_all_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="builder new"):
        find_courses(())
