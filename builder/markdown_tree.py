"""The checks and rewrites done on the element tree of every Markdown conversion.

:class:`LinkProcessor` resolves images and links (files go into the package), applies the
HTML allow-list to attributes (``{: key=value }`` lists), wraps tables and checks
headings; :func:`check_stashed_html` applies the allow-list to raw HTML.
:class:`AttributeFilter` silently drops attributes off the list in the fallback
conversion. Problems go to the :class:`~builder.content.LessonSource` being converted.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions.attr_list import get_attrs
from markdown.treeprocessors import Treeprocessor

from builder.blocks import stray_fence_lines
from builder.diagrams import readable_width
from builder.errors import Location, Problem
from builder.icons import without_icons
from builder.html_rules import attribute_finding, check_page_text, check_raw_html, is_script_url, scheme_finding
from builder.paths import is_external, resolve_ref

if TYPE_CHECKING:
    from builder.content import LessonSource, _State

_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_ATTR_ROW = re.compile(r"^\{:?\s*([^}]*)\}$")


class LinkProcessor(Treeprocessor):
    """Check and rewrite images and links; wrap tables; check headings.

    With *lesson* False (snippets of quizzes, front matter and course.yml) only images and
    links are handled: the rest concerns whole lessons.
    """

    def __init__(self, md: markdown.Markdown, state: _State, lesson: bool = True) -> None:
        super().__init__(md)
        self.state = state
        self.lesson = lesson

    def run(self, root: etree.Element) -> None:
        src = self.state.source
        previous_level = 1
        tables = diagrams = 0
        strays = 0
        hotspot_frames: list[tuple[etree.Element, str]] = []
        _unwrap_hotspot_pictures(root)
        for parent in list(root.iter()):
            for index, el in enumerate(list(parent)):
                self._attributes(el)
                if el.tag == "img":
                    self._image(el)
                    if self.lesson and el.get("data-readable") is not None and parent.tag == "p" and len(parent) == 1 \
                            and not (parent.text or "").strip() and not (el.tail or "").strip():
                        diagrams += 1
                        _scroll_region(parent, "diagram-scroll", f"{src.labels.get('diagram', 'Diagram')} {diagrams}",
                                       src.labels.get("scroll_hint", "Scroll sideways to see more"))
                    elif self.lesson and el.get("data-readable") is not None and "hotspot-image" in parent.get("class", ""):
                        diagrams += 1
                        hotspot_frames.append((parent, f"{src.labels.get('diagram', 'Diagram')} {diagrams}"))
                elif el.tag == "a":
                    self._link(el)
                elif not self.lesson:
                    continue
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
                    self._table_attributes(el)
                    tables += 1
                    wrapper = _scroll_region(etree.Element("div"), "table-scroll",
                                             f"{src.labels.get('table', 'Table')} {tables}",
                                             src.labels.get("scroll_hint", "Scroll sideways to see more"))
                    parent.remove(el)
                    parent.insert(index, wrapper)
                    wrapper.append(el)
                elif el.tag == "p":
                    strays += sum(1 for line in "".join(el.itertext()).split("\n")
                                  if line.strip().startswith(":::"))
        _scroll_hotspots(root, hotspot_frames, src.labels.get("scroll_hint", "Scroll sideways to see more"))
        if self.lesson:
            self._stray_fences(strays)
            self._missing_footnotes(root)

    def _attributes(self, el: etree.Element) -> None:
        """Apply the HTML allow-list to attributes, which ``{: key=value }`` lets authors set."""
        if el.tag in ("svg", "path"):  # only our icons (builder.icons) are elements here; author SVG is raw HTML
            return
        for name, value in list(el.attrib.items()):
            if name == "decorative" and el.tag == "img":
                continue
            finding = attribute_finding(el.tag, name, value or "", "attribute")
            if finding:
                self.state.source.problem(finding.needle, finding.message, finding.hint)
                del el.attrib[name]

    def _table_attributes(self, table: etree.Element) -> None:
        """Apply a ``{: .class }`` line written under a table, which Markdown reads as a row."""
        rows = table.findall("./tbody/tr")
        if not rows:
            return
        cells = list(rows[-1])
        match = _ATTR_ROW.match("".join(cells[0].itertext()).strip()) if cells else None
        if match is None or any("".join(c.itertext()).strip() for c in cells[1:]):
            return
        table.find("tbody").remove(rows[-1])  # type: ignore[union-attr]
        for name, value in get_attrs(match.group(1)):
            if name == ".":
                table.set("class", (table.get("class", "") + " " + value).strip())
                continue
            finding = attribute_finding("table", name, value or "", "attribute")
            if finding:
                self.state.source.problem(finding.needle, finding.message, finding.hint)
            else:
                table.set(name, value)

    def _stray_fences(self, count: int) -> None:
        """Warn about ':::' lines that ended up as text (a close without an open, a typo)."""
        src = self.state.source
        lines = stray_fence_lines(src.body, src.body_line)
        for n in range(count):
            line = lines[n] if n < len(lines) else src.line_of(":::")
            src.problems.append(Problem(Location(src.path, line), "this ':::' line does not belong to a block "
                                        "and is shown as text",
                                        "remove it, or open a block before it with '::: note' (or another kind)",
                                        "warning"))

    def _missing_footnotes(self, root: etree.Element) -> None:
        """Warn about ``[^1]`` references left as text because the note is not defined."""
        src = self.state.source
        seen: set[str] = set()
        for el in root.iter():
            texts = [el.tail] + ([el.text] if el.tag not in ("code", "pre") else [])
            for text in texts:
                for label in _FOOTNOTE_REF.findall(text or ""):
                    if label not in seen:
                        seen.add(label)
                        src.problem(f"[^{label}]", f"footnote '[^{label}]' has no definition",
                                    f"add a line '[^{label}]: the note' at the end of the lesson", "warning")

    def _image(self, el: etree.Element) -> None:
        src = self.state.source
        ref = el.get("src", "")
        if "decorative" in el.attrib:  # attr_list gives a bare word the value None
            # ![](path){: decorative }: screen readers skip it; an alt text would be lost.
            del el.attrib["decorative"]
            if el.get("alt", "").strip():
                src.problem(ref or "![", f"image '{ref[:60]}' is marked decorative but has alt text",
                            "a decorative image is hidden from screen readers: remove the alt text or the marker")
            el.set("alt", "")
            el.set("role", "presentation")
        elif not el.get("alt", "").strip():
            written = f"![{el.get('alt', '')}]({ref}"
            src.problem(written if src.line_of(written) else ref or "![", f"image '{ref[:60]}' has no alt text",
                        "describe the picture between the brackets: ![what it shows](path), or mark a purely "
                        "decorative picture: ![](path){: decorative }")
        if ref.lower().startswith("data:"):
            # Inline pictures cost no request; anything but an image is a mistake.
            if not ref.lower().startswith("data:image/"):
                src.problem(ref[:40], "an image 'data:' address must start with 'data:image/'")
        elif ref and not is_external(ref):
            url = src.use_file(ref, "image")
            if url:
                el.set("src", url)
                readable = readable_width(src.root / unquote(url)) if url.lower().endswith(".svg") else None
                if readable:  # see builder.diagrams: drawn at least this wide, in a scrolling region
                    el.set("data-readable", "")
                    el.set("style", f"--readable:{readable[0]}px")
                    el.set("width", str(readable[1]))
                    el.set("height", str(readable[2]))
        elif ref:
            src.problem(ref, f"image '{ref}' is loaded from the internet",
                        "put the file in the course folder: packages must not load anything from outside")
        el.set("loading", "lazy")

    def _link(self, el: etree.Element) -> None:
        src = self.state.source
        href = el.get("href")
        if href is None or id(el) in src.resolved:
            return  # a link the media blocks made from a path they already resolved
        if not href.strip():
            text = "".join(el.itertext())
            line = src.line_of(f"[{text}](") or src.line_of(f"[{text}]") or src.line_of(text)
            src.problems.append(Problem(Location(src.path, line), f"the link '{text}' has no target",
                                        "write where it leads between the parentheses: [text](02-lesson.md), "
                                        "[text](#section-id) or [text](https://...)"))
            return
        if is_script_url(href):
            src.problem(href, f"the link '{href[:40]}' runs a script; packages run only the builder's runtime",
                        "link to a lesson, a file or a web page")
            del el.attrib["href"]
            return
        bad = scheme_finding(href, image=False)
        if bad:
            src.problem(bad.needle, bad.message, bad.hint)
            del el.attrib["href"]
            return
        if href.startswith("#"):
            if len(href) > 1 and not el.get("class", "").startswith("footnote-"):
                src.section_link(href, src.page_id, href[1:])
            return
        address, text = _plain(href), _plain("".join(el.itertext())).strip()
        if is_external(address) and text in (address, address.removeprefix("mailto:")):
            el.set("dir", "ltr")  # a written-out address reads left to right, also in Arabic text
        if is_external(href):
            if not href.startswith("mailto:"):
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
                if found not in src.listed:  # a listed lesson that failed to load has its own problems
                    src.problem(href, f"'{target}' is not a lesson of this course",
                                "add it to a module's lessons in course.yml, or link to another lesson")
                return
            if parts.fragment:
                src.section_link(href, lesson_id, parts.fragment)
            el.set("href", src.lesson_urls[lesson_id] + (f"#{parts.fragment}" if parts.fragment else ""))
            return
        url = src.use_file(href, "linked file")
        if url:
            el.set("href", url)
            el.set("download", "")
            el.set("class", (el.get("class", "") + " download").strip())


def check_stashed_html(md: markdown.Markdown, source: LessonSource, html: str) -> None:
    """Apply the HTML allow-list to the raw HTML *md* stashed while converting *source*.

    Each stashed piece is checked where the author wrote it; when there was any, the
    whole output *html* is checked once more, as the browser will parse it, for markup
    that only forms once pieces and text are joined.
    """
    pieces = [raw for raw in md.htmlStash.rawHtmlBlocks if isinstance(raw, str) and "<" in raw]
    if not pieces:
        return  # Markdown's own output: attribute lists were checked in the tree
    seen: set[str] = set()
    for raw in pieces:
        for finding in check_raw_html(raw, source.where):
            seen.add(finding.message)
            line = source.line_in(raw, finding.needle)
            source.problems.append(Problem(Location(source.path, line), finding.message, finding.hint))
    for finding in check_page_text(without_icons(html), source.where):
        if finding.message not in seen:
            seen.add(finding.message)
            source.problems.append(Problem(Location(source.path, source.line_of_any(finding.needle)),
                                           finding.message, finding.hint))


class AttributeFilter(Treeprocessor):
    """Drop attributes off the allow-list (the fallback conversion reports nothing)."""

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            for name, value in list(el.attrib.items()):
                if attribute_finding(el.tag, name, value or ""):
                    del el.attrib[name]


def _plain(text: str) -> str:
    """*text* of the Markdown tree without its entity encoding (e-mail autolinks are encoded)."""
    return html.unescape(text.replace(markdown.util.AMP_SUBSTITUTE, "&"))
def _unwrap_hotspot_pictures(root: etree.Element) -> None:
    """Take the picture of each hotspots block out of its paragraph (markers sit over it)."""
    for frame in root.iter("div"):
        if "hotspot-image" not in frame.get("class", "") or not len(frame):
            continue
        para = frame[0]
        if para.tag == "p" and len(para) == 1 and para[0].tag == "img" and not (para.text or "").strip() \
                and not (para[0].tail or "").strip():
            img = para[0]
            img.tail = para.tail
            frame.remove(para)
            frame.insert(0, img)


def _scroll_hotspots(root: etree.Element, frames: list[tuple[etree.Element, str]], hint: str) -> None:
    """Put each hotspots picture drawn at a readable width, with its markers, in a scrolling region.

    The picture and its markers scroll together (the markers are placed in % of the frame),
    so the frame, not the picture alone, gets the readable minimum width.
    """
    if not frames:
        return
    parents = {child: parent for parent in root.iter() for child in parent}
    for frame, label in frames:
        block = parents[frame]
        index = list(block).index(frame)
        wrapper = _scroll_region(etree.Element("div"), "diagram-scroll", label, hint)
        wrapper.tail, frame.tail = frame.tail, "\n"
        block.remove(frame)
        block.insert(index, wrapper)
        wrapper.append(frame)
        frame.set("style", frame[0].get("style", ""))


def _scroll_region(el: etree.Element, css_class: str, label: str, hint: str) -> etree.Element:
    """Make *el* a labelled region that scrolls sideways and can be scrolled by keyboard.

    ``data-hint`` is the cue the theme shows when the runtime finds the content wider than
    the region (``is-wide``); without scripts the theme's edge shadows show it.
    """
    el.tag = "div"
    el.set("class", css_class)
    el.set("role", "region")
    el.set("tabindex", "0")
    el.set("aria-label", label)
    el.set("data-hint", hint)
    return el
