"""Zips: deterministic bytes, entry order, permissions, junk, atomic writes, --schemas."""
from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder import package
from builder.build import build_course
from builder.errors import ConfigError, ContentError, PackageError
from builder.package import entry_order, is_junk, write_zip, zip_date_time
from tests.shared import schemas_dir, validate_zip

MINIMAL = Path(__file__).parent / "courses" / "minimal"
WHEN = (2024, 3, 15, 10, 20, 30)


def files() -> dict[str, bytes]:
    return {
        "index.html": b"<!doctype html><title>start</title>",
        "b.html": b"<p>b</p>" * 50,
        "a.html": b"<p>a</p>",
        "assets/runtime.js": b"// runtime\n",
        "media/dot.png": b"\x89PNG fake",
        "imsmanifest.xml": b"<manifest/>",
    }


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under *folder* (hidden ones too) with a content hash."""
    if not folder.exists():
        return {}
    listing = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        listing[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return listing


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A private copy of the minimal test course."""
    return Path(shutil.copytree(MINIMAL, tmp_path / "src" / "minimal"))


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """An output folder that already holds an older package and an unrelated file."""
    folder = tmp_path / "dist"
    folder.mkdir()
    (folder / "minimal-1.0.0-scorm12.zip").write_bytes(b"an older package")
    (folder / "notes.txt").write_text("keep me")
    return folder


# --- write_zip ---------------------------------------------------------------------------

def test_same_files_give_same_bytes_whatever_the_order(tmp_path: Path) -> None:
    forward = files()
    backward = dict(reversed(list(forward.items())))
    one = write_zip(forward, tmp_path / "one.zip", WHEN).read_bytes()
    two = write_zip(backward, tmp_path / "two.zip", WHEN).read_bytes()
    assert one == two
    three = write_zip(forward, tmp_path / "three.zip", (2024, 3, 16, 0, 0, 0)).read_bytes()
    assert three != one


def test_manifest_first_then_sorted_without_folders(tmp_path: Path) -> None:
    path = write_zip(files(), tmp_path / "p.zip", WHEN)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert names == ["imsmanifest.xml", "a.html", "assets/runtime.js", "b.html", "index.html", "media/dot.png"]
    assert entry_order(["z", "imsmanifest.xml", "a"]) == ["imsmanifest.xml", "a", "z"]


def test_fixed_times_modes_and_methods(tmp_path: Path) -> None:
    path = write_zip(files(), tmp_path / "p.zip", WHEN)
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            assert info.date_time == WHEN
            assert info.create_system == 3
            assert info.external_attr >> 16 == 0o100644
            assert not info.extra
            expected = zipfile.ZIP_STORED if info.filename.endswith(".png") else zipfile.ZIP_DEFLATED
            assert info.compress_type == expected
        assert archive.read("b.html") == files()["b.html"]
        assert archive.testzip() is None
    assert path.stat().st_mode & 0o777 == 0o644


def test_junk_is_left_out(tmp_path: Path) -> None:
    junk = [".DS_Store", "media/.DS_Store", "__MACOSX/media/._dot.png", "notes.md~", "media/.dot.png.swp",
            "#index.html#", ".git/config", ".gitignore", "Thumbs.db", "media/Thumbs.db"]
    for name in junk:
        assert is_junk(name), name
    for name in ["index.html", "media/dot.png", "files/git-handout.pdf", "media/a~b.png"]:
        assert not is_junk(name), name
    contents = files() | {name: b"junk" for name in junk}
    with zipfile.ZipFile(write_zip(contents, tmp_path / "p.zip", WHEN)) as archive:
        assert sorted(archive.namelist()) == sorted(files())


@pytest.mark.parametrize("name", ["../evil.html", "/etc/passwd", "media\\dot.png", "a//b", "./a", "C:/x", ""])
def test_bad_archive_paths_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(PackageError):
        write_zip(files() | {name: b"x"}, tmp_path / "p.zip", WHEN)
    assert list(tmp_path.iterdir()) == []


def test_manifest_is_required(tmp_path: Path) -> None:
    contents = files()
    del contents["imsmanifest.xml"]
    with pytest.raises(PackageError, match="imsmanifest.xml"):
        write_zip(contents, tmp_path / "p.zip", WHEN)


