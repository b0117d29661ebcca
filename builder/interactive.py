"""Interactive ``:::`` blocks of lessons: accordion, tabs, steps, card and hotspots.

Each block is plain HTML that works without JavaScript (``<details>``, panels with their
headings, an ordered list, a card with its back shown, a picture with its numbered list);
the runtime (``templates/src/blocks.js``) turns it into the interactive form. A block
opened with ``required`` (``::: tabs required``) marks itself ``data-required`` so that
the runtime counts the lesson as viewed only once every part of it was opened.

Called by :class:`builder.blocks.DirectiveProcessor`; problems go to the
:class:`~builder.content.LessonSource` being converted, at the line they concern.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from builder.errors import Location, Problem

if TYPE_CHECKING:
    from builder.content import LessonSource

INTERACTIVE_KINDS = ("accordion", "tabs", "steps", "card", "hotspots")
SECTIONED = {"accordion": 1, "tabs": 2, "steps": 2}
"""Blocks made of ``### Title`` sections, with the fewest sections each takes."""
LABELS = {
    "block_required": "Required to complete this lesson:",
    "block_remaining": "{n} of {total} opened.",
    "block_done": "Done: every part opened.",
    "blocks_pending": "This page counts as viewed once every part of the blocks marked as required is opened.",
    "steps_count": "Step {n} of {total}",
    "steps_previous": "Previous step",
    "steps_next": "Next step",
    "card_hint": "Select to reveal",
    "card_back": "Select to hide",
    "hotspots_close": "Close",
}
"""Interface labels of the blocks (English defaults; ``strings.yml`` has each language)."""
_SECTION_RE = re.compile(r"^###[ \t]+(\S.*?)[ \t#]*$")
_OPEN_RE = re.compile(r"^:::\s*[A-Za-z]")
_CLOSE_RE = re.compile(r"^:::\s*$")
_SPOT_RE = re.compile(r"^(\d+)[.)][ \t]+(.*)$")
_POSITION_RE = re.compile(r"^\(\s*(\d+(?:\.\d+)?)\s*%\s*,\s*(\d+(?:\.\d+)?)\s*%\s*\)[ \t]*(.*)$")
_BOLD_TITLE_RE = re.compile(r"^\*\*(.+?)\*\*[ \t]*(.*)$")
_IMAGE_RE = re.compile(r"^!\[[^\]]*\]\([^)]*\)(\{:[^}]*\})?$")


@dataclass
class BlockContext:
    """One interactive block being converted: where it is and how to parse its content."""

    source: LessonSource
    parser: Any  # markdown.blockparser.BlockParser
    line: int | None  # line of the ':::' line in the lesson file
    start: int  # index in the lesson body where the block's text starts (to find its lines)
    number: int  # 1, 2 ... in the lesson: ids are 'blk-<number>-...'

    def problem(self, needle: str | None, message: str, hint: str | None = None) -> None:
        """Record an error at the line of *needle* inside the block (else at the block's line)."""
        line = self.line
        index = self.source.body.find(needle, self.start) if needle else -1
        if index >= 0:
            line = self.source.body_line + self.source.body.count("\n", 0, index)
        self.source.problems.append(Problem(Location(self.source.path, line), message, hint))

    def label(self, key: str) -> str:
        """An interface label in the course language."""
        return self.source.labels.get(key, LABELS[key])


def split_args(args: str) -> tuple[bool, str]:
    """``required "Title"`` → ``(True, "Title")``; quotes around the title are optional."""
    words = args.strip()
    required = words == "required" or words.startswith(("required ", "required\t"))
    if required:
        words = words[len("required"):].strip()
    if len(words) >= 2 and words[0] == words[-1] and words[0] in "\"'":
        words = words[1:-1].strip()
    return required, words


def render_block(ctx: BlockContext, parent: etree.Element, kind: str, args: str, text: str) -> None:
    """Convert one interactive block into *parent*.

    Args:
        ctx: the block and its lesson.
        parent: the element the block goes into.
        kind: one of :data:`INTERACTIVE_KINDS`.
        args: the rest of the ``:::`` line (``required``, a title or the card's front).
        text: the block's content (Markdown).
    """
    required, title = split_args(args)
    tag = "figure" if kind == "hotspots" else "div"
    block = etree.SubElement(parent, tag)
    block.set("class", f"block block-{kind}")
    block.set("id", f"blk-{ctx.number}")
    block.set("data-block", kind)
    if required:
        block.set("data-required", "true")
        block.set("data-label-required", ctx.label("block_required"))
        block.set("data-label-done", ctx.label("block_done"))
        block.set("data-label-remaining", ctx.label("block_remaining"))
        block.set("data-label-pending", ctx.label("blocks_pending"))
    if kind == "card":
        _card(ctx, block, title, text)
        return
    if title and kind != "hotspots":
        heading = etree.SubElement(block, "p")
        heading.set("class", "block-title")
        heading.set("id", f"blk-{ctx.number}-title")
        heading.text = title
    if kind == "hotspots":
        _hotspots(ctx, block, title, text)
        return
    sections = split_sections(ctx, kind, text)
    if kind == "accordion":
        _accordion(ctx, block, sections)
    elif kind == "tabs":
        _tabs(ctx, block, sections)
    else:
        _steps(ctx, block, sections)


