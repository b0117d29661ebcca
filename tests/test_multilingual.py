"""The multilingual package: one SCO, every language under its folder, shared files once."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from builder.build import load_checked
from builder.multilingual import assemble
from builder.package import write_zip
from builder.render import Renderer
from builder.targets import get_target
from tests.shared import validate_zip

MINIMAL = Path(__file__).resolve().parent / "courses" / "minimal"


def french_copy(source: Path, dest: Path) -> Path:
    """The minimal course again in French: same ids, pages and media; other texts."""
    shutil.copytree(source, dest)
    config = dest / "course.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: fr")
                      .replace('title: A minimal course & its "quirks"', "title: Un cours minimal")
                      .replace("description: The smallest course that exercises packaging.",
                               "description: Le plus petit cours qui fait tourner l'empaquetage."),
                      encoding="utf-8")
    lesson = dest / "lessons" / "01-welcome.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("title: Welcome", "title: Bienvenue")
                      .replace("## Before you start", "## Avant de commencer")
                      .replace("A small dot", "Un petit point"), encoding="utf-8")
    quiz = dest / "quizzes" / "final.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("Final check", "Contrôle final"), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def renderers(tmp_path_factory: pytest.TempPathFactory) -> list[Renderer]:
    base = tmp_path_factory.mktemp("ml")
    english = base / "en" / "minimal"
    shutil.copytree(MINIMAL, english)
    french = french_copy(MINIMAL, base / "fr" / "minimal")
    return [load_checked(folder, parallel=False)[1] for folder in (english, french)]


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_every_language_in_its_folder_and_shared_files_once(renderers: list[Renderer], fmt: str) -> None:
    files = assemble(renderers, get_target(fmt))  # type: ignore[arg-type]
    pages = sorted(p for p in files if p.endswith(".html"))
    assert pages == ["en/01-welcome.html", "en/assessment.html", "en/index.html",
                     "fr/01-welcome.html", "fr/assessment.html", "fr/index.html", "index.html"]
    assert "media/dot.png" in files and "en/media/dot.png" not in files
    assert "assets/runtime.js" in files and "fr/assets/runtime.js" not in files
    lesson = files["fr/01-welcome.html"]
    assert b"Avant de commencer" in lesson and b"Before you start" in files["en/01-welcome.html"]
    assert b'src="../media/dot.png"' in lesson and b'href="../assets/course.css"' in lesson
    data = json.loads(re.sub(rb"^window.BUILDER_COURSE = |;\n$", b"", files["assets/course.js"]))
    assert data["languages"] == [{"code": "en", "name": "English"}, {"code": "fr", "name": "Français"}]
    picker = files["index.html"].decode()
    assert 'data-lang="fr"' in picker and 'href="fr/index.html"' in picker and "Choisissez votre langue" in picker


def test_manifest_lists_every_language_and_is_valid(renderers: list[Renderer], tmp_path: Path) -> None:
    for fmt in ("scorm12", "scorm2004"):
        files = assemble(renderers, get_target(fmt))  # type: ignore[arg-type]
        manifest = etree.fromstring(files["imsmanifest.xml"])
        languages = [el.text for el in manifest.iter() if etree.QName(el).localname == "language"]
        assert languages == ["en", "fr"]
        titles = [el.text for el in manifest.iter() if etree.QName(el).localname in ("langstring", "string")]
        assert 'A minimal course & its "quirks"' in titles and "Un cours minimal" in titles
        resource = next(el for el in manifest.iter() if etree.QName(el).localname == "resource")
        assert resource.get("href") == "index.html"
        listed = {el.get("href") for el in resource if etree.QName(el).localname == "file"}
        assert listed == {p for p in files if p != "imsmanifest.xml"}
        path = tmp_path / f"ml-{fmt}.zip"
        write_zip(files, path)
        validate_zip(path)


def test_languages_with_other_pages_are_refused(renderers: list[Renderer], tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(MINIMAL, other)
    config = other / "course.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: es")
                      .replace("assessment: quizzes/final.yml\n", "").replace("completion: quiz", "completion: pages"),
                      encoding="utf-8")
    spanish = load_checked(other, parallel=False)[1]
    from builder.errors import PackageError

    with pytest.raises(PackageError, match="does not have the pages"):
        assemble([renderers[0], spanish], get_target("scorm12"))  # type: ignore[arg-type]


def test_build_makes_the_multilingual_package_beside_each_language(tmp_path: Path) -> None:
    from builder.build import build_course
    from tests.i18n_helpers import copy_bilingual

    course = copy_bilingual(tmp_path)
    config = course / "course.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("packaging:\n", "packaging:\n  multilingual: true\n"),
                      encoding="utf-8")
    names = sorted(p.path.name for p in build_course(course, out=tmp_path / "a").packages)
    assert names == [f"bilingual-1.0.0-{part}-{fmt}.zip" for part in ("en", "fr", "multilingual")
                     for fmt in ("scorm12", "scorm2004")]
    again = {p.path.name: p.path.read_bytes() for p in build_course(course, out=tmp_path / "b").packages}
    for name, data in again.items():
        assert (tmp_path / "a" / name).read_bytes() == data, f"{name} differs between two builds"
    package = tmp_path / "a" / "bilingual-1.0.0-multilingual-scorm2004.zip"
    validate_zip(package)
    import zipfile

    with zipfile.ZipFile(package) as archive:
        listed = archive.namelist()
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
        french = archive.read("fr/01-sources.html").decode("utf-8")
    assert "index.html" in listed and "en/index.html" in listed and "fr/index.html" in listed
    assert manifest.get("identifier") != etree.fromstring(
        zipfile.ZipFile(tmp_path / "a" / "bilingual-1.0.0-en-scorm2004.zip").read("imsmanifest.xml")).get("identifier")
    assert 'lang="fr"' in french
    # only the full set of languages makes it: --lang builds no multilingual package
    only = build_course(course, out=tmp_path / "c", languages=("fr",)).packages
    assert sorted(p.path.name for p in only) == ["bilingual-1.0.0-fr-scorm12.zip", "bilingual-1.0.0-fr-scorm2004.zip"]