def test_failed_write_keeps_the_old_zip_and_leaves_no_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tmp_path / "p.zip"
    dest.write_bytes(b"previous package")
    calls = []

    def failing_writestr(self: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, **kw: object) -> None:
        calls.append(info.filename)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        original(self, info, data, **kw)

    original = zipfile.ZipFile.writestr
    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    with pytest.raises(PackageError, match="No space left"):
        write_zip(files(), dest, WHEN)
    assert dest.read_bytes() == b"previous package"
    assert [p.name for p in tmp_path.iterdir()] == ["p.zip"]


# --- timestamps --------------------------------------------------------------------------

def test_timestamp_sources() -> None:
    assert zip_date_time("2024-03-15", {}) == (2024, 3, 15, 0, 0, 0)
    assert zip_date_time(None, {}) == (1980, 1, 1, 0, 0, 0)
    # SOURCE_DATE_EPOCH wins over the course date; zip keeps even seconds.
    assert zip_date_time("2024-03-15", {"SOURCE_DATE_EPOCH": "1700000001"}) == (2023, 11, 14, 22, 13, 20)
    assert zip_date_time("2024-03-15", {"SOURCE_DATE_EPOCH": "0"}) == (1980, 1, 1, 0, 0, 0)
    assert zip_date_time("1970-06-01", {}) == (1980, 1, 1, 0, 0, 0)
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        zip_date_time(None, {"SOURCE_DATE_EPOCH": "yesterday"})
    with pytest.raises(ConfigError):
        zip_date_time("2024-02-31", {})


# --- whole builds ------------------------------------------------------------------------

def open_package(path: Path) -> tuple[list[str], etree._Element]:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        return names, etree.fromstring(archive.read("imsmanifest.xml"))


def listed_files(manifest: etree._Element) -> set[str]:
    from urllib.parse import unquote
    return {unquote(e.get("href")) for e in manifest.iter("{*}file")}


def test_build_twice_gives_identical_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = build_course(MINIMAL, out=tmp_path / "one")
    second = build_course(MINIMAL, out=tmp_path / "two")
    assert [p.path.name for p in first.packages] == ["minimal-1.0.0-scorm12.zip", "minimal-1.0.0-scorm2004.zip"]
    for a, b in zip(first.packages, second.packages):
        assert a.path.read_bytes() == b.path.read_bytes()
        assert a.size == a.path.stat().st_size
        with zipfile.ZipFile(a.path) as archive:
            assert {i.date_time for i in archive.infolist()} == {(2024, 3, 15, 0, 0, 0)}


def test_source_date_epoch_is_used_and_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    first = build_course(MINIMAL, formats=("scorm2004",), out=tmp_path / "one")
    second = build_course(MINIMAL, formats=("scorm2004",), out=tmp_path / "two")
    data = first.packages[0].path.read_bytes()
    assert data == second.packages[0].path.read_bytes()
    with zipfile.ZipFile(first.packages[0].path) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2020, 9, 13, 12, 26, 40)}


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_built_zip_lists_every_file_and_validates(tmp_path: Path, fmt: str) -> None:
    result = build_course(MINIMAL, formats=(fmt,), out=tmp_path / "dist")
    [built] = result.packages
    assert built.format == fmt
    names, manifest = open_package(built.path)
    assert names[0] == "imsmanifest.xml"
    assert not any("/" in n and n.endswith("imsmanifest.xml") for n in names)
    assert listed_files(manifest) == set(names) - {"imsmanifest.xml"}
    assert {"index.html", "01-welcome.html", "assessment.html", "media/dot.png"} <= set(names)
    assert not [n for n in names if n.endswith("/")]
    validate_zip(built.path)


