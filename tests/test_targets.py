"""Output targets: the registry, the web target, and one runtime bundle per package."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.build import build_course
from builder.cli import FORMAT_CHOICES, cli
from builder.course import read_course
from builder.errors import ConfigError
from builder.targets import DEFAULT_FORMATS, PREVIEW_FORMATS, TARGETS, get_target

MINIMAL = Path(__file__).parent / "courses" / "minimal"


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A private copy of the minimal test course."""
    return Path(shutil.copytree(MINIMAL, tmp_path / "src" / "minimal"))


def course_js(data: bytes) -> dict[str, object]:
    text = data.decode("utf-8")
    prefix = "window.BUILDER_COURSE = "
    assert text.startswith(prefix)
    return dict(json.loads(text[len(prefix):].rstrip().rstrip(";")))


def test_the_registry_is_the_list_of_formats() -> None:
    assert list(TARGETS) == ["scorm12", "scorm2004", "web", "handbook", "workbook"]
    assert FORMAT_CHOICES == ("scorm12", "scorm2004", "web", "handbook", "workbook", "all")
    assert [t.suffix for t in TARGETS.values()] == [".zip", ".zip", ".zip", ".pdf", ".pdf"]
    assert DEFAULT_FORMATS == ("scorm12", "scorm2004")
    assert dict(PREVIEW_FORMATS) == {"scorm12": "scorm12", "scorm2004": "scorm2004", "none": "web"}
    assert get_target("1.2") is TARGETS["scorm12"]
    with pytest.raises(ConfigError, match="unknown format 'epub'; use one of scorm12, scorm2004, web, handbook, workbook"):
        get_target("epub")


def test_web_build_writes_a_folder_and_a_zip_without_manifest(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["build", str(MINIMAL), "--format", "web", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["minimal-1.0.0-web", "minimal-1.0.0-web.zip"]
    folder = out / "minimal-1.0.0-web"
    on_disk = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with zipfile.ZipFile(out / "minimal-1.0.0-web.zip") as archive:
        zipped = {name: archive.read(name) for name in archive.namelist()}
    assert on_disk == zipped
    assert "imsmanifest.xml" not in zipped and "index.html" in zipped and "media/dot.png" in zipped
    assert not [name for name in zipped if name.startswith("assets/runtime-") or name.startswith("src/")]
    data = course_js(zipped["assets/course.js"])
    assert data["scorm"] is None and data["adapter"] == "web"


def test_web_build_is_byte_identical_and_replaces_the_old_folder(tmp_path: Path, course_dir: Path) -> None:
    first = build_course(course_dir, formats=("web",), out=tmp_path / "one")
    (tmp_path / "one" / "minimal-1.0.0-web" / "stale.txt").write_text("old")
    again = build_course(course_dir, formats=("web",), out=tmp_path / "one")
    second = build_course(course_dir, formats=("web",), out=tmp_path / "two")
    assert first.packages[0].path.read_bytes() == second.packages[0].path.read_bytes()
    assert again.packages[0].folder is not None
    assert not (again.packages[0].folder / "stale.txt").exists()


def test_web_can_be_listed_in_packaging_formats(course_dir: Path, tmp_path: Path) -> None:
    yml = course_dir / "course.yml"
    text = yml.read_text(encoding="utf-8")
    assert "formats: [scorm12, scorm2004]" in text
    yml.write_text(text.replace("formats: [scorm12, scorm2004]", "formats: [web, scorm2004]"), encoding="utf-8")
    course, problems = read_course(course_dir)
    assert course is not None and course.packaging.formats == ("web", "scorm2004"), problems
    result = build_course(course_dir, out=tmp_path / "dist")
    assert [p.format for p in result.packages] == ["web", "scorm2004"]


def test_each_package_ships_only_its_own_runtime_bundle(course_dir: Path, tmp_path: Path) -> None:
    assets = course_dir / "templates" / "assets"
    assets.mkdir(parents=True)
    for adapter in ("scorm12", "scorm2004", "web"):
        (assets / f"runtime-{adapter}.js").write_text(f"/* {adapter} bundle */\n", encoding="utf-8")
    result = build_course(course_dir, formats=("scorm12", "scorm2004", "web"), out=tmp_path / "dist")
    for built in result.packages:
        with zipfile.ZipFile(built.path) as archive:
            names = archive.namelist()
            assert archive.read("assets/runtime.js") == f"/* {built.format} bundle */\n".encode()
            assert course_js(archive.read("assets/course.js"))["adapter"] == built.format
        assert not [n for n in names if n.startswith("assets/runtime-")], names


def test_a_courses_own_runtime_ships_in_every_page_target(course_dir: Path, tmp_path: Path) -> None:
    own = course_dir / "templates" / "assets" / "runtime.js"
    own.parent.mkdir(parents=True)
    own.write_text("/* the course's own runtime */ window.OWN_RUNTIME = true;\n", encoding="utf-8")
    page_targets = [name for name, target in TARGETS.items() if target.suffix == ".zip"]
    assert page_targets == ["scorm12", "scorm2004", "web"]
    result = build_course(course_dir, formats=tuple(page_targets), out=tmp_path / "dist")
    assert sorted(built.format for built in result.packages) == sorted(page_targets)
    for built in result.packages:
        with zipfile.ZipFile(built.path) as archive:
            assert archive.read("assets/runtime.js") == own.read_bytes(), built.format
            assert not [n for n in archive.namelist() if n.startswith("assets/runtime-")], built.format
