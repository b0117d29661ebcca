"""Preview builds (builder/serve_site.py): fast rebuilds give the same files as full builds."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.check import check_and_prepare
from builder.serve_site import PreviewSite, read_launch_info

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "courses" / "migration-local-development"
LESSON = "lessons/02-policy-context.md"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the example course."""
    dest = tmp_path / "src" / EXAMPLE.name
    shutil.copytree(EXAMPLE, dest)
    return dest


def site_for(course: Path, work: Path) -> PreviewSite:
    """A preview site with both SCORM formats and the no-LMS build active, built once."""
    site = PreviewSite(course, work)
    site.active.update({"scorm12", "scorm2004", "none"})
    report = site.build(None)
    assert report.ok, report.problems
    return site


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below *folder* by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_one_lesson_rebuild_matches_a_full_build(course: Path, tmp_path: Path) -> None:
    site = site_for(course, tmp_path / "live")
    lesson = course / LESSON
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n\nA new closing paragraph.\n", encoding="utf-8")
    report = site.build({lesson})
    assert report.ok and report.kind == "partial"
    fresh = site_for(course, tmp_path / "fresh")
    for fmt in ("scorm12", "scorm2004", "none"):
        live, full = tree(site.pkg_root / fmt), tree(fresh.pkg_root / fmt)
        assert live.keys() == full.keys()
        assert [name for name in live if live[name] != full[name]] == []
    assert b"A new closing paragraph." in (site.pkg_root / "scorm2004" / "02-policy-context.html").read_bytes()


def test_a_new_title_rebuilds_every_page(course: Path, tmp_path: Path) -> None:
    site = site_for(course, tmp_path / "live")
    lesson = course / LESSON
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("title:", "title: Renamed –", 1), encoding="utf-8")
    report = site.build({lesson})
    assert report.ok and report.kind == "full"
    assert "Renamed –" in (site.pkg_root / "scorm12" / "index.html").read_text(encoding="utf-8")


def test_a_broken_lesson_reports_what_check_reports_and_recovers(course: Path, tmp_path: Path) -> None:
    site = site_for(course, tmp_path / "live")
    lesson = course / LESSON
    good = lesson.read_text(encoding="utf-8")
    lesson.write_text(good.replace("title:", "title: [unclosed", 1), encoding="utf-8")
    report = site.build({lesson})
    assert not report.ok
    _course, _content, problems = check_and_prepare(course)
    assert report.problems == [p.format() for p in problems]
    assert any("02-policy-context.md:" in line for line in report.problems)
    # The last good files stay on disk while the course is broken.
    assert (site.pkg_root / "scorm2004" / "02-policy-context.html").is_file()
    lesson.write_text(good, encoding="utf-8")
    assert site.build({lesson}).ok


def test_a_changed_media_file_is_copied(course: Path, tmp_path: Path) -> None:
    site = site_for(course, tmp_path / "live")
    used = sorted(site.content.files) if site.content else []
    assert used, "the example course uses media files"
    source = course / used[0]
    source.write_bytes(source.read_bytes() + b"\n")
    report = site.build({source})
    assert report.ok and report.kind == "media"
    assert (site.pkg_root / "scorm2004" / used[0]).read_bytes() == source.read_bytes()


def test_launch_info_comes_from_the_manifest(course: Path, tmp_path: Path) -> None:
    site = site_for(course, tmp_path / "live")
    assert site.launch_info("scorm12") == {"masteryScore": "70"}
    assert site.launch_info("scorm2004") == {"scaledPassingScore": "0.7"}
    assert read_launch_info(b'<manifest xmlns:adlcp="x"><adlcp:completionThreshold completedByMeasure="true" '
                            b'minProgressMeasure="0.8"/></manifest>') == {"completionThreshold": "0.8"}


def test_same_slug_elsewhere_gets_its_own_folder_and_a_restart_finds_the_old_one(
        course: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / course.name
    shutil.copytree(course, other)
    work = tmp_path / "work"
    first, second = PreviewSite(course, work), PreviewSite(other, work)
    assert first.slug == second.slug
    assert first.root != second.root
    assert first.root.name.startswith(course.name + "-") and first.root.parent == work
    # A new server on the same course (given by another spelling of its path) reuses the folder.
    again = PreviewSite(course / ".." / course.name, work)
    assert again.root == first.root and again.state_path("scorm12") == first.state_path("scorm12")


def test_quiz_text_with_an_image_rebuilds_like_a_full_build(course: Path, tmp_path: Path) -> None:
    site = site_for(course, tmp_path / "live")
    quiz = course / "quizzes" / "check-1.yml"
    text = quiz.read_text(encoding="utf-8")
    old = "      lowlands. How is this district best described?\n"
    assert old in text
    quiz.write_text(text.replace(old, old.rstrip("\n") + " ![The migration cycle](../media/migration-cycle.svg)\n"),
                    encoding="utf-8")
    report = site.build({quiz})
    assert report.ok and report.kind == "partial", report.problems
    fresh = site_for(course, tmp_path / "fresh")
    for fmt in ("scorm12", "scorm2004", "none"):
        live, full = tree(site.pkg_root / fmt), tree(fresh.pkg_root / fmt)
        assert live.keys() == full.keys()
        assert [name for name in live if live[name] != full[name]] == []
    page = (site.pkg_root / "scorm12" / "01-why-migration-is-local.html").read_text(encoding="utf-8")
    assert 'src="media/migration-cycle.svg"' in page


def test_a_lesson_edited_while_serving_reports_what_check_reports(course: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from builder.cli import cli

    site = site_for(course, tmp_path / "live")
    lesson = course / LESSON
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n\n[see](#no-such-section)\n\n# A second heading\n",
                      encoding="utf-8")
    report = site.build({lesson})
    checked = CliRunner().invoke(cli, ["check", "--lang", "en", str(course)])  # the preview shows the source
    assert checked.exit_code == 1
    listed = checked.output.rstrip("\n").splitlines()[:-1]  # the last line is the summary
    assert "\n".join(report.problems).splitlines() == listed
    assert not report.ok
    assert any("error[section-link]: section '#no-such-section' not found" in line for line in report.problems)
    assert any("warning: heading 'A second heading' is a level-1 heading" in line for line in report.problems)
    # Fixing the error keeps the warning, as 'builder check' does, and the preview builds again.
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("[see](#no-such-section)", "See."),
                      encoding="utf-8")
    report = site.build({lesson})
    checked = CliRunner().invoke(cli, ["check", "--lang", "en", str(course)])  # the preview shows the source
    assert report.ok and report.kind == "partial"
    assert "\n".join(report.problems).splitlines() == checked.output.rstrip("\n").splitlines()[:-1]
    assert len(report.problems) == 1 and "level-1 heading" in report.problems[0]


def test_a_deleted_image_is_reported_although_its_lesson_did_not_change(course: Path, tmp_path: Path) -> None:
    site = site_for(course, tmp_path / "live")
    assert site.content is not None
    images = sorted(rel for rel in site.content.files if rel.endswith((".svg", ".png", ".jpg")))
    assert images, "the example course uses an image"
    image = course / images[0]
    image.unlink()
    report = site.build({image})
    _course, _content, problems = check_and_prepare(course)
    assert not report.ok and report.problems == [p.format() for p in problems]
    assert any(images[0].rsplit("/", 1)[-1] in line and "not found" in line for line in report.problems)
