"""Markdown source → translatable segments at block granularity (as Sphinx splits documents).

Works on the lesson's Markdown *source*, line by line, so that a translation is put back
into the source and the translated lesson goes through the very same convert and validate
stages. Each heading, paragraph, list item, table cell, definition, footnote text, image
alt text of a picture on its own line, and the title on a ``::: name Title`` line is one
segment; inline Markdown (emphasis, links, code, inline images) stays inside it. ``:::``
blocks are handled generically: whatever their name, their inner lines are segmented like
the rest, except the YAML bodies of ``::: video`` / ``::: audio``, whose ``title:`` is the
only text. Fenced code, indented code, attribute lists, rules and raw ``:::`` lines stay
as they are. What is not words stays out of the messages and is kept from the source when
a translation is put in: the options of an interactive block's ``:::`` line
(``::: tabs required "Title"``: only ``Title`` is a message) and the position of a hotspot
(``1. (30%, 40%) **Town hall.** ...``: the text after the position is the message).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from builder.interactive import INTERACTIVE_KINDS, split_args

FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})")
OPEN_RE = re.compile(r"^(\s*):::\s*([A-Za-z][\w-]*)(\s*)(.*?)\s*$")
CLOSE_RE = re.compile(r"^\s*:::\s*$")
HEADING_RE = re.compile(r"^(\s{0,3}#{1,6}\s+)(.*?)(\s*\{[^{}]*\})?(\s+#+)?\s*$")
SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
RULE_RE = re.compile(r"^\s{0,3}((\*\s*){3,}|(-\s*){3,}|(_\s*){3,})$")
ATTR_RE = re.compile(r"^\s*\{:?[^{}]*\}\s*$")
ITEM_RE = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])(\s+)(\S.*)$")
FOOTNOTE_RE = re.compile(r"^(\s*\[\^[^\]]+\]:\s*)(\S.*)$")
ABBR_RE = re.compile(r"^(\s*\*\[[^\]]+\]:\s*)(\S.*)$")
DEFINITION_RE = re.compile(r"^(\s*:\s+)(\S.*)$")
QUOTE_RE = re.compile(r"^(\s*>\s?)")
IMAGE_RE = re.compile(r"^(\s*!\[)([^\]]*)(\]\([^)]*\)(\{[^{}]*\})?\s*)$")
SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
CELL_SPLIT_RE = re.compile(r"(?<!\\)\|")
MEDIA = ("video", "audio")
PATH_RE = re.compile(r"^[^\s\"']*(/|\.[A-Za-z0-9]{2,5}$)[^\s\"']*$")
"""A ``:::`` argument that names a file (``../media/map.svg``): not words to translate."""
MEDIA_TITLE_RE = re.compile(r"^(\s*title:\s*)(\S.*?)\s*$")
OPTION_RE = re.compile(r"^required(?:[ \t]+|$)")
"""The option word that may open the arguments of an interactive block (see ``split_args``)."""
SPOT_POSITION_RE = re.compile(r"^\(\s*\d+(?:\.\d+)?\s*%\s*,\s*\d+(?:\.\d+)?\s*%\s*\)[ \t]*")
"""The ``(across%, down%)`` that starts a hotspot's list item: a position, not words."""
SECTION_RE = re.compile(r"^###[ \t]+\S")
"""A ``### Title`` line, which starts a section of an accordion, tabs or steps block."""


@dataclass(frozen=True)
class Segment:
    """One translatable block of a Markdown text, with where its text sits in the source.

    The text runs from column *col* of line *first* to column *end_col* of line *last*
    (0-based lines of the text, columns in characters); continuation lines start with
    *prefix* (indentation, ``>`` markers), which is not part of the message.
    """

    kind: str
    text: str
    first: int
    col: int
    last: int
    end_col: int
    prefix: str = ""
    quoted: str = ""
    """The quote character around a ``:::`` title or a YAML title (kept as written)."""
    section: str = ""
    """For the ``### Title`` of a section of an interactive block: the block's kind (``accordion`` ...)."""


def _block_start(line: str) -> bool:
    """Whether *line* starts a block of its own (ends a paragraph)."""
    return bool(HEADING_RE.match(line) or FENCE_RE.match(line) or OPEN_RE.match(line) or CLOSE_RE.match(line)
                or ITEM_RE.match(line) or ATTR_RE.match(line) or FOOTNOTE_RE.match(line)
                or DEFINITION_RE.match(line) or RULE_RE.match(line) or ABBR_RE.match(line)
                or line.lstrip().startswith("|") or bool(re.match(r"^\s{0,3}=+\s*$", line)))


