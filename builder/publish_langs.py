"""Which Moodle activities a course becomes: one per language, or one multilingual package.

A course without ``translations:`` is one activity whose ID number is the course id, as
always. A translated course is one activity per language, ID number ``<course-id>-<lang>``
and its name followed by the language's own name ("… (Français)"); ``--lang`` picks some.
A course with ``packaging: multilingual: true`` is published, without ``--lang``, as its
multilingual package: one activity whose ID number is the course id.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.errors import ConfigError
from builder.multilingual import MULTILINGUAL, language_name
from builder.translate_io import course_languages, read_catalog, same_language
from builder.yamlsrc import parse_yaml

@dataclass(frozen=True)
class Edition:
    """One activity to publish: its ID number and name, and which built package it takes."""

    part: str | None  # the language part of the dist name: a language, "multilingual" or None
    idnumber: str
    name: str


def translated_title(course_dir: Path, lang: str, title: str) -> str:
    """The course title as translated in ``locales/<lang>/course.po`` (not fuzzy), else *title*."""
    path = course_dir / "locales" / lang / "course.po"
    if not path.is_file():
        return title
    for message in read_catalog(path):
        context = message.context or ""
        if message.id == title and context.endswith("title") and message.string and not message.fuzzy:
            return str(message.string)
    return title


def is_multilingual(course_dir: Path) -> bool:
    """True when course.yml says ``packaging: multilingual: true``."""
    config = course_dir / "course.yml"
    data, _ = parse_yaml(config.read_text(encoding="utf-8"), config)
    packaging = data.get("packaging") if isinstance(data, dict) else None
    return isinstance(packaging, dict) and packaging.get(MULTILINGUAL) is True


def package_languages(package: Path) -> list[str]:
    """The languages a built zip's manifest metadata lists (several: a multilingual package)."""
    import zipfile

    from lxml import etree

    from builder.manifest import MANIFEST_NAME

    try:
        with zipfile.ZipFile(package) as archive:
            root = etree.fromstring(archive.read(MANIFEST_NAME))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return []  # check_package says what is wrong with it
    general = [el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == "general"]
    return [str(el.text) for g in general[:1] for el in g
            if isinstance(el.tag, str) and etree.QName(el).localname == "language" and el.text]


def editions(course_dir: Path, idnumber: str, title: str, langs: str | None,
             name: str | None = None, package: Path | None = None) -> list[Edition]:
    """The activities to publish for *langs* (``--lang``, comma-separated, or None).

    Args:
        course_dir: the course folder.
        idnumber: the course id (course.yml ``id``).
        title: the course title.
        langs: the ``--lang`` value; None for every language (or the multilingual package).
        name: an activity name given with ``--name`` (taken as it is for one activity; with
            several, each gets its language added).
        package: a built zip given with ``--package``: without *langs*, the language(s) in
            its manifest say which activity it is (none: the source language's).

    Raises:
        ConfigError: a language the course does not have, or ``--lang`` on an untranslated course.
    """
    known = course_languages(course_dir)
    everything = (known.source, *known.translations)
    if langs is None and package is not None and known.translations:
        found = package_languages(package)
        if len(found) > 1:
            return [Edition(MULTILINGUAL, idnumber, name or title)]
        langs = found[0] if found else known.source  # no language in it: not ours; taken as the source's
    if langs is None:
        if not known.translations:
            return [Edition(None, idnumber, name or title)]
        if is_multilingual(course_dir):
            return [Edition(MULTILINGUAL, idnumber, name or title)]
        wanted = list(everything)
    else:
        wanted = [part.strip() for part in langs.split(",") if part.strip()]
        if not known.translations:
            raise ConfigError(f"--lang {langs}: {known.slug} has no translations (course.yml lists none "
                              "under 'translations:'); publish it without --lang")
    result = []
    for lang in wanted:
        match = next((x for x in everything if same_language(x, lang)), None)
        if match is None:
            raise ConfigError(f"--lang: {known.slug} has no language '{lang}' "
                              f"(its languages: {', '.join(everything)})")
        shown = title if match == known.source else translated_title(course_dir, match, title)
        result.append(Edition(match, f"{idnumber}-{match}", f"{name or shown} ({language_name(match)})"))
    if name and len(result) == 1:
        result = [Edition(result[0].part, result[0].idnumber, name)]
    return result


def pick_package(packages: list[Path], edition: Edition, fmt: str) -> Path:
    """The built zip of *edition* in *fmt* among *packages* (``…-<lang>-<fmt>.zip``).

    Raises:
        ConfigError: the build made none.
    """
    ending = f"-{edition.part}-{fmt}.zip" if edition.part else f"-{fmt}.zip"
    found = [p for p in packages if p.name.endswith(ending)]
    if len(found) != 1:
        raise ConfigError(f"the build made no package ending in '{ending}' "
                          f"(it made: {', '.join(p.name for p in packages) or 'none'})")
    return found[0]
