"""Lesson text: front matter and Markdown → HTML with our extensions."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from builder.errors import Location, Problem
from builder.yamlsrc import parse_yaml


def split_front_matter(text: str, path: Path) -> tuple[Any, str, int, list[Problem]]:
    """Split a lesson file into its YAML front matter and its Markdown body.

    Args:
        text: the whole file.
        path: the file, for locations.

    Returns:
        ``(front, body, body_line, problems)``: front is None when it is missing or invalid;
        body_line is the 1-based line where the body starts.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1, [Problem(Location(path, 1), "the lesson has no front matter",
                                       hint="start the file with '---', a 'title: ...' line, and '---'")]
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            front_text = "".join(lines[1:index])
            body = "".join(lines[index + 1:])
            data, problems = parse_yaml(front_text, path, line_offset=1)
            if data is None and not problems:
                problems = [Problem(Location(path, 2), "the front matter is empty", hint="add 'title: ...'")]
            return data, body, index + 2, problems
    return None, text, 1, [Problem(Location(path, 1), "the front matter is not closed",
                                   hint="add a line with '---' after the front matter")]


# --------------------------------------------------------------------------------------
# Markdown → HTML

import re  # noqa: E402
import xml.etree.ElementTree as etree  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from html import escape as html_escape  # noqa: E402
from urllib.parse import quote, unquote, urlsplit  # noqa: E402

import markdown  # noqa: E402
from markdown.blockprocessors import BlockProcessor  # noqa: E402
from markdown.extensions import Extension  # noqa: E402
from markdown.treeprocessors import Treeprocessor  # noqa: E402

from builder.paths import course_relative, is_external, resolve_ref  # noqa: E402

CALLOUT_KINDS = {
    "case-study": "Case study",
    "key-point": "Key point",
    "activity": "Activity",
    "reflection": "Reflection",
    "note": "Note",
}
MEDIA_KINDS = ("video", "audio")
MEDIA_TYPES = {
    ".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".m4v": "video/mp4",
    ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".wav": "audio/wav",
    ".m4a": "audio/mp4", ".opus": "audio/ogg",
}
# Characters that can start Markdown or HTML syntax in a short snippet (also "1." lists).
_MARKUP_CHARS = re.compile(r"[\\`*_\[\]<>&!#{}~|]|^\s*(\d+[.)]|[-+])\s|\n\s*\n|  \n", re.M)
_OPEN_RE = re.compile(r'^:::\s*([A-Za-z][\w-]*)\s*(.*?)\s*$')
_CLOSE_RE = re.compile(r'^:::\s*$')
MEDIA_FIELDS_VIDEO = ("title", "captions", "poster", "transcript")
MEDIA_FIELDS_AUDIO = ("title", "captions", "transcript")


@dataclass
class LessonSource:
    """What the Markdown extensions need to know about the file being converted."""

    root: Path
    path: Path
    body: str
    body_line: int
    lessons_by_path: dict[Path, str]
    labels: dict[str, str]
    language: str = "en"
    files: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, needle: str) -> int | None:
        """Line of the first occurrence of *needle* in the body (for error locations)."""
        index = self.body.find(needle)
        if index < 0:
            return None
        return self.body_line + self.body.count("\n", 0, index)

    def problem(self, needle: str, message: str, hint: str | None = None, severity: str = "error") -> None:
        """Record a problem located at the line where *needle* appears."""
        self.problems.append(Problem(Location(self.path, self.line_of(needle)), message, hint, severity))

    def use_file(self, ref: str, what: str) -> str | None:
        """Resolve a local reference, remember the file, return its URL inside the package."""
        parts = urlsplit(ref)
        path_text = unquote(parts.path)
        where = Location(self.path, self.line_of(ref))
        found, problem = resolve_ref(self.root, self.path.parent, path_text, where, what)
        if problem:
            self.problems.append(problem)
            return None
        assert found is not None
        rel = course_relative(self.root, found)
        self.files.add(rel)
        url = quote(rel)
        return url + (f"#{parts.fragment}" if parts.fragment else "")


