"""The multilingual package (``packaging: multilingual: true``): one SCO holding every language.

Layout of the package::

    imsmanifest.xml       every language in the metadata; launches index.html
    index.html            the language picker: the SCO document, which stays loaded
    assets/course.js      the course data of the runtime, with the list of languages
    assets/..., media/... every file that is the same in all languages, once
    <lang>/<page>.html    each language's pages (and whatever differs between languages)

The runtime keeps the picker's document (and its LMS session) for the whole attempt: it
fetches each page of the chosen language and puts it in place, as it does for every
page of a one-language package. Page, quiz and question ids are the same in every
language, so a switch keeps the pages viewed, the answers, the score and the location;
the language goes into the suspend data, and a resumed attempt opens in it.

In the pages under ``<lang>/``, references to shared files get ``../`` in front, so a page
opened on its own (``file://``) still finds them.
"""
from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from builder.errors import PackageError

if TYPE_CHECKING:
    from builder.render import Renderer
    from builder.targets import ScormTarget

MULTILINGUAL = "multilingual"
"""The language part of the package name: ``<slug>-<version>-multilingual-<format>.zip``."""
PICKER = "index.html"
COURSE_SCRIPT = "assets/course.js"
_REF = re.compile(rb'(\s(?:src|href|poster|data)=")([^"#?:]+)(?=["#?])')


def language_name(lang: str) -> str:
    """The name of *lang* in that language, capitalised (``fr`` → ``Français``), from Babel."""
    from babel import Locale, UnknownLocaleError

    try:
        name = str(Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return lang
    return name[:1].upper() + name[1:]


def assemble(renderers: Sequence[Renderer], target: ScormTarget, schemas: Path | None = None) -> dict[str, bytes]:
    """Every file of the multilingual package of *target*, the manifest included.

    Args:
        renderers: one per language, the source language first; their plans must have the
            same pages (ids and order), as translations of one course do.
        target: a SCORM target (its runtime adapter and manifest version are used).
        schemas: as for :meth:`builder.targets.ScormTarget.assemble`.

    Raises:
        PackageError: the languages do not have the same pages.
    """
    from builder.manifest import MANIFEST_NAME, build_manifest
    from builder.targets import _rendered, read_schema_files

    first = renderers[0]
    ids = [page.id for page in first.pages]
    for other in renderers[1:]:
        if [page.id for page in other.pages] != ids:
            raise PackageError(f"the '{other.course.language}' course does not have the pages of the "
                               f"'{first.course.language}' one; a multilingual package needs the same pages")
    rendered = {r.course.language: _rendered(r, target) for r in renderers}
    shared = _shared(list(rendered.values()))
    files = {path: data for path, data in rendered[first.course.language].items() if path in shared}
    for lang, own in rendered.items():
        for path, data in own.items():
            if path not in shared:
                files[f"{lang}/{path}"] = _prefix_shared(data, shared) if path.endswith(".html") else data
    files[COURSE_SCRIPT] = course_script(renderers, target)
    files[PICKER] = picker_page(renderers)
    if schemas is not None:
        files.update(read_schema_files(schemas, target.version))
    # identifiers of its own (<id>-multilingual), distinct from each language's package
    course = dataclasses.replace(first.course, id=f"{first.course.id}-{MULTILINGUAL}")
    files[MANIFEST_NAME] = build_manifest(course, files, target.name, PICKER,
                                          editions=[r.course for r in renderers[1:]])
    return files


def _shared(sets: list[dict[str, bytes]]) -> set[str]:
    """The files every language has with the same bytes (pages and the course data never)."""
    first, rest = sets[0], sets[1:]
    return {path for path, data in first.items()
            if not path.endswith(".html") and path != COURSE_SCRIPT and all(s.get(path) == data for s in rest)}


def _prefix_shared(html: bytes, shared: set[str]) -> bytes:
    """*html* of a page under ``<lang>/`` with ``../`` before each reference to a shared file."""
    from urllib.parse import unquote

    def fix(match: re.Match[bytes]) -> bytes:
        value = match.group(2)
        return match.group(1) + (b"../" + value if unquote(value.decode("utf-8")) in shared else value)

    return _REF.sub(fix, html)


def course_script(renderers: Sequence[Renderer], target: ScormTarget) -> bytes:
    """``assets/course.js`` of the package: the source's course data and the languages."""
    from builder.render import course_data

    first = renderers[0]
    data = course_data(first.course, first.pages, target.scorm, target.adapter)
    data["languages"] = [{"code": r.course.language, "name": language_name(r.course.language)}
                         for r in renderers]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.BUILDER_COURSE = {text};\n".encode()


def picker_page(renderers: Sequence[Renderer]) -> bytes:
    """``index.html``: the course title and one link per language, each in its language.

    Without the runtime (no JavaScript), a link opens that language's start page.
    """
    from builder.locale import text_direction

    first = renderers[0]
    heads, items = [], []
    for r in renderers:
        lang = escape(r.course.language)
        direction = text_direction(r.course.language)
        choose = escape(str(r.labels.get("choose_language", "")))
        heads.append(f'<span lang="{lang}" dir="{direction}">{choose}</span>')
        items.append(f'<li><a class="button" href="{lang}/{escape(r.pages[0].url)}" data-lang="{lang}" '
                     f'hreflang="{lang}" lang="{lang}" dir="{direction}">{escape(language_name(r.course.language))}'
                     f'</a> <span lang="{lang}" dir="{direction}">{escape(r.course.title)}</span></li>')
    ui = json.dumps({k: v for k, v in first.labels.items() if isinstance(v, str)},
                    ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    source = escape(first.course.language)
    page = (f'<!DOCTYPE html>\n<html lang="{source}" dir="{text_direction(first.course.language)}">\n<head>\n'
            '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(first.course.title)}</title>\n"
            '<link rel="icon" href="data:,">\n<link rel="stylesheet" href="assets/course.css">\n'
            '<script src="assets/course.js" defer></script>\n<script src="assets/runtime.js" defer></script>\n'
            '</head>\n<body data-page="languages">\n<div class="layout">\n'
            '<main id="main" class="language-picker" tabindex="-1" data-page="languages">\n'
            f'<h1>{" / ".join(heads)}</h1>\n<ul class="language-list">\n' + "\n".join(items) +
            '\n</ul>\n</main>\n</div>\n'
            f'<script type="application/json" id="builder-ui">{ui}</script>\n</body>\n</html>\n')
    return page.encode("utf-8")