class _Scanner:
    """Walks the lines of one Markdown text and collects its segments."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.segments: list[Segment] = []
        self.inside: dict[int, str] = {}
        """Line → kind of the innermost interactive block it is in (a hotspot item starts with
        its position; a ``### `` line is the title of a section)."""

    def add(self, kind: str, first: int, col: int, last: int, end_col: int, prefix: str = "",
            quoted: str = "", section: str = "") -> None:
        raw = [self.lines[first][col:] if first != last else self.lines[first][col:end_col]]
        for n in range(first + 1, last + 1):
            line = self.lines[n]
            raw.append(line[len(prefix):end_col] if n == last else line[len(prefix):])
        text = " ".join(part.strip() for part in raw).strip()
        if text and re.search(r"\w", text):
            self.segments.append(Segment(kind, text, first, col, last, end_col, prefix, quoted, section))

    def scan(self) -> list[Segment]:
        index, lines = 0, self.lines
        in_list = False
        while index < len(lines):
            line = lines[index]
            if not line.strip():
                index += 1
                continue
            indent = len(line) - len(line.lstrip())
            if indent >= 4 and not in_list:  # an indented code block
                index += 1
                continue
            handled = self.block(index, line)
            if handled is not None:
                index, in_list = handled
                continue
            index = self.paragraph(index, "p")
        return self.segments

    def block(self, index: int, line: str) -> tuple[int, bool] | None:
        """Handle the block starting at *index*; the next index and whether a list goes on."""
        lines = self.lines
        fence = FENCE_RE.match(line)
        if fence:
            mark = fence.group(2)
            end = index + 1
            while end < len(lines) and not lines[end].strip().startswith(mark[0] * len(mark)):
                end += 1
            return end + 1, False
        opened = OPEN_RE.match(line)
        if opened:
            return self.directive(index, opened), False
        if CLOSE_RE.match(line) or ATTR_RE.match(line) or RULE_RE.match(line):
            return index + 1, False
        heading = HEADING_RE.match(line)
        if heading:
            start = len(heading.group(1))
            section = self.inside.get(index, "") if SECTION_RE.match(line) else ""
            self.add("heading", index, start, index, start + len(heading.group(2)), section=section)
            return index + 1, False
        if line.lstrip().startswith("|") or (index + 1 < len(lines) and "|" in line
                                             and SEPARATOR_RE.match(lines[index + 1])
                                             and "-" in lines[index + 1]):
            return self.table(index), False
        image = IMAGE_RE.match(line)
        if image and (index + 1 >= len(lines) or not lines[index + 1].strip()):
            start = len(image.group(1))
            self.add("alt", index, start, index, start + len(image.group(2)))
            return index + 1, False
        for regex, kind in ((ITEM_RE, "item"), (FOOTNOTE_RE, "footnote"), (ABBR_RE, "abbr"),
                            (DEFINITION_RE, "definition")):
            found = regex.match(line)
            if found:
                start = found.start(4) if kind == "item" else found.end(1)
                if kind == "item" and self.inside.get(index) == "hotspots":
                    position = SPOT_POSITION_RE.match(line[start:])
                    start += position.end() if position else 0
                return self.paragraph(index, kind, start), kind in ("item", "footnote", "definition")
        quote = QUOTE_RE.match(line)
        if quote:
            return self.quote(index), False
        return None

    def paragraph(self, index: int, kind: str, col: int | None = None) -> int:
        """A paragraph (or item text) from *index* to the line before a blank or a new block."""
        lines = self.lines
        line = lines[index]
        start = col if col is not None else len(line) - len(line.lstrip())
        end = index
        while end + 1 < len(lines) and lines[end + 1].strip() and not _block_start(lines[end + 1]):
            end += 1
        underline = end + 1 < len(lines) and bool(SETEXT_RE.match(lines[end + 1]))
        if kind == "p" and underline:
            kind = "heading"
        cont = min((len(lines[n]) - len(lines[n].lstrip()) for n in range(index + 1, end + 1)), default=0)
        self.add(kind, index, start, end, len(lines[end].rstrip()), " " * cont)
        return end + (2 if kind == "heading" else 1)

    def quote(self, index: int) -> int:
        """A ``>`` block quote: its lines, without their markers, are segmented on their own."""
        lines = self.lines
        end = index
        while end + 1 < len(lines) and QUOTE_RE.match(lines[end + 1]):
            end += 1
        marker = QUOTE_RE.match(lines[index])
        assert marker
        prefix = marker.group(1)
        if all(lines[n].startswith(prefix) for n in range(index, end + 1)):
            inner = _Scanner("\n".join(lines[n][len(prefix):] for n in range(index, end + 1)))
            for seg in inner.scan():
                self.segments.append(Segment(seg.kind, seg.text, seg.first + index, seg.col + len(prefix),
                                             seg.last + index, seg.end_col + len(prefix), prefix + seg.prefix,
                                             seg.quoted, seg.section))
        return end + 1

    def table(self, index: int) -> int:
        """A pipe table: each cell of each row (not the separator) is a segment."""
        lines = self.lines
        end = index
        while end < len(lines) and lines[end].strip() and "|" in lines[end]:
            line = lines[end]
            if not SEPARATOR_RE.match(line):
                kind = "header" if end == index else "cell"
                starts = [0] + [m.end() for m in CELL_SPLIT_RE.finditer(line)]
                ends = [m.start() for m in CELL_SPLIT_RE.finditer(line)] + [len(line)]
                for start, stop in zip(starts, ends):
                    cell = line[start:stop]
                    if cell.strip():
                        lead = len(cell) - len(cell.lstrip())
                        self.add(kind, end, start + lead, end, start + len(cell.rstrip()))
            end += 1
        return end

    def directive(self, index: int, opened: re.Match[str]) -> int:
        """A ``:::`` line: its title is a segment; a media block's YAML gives its ``title:``.

        An interactive block's options (``required``) are not part of the title.
        """
        kind, args = opened.group(2), opened.group(4)
        start = opened.start(4)
        if kind in INTERACTIVE_KINDS:
            option = OPTION_RE.match(args)
            skip = option.end() if option else 0
            args, start = args[skip:], start + skip
        if kind in INTERACTIVE_KINDS:
            self.inside.update(dict.fromkeys(range(index + 1, self.block_end(index)), kind))
        if args and kind not in MEDIA and not PATH_RE.match(args):
            quoted = args[0] if len(args) >= 2 and args[0] == args[-1] and args[0] in "\"'" else ""
            self.add("title", index, start + len(quoted), index, opened.end(4) - len(quoted), quoted=quoted)
        if kind not in MEDIA:
            return index + 1
        end = index + 1
        while end < len(self.lines) and not CLOSE_RE.match(self.lines[end]):
            title = MEDIA_TITLE_RE.match(self.lines[end])
            if title:
                value = title.group(2)
                quoted = value[0] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else ""
                start = title.end(1) + len(quoted)
                self.add("media-title", end, start, end, title.end(2) - len(quoted), quoted=quoted)
            end += 1
        return end + 1


    def block_end(self, index: int) -> int:
        """The line that closes the ``:::`` block opened at *index* (blocks inside it skipped)."""
        depth = 1
        for end in range(index + 1, len(self.lines)):
            line = self.lines[end]
            depth += 1 if OPEN_RE.match(line) else -1 if CLOSE_RE.match(line) else 0
            if not depth:
                return end
        return len(self.lines)


def segment_markdown(text: str) -> list[Segment]:
    """The translatable segments of a Markdown text, in reading order.

    Args:
        text: a lesson body (or any Markdown), lines separated by ``\\n``.

    Returns:
        The segments; their lines are 0-based lines of *text*.
    """
    return _Scanner(text).scan()


def replace_segments(text: str, replacements: list[tuple[Segment, str]]) -> str:
    """*text* with each segment's text replaced by its translation.

    A translation's own line breaks start new lines with the segment's continuation
    prefix (its indentation or ``>`` marker), so the block stays one block.
    """
    lines = text.split("\n")
    ordered = sorted(replacements, key=lambda pair: (pair[0].first, pair[0].col), reverse=True)
    for seg, new in ordered:
        head = lines[seg.first][:seg.col]
        tail = lines[seg.last][seg.end_col:]
        body = new.replace("\n", "\n" + seg.prefix) if seg.prefix or "\n" in new else new
        if seg.kind == "media-title":  # YAML: a double-quoted scalar takes any text (': ' too)
            body = json.dumps(new, ensure_ascii=False)
            head, tail = (head[:-1], tail[1:]) if seg.quoted else (head, tail)
        elif seg.kind == "title" and seg.first == seg.last:
            lines[seg.first] = put_title(lines[seg.first], seg, new)
            continue
        lines[seg.first:seg.last + 1] = (head + body + tail).split("\n")
    return "\n".join(lines)


def read_title(line: str) -> tuple[bool, str] | None:
    """``(required, title)`` of a ``:::`` line as the blocks read it (None: not a ``:::`` line)."""
    opened = OPEN_RE.match(line)
    if opened is None:
        return None
    if opened.group(2) in INTERACTIVE_KINDS:
        return split_args(opened.group(4))
    title = opened.group(4).strip()
    if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'":
        title = title[1:-1]
    return False, title.strip()


def put_title(line: str, seg: Segment, new: str) -> str:
    """The ``:::`` *line* with the title *seg* replaced by *new*, its options kept as they are.

    The title keeps the source's quotes (dropped when the translation holds that quote,
    as long as the line still reads right). Quotes are added where the bare translation
    would be misread: as the option ``required`` (``::: card required lectures``) or
    with quotes of its own stripped. The line then always gives the source's options
    and the translation as its title.
    """
    head, tail = line[:seg.col], line[seg.end_col:]
    candidates = [head + new + tail]
    if seg.quoted and seg.quoted in new:
        candidates.insert(0, head[:-1] + new + tail[1:])
    elif not seg.quoted:
        candidates.append(f'{head}"{new}"{tail}')
    body = line[len(seg.prefix):] if line.startswith(seg.prefix) else line
    source = read_title(body)
    if source is None:
        return candidates[0]
    wanted = (source[0], new.strip())
    return next((c for c in candidates if read_title(c[len(seg.prefix):] if c.startswith(seg.prefix) else c)
                 == wanted), candidates[-1])
