"""A language's source: the course's texts with the translations of its catalogs put in.

Translation happens between reading a file and building the model from it (the load
stage): :class:`Localizer` gives :func:`builder.course.read_course` translated YAML data
and translated Markdown bodies, so a translated course goes through the very same plan,
convert and validate stages as the source. A multi-line paragraph's translation is
wrapped onto as many lines as the source had where it can be, so that a translated lesson
keeps the source's line numbers; :meth:`Localizer.relocate` turns the line of a problem
found in a translated lesson into the line of the catalog entry that brought the text.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markdown.extensions.toc import slugify, unique

from builder.errors import Location, Problem
from builder.i18n.fallbacks import mark_paragraphs
from builder.i18n.messages import (ANSWERS, COURSE_CATALOG, MARKDOWN, PLAIN_KINDS, TEXT, Spec, catalog_of_lesson,
                                  walk_yaml)
from builder.i18n.segment import Segment, replace_segments, segment_markdown

UNSAFE_LINE_START = re.compile(r"^([-*+>#|:=~`]|\d+[.)]|\[\^|\{:?|\*\[|<)")
"""What a wrapped line must not start with: it would begin another Markdown block."""
_INLINE_MARKUP = re.compile(r"<[^>]*>|!?\[([^\]]*)\]\([^)]*\)|[`*_]")


@dataclass(frozen=True)
class Entry:
    """One translation read from a catalog, with where it is written."""

    text: str
    path: Path
    line: int
    fuzzy: bool


@dataclass
class Translations:
    """The catalogs of one language: every entry by ``(context, source text)``."""

    language: str
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    catalogs: dict[str, Path] = field(default_factory=dict)
    """Catalog name → PO file (``locales/<lang>/<name>.po``), for the files that could be read."""
    broken: set[str] = field(default_factory=set)
    """Catalogs that exist but cannot be read: their syntax errors are reported, not each message."""


@dataclass
class _Span:
    """Lines of a translated lesson body that hold one message's translation."""

    first: int
    last: int
    where: Location
    source_line: int
    """The line of the block in the source lesson."""


class Localizer:
    """Puts one language's translations into the texts of a course as they are read."""

    def __init__(self, root: Path, translations: Translations, source_language: str, incomplete: str) -> None:
        """Args:
            root: the course folder.
            translations: the language's catalogs.
            source_language: the course's own language (marks a fallback with ``lang``).
            incomplete: ``error`` or ``warning`` for each missing or fuzzy translation
                (the source text is used), or ``allow`` (used silently).
        """
        self.root = root
        self.translations = translations
        self.language = translations.language
        self.source_language = source_language
        self.incomplete = incomplete
        self.problems: list[Problem] = []
        self.fallbacks = 0
        self.plain: set[str] = set()
        """Plain texts (titles, alt texts) used in the source language (see :mod:`builder.i18n.fallbacks`)."""
        self._reported: set[tuple[str, str, str]] = set()
        self._gaps: dict[str, tuple[Problem, list[int]]] = {}
        self._absent: dict[str, tuple[Location, list[int]]] = {}
        self.spans: dict[Path, list[_Span]] = {}

    def lookup(self, catalog: str, context: str, text: str, source: Location) -> Entry | None:
        """The usable translation of *text* (found at *source*), or None (a problem is noted unless allowed)."""
        entry = self.translations.entries.get((context, text))
        if entry is not None and entry.text and not entry.fuzzy:
            return entry
        self.fallbacks += 1
        if catalog in self.translations.broken:
            return None  # its syntax error is the one problem to fix first
        if self.incomplete != "allow" and (catalog, context, text) not in self._reported:
            self._reported.add((catalog, context, text))
            problem = _missing(self.translations, catalog, text, entry, self.incomplete, source)
            if self.incomplete == "error" and entry is None and catalog not in self.translations.catalogs:
                self._absent.setdefault(catalog, (source, [0]))[1][0] += 1
            elif self.incomplete == "error":
                self.problems.append(problem)
            else:  # check and the preview: one warning per catalog, at its first gap
                first, counts = self._gaps.setdefault(catalog, (problem, [0, 0]))
                counts[1 if entry is not None and entry.fuzzy else 0] += 1
        return None

    def summary(self) -> list[Problem]:
        """Every problem: each missing translation (``error``), or one warning per catalog."""
        found = list(self.problems)
        for catalog, (source, (count,)) in self._absent.items():
            path = f"locales/{self.language}/{catalog}.po"
            found.append(Problem(source, f"no translation into {self.language}: {path} does not exist, "
                                 f"so {count} message(s) of this file have none (this is the first)",
                                 f"run 'builder translate extract', then translate the messages in {path}; "
                                 "or build with --allow-incomplete"))
        for first, (untranslated, fuzzy) in self._gaps.values():
            parts = [f"{n} {what}" for n, what in ((untranslated, "untranslated"), (fuzzy, "fuzzy")) if n]
            found.append(Problem(first.location, f"the {self.language} translation is incomplete: "
                                 f"{' and '.join(parts)} message(s); the source text stands in (first: "
                                 f"{first.message})", "see 'builder translate status'; 'builder build' fails "
                                 "on this unless given --allow-incomplete", "warning"))
        return found

    def fallback(self, text: str, kind: str) -> str:
        """The source *text* used in place of a translation: Markdown marked with its language."""
        if kind in PLAIN_KINDS or kind == TEXT:
            self.plain.add(text.strip())
            return text
        if kind == ANSWERS or not text.strip():
            return text
        if "\n\n" in text:
            return mark_paragraphs(text, self.source_language)
        return f'<span lang="{self.source_language}">{text}</span>'

    def yaml(self, path: Path, data: Any, spec: Spec, catalog: str, prefix: str = "") -> Any:
        """A copy of the YAML *data* of *path* with its texts translated."""
        copy, texts = walk_yaml(data, spec, copy=True)
        rel = path.relative_to(self.root).as_posix()
        for found in texts:
            if not found.text.strip():
                continue
            entry = self.lookup(catalog, f"{rel}:{prefix}{found.field}", found.text, Location(path, found.line))
            if entry is not None:
                found.put(entry.text.strip("\n") if found.kind == ANSWERS else entry.text)
            elif found.kind in (MARKDOWN, TEXT):
                found.put(self.fallback(found.text, found.kind))
        return copy

    def course_yaml(self, path: Path, data: Any, spec: Spec) -> Any:
        """course.yml or a quiz, translated from ``course.po``."""
        return self.yaml(path, data, spec, COURSE_CATALOG)

    def front(self, path: Path, data: Any, spec: Spec) -> Any:
        """A lesson's front matter, translated from the lesson's catalog."""
        return self.yaml(path, data, spec, catalog_of_lesson(path))

    def body(self, path: Path, body: str, body_line: int) -> str:
        """A lesson body with each block's translation put in (see :meth:`relocate`)."""
        rel = path.relative_to(self.root).as_posix()
        catalog = catalog_of_lesson(path)
        lines = body.split("\n")
        replacements: list[tuple[Segment, str]] = []
        spans: list[_Span] = []
        used_ids: set[str] = set()
        shift = 0  # lines the translations so far added (or removed) before this block
        for seg in segment_markdown(body):
            entry = self.lookup(catalog, f"{rel}:{seg.kind}", seg.text, Location(path, body_line + seg.first))
            new = self.fallback(seg.text, seg.kind) if entry is None else entry.text
            new = _wrap(re.sub(r"\s*\n\s*", " ", new).strip(), seg.last - seg.first + 1)
            if seg.kind == "heading" and seg.section != "accordion" and "{" not in lines[seg.last][seg.end_col:]:
                # Keep the source's section id, so that links to '#section' work in every language
                # (an accordion item's title is no heading: its id is the item's, 'blk-1-2').
                name = html.unescape(_INLINE_MARKUP.sub(lambda m: m.group(1) or "", seg.text))
                new += " {#" + unique(slugify(name, "-"), used_ids) + "}"
            replacements.append((seg, new))
            first = body_line + seg.first + shift
            if entry is not None:
                spans.append(_Span(first, first + new.count("\n"), Location(entry.path, entry.line),
                                   body_line + seg.first))
            shift += new.count("\n") - (seg.last - seg.first)
        self.spans[path] = spans
        return replace_segments(body, replacements)

    def relocate(self, problem: Problem) -> Problem:
        """*problem* moved to the catalog entry whose translation holds its lesson line."""
        where = problem.location
        for span in self.spans.get(where.path, ()):
            if where.line is not None and span.first <= where.line <= span.last:
                source = Location(where.path, span.source_line).display(self.root)
                return replace(problem, location=span.where,
                               message=f"{problem.message} (in the translation of {source})")
        return problem


