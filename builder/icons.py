"""Our own small line icons for callouts, as inline SVG elements.

Each icon is drawn on a 20 × 20 grid with strokes in ``currentColor`` (so it takes the
callout's colour, also in forced-colours modes) and is hidden from screen readers: the
callout's kind is written next to it as text.
"""
from __future__ import annotations

import re
from xml.etree import ElementTree as etree

SVG_NS = "http://www.w3.org/2000/svg"

CALLOUT_ICONS: dict[str, str] = {
    # a folder with a page: a case to study
    "case-study": "M2.5 5.5h5l1.5 2h8.5v8.5h-15z M6 10.5h8 M6 13h5",
    # a star: the point to keep
    "key-point": "M10 2.5l2.3 4.8 5.2.7-3.8 3.6.9 5.2-4.6-2.5-4.6 2.5.9-5.2-3.8-3.6 5.2-.7z",
    # a pencil: something to do
    "activity": "M3.5 16.5l1-4 9-9 3 3-9 9z M12 5l3 3 M3.5 16.5l4-1",
    # a speech bubble with a question: something to think about
    "reflection": "M3 4.5h14v9h-8l-4 3v-3h-2z M8.3 7.6a1.7 1.7 0 1 1 2.4 1.6c-.5.3-.7.6-.7 1.1 M10 11.9v.1",
    # a circled i: a note
    "note": "M10 2.8a7.2 7.2 0 1 0 0 14.4a7.2 7.2 0 1 0 0-14.4z M10 9v5 M10 6.2v.1",
}


def icon(kind: str) -> etree.Element | None:
    """The ``<svg>`` element of the callout *kind*'s icon, or None when it has none."""
    path = CALLOUT_ICONS.get(kind)
    if path is None:
        return None
    svg = etree.Element("svg", {"class": "icon", "viewBox": "0 0 20 20", "width": "20", "height": "20",
                                "aria-hidden": "true", "focusable": "false"})
    etree.SubElement(svg, "path", {"d": path})
    return svg


_OUR_ICONS = re.compile(r'<svg aria-hidden="true" class="icon" focusable="false" height="20" viewBox="0 0 20 20" '
                        r'width="20"><path d="(?:' + "|".join(map(re.escape, CALLOUT_ICONS.values())) +
                        r')"></path></svg>')


def without_icons(html: str) -> str:
    """*html* without the icons :func:`icon` drew (as Markdown writes them), for the author-HTML check.

    Authors cannot write SVG into lessons; the check of a whole converted lesson must not
    take the theme's own drawings for theirs. Only these exact drawings are removed.
    """
    return _OUR_ICONS.sub("", html) if 'class="icon"' in html else html
