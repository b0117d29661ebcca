"""Marking source-language fallbacks of a translation built with ``--allow-incomplete``.

A Markdown text that stands in for a missing translation is wrapped in
``<span lang="<source>">`` by :meth:`builder.i18n.apply.Localizer.fallback` (each paragraph
of a longer text: a span cannot hold paragraphs). Plain texts cannot hold markup: a title
or an alt text gets the ``lang`` attribute on the element that shows it, here for lesson
HTML (pictures' ``alt``, ``:::`` titles, media captions) and through the theme's
``lang_attr``/``lang_span`` filters for titles shown by templates.
"""
from __future__ import annotations

import html
import re

_IMG_ALT = re.compile(r'<img\b(?![^>]*\blang=)([^>]*?\balt="([^"]*)")')
_TITLE = re.compile(r'<(p|figcaption)( class="[^"]*")?>([^<]+)</\1>')
_BLOCK_START = re.compile(r"\s*(?:[-*+>#|`~]|\d+[.)]|:::|\[\^)|    |\t")
_ITEM = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(\S.*)$")


def mark_lesson_html(text: str, plain: dict[str, str]) -> str:
    """*text* (lesson HTML) with ``lang`` on pictures and titles whose text is a fallback in *plain*."""
    if not plain:
        return text

    def alt(match: re.Match[str]) -> str:
        language = plain.get(html.unescape(match.group(2)))
        return f'<img lang="{language}"{match.group(1)}' if language else match.group(0)

    def title(match: re.Match[str]) -> str:
        language = plain.get(html.unescape(match.group(3)).strip())
        if not language:
            return match.group(0)
        return f'<{match.group(1)}{match.group(2) or ""} lang="{language}">{match.group(3)}</{match.group(1)}>'

    return _TITLE.sub(title, _IMG_ALT.sub(alt, text))


def mark_paragraphs(text: str, language: str) -> str:
    """A Markdown text of several paragraphs with each paragraph's (or list item's) words in a span."""
    out = []
    for para in text.split("\n\n"):
        lines = para.split("\n")
        if all(_ITEM.match(line) for line in lines if line.strip()):
            out.append("\n".join(_ITEM.sub(lambda m: f'{m.group(1)}<span lang="{language}">{m.group(2)}</span>', line)
                                 for line in lines))
        elif para.strip() and not _BLOCK_START.match(para):
            out.append(f'<span lang="{language}">{para}</span>')
        else:
            out.append(para)
    return "\n\n".join(out)
