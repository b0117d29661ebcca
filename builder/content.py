"""Lesson text: front matter and Markdown → HTML with our extensions."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from builder.errors import Location, Problem
from builder.blocks import MAX_LESSON_BYTES, markdown_limits
from builder.inline_scan import deepest_paragraph
from builder.yamlsrc import bad_character, parse_yaml


def split_front_matter(text: str, path: Path, parse: Callable[[str, Path, int], tuple[Any, list[Problem]]] = parse_yaml
                       ) -> tuple[Any, str, int, list[Problem]]:
    """Split a lesson file into its YAML front matter and its Markdown body.

    Args:
        text: the whole file.
        path: the file, for locations.
        parse: the YAML parser (:func:`~builder.yamlsrc.parse_yaml`, or a caching wrapper).

    Returns:
        ``(front, body, body_line, problems)``: front is None when it is missing or invalid;
        body_line is the 1-based line where the body starts.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_LESSON_BYTES:
        return None, "", 1, [Problem(Location(path, 1), f"the lesson is {size // 1024} KB; the limit is "
                                     f"{MAX_LESSON_BYTES // 1024} KB", "split it into several lessons, and put "
                                     "long material in files/ as a download")]
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some Windows editors write
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1, [Problem(Location(path, 1), "the lesson has no front matter",
                                       hint="start the file with '---', a 'title: ...' line, and '---'")]
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            front_text = "".join(lines[1:index])
            body = "".join(lines[index + 1:])
            data, problems = parse(front_text, path, 1)
            if data is None and not problems:
                problems = [Problem(Location(path, 2), "the front matter is empty", hint="add 'title: ...'")]
            found = body_problems(body, index + 2, path)
            return (None if found else data), body, index + 2, problems + found
    return None, text, 1, [Problem(Location(path, 1), "the front matter is not closed",
                                   hint="add a line with '---' after the front matter")]


def body_problems(body: str, body_line: int, path: Path) -> list[Problem]:
    """Characters no page can hold, and the limits of :func:`markdown_limits`, in *body*.

    Args:
        body: Markdown text.
        body_line: the line of *path* where *body* starts.
        path: the file, for locations.

    Returns:
        The problems; a text with any must not be converted.
    """
    problems = []
    bad = bad_character(body)
    if bad:
        line = body_line + body.count("\n", 0, bad[0])
        problems.append(Problem(Location(path, line), f"{bad[1]} is not allowed in text",
                                "remove it; it is often pasted in by accident and invisible in editors"))
    for index, message, hint in markdown_limits(body):
        problems.append(Problem(Location(path, body_line + index), message, hint))
    return problems


# --------------------------------------------------------------------------------------
# Markdown → HTML

import re  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from html import escape as html_escape  # noqa: E402
from urllib.parse import quote, unquote, urlsplit  # noqa: E402

import markdown  # noqa: E402
from markdown.extensions import Extension  # noqa: E402
from markdown.extensions.abbr import AbbrExtension  # noqa: E402
from markdown.extensions.attr_list import AttrListExtension  # noqa: E402
from markdown.extensions.def_list import DefListExtension  # noqa: E402
from markdown.extensions.footnotes import FootnoteExtension  # noqa: E402
from markdown.extensions.sane_lists import SaneListExtension  # noqa: E402
from markdown.extensions.tables import TableExtension  # noqa: E402
from markdown.extensions.toc import TocExtension  # noqa: E402

from builder.file_rules import ACTIVE_SUFFIXES, XML_SUFFIXES  # noqa: E402
from builder.blocks import DirectiveProcessor  # noqa: E402
from builder.markdown_tree import AttributeFilter, LinkProcessor, check_stashed_html  # noqa: E402
from builder.paths import course_relative, is_windows_path, resolve_ref  # noqa: E402

# Characters that can start Markdown or HTML syntax in a short snippet (also "1." lists).
_MARKUP_CHARS = re.compile(r"[\\`*_\[\]<>&!#{}~|]|^\s*(\d+[.)]|[-+])\s|\n\s*\n|  \n", re.M)
# Snippets that can hold a link, an image, HTML or an attribute list; only these need the
# checked conversion.
LINK_CHARS = re.compile(r"[\[<{]")


@dataclass(frozen=True)
class SectionLink:
    """A link to a section (``#id``) of a lesson page, checked once every lesson is converted."""

    location: Location
    page: str | None  # the lesson id; None when the page has no lesson text (start page, assessment)
    fragment: str


