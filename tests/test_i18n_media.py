"""Localised media: locales/<lang>/<path> replaces a course file in that language's outputs."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from click.testing import CliRunner

from builder.build import build_course
from builder.cli import cli
from builder.printed.pdf import _fetcher
from builder.serve_site import PreviewSite
from tests.i18n_helpers import copy_bilingual

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20" width="100" height="20">'
       '<title>{0}</title><text x="5" y="15">{0}</text></svg>\n')


def _svg_course(tmp_path: Path) -> Path:
    """The bilingual course with its picture as an SVG with a word in it, and a French copy."""
    course = copy_bilingual(tmp_path)
    (course / "media" / "dot.png").unlink()
    (course / "media" / "dot.svg").write_text(SVG.format("Water"), encoding="utf-8")
    for path in [*course.glob("lessons/*.md"), *course.glob("locales/*/*.po*")]:
        path.write_text(path.read_text(encoding="utf-8").replace("dot.png", "dot.svg"), encoding="utf-8")
    (course / "locales" / "fr" / "media").mkdir()
    (course / "locales" / "fr" / "media" / "dot.svg").write_text(SVG.format("Eau"), encoding="utf-8")
    return course


def _member(zip_path: Path, name: str) -> str:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.read(name).decode("utf-8")


def test_the_localised_copy_replaces_the_figure_in_its_language_only(tmp_path: Path) -> None:
    course = _svg_course(tmp_path)
    result = build_course(course, formats=("scorm12", "web"), out=tmp_path / "dist")
    by_name = {p.path.name: p.path for p in result.packages}
    assert "Water" in _member(by_name["bilingual-1.0.0-en-scorm12.zip"], "media/dot.svg")
    assert "Eau" in _member(by_name["bilingual-1.0.0-fr-scorm12.zip"], "media/dot.svg")
    assert "Eau" in _member(by_name["bilingual-1.0.0-fr-web.zip"], "media/dot.svg")


def test_the_preview_serves_the_copy_and_picks_up_a_new_one(tmp_path: Path) -> None:
    course = _svg_course(tmp_path)
    copy = course / "locales" / "fr" / "media" / "dot.svg"
    copy.unlink()
    site = PreviewSite(course, tmp_path / "live", "fr")
    site.active.add("scorm2004")
    assert site.build(None).ok
    served = site.pkg_root / "scorm2004" / "media" / "dot.svg"
    assert "Water" in served.read_text(encoding="utf-8")
    copy.write_text(SVG.format("Eau"), encoding="utf-8")
    assert site.build({copy}).ok
    assert "Eau" in served.read_text(encoding="utf-8")


def test_printed_editions_load_the_copy_in_place_of_the_source(tmp_path: Path) -> None:
    course = _svg_course(tmp_path)
    source, copy = course / "media" / "dot.svg", course / "locales" / "fr" / "media" / "dot.svg"
    fetched = _fetcher([course], {source: copy}).fetch(source.resolve().as_uri())
    data = fetched.read() if hasattr(fetched, "read") else fetched["string"]
    assert b"Eau" in data


def test_check_reports_a_copy_without_source_and_an_unsafe_copy(tmp_path: Path) -> None:
    course = _svg_course(tmp_path)
    media = course / "locales" / "fr" / "media"
    (media / "gone.svg").write_text(SVG.format("Rien"), encoding="utf-8")
    (media / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n',
                                   encoding="utf-8")
    done = CliRunner().invoke(cli, ["check", str(course)])
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert (f"{media / 'gone.svg'}: error: a localised file with no source counterpart: "
            "the course has no 'media/gone.svg'") in done.output
    assert f"{media / 'dot.svg'}:1: error" in done.output and "<script>" in done.output
    done = CliRunner().invoke(cli, ["build", str(course), "-o", str(tmp_path / "dist")])
    assert done.exit_code == 1 and not (tmp_path / "dist").exists()


def test_status_lists_media_without_a_copy_as_information(tmp_path: Path) -> None:
    course = _svg_course(tmp_path)
    (course / "media" / "photo.svg").write_text(SVG.format("x"), encoding="utf-8")
    done = CliRunner().invoke(cli, ["translate", "status", str(course)])
    assert done.exit_code == 0, done.output
    assert "fr: no localised copy (locales/fr/...) of media/photo.svg; information only" in done.output
    done = CliRunner().invoke(cli, ["translate", "status", str(course), "--json"])
    assert json.loads(done.output)["bilingual"]["fr"]["media_without_copy"] == ["media/photo.svg"]