def _missing(translations: Translations, catalog: str, text: str, entry: Entry | None, severity: str,
             source: Location) -> Problem:
    """The problem of a message without a usable translation: at its catalog entry, else at *source*."""
    short = " ".join(text.split())
    short = short if len(short) <= 60 else short[:57] + "..."
    hint = "translate it, or build with --allow-incomplete to use the source text"
    if entry is None:
        path = translations.catalogs.get(catalog) or _catalog_path(translations, catalog)
        return Problem(source, f"no translation into {translations.language}: \"{short}\" is not in "
                       f"{translations.language}/{path.name}", "run 'builder translate extract' and translate "
                       "the new message, or build with --allow-incomplete", severity)
    if entry.fuzzy:
        return Problem(Location(entry.path, entry.line), f"fuzzy translation (the source text changed): \"{short}\"",
                       "check the translation against the new text, then remove the 'fuzzy' flag", severity)
    return Problem(Location(entry.path, entry.line), f"untranslated: \"{short}\"", hint, severity)


def _catalog_path(translations: Translations, catalog: str) -> Path:
    """The PO file of *catalog* (``locales/<lang>/<catalog>.po``), found or not."""
    known = next(iter(translations.catalogs.values()), None)
    folder = known.parent if known else Path("locales") / translations.language
    return folder / f"{catalog}.po"


def _wrap(text: str, count: int) -> str:
    """*text* on *count* lines (or fewer), broken at spaces where no new block would start."""
    if count <= 1 or " " not in text:
        return text
    spaces = [m.start() for m in re.finditer(" ", text) if not UNSAFE_LINE_START.match(text[m.start() + 1:])]
    cuts: list[int] = []
    for n in range(1, count):
        goal = len(text) * n // count
        later = [s for s in spaces if not cuts or s > cuts[-1]]
        if not later:
            break
        cuts.append(min(later, key=lambda s: abs(s - goal)))
    if len(cuts) < count - 1:
        return text  # too few places to break: one line (later lines of the lesson move up)
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(text[start:cut])
        start = cut + 1
    pieces.append(text[start:])
    return "\n".join(pieces)