def test_junk_in_the_course_stays_out(tmp_path: Path, course_dir: Path) -> None:
    (course_dir / "media" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (course_dir / "media" / "dot.png~").write_bytes(b"backup")
    result = build_course(course_dir, formats=("scorm12",), out=tmp_path / "dist")
    names, _manifest = open_package(result.packages[0].path)
    assert not [n for n in names if is_junk(n)]


def test_broken_course_leaves_dist_untouched(tmp_path: Path, course_dir: Path, dist: Path) -> None:
    quiz = "title: Final\nquestions:\n  - type: single\n    prompt: Which?\n    choices: []\n"
    (course_dir / "quizzes" / "final.yml").write_text(quiz)
    before = snapshot(dist)
    with pytest.raises(ContentError) as caught:
        build_course(course_dir, out=dist)
    assert "final.yml:" in str(caught.value.message)
    assert snapshot(dist) == before


def test_broken_course_does_not_create_dist(tmp_path: Path, course_dir: Path) -> None:
    (course_dir / "course.yml").write_text((course_dir / "course.yml").read_text().replace("title:", "titel:", 1))
    with pytest.raises(ContentError):
        build_course(course_dir, out=tmp_path / "new" / "dist")
    assert not (tmp_path / "new").exists()


def test_failing_second_package_leaves_dist_untouched(course_dir: Path, dist: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    real = package.write_zip
    written: list[Path] = []

    def flaky(contents: dict[str, bytes], dest: Path, date_time: tuple[int, ...]) -> Path:
        if dest.name.endswith("scorm2004.zip"):
            raise PackageError(f"cannot write {dest}: disk full")
        written.append(real(contents, dest, date_time))  # type: ignore[arg-type]
        return written[-1]

    before = snapshot(dist)
    monkeypatch.setattr(package, "write_zip", flaky)
    with pytest.raises(PackageError, match="disk full"):
        build_course(course_dir, out=dist)
    assert len(written) == 1
    assert snapshot(dist) == before


def test_failing_rename_rolls_back(course_dir: Path, dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace
    moved: list[str] = []

    def flaky(src: str | Path, dst: str | Path) -> None:
        if Path(dst).parent == dist and Path(dst).name.endswith("scorm2004.zip"):
            raise OSError(13, "Permission denied")
        moved.append(str(dst))
        real(src, dst)

    before = snapshot(dist)
    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(PackageError, match="Permission denied"):
        build_course(course_dir, out=dist)
    assert any(m.endswith("scorm12.zip") for m in moved)  # the first package had been moved in
    assert snapshot(dist) == before


def test_failed_build_removes_the_dist_it_created(tmp_path: Path, course_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(contents: dict[str, bytes], dest: Path, date_time: tuple[int, ...]) -> Path:
        raise PackageError("cannot write: disk full")

    monkeypatch.setattr(package, "write_zip", failing)
    with pytest.raises(PackageError):
        build_course(course_dir, out=tmp_path / "fresh" / "nested" / "dist")
    assert not (tmp_path / "fresh").exists()


def test_successful_rebuild_replaces_only_its_packages(course_dir: Path, dist: Path) -> None:
    result = build_course(course_dir, out=dist)
    after = snapshot(dist)
    assert set(after) == {"notes.txt", "minimal-1.0.0-scorm12.zip", "minimal-1.0.0-scorm2004.zip"}
    assert (dist / "notes.txt").read_text() == "keep me"
    assert result.packages[0].path.read_bytes() != b"an older package"


# --- --schemas ---------------------------------------------------------------------------

def test_schemas_are_copied_unlisted_and_still_valid(tmp_path: Path) -> None:
    source = schemas_dir()
    result = build_course(MINIMAL, out=tmp_path / "dist", schemas=source)
    by_format = {p.format: p.path for p in result.packages}
    expected = {
        "scorm12": {p.relative_to(source / "scorm12").as_posix() for p in (source / "scorm12").rglob("*.xsd")},
        "scorm2004": {p.relative_to(source / "scorm2004_4th").as_posix()
                      for p in (source / "scorm2004_4th").rglob("*") if p.is_file()},
    }
    assert "imscp_rootv1p1p2.xsd" in expected["scorm12"]
    assert "common/anyElement.xsd" in expected["scorm2004"]
    for fmt, path in by_format.items():
        names, manifest = open_package(path)
        assert expected[fmt] <= set(names)
        assert not listed_files(manifest) & expected[fmt]
        with zipfile.ZipFile(path) as archive:
            for rel in sorted(expected[fmt])[:3]:
                folder = "scorm12" if fmt == "scorm12" else "scorm2004_4th"
                assert archive.read(rel) == (source / folder / rel).read_bytes()
        validate_zip(path)


def test_schemas_folder_without_the_set_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty" / "scorm12").mkdir(parents=True)
    with pytest.raises(ConfigError, match="no XSD files"):
        build_course(MINIMAL, out=tmp_path / "dist", schemas=tmp_path / "empty")
    assert not (tmp_path / "dist").exists()