def split_sections(ctx: BlockContext, kind: str, text: str) -> list[tuple[str, str]]:
    """The ``### Title`` sections of *text* as ``(title, Markdown body)``; problems reported."""
    sections: list[tuple[str, list[str]]] = []
    before: list[str] = []
    depth = 0
    for line in text.split("\n"):
        match = _SECTION_RE.match(line) if not depth else None
        if match:
            sections.append((match.group(1), []))
            continue
        if _OPEN_RE.match(line):
            depth += 1
        elif _CLOSE_RE.match(line) and depth:
            depth -= 1
        (sections[-1][1] if sections else before).append(line)
    stray = next((line for line in before if line.strip()), None)
    what = {"accordion": "item", "tabs": "tab", "steps": "step"}[kind]
    if stray is not None:
        ctx.problem(stray, f"text before the first '### ' {what} of '::: {kind}'",
                    f"start each {what} with a '### Title' line; put text that belongs to no {what} "
                    "before the ':::' line")
    if len(sections) < SECTIONED[kind]:
        ctx.problem(None, f"'::: {kind}' needs at least {SECTIONED[kind]} '### ' {what}"
                    f"{'s' if SECTIONED[kind] > 1 else ''} (it has {len(sections)})",
                    f"start each {what} with a line '### Title', then its text")
    found = []
    for title, body in sections:
        content = "\n".join(body).strip("\n")
        if not content.strip():
            ctx.problem(f"### {title}", f"the {what} '{title}' of '::: {kind}' has no text",
                        f"write the {what}'s text under its '### ' line")
        found.append((title, content))
    return found


def _accordion(ctx: BlockContext, block: etree.Element, sections: list[tuple[str, str]]) -> None:
    """``<details>`` items: they open and close without any script."""
    for index, (title, body) in enumerate(sections, 1):
        item = etree.SubElement(block, "details")
        item.set("class", "accordion-item")
        item.set("id", f"blk-{ctx.number}-{index}")
        summary = etree.SubElement(item, "summary")
        summary.text = title
        inner = etree.SubElement(item, "div")
        inner.set("class", "accordion-body")
        ctx.parser.parseChunk(inner, body)


def _tabs(ctx: BlockContext, block: etree.Element, sections: list[tuple[str, str]]) -> None:
    """One panel per tab, each under its heading; the runtime adds the tab list."""
    for index, (title, body) in enumerate(sections, 1):
        panel = etree.SubElement(block, "div")
        panel.set("class", "tab-panel")
        panel.set("id", f"blk-{ctx.number}-{index}")
        ctx.parser.parseChunk(panel, f"### {title}\n\n{body}")


def _steps(ctx: BlockContext, block: etree.Element, sections: list[tuple[str, str]]) -> None:
    """An ordered list of steps; the runtime shows one at a time with Previous/Next."""
    block.set("data-label-count", ctx.label("steps_count"))
    block.set("data-label-previous", ctx.label("steps_previous"))
    block.set("data-label-next", ctx.label("steps_next"))
    steps = etree.SubElement(block, "ol")
    steps.set("class", "steps-list")
    for index, (title, body) in enumerate(sections, 1):
        step = etree.SubElement(steps, "li")
        step.set("class", "step")
        step.set("id", f"blk-{ctx.number}-{index}")
        ctx.parser.parseChunk(step, f"### {title}\n\n{body}")


def _card(ctx: BlockContext, block: etree.Element, front: str, text: str) -> None:
    """The front (the ':::' line) and the back (the content), both shown without a script."""
    if not front:
        ctx.problem(None, "'::: card' needs its front text on the ':::' line",
                    "write '::: card What does a one-stop shop offer?' and the answer on the lines below")
    if not text.strip():
        ctx.problem(None, "'::: card' has no back: write the text to reveal before ':::'")
    block.set("data-label-hint", ctx.label("card_hint"))
    block.set("data-label-back", ctx.label("card_back"))
    front_el = etree.SubElement(block, "p")
    front_el.set("class", "card-front")
    front_el.text = front
    back = etree.SubElement(block, "div")
    back.set("class", "card-back")
    back.set("id", f"blk-{ctx.number}-back")
    ctx.parser.parseChunk(back, text)