@dataclass
class LessonSource:
    """What the Markdown extensions need to know about the file being converted.

    Also used for the Markdown snippets of quizzes, front matter and ``course.yml``: then
    *path* is that file, *body* its text (from *body_line* on) and *page_id* the lesson
    whose page shows the snippet.
    """

    root: Path
    path: Path
    body: str
    body_line: int
    lessons_by_path: dict[Path, str]
    labels: dict[str, str]
    lesson_urls: dict[str, str] = field(default_factory=dict)  # page URL by lesson id (from the plan)
    language: str = "en"
    files: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    listed: frozenset[Path] = frozenset()  # every lesson file course.yml lists, loaded or not
    page_id: str | None = None  # the lesson whose page shows this text (for "#section" links)
    sections: list[SectionLink] = field(default_factory=list)
    resolved: set[int] = field(default_factory=set)  # ids of elements whose URL is already a package path

    def __post_init__(self) -> None:
        if self.page_id is None:
            self.page_id = self.lessons_by_path.get(self.path)

    @property
    def where(self) -> str:
        """The kind of file, for messages."""
        if self.path.suffix.lower() == ".md":
            return "lessons"
        return "course.yml" if self.path.name == "course.yml" else "quizzes"

    def line_of(self, needle: str) -> int | None:
        """Line of the first occurrence of *needle* in the body (for error locations)."""
        index = self.body.find(needle) if needle else -1
        if index < 0:
            return None
        return self.body_line + self.body.count("\n", 0, index)

    def line_of_any(self, needle: str) -> int | None:
        """Like :meth:`line_of`, ignoring case (HTML names are case-insensitive)."""
        found = self.line_of(needle)
        if found is None and needle:
            index = self.body.lower().find(needle.lower())
            found = self.body_line + self.body.count("\n", 0, index) if index >= 0 else None
        return found

    def line_in(self, raw: str, needle: str) -> int | None:
        """Line of *needle* inside the raw HTML *raw*, itself somewhere in the body."""
        start = self.line_of(raw) or self.line_of(raw.strip().split("\n", 1)[0])
        if start is None:
            return self.line_of(needle)
        offset = raw.find(needle)
        return start + (raw.count("\n", 0, offset) if offset > 0 else 0)

    def problem(self, needle: str, message: str, hint: str | None = None, severity: str = "error") -> None:
        """Record a problem located at the line where *needle* appears (in any case, if not as written)."""
        self.problems.append(Problem(Location(self.path, self.line_of_any(needle)), message, hint, severity))

    def section_link(self, needle: str, page: str | None, fragment: str) -> None:
        """Remember a link to section *fragment* of lesson *page*, to check it later."""
        self.sections.append(SectionLink(Location(self.path, self.line_of(needle)), page, fragment))

    def use_file(self, ref: str, what: str) -> str | None:
        """Resolve a local reference, remember the file, return its URL inside the package."""
        parts = urlsplit(ref)
        path_text = ref if is_windows_path(ref) else unquote(parts.path)  # 'C:' is no URL scheme
        where = Location(self.path, self.line_of(ref))
        found, problem = resolve_ref(self.root, self.path.parent, path_text, where, what)
        if problem:
            self.problems.append(problem)
            return None
        assert found is not None
        if found.suffix.lower() in ACTIVE_SUFFIXES:
            kind = "XML" if found.suffix.lower() in XML_SUFFIXES else "HTML"
            self.problems.append(Problem(where, f"{what} '{ref}' is an {kind} file, which would run inside the "
                                         "LMS with the learner's session; packages do not carry HTML or XML files",
                                         "make it a lesson, or offer it as a PDF, CSV or plain-text download"))
            return None
        rel = course_relative(self.root, found)
        self.files.add(rel)
        url = quote(rel)
        return url + (f"#{parts.fragment}" if parts.fragment else "")


class _State:
    source: LessonSource


class _BuilderExtension(Extension):
    def __init__(self, state: _State, lesson: bool = True) -> None:
        super().__init__()
        self.state = state
        self.lesson = lesson

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        if self.lesson:
            md.parser.blockprocessors.register(DirectiveProcessor(md.parser, self.state), "builder_directive", 105)
        md.treeprocessors.register(LinkProcessor(md, self.state, self.lesson), "builder_links", 1)


