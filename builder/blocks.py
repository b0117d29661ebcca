"""The ``:::`` blocks of lessons: callouts (case study, key point ...) and media players.

The interactive blocks (accordion, tabs, steps, card, hotspots) are in :mod:`builder.interactive`.

Used by :class:`builder.content.MarkdownRenderer`; problems go to the
:class:`~builder.content.LessonSource` being converted.
"""
from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown.blockprocessors import BlockProcessor

from builder.icons import icon
from builder.inline_scan import inline_marks, unclosed_brackets, unended_tags
from builder.interactive import INTERACTIVE_KINDS, BlockContext, render_block
from builder.yamlsrc import parse_yaml

if TYPE_CHECKING:
    from builder.content import _State

CALLOUT_KINDS = {
    "case-study": "Case study",
    "key-point": "Key point",
    "activity": "Activity",
    "reflection": "Reflection",
    "note": "Note",
}
MEDIA_KINDS = ("video", "audio")
FACILITATOR = "facilitator"
"""Notes for trainers: kept only when the source asks for them (the printed handbook)."""
MEDIA_TYPES = {
    ".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".m4v": "video/mp4",
    ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".wav": "audio/wav",
    ".m4a": "audio/mp4", ".opus": "audio/ogg",
}
MEDIA_FIELDS_VIDEO = ("title", "captions", "poster", "transcript")
MEDIA_FIELDS_AUDIO = ("title", "captions", "transcript")
OPEN_RE = re.compile(r'^:::\s*([A-Za-z][\w-]*)\s*(.*?)\s*$')
CLOSE_RE = re.compile(r'^:::\s*$')
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def labelled_aside(aside: etree.Element, css_class: str, prefix: str, label: str, args: str) -> etree.Element:
    """Fill a ``:::`` block's ``<aside>``: its class, its accessible name, its kind and title lines.

    Args:
        aside: the empty element.
        css_class: the aside's class (``callout callout-note``, ``facilitator``).
        prefix: the class prefix of the two lines (``<prefix>-kind``, ``<prefix>-title``).
        label: the kind's name in the course language.
        args: what follows the kind on the ``:::`` line: the title, quotes optional.

    Returns:
        *aside*, for the block's content to go into.
    """
    title = args.strip()
    if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'":
        title = title[1:-1]
    aside.set("class", css_class)
    aside.set("aria-label", f"{label}: {title}" if title else label)
    kind_el = etree.SubElement(aside, "p")
    kind_el.set("class", f"{prefix}-kind")
    kind_el.text = label
    if title:
        title_el = etree.SubElement(aside, "p")
        title_el.set("class", f"{prefix}-title")
        title_el.text = title
    return aside