class _DirectiveProcessor(BlockProcessor):
    """``::: kind args`` ... ``:::`` blocks: callouts and media."""

    def __init__(self, parser: Any, state: "_State") -> None:
        super().__init__(parser)
        self.state = state

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(_OPEN_RE.match(block.split("\n", 1)[0]))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        src = self.state.source
        first = blocks.pop(0)
        head, _, rest = first.partition("\n")
        match = _OPEN_RE.match(head)
        assert match
        kind, args = match.group(1), match.group(2)
        inner: list[str] = []
        pending = rest
        closed = False
        depth = 0  # directives may nest: a callout can hold a video
        while True:
            lines = pending.split("\n") if pending else []
            for index, line in enumerate(lines):
                if _OPEN_RE.match(line):
                    depth += 1
                elif _CLOSE_RE.match(line) and depth:
                    depth -= 1
                elif _CLOSE_RE.match(line):
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
        if kind in CALLOUT_KINDS:
            self._callout(parent, kind, args, text)
        elif kind in MEDIA_KINDS:
            self._media(parent, kind, args, text, head)
        else:
            import difflib
            known = list(CALLOUT_KINDS) + list(MEDIA_KINDS)
            close = difflib.get_close_matches(kind, known, n=1)
            src.problem(head, f"unknown block '::: {kind}'",
                        f"did you mean '{close[0]}'?" if close else "use one of " + ", ".join(known))
        return True

    def _callout(self, parent: etree.Element, kind: str, args: str, text: str) -> None:
        label = self.state.source.labels.get(f"callout_{kind.replace('-', '_')}", CALLOUT_KINDS[kind])
        title = args.strip()
        if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'":
            title = title[1:-1]
        aside = etree.SubElement(parent, "aside")
        aside.set("class", f"callout callout-{kind}")
        aside.set("aria-label", f"{label}: {title}" if title else label)
        kind_el = etree.SubElement(aside, "p")
        kind_el.set("class", "callout-kind")
        kind_el.text = label
        if title:
            title_el = etree.SubElement(aside, "p")
            title_el.set("class", "callout-title")
            title_el.text = title
        self.parser.parseChunk(aside, text)

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
        captions = data.get("captions")
        if captions is None and kind == "video":
            src.problem(head, "a video needs a captions file", "add 'captions: media/file.en.vtt' (WebVTT)")
        if isinstance(captions, str):
            if not captions.lower().endswith(".vtt"):
                src.problem(captions, f"captions '{captions}' must be a WebVTT (.vtt) file")
            cap_url = src.use_file(captions, "captions")
            if cap_url:
                track = etree.SubElement(player, "track")
                track.set("kind", "captions")
                track.set("src", cap_url)
                track.set("srclang", src.language)
                track.set("label", src.labels.get("captions", "Captions"))
                track.set("default", "default")
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