class _FallbackExtension(Extension):
    """For text no check has seen: raw HTML is shown as text, attributes are filtered."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(AttributeFilter(md), "builder_escaped", 1)


def _backlink_title(labels: dict[str, str]) -> str:
    """The footnote back-link's title in the page language (``footnote_back``, "{n}" the number)."""
    label = labels.get("footnote_back", "Back to reference {n}")
    return label.replace("{", "{{").replace("}", "}}").replace("{{n}}", "{}")


class MarkdownRenderer:
    """Converts lesson bodies with one reusable Markdown instance per build."""

    def __init__(self) -> None:
        self._state = _State()
        # Extension objects, not names: a name makes Python-Markdown scan the installed
        # packages' entry points once per process (about 20 ms of every cold build).
        self._footnotes = FootnoteExtension(BACKLINK_TITLE="Back to reference %d")
        self._md = markdown.Markdown(
            extensions=[TableExtension(), self._footnotes,
                        DefListExtension(), AttrListExtension(), SaneListExtension(), AbbrExtension(),
                        TocExtension(permalink=False, toc_depth="2-3"), _BuilderExtension(self._state)],
            output_format="html",
        )
        # Texts with a link, HTML or an attribute list are converted by snippet() and
        # checked; this one is for the rest, and for any text a theme converts unchecked.
        self._inline = markdown.Markdown(extensions=[AttrListExtension(), AbbrExtension(), _FallbackExtension()],
                                         output_format="html")
        # The same extensions as _inline, plus the checks and rewrites of links and images.
        self._checked = markdown.Markdown(
            extensions=[AttrListExtension(), AbbrExtension(), _BuilderExtension(self._state, False)],
            output_format="html")

    def convert(self, source: LessonSource) -> str:
        """Convert *source*'s body; problems and used files are recorded on *source*."""
        self._state.source = source
        self._footnotes.setConfig("BACKLINK_TITLE", _backlink_title(source.labels))
        self._md.reset()
        try:
            html = self._md.convert(source.body)
        except RecursionError:  # markdown_limits() should have stopped it; never a traceback
            source.problems.append(_too_deep(source.path, source.body_line + deepest_paragraph(source.body)))
            return ""
        check_stashed_html(self._md, source, html)
        return str(html)

    def snippet(self, source: LessonSource, text: str, inline: bool) -> str:
        """Convert a snippet of *source*'s file (a quiz text, an objective) as a lesson's text.

        Links to lessons become pages, images and files are put into the package, and
        problems (missing files, raw HTML) are recorded on *source*.

        Args:
            source: the file the text is in.
            text: the Markdown.
            inline: drop the ``<p>`` around a single paragraph, as :meth:`inline` does.

        Returns:
            The HTML.
        """
        self._state.source = source
        first = source.line_of(text.split("\n", 1)[0]) or source.body_line
        limits = markdown_limits(text)
        for index, message, hint in limits:
            source.problems.append(Problem(Location(source.path, first + index), message, hint))
        if limits:
            return html_escape(text, quote=False)
        self._checked.reset()
        try:
            html = self._checked.convert(text)
        except RecursionError:
            source.problems.append(_too_deep(source.path, first + deepest_paragraph(text)))
            return html_escape(text, quote=False)
        check_stashed_html(self._checked, source, html)
        return _unwrap(html) if inline else html

    def inline(self, text: str) -> str:
        """Convert a short Markdown snippet; a single paragraph loses its ``<p>``."""
        if not _MARKUP_CHARS.search(text):
            # Plain text (most objectives, choices and feedback): escaping is all Markdown
            # would do, and a full conversion costs a millisecond each.
            return html_escape(text.strip(), quote=False)
        return _unwrap(self.block(text))

    def block(self, text: str) -> str:
        """Convert a Markdown snippet with paragraphs."""
        if markdown_limits(text):
            return html_escape(text, quote=False)  # reported where the text was checked
        self._inline.reset()
        try:
            return str(self._inline.convert(text))
        except RecursionError:
            return html_escape(text, quote=False)


def _too_deep(path: Path, line: int) -> Problem:
    return Problem(Location(path, line), "this text is nested too deeply to convert",
                   "flatten nested lists, quotes and '::: ' blocks")


def _unwrap(html: str) -> str:
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
