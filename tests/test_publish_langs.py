"""``publish moodle`` of a translated course: one activity per language, against the stand-in."""
from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from click.testing import CliRunner, Result

from builder.cli import cli
from builder.errors import ConfigError
from builder.multilingual import language_name
from builder.publish_langs import Edition, editions, pick_package
from tests.moodle_standin import StandinMoodle
from tests.test_publish import PASSWORD, make_zip

COURSE_YML = "id: demo\ntitle: Demo course\nlanguage: en\ntranslations: [fr, es]\n"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    (folder / "locales" / "fr").mkdir(parents=True)
    (folder / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    cat = Catalog(locale="fr", fuzzy=False)
    cat.add("Demo course", "Cours de démonstration", context="course.yml:title")
    buffer = io.BytesIO()
    write_po(buffer, cat)
    (folder / "locales" / "fr" / "course.po").write_bytes(buffer.getvalue())
    return folder


def test_every_language_by_default_with_ids_and_names_in_the_language(course: Path) -> None:
    assert editions(course, "demo", "Demo course", None) == [
        Edition("en", "demo-en", "Demo course (English)"),
        Edition("fr", "demo-fr", "Cours de démonstration (Français)"),
        Edition("es", "demo-es", "Demo course (Español)"),  # no es catalog: the source title
    ]
    assert [e.idnumber for e in editions(course, "demo", "Demo course", "es, FR")] == ["demo-es", "demo-fr"]
    assert editions(course, "demo", "Demo course", "fr", name="Atelier")[0].name == "Atelier"  # one: as given
    assert [e.name for e in editions(course, "demo", "Demo course", "fr,es", name="Atelier")] == \
        ["Atelier (Français)", "Atelier (Español)"]


def test_multilingual_course_is_one_activity_and_untranslated_is_unchanged(course: Path) -> None:
    (course / "course.yml").write_text(COURSE_YML + "packaging:\n  multilingual: true\n", encoding="utf-8")
    assert editions(course, "demo", "Demo course", None) == [Edition("multilingual", "demo", "Demo course")]
    assert [e.idnumber for e in editions(course, "demo", "Demo course", "fr")] == ["demo-fr"]
    (course / "course.yml").write_text("id: demo\ntitle: Demo course\nlanguage: en\n", encoding="utf-8")
    assert editions(course, "demo", "Demo course", None) == [Edition(None, "demo", "Demo course")]
    with pytest.raises(ConfigError, match="has no translations"):
        editions(course, "demo", "Demo course", "fr")


def test_unknown_language_is_refused_and_names_the_known_ones(course: Path) -> None:
    with pytest.raises(ConfigError, match=r"no language 'de' \(its languages: en, fr, es\)"):
        editions(course, "demo", "Demo course", "fr,de")
    assert language_name("ar") == "العربية" and language_name("x-unknown") == "x-unknown"


def test_the_package_of_each_edition_is_found_by_its_dist_name(tmp_path: Path) -> None:
    built = [tmp_path / f"demo-1.0.0-{lang}-scorm12.zip" for lang in ("en", "fr", "multilingual")]
    assert pick_package(built, Edition("fr", "demo-fr", "x"), "scorm12") == built[1]
    assert pick_package(built, Edition("multilingual", "demo", "x"), "scorm12") == built[2]
    with pytest.raises(ConfigError, match="no package ending in '-es-scorm12.zip'"):
        pick_package(built, Edition("es", "demo-es", "x"), "scorm12")


@pytest.fixture
def standin() -> Iterator[StandinMoodle]:
    site = StandinMoodle(users={"teacher": PASSWORD})
    site.add_course(7, users={"teacher"}, managers={"teacher"})
    site.start()
    yield site
    site.stop()


def _publish(site: StandinMoodle, course: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["publish", "moodle", str(course), "--url", site.url, "--course-id", "7",
                                    "--user", "teacher", *args], env={"MOODLE_PASSWORD": PASSWORD})


def test_two_languages_become_two_activities_and_an_update_keeps_them(standin: StandinMoodle, course: Path,
                                                                     tmp_path: Path) -> None:
    fr, es = make_zip(tmp_path / "fr.zip", body="fr"), make_zip(tmp_path / "es.zip", body="es")
    for lang, package in (("fr", fr), ("es", es)):
        result = _publish(standin, course, "--lang", lang, "--package", str(package))
        assert result.exit_code == 0, result.output
        assert f"SCORM activity added (ID number demo-{lang})" in result.output
    got = sorted((a.idnumber, a.name, a.package) for a in standin.in_course(7))
    assert got == [("demo-es", "Demo course (Español)", es.read_bytes()),
                   ("demo-fr", "Cours de démonstration (Français)", fr.read_bytes())]
    again = _publish(standin, course, "--lang", "fr", "--package", str(make_zip(tmp_path / "fr2.zip", body="2")))
    assert "SCORM activity updated (ID number demo-fr)" in again.output
    assert len(standin.in_course(7)) == 2


def test_one_package_for_several_activities_is_refused(standin: StandinMoodle, course: Path,
                                                       tmp_path: Path) -> None:
    result = _publish(standin, course, "--lang", "fr,es", "--package", str(make_zip(tmp_path / "a.zip")))
    assert result.exit_code == 1
    assert "--package gives one zip but 2 activities are to be published (demo-fr, demo-es)" in result.output
    assert standin.in_course(7) == []
    # a zip whose manifest names no language is taken as the source language's
    result = _publish(standin, course, "--package", str(make_zip(tmp_path / "a.zip")))
    assert result.exit_code == 0, result.output
    assert [a.idnumber for a in standin.in_course(7)] == ["demo-en"]


def test_a_built_zip_says_its_language(standin: StandinMoodle, tmp_path: Path) -> None:
    from builder.build import build_course
    from tests.i18n_helpers import copy_bilingual

    course = copy_bilingual(tmp_path)
    [french] = build_course(course, formats=("scorm12",), out=tmp_path / "dist", languages=("fr",)).packages
    result = _publish(standin, course, "--package", str(french.path))
    assert result.exit_code == 0, result.output
    [activity] = standin.in_course(7)
    assert (activity.idnumber, activity.name) == ("bilingual-course-fr", "L'eau dans la ville (Français)")


def test_a_translated_course_is_built_and_published_language_by_language(standin: StandinMoodle,
                                                                        tmp_path: Path) -> None:
    from tests.i18n_helpers import copy_bilingual

    course = copy_bilingual(tmp_path)
    result = _publish(standin, course, "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    got = sorted((a.idnumber, a.name) for a in standin.in_course(7))
    assert got == [("bilingual-course-en", "Water in the town (English)"),
                   ("bilingual-course-fr", "L'eau dans la ville (Français)")]
    packages = {a.idnumber: a.package for a in standin.in_course(7)}
    assert packages["bilingual-course-fr"] == (tmp_path / "dist" / "bilingual-1.0.0-fr-scorm12.zip").read_bytes()


def test_a_multilingual_course_is_one_activity_with_the_course_id(standin: StandinMoodle, tmp_path: Path) -> None:
    from tests.i18n_helpers import copy_bilingual

    course = copy_bilingual(tmp_path)
    config = course / "course.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("packaging:\n", "packaging:\n  multilingual: true\n"),
                      encoding="utf-8")
    result = _publish(standin, course, "--out", str(tmp_path / "dist"), "--format", "scorm2004")
    assert result.exit_code == 0, result.output
    [activity] = standin.in_course(7)
    assert (activity.idnumber, activity.name) == ("bilingual-course", "Water in the town")
    assert activity.package == (tmp_path / "dist" / "bilingual-1.0.0-multilingual-scorm2004.zip").read_bytes()