class DirectiveProcessor(BlockProcessor):
    """``::: kind args`` ... ``:::`` blocks: callouts and media."""

    def __init__(self, parser: Any, state: _State) -> None:
        super().__init__(parser)
        self.state = state
        self.in_facilitator = False  # nested facilitator notes are an error
        self._numbered: object = None  # the source whose interactive blocks are being numbered
        self._count = self._cursor = 0

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(OPEN_RE.match(block.split("\n", 1)[0]))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        src = self.state.source
        first = blocks.pop(0)
        head, _, rest = first.partition("\n")
        match = OPEN_RE.match(head)
        assert match
        kind, args = match.group(1), match.group(2)
        inner: list[str] = []
        pending = rest
        closed = False
        depth = 0  # directives may nest: a callout can hold a video
        while True:
            lines = pending.split("\n") if pending else []
            for index, line in enumerate(lines):
                if OPEN_RE.match(line):
                    depth += 1
                elif CLOSE_RE.match(line) and depth:
                    depth -= 1
                elif CLOSE_RE.match(line):
                    inner.append("\n".join(lines[:index]))
                    tail = "\n".join(lines[index + 1:]).strip("\n")
                    if tail:
                        blocks.insert(0, tail)
                    closed = True
                    break
            if closed:
                break
            inner.append(pending)
            if not blocks:
                break
            pending = blocks.pop(0)
        if not closed:
            src.problem(head, f"the '::: {kind}' block is not closed", "add a line with ':::' after its content")
        text = "\n\n".join(part for part in inner if part.strip())
        if kind == FACILITATOR:
            self._facilitator(parent, args, text, head)
        elif kind in CALLOUT_KINDS:
            self._callout(parent, kind, args, text)
        elif kind in MEDIA_KINDS:
            self._media(parent, kind, args, text, head)
        elif kind in INTERACTIVE_KINDS:
            render_block(self._context(head), parent, kind, args, text)
        else:
            known = list(CALLOUT_KINDS) + list(MEDIA_KINDS) + list(INTERACTIVE_KINDS) + [FACILITATOR]
            close = difflib.get_close_matches(kind, known, n=1)
            src.problem(head, f"unknown block '::: {kind}'",
                        f"did you mean '{close[0]}'?" if close else "use one of " + ", ".join(known))
        return True

    def _context(self, head: str) -> BlockContext:
        """The next interactive block of the source: its number and where its ':::' line is."""
        src = self.state.source
        if self._numbered is not src:
            self._numbered, self._count, self._cursor = src, 0, 0
        self._count += 1
        index = src.body.find(head, self._cursor)  # blocks come in reading order
        if index >= 0:
            self._cursor = index + len(head)
        line = src.body_line + src.body.count("\n", 0, index) if index >= 0 else src.line_of(head)
        return BlockContext(src, self.parser, line, max(index, 0), self._count)

    def _callout(self, parent: etree.Element, kind: str, args: str, text: str) -> None:
        label = self.state.source.labels.get(f"callout_{kind.replace('-', '_')}", CALLOUT_KINDS[kind])
        aside = labelled_aside(etree.SubElement(parent, "aside"), f"callout callout-{kind}", "callout",
                               label, args)
        drawing = icon(kind)
        if drawing is not None:  # before the kind's name, inside its line
            kind_line = aside[0]
            drawing.tail, kind_line.text = kind_line.text, None
            kind_line.insert(0, drawing)
        self.parser.parseChunk(aside, text)

    def _facilitator(self, parent: etree.Element, args: str, text: str, head: str) -> None:
        """A note for trainers: always parsed (so 'check' finds its problems), kept only in print.

        The note is converted into a detached element unless the source being converted
        has a true ``facilitator`` attribute (see :mod:`builder.printed`); e-learning pages,
        the preview and the workbook therefore never contain it.
        """
        src = self.state.source
        if not text.strip():
            src.problem(head, "the '::: facilitator' block is empty",
                        "write the note for trainers (timing, materials, expected answers) before ':::'")
        if self.in_facilitator:
            src.problem(head, "a '::: facilitator' block cannot be inside another one",
                        "close the first note with ':::' before starting the next")
        keep = bool(getattr(src, "facilitator", False))
        aside = etree.SubElement(parent, "aside") if keep else etree.Element("aside")
        labelled_aside(aside, "facilitator", "facilitator", src.labels.get("facilitator", "For the facilitator"), args)
        self.in_facilitator = True
        try:
            self.parser.parseChunk(aside, text)
        finally:
            self.in_facilitator = False

    def _media(self, parent: etree.Element, kind: str, args: str, text: str, head: str) -> None:
        src = self.state.source
        if not args:
            src.problem(head, f"'::: {kind}' needs a file", f"write '::: {kind} media/file{'.mp4' if kind == 'video' else '.mp3'}'")
            return
        data, problems = parse_yaml(text, src.path, (src.line_of(head) or 1))
        src.problems.extend(problems)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            src.problem(head, f"the lines inside '::: {kind}' must be 'key: value' lines")
            return
        allowed = MEDIA_FIELDS_VIDEO if kind == "video" else MEDIA_FIELDS_AUDIO
        for key in data:
            if key not in allowed:
                src.problem(f"{key}:", f"unknown key '{key}' in '::: {kind}'", "allowed: " + ", ".join(allowed))
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            src.problem(head, f"'::: {kind}' needs 'title:' (it names the {kind} for screen readers)")
            title = ""
        media_type = MEDIA_TYPES.get(Path(args).suffix.lower())
        if media_type is None or not media_type.startswith(kind):
            src.problem(head, f"'{args}' is not a supported {kind} file",
                        "use " + ", ".join(e for e, t in MEDIA_TYPES.items() if t.startswith(kind)))
        url = src.use_file(args, kind)
        figure = etree.SubElement(parent, "figure")
        figure.set("class", f"media media-{kind}")
        player = etree.SubElement(figure, kind)
        player.set("controls", "controls")
        player.set("preload", "metadata")
        if title:
            player.set("aria-label", title)
        if url:
            source = etree.SubElement(player, "source")
            source.set("src", url)
            if media_type:
                source.set("type", media_type)
        self._captions(player, kind, data.get("captions"), head)
        poster = data.get("poster")
        if isinstance(poster, str) and kind == "video":
            poster_url = src.use_file(poster, "poster")
            if poster_url:
                player.set("poster", poster_url)
        fallback = etree.SubElement(player, "p")
        fallback.text = src.labels.get("media_fallback", "Your browser cannot play this file.")
        caption = etree.SubElement(figure, "figcaption")
        caption.text = title
        transcript = data.get("transcript")
        if isinstance(transcript, str):
            t_url = src.use_file(transcript, "transcript")
            if t_url:
                caption.text = f"{title} "
                link = etree.SubElement(caption, "a")
                link.set("href", t_url)
                link.text = src.labels.get("transcript", "Transcript")
                src.resolved.add(id(link))  # resolved once, relative to the lesson

    def _captions(self, player: etree.Element, kind: str, captions: Any, head: str) -> None:
        """Caption tracks: one file in the course language, or ``{language: file}`` for several."""
        src = self.state.source
        if captions is None:
            if kind == "video":
                src.problem(head, "a video needs a captions file",
                            "add 'captions: ../media/file.en.vtt' (WebVTT; paths are relative to the lesson "
                            "file), or one file per language: 'captions: {en: ../media/file.en.vtt, fr: ...}'")
            return
        if isinstance(captions, str):
            tracks = {src.language: captions}
        elif isinstance(captions, dict) and captions and all(isinstance(v, str) for v in captions.values()):
            tracks = {str(k): v for k, v in captions.items()}
        else:
            src.problem("captions:", "'captions' must be one WebVTT file or one file per language",
                        "write 'captions: ../media/file.en.vtt', or 'captions: {en: ../media/file.en.vtt, "
                        "fr: ../media/file.fr.vtt}'")
            return
        several = len(tracks) > 1
        default = src.language if src.language in tracks else next(iter(tracks))
        for lang, ref in tracks.items():
            if not _LANG_RE.match(lang):
                src.problem(f"{lang}:", f"'{lang}' in captions is not a language tag", "use en, fr, pt-BR ...")
                continue
            if not ref.lower().endswith(".vtt"):
                src.problem(ref, f"captions '{ref}' must be a WebVTT (.vtt) file")
            url = src.use_file(ref, "captions")
            if url:
                track = etree.SubElement(player, "track")
                track.set("kind", "captions")
                track.set("src", url)
                track.set("srclang", lang)
                label = src.labels.get("captions", "Captions")
                track.set("label", f"{label} ({lang})" if several else label)
                if lang == default:
                    track.set("default", "default")