def _hotspots(ctx: BlockContext, block: etree.Element, title: str, text: str) -> None:
    """A picture with numbered markers (links to their entry) and the list of entries."""
    paragraphs = [p.strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    image = paragraphs[0] if paragraphs else ""
    if not _IMAGE_RE.match(image):
        ctx.problem(image.split("\n", 1)[0] or None, "'::: hotspots' must start with its picture",
                    "write '![what the picture shows](../media/map.svg)' as the first line, then the "
                    "numbered list '1. (30%, 40%) Title: description'")
        image = ""
    spots = _parse_spots(ctx, "\n".join(paragraphs[1:]) if image else "\n".join(paragraphs))
    block.set("data-label-close", ctx.label("hotspots_close"))
    frame = etree.SubElement(block, "div")
    frame.set("class", "hotspot-image")
    if image:  # its paragraph is removed once the picture is made (markdown_tree._unwrap_hotspot_pictures)
        ctx.parser.parseChunk(frame, image)
    if title:
        caption = etree.SubElement(block, "figcaption")
        caption.text = title
    entries = etree.SubElement(block, "ol")
    entries.set("class", "hotspot-list")
    for index, (x, y, name, description) in enumerate(spots, 1):
        anchor = f"blk-{ctx.number}-{index}"
        marker = etree.SubElement(frame, "a")
        marker.set("class", "hotspot-marker")
        marker.set("href", f"#{anchor}")
        marker.set("style", f"left: {x}%; top: {y}%")
        ctx.source.resolved.add(id(marker))  # an id of this block, not a section
        number = etree.SubElement(marker, "span")
        number.set("aria-hidden", "true")
        number.text = str(index)
        hidden = etree.SubElement(marker, "span")
        hidden.set("class", "visually-hidden")
        hidden.text = f"{index}: {name.rstrip('.:')}"
        entry = etree.SubElement(entries, "li")
        entry.set("id", anchor)
        strong = etree.SubElement(entry, "strong")
        strong.set("class", "hotspot-title")
        strong.text = name
        if description:
            strong.tail = description if description.startswith(":") else " " + description


def _parse_spots(ctx: BlockContext, text: str) -> list[tuple[str, str, str, str]]:
    """``1. (30%, 40%) Title: description`` (or ``**Title.** description``) lines.

    Returns:
        ``(x, y, title, rest)`` per spot; *rest* is the text after the title as shown.
    """
    spots: list[tuple[str, str, str, str]] = []
    hint = "write each spot as '1. (30%, 40%) Title: description' (across, down from the top-left corner, in %)"
    for line in text.split("\n"):
        if not line.strip():
            continue
        match = _SPOT_RE.match(line.strip())
        if not match:
            if spots and line[:1] in " \t":  # the item goes on
                x, y, name, description = spots[-1]
                spots[-1] = (x, y, name, f"{description} {line.strip()}")
            else:
                ctx.problem(line.strip(), "this line of '::: hotspots' is not a numbered spot", hint)
            continue
        if int(match.group(1)) != len(spots) + 1:
            ctx.problem(line.strip(), f"spot {match.group(1)} of '::: hotspots' should be number {len(spots) + 1}",
                        "number the spots 1, 2, 3 ... in order: the markers show these numbers")
        position = _POSITION_RE.match(match.group(2))
        if not position:
            ctx.problem(line.strip(), "this spot of '::: hotspots' has no position", hint)
            continue
        x, y, rest = position.groups()
        if float(x) > 100 or float(y) > 100:
            ctx.problem(line.strip(), f"the position ({x}%, {y}%) is outside the picture",
                        "give percentages from 0 to 100")
        bold = _BOLD_TITLE_RE.match(rest)
        if bold:  # '**Title.** description' as in an ordinary list
            name, description = bold.group(1).strip(), bold.group(2).strip()
        else:
            name, _, description = rest.partition(": ")
            name = name.strip().rstrip(":")
            description = description.strip() and ": " + description.strip()
        if not name.strip():
            ctx.problem(line.strip(), "this spot of '::: hotspots' has no title", hint)
        spots.append((x, y, name, description))
    if not spots:
        ctx.problem(None, "'::: hotspots' has no spots", hint)
    return spots
