"""The preview of a translated course: one site per language, a language list, catalog status.

The source language is served at ``/<slug>/``, each translation at ``/<slug>~<lang>/``
(its own build, its own simulated LMS data). Only the language asked for with ``--lang``
(default: the source) is built at start; another is built the first time it is opened,
and from then on rebuilt on every save like the first. The start page and the LMS page
show, per language, how much of its catalogs is translated (``translate status``).
"""
from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

from builder.errors import BuilderError, ConfigError
from builder.serve_site import PreviewSite
from builder.translate_io import course_languages, same_language

SEPARATOR = "~"
_STATUS: dict[Path, tuple[float, dict[str, Any] | None]] = {}
_STATUS_SECONDS = 2.0  # the start page reloads on every save: read the catalogs at most this often


def course_sites(folder: Path, work: Path, language: str | None) -> tuple[list[PreviewSite], PreviewSite]:
    """The preview sites of the course in *folder*: the source's and one per translation.

    Returns:
        Every site, and the one to build at start (*language*'s, default the source's).

    Raises:
        ConfigError: *language* is not a language of a translated course.
    """
    known = course_languages(folder)
    if not known.translations:
        site = PreviewSite(folder, work, language)
        return [site], site
    name = folder.resolve().name
    sites = [PreviewSite(folder, work, None)]
    sites += [PreviewSite(folder, work, lang, slug=f"{name}{SEPARATOR}{lang}") for lang in known.translations]
    if language is None or same_language(language, known.source):
        return sites, sites[0]
    for site in sites[1:]:
        if site.language is not None and same_language(site.language, language):
            return sites, site
    raise ConfigError(f"--lang {language}: {name} has no such language "
                      f"(its languages: {', '.join((known.source, *known.translations))})")


def siblings(site: PreviewSite, sites: dict[str, PreviewSite]) -> list[PreviewSite]:
    """The sites of every language of *site*'s course, the source first (just *site* if none)."""
    same = [s for s in sites.values() if s.course_dir == site.course_dir]
    return sorted(same, key=lambda s: (s.language is not None, s.slug))


def catalog_status(course_dir: Path) -> dict[str, Any] | None:
    """Per translation: translated, fuzzy, untranslated, total and percent (all catalogs);
    None when the course or a catalog cannot be read (the build shows why)."""
    cached = _STATUS.get(course_dir)
    if cached is not None and time.monotonic() - cached[0] < _STATUS_SECONDS:
        return cached[1]
    from builder.i18n.status import Counts, translation_status

    try:
        figures = translation_status(course_dir)
    except BuilderError:
        result = None
    else:
        result = {}
        for lang, files in figures.items():
            total = Counts()
            for counts in files.values():
                total.add(counts)
            result[lang] = total.as_dict()
    _STATUS[course_dir] = (time.monotonic(), result)
    return result


def _label(site: PreviewSite) -> str:
    from builder.multilingual import language_name

    if site.language is None:
        source = course_languages(site.course_dir).source
        return f"{language_name(source)} ({source}, source)"
    return f"{language_name(site.language)} ({site.language})"


def status_text(site: PreviewSite) -> str:
    """One line on the catalogs of *site*'s language: percent and counts, or ``source``."""
    if site.language is None:
        return "the source language"
    figures = catalog_status(site.course_dir)
    if figures is None:
        return "catalog status unavailable (see the build problems)"
    counts = next((v for k, v in figures.items() if same_language(k, site.language)), None)
    if counts is None:
        return "no catalogs"
    return (f"{counts['percent']:g}% translated: {counts['translated']} translated, {counts['fuzzy']} fuzzy, "
            f"{counts['untranslated']} untranslated")


def language_bar(site: PreviewSite, sites: dict[str, PreviewSite], fmt: str) -> str:
    """The LMS page's language links (this language marked) and its catalog status; ``""`` for
    a course without translations."""
    family = siblings(site, sites)
    if len(family) < 2:
        return ""
    links = " ".join(
        f'<a href="/{html.escape(s.slug)}/lms.html?format={html.escape(fmt)}" hreflang="{html.escape(s.language or "")}"'
        + (' aria-current="page"' if s is site else "") + f">{html.escape(_label(s))}</a>" for s in family)
    return (f'<nav aria-label="Language" class="formats languages">{links}</nav>'
            f'<p class="catalog-status" id="catalog-status">Translation: {html.escape(status_text(site))}</p>')


def start_languages(site: PreviewSite, sites: dict[str, PreviewSite], formats: list[str]) -> str:
    """The start page's list of a course's languages: links to each and its catalog status."""
    family = siblings(site, sites)
    if len(family) < 2:
        return ""
    rows = []
    for each in family:
        links = " ".join(f'<a href="/{html.escape(each.slug)}/lms.html?format={fmt}">{fmt}</a>' for fmt in formats)
        rows.append(f"<tr><th scope=\"row\">{html.escape(_label(each))}</th><td>{html.escape(status_text(each))}</td>"
                    f"<td>{links}</td></tr>")
    return ('<table class="languages"><caption>Languages</caption><thead><tr><th scope="col">Language</th>'
            '<th scope="col">Catalogs</th><th scope="col">Open</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")