class _LinkProcessor(Treeprocessor):
    """Check and rewrite images and links; wrap tables; check headings."""

    def __init__(self, md: markdown.Markdown, state: "_State") -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        src = self.state.source
        previous_level = 1
        tables = 0
        for parent in list(root.iter()):
            for index, el in enumerate(list(parent)):
                if el.tag == "img":
                    self._image(el)
                elif el.tag == "a":
                    self._link(el)
                elif el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and parent is root:
                    level = int(el.tag[1])
                    text = "".join(el.itertext())
                    if level == 1:
                        src.problem(f"# {text}", f"heading '{text}' is a level-1 heading",
                                    "the lesson title is the only level-1 heading; use '## ' for sections",
                                    "warning")
                    elif level > previous_level + 1:
                        src.problem(text, f"heading '{text}' skips a level (h{previous_level} → h{level})",
                                    f"use {'#' * (previous_level + 1)} for this heading", "warning")
                    previous_level = level
                elif el.tag == "table":
                    tables += 1
                    wrapper = etree.Element("div")
                    wrapper.set("class", "table-scroll")
                    wrapper.set("role", "region")
                    wrapper.set("tabindex", "0")
                    wrapper.set("aria-label", f"{src.labels.get('table', 'Table')} {tables}")
                    parent.remove(el)
                    parent.insert(index, wrapper)
                    wrapper.append(el)

    def _image(self, el: etree.Element) -> None:
        src = self.state.source
        ref = el.get("src", "")
        if not el.get("alt", "").strip():
            src.problem(ref or "![", f"image '{ref}' has no alt text",
                        "describe the picture between the brackets: ![what it shows](path)")
        if ref and not is_external(ref):
            url = src.use_file(ref, "image")
            if url:
                el.set("src", url)
        elif ref:
            src.problem(ref, f"image '{ref}' is loaded from the internet",
                        "put the file in the course folder: packages must not load anything from outside")
        el.set("loading", "lazy")

    def _link(self, el: etree.Element) -> None:
        src = self.state.source
        href = el.get("href", "")
        if not href or href.startswith("#") or is_external(href):
            if is_external(href) and not href.startswith("mailto:"):
                el.set("rel", "noopener")
            return
        parts = urlsplit(href)
        target = unquote(parts.path)
        if target.lower().endswith(".md"):
            where = Location(src.path, src.line_of(href))
            found, problem = resolve_ref(src.root, src.path.parent, target, where, "linked lesson")
            if problem:
                src.problems.append(Problem(problem.location, f"broken link to lesson '{target}': {problem.message}",
                                            problem.hint))
                return
            lesson_id = src.lessons_by_path.get(found) if found else None
            if lesson_id is None:
                src.problem(href, f"'{target}' is not a lesson of this course",
                            "add it to a module's lessons in course.yml, or link to another lesson")
                return
            el.set("href", f"{lesson_id}.html" + (f"#{parts.fragment}" if parts.fragment else ""))
            return
        url = src.use_file(href, "linked file")
        if url:
            el.set("href", url)
            el.set("download", "")
            el.set("class", (el.get("class", "") + " download").strip())


class _State:
    source: LessonSource


class _BuilderExtension(Extension):
    def __init__(self, state: _State) -> None:
        super().__init__()
        self.state = state

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.parser.blockprocessors.register(_DirectiveProcessor(md.parser, self.state), "builder_directive", 105)
        md.treeprocessors.register(_LinkProcessor(md, self.state), "builder_links", 1)


class MarkdownRenderer:
    """Converts lesson bodies with one reusable Markdown instance per build."""

    def __init__(self) -> None:
        self._state = _State()
        self._md = markdown.Markdown(
            extensions=["tables", "footnotes", "def_list", "attr_list", "sane_lists", "abbr",
                        "toc", _BuilderExtension(self._state)],
            extension_configs={"toc": {"permalink": False, "toc_depth": "2-3"},
                               "footnotes": {"BACKLINK_TITLE": "Back to reference %d"}},
            output_format="html",
        )
        self._inline = markdown.Markdown(extensions=["attr_list", "abbr"], output_format="html")

    def convert(self, source: LessonSource) -> str:
        """Convert *source*'s body; problems and used files are recorded on *source*."""
        self._state.source = source
        self._md.reset()
        return self._md.convert(source.body)

    def inline(self, text: str) -> str:
        """Convert a short Markdown snippet; a single paragraph loses its ``<p>``."""
        if not _MARKUP_CHARS.search(text):
            # Plain text (most objectives, choices and feedback): escaping is all Markdown
            # would do, and a full conversion costs a millisecond each.
            return html_escape(text.strip(), quote=False)
        self._inline.reset()
        html = self._inline.convert(text)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return html

    def block(self, text: str) -> str:
        """Convert a Markdown snippet with paragraphs."""
        self._inline.reset()
        return self._inline.convert(text)