def stray_fence_lines(body: str, body_line: int) -> list[int]:
    """Lines of ``:::`` that no block opened, following :class:`DirectiveProcessor`'s rules.

    A block opens only at the start of a Markdown block (after a blank line or another
    ``:::`` line); inside a block, opens and closes nest.
    """
    depth = 0
    found: list[int] = []
    block_start = True
    for number, line in enumerate(body.split("\n")):
        if depth:
            if OPEN_RE.match(line):
                depth += 1
            elif CLOSE_RE.match(line):
                depth -= 1
        elif OPEN_RE.match(line) and block_start:
            depth = 1
        elif line.startswith(":::"):
            found.append(body_line + number)
        block_start = not line.strip() or line.startswith(":::")
    return found


# --------------------------------------------------------------------------------------
# Limits that keep every conversion fast (linear in the text) and shallow (no recursion
# error): Python-Markdown is quadratic in brackets that never close, in inline markers
# packed into one paragraph, in '<' that start a tag and never end it, and in definition
# entries packed into one block, and recursive in nesting (see builder/inline_scan.py).

MAX_LESSON_BYTES = 256 * 1024
"""The largest lesson file (a 350-word lesson is about 3 KB)."""
MAX_INDENT = 120
"""Columns of indentation (30 levels of nested lists) beyond which a line is refused."""
MAX_OPEN_BRACKETS = 20
"""'[' that never close (and '](' without ')') in one paragraph."""
MAX_INLINE_MARKS = 1000
"""Runs of '`', '*', '_' and '<' (code, emphasis, inline HTML) in one paragraph."""
MAX_UNENDED_TAGS = 10
"""'<' that start a tag and never end it ('<a ' without '>') in one text."""
MAX_DEFINITIONS = 100
"""Definition entries (': ...' lines) in one block without a blank line between them."""
MAX_BLOCK_DEPTH = 20
"""'::: kind' blocks nested inside each other."""
_DEF_LINE = re.compile(r"^ {0,3}:[ \t]")


