"""Readable diagrams: how wide an SVG picture must be drawn for its text to stay legible.

An SVG shown with ``<img>`` scales as a whole, so its labels shrink with the screen: a
520-unit-wide diagram with 16-unit labels, drawn 270 px wide on a 320 px phone, has 8 px
text. :func:`readable_width` reads the picture's ``viewBox`` and the smallest font size it
sets and returns the width at which that text is :data:`MIN_TEXT_PX`; the lesson gives the
image that width as a minimum, inside a keyboard-scrollable region, so on a narrow screen
the learner pans the diagram instead of squinting at it.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

from lxml import etree

MIN_TEXT_PX = 12
"""The smallest text size (CSS px) a diagram label may be drawn at."""

_FONT_SIZE = re.compile(r"font-size\s*:\s*([0-9.]+)(px)?\s*(?:;|$|})")
_NUMBER = re.compile(r"^\s*([0-9.]+)(px)?\s*$")


def readable_width(path: Path) -> tuple[int, int, int] | None:
    """The width in CSS px at which the smallest text of the SVG *path* is 12 px.

    Args:
        path: an SVG file inside the course (already checked by ``file_rules``).

    Returns:
        ``(readable width, viewBox width, viewBox height)`` (the last two, rounded, give the
        ``<img>`` its proportions before it loads), or None when the file is no SVG with a
        ``viewBox`` and sized text (then it is shown as any picture is).
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError):
        return None
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        width, height = (float(box[2]), float(box[3])) if len(box) == 4 else (0.0, 0.0)
    except ValueError:
        return None
    sizes = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        match = _NUMBER.match(el.get("font-size") or "")
        if match:
            sizes.append(float(match.group(1)))
        sizes += [float(m.group(1)) for m in _FONT_SIZE.finditer((el.get("style") or "") + ";")]
        if el.tag.endswith("}style") or el.tag == "style":
            sizes += [float(m.group(1)) for m in _FONT_SIZE.finditer(el.text or "")]
    sizes = [s for s in sizes if s > 0]
    if width <= 0 or height <= 0 or not sizes:
        return None
    return math.ceil(width * MIN_TEXT_PX / min(sizes)), round(width), round(height)