def markdown_limits(text: str) -> list[tuple[int, str, str]]:
    """Check *text* against the limits above, in one pass over its lines.

    Args:
        text: Markdown (a lesson body or a snippet).

    Returns:
        ``(line index, message, hint)`` for each limit broken (0-based line index in *text*).
    """
    found: list[tuple[int, str, str]] = []
    block_start, opened, marks, definitions, depth = 0, 0, 0, 0, 0
    indent_reported = False
    lines = text.split("\n")
    unended, first_unended = 0, 0
    for index, line in enumerate(lines + [""]):
        if not line.strip():
            found += _paragraph_limits(block_start, opened, marks, definitions)
            block_start, opened, marks, definitions = index + 1, 0, 0, 0
            continue
        opened += unclosed_brackets(line)
        marks += inline_marks(line)
        tags = unended_tags(line)
        if tags and not unended:
            first_unended = index
        unended += tags
        definitions += bool(_DEF_LINE.match(line))
        columns = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if columns > MAX_INDENT and not indent_reported:
            indent_reported = True
            found.append((index, f"this line is indented {columns} columns (more than {MAX_INDENT // 4} "
                          "levels of nesting)", "flatten the list; learners lose their way in deep nesting"))
        if OPEN_RE.match(line):
            depth += 1
            if depth == MAX_BLOCK_DEPTH + 1:
                found.append((index, f"more than {MAX_BLOCK_DEPTH} '::: ' blocks are nested here",
                              "close the blocks with ':::' lines"))
        elif CLOSE_RE.match(line) and depth:
            depth -= 1
    if unended > MAX_UNENDED_TAGS:
        found.append((first_unended, f"this text has {unended} '<' that start an HTML tag and never end it "
                      f"(from here on; at most {MAX_UNENDED_TAGS})",
                      "write &lt; for a '<' that is only text, or close the tag with '>'"))
    return sorted(found)


def _paragraph_limits(start: int, opened: int, marks: int, definitions: int) -> list[tuple[int, str, str]]:
    """The limits broken by the paragraph (or block) that starts at line index *start*."""
    found: list[tuple[int, str, str]] = []
    if opened > MAX_OPEN_BRACKETS:
        found.append((start, f"this paragraph has {opened} '[' or '](' that are never closed",
                      "close each bracket, or write \\[ for a bracket that is only text"))
    if marks > MAX_INLINE_MARKS:
        found.append((start, f"this paragraph has {marks} code, emphasis or HTML markers ('`', '*', '_', '<'; "
                      f"at most {MAX_INLINE_MARKS})",
                      "split it into shorter paragraphs, or write \\` \\* \\_ &lt; for marks that are only text"))
    if definitions > MAX_DEFINITIONS:
        found.append((start, f"this definition list has {definitions} entries without a blank line",
                      "put a blank line between the entries"))
    return found

