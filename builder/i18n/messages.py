"""The translatable messages of a course: which texts, with what context and source line.

A message is one block (see :mod:`builder.i18n.segment`) or one text field of a YAML file.
Its context is ``<file>:<field>``: the file relative to the course and the kind of block
(``heading``, ``p``, ``item``, ``cell``, ``title``, ``alt`` ...) or the field's path through
ids that authors give (``modules/core/title``, ``questions/q2/choice``). No position is in
the context, so inserting or moving a paragraph elsewhere changes no other message; the
same text twice in one context is one message (one translation) with two references, as
in Sphinx. Catalogs: one per lesson (``<lesson stem>.po``) and ``course.po`` for
``course.yml`` and every quiz.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.i18n.segment import Segment, segment_markdown
from builder.yamlsrc import YamlList, YamlMap, line_of

COURSE_CATALOG = "course"
"""The catalog of course.yml and all quizzes (``locales/<lang>/course.po``)."""

Spec = Any
"""How to walk a YAML value: ``TEXT``, ``MARKDOWN``, a dict of key → spec, or a 1-list ``[spec]``."""
TEXT = "text"
"""A plain-text field (titles): shown as text, never converted from Markdown."""
MARKDOWN = "markdown"
"""A Markdown field (prompts, feedback, objectives, the description)."""
ANSWERS = "answers"
"""A fill-in question's accepted answers: one message, one answer per line."""

COURSE_SPEC: Spec = {
    "title": TEXT, "description": MARKDOWN, "objectives": [MARKDOWN],
    "modules": [{"title": TEXT, "session": {"format": TEXT, "materials": [TEXT]}}],
    "theme": {"logo": {"alt": TEXT}, "cover": {"alt": TEXT}},
}
FRONT_SPEC: Spec = {"title": TEXT, "objectives": [MARKDOWN], "banner_alt": TEXT}
QUIZ_SPEC: Spec = {
    "title": TEXT, "intro": MARKDOWN,
    "questions": [{"prompt": MARKDOWN, "feedback": {"correct": MARKDOWN, "incorrect": MARKDOWN},
                   "choices": [{"text": MARKDOWN, "feedback": MARKDOWN}], "pairs": [{"prompt": MARKDOWN,
                                                                                    "match": MARKDOWN}],
                   "items": [MARKDOWN], "answers": ANSWERS}],
}
PLAIN_KINDS = frozenset({"title", "alt", "media-title"})
"""Lesson block kinds whose text is shown as plain text (no ``lang`` span on a fallback)."""


@dataclass
class Message:
    """One translatable text: its context, source text, kind and every place it appears."""

    context: str
    text: str
    kind: str
    catalog: str
    locations: list[tuple[str, int]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        """``(context, text)``: what identifies the message in its catalog."""
        return self.context, self.text


@dataclass(frozen=True)
class YamlText:
    """A translatable value found in YAML data: where it is and how to put a translation back."""

    field: str
    text: str
    line: int
    kind: str
    put: Callable[[str], None]


def _copy(node: Any) -> Any:
    """A copy of a YAML container that keeps its line information (shallow)."""
    if isinstance(node, YamlMap):
        new_map = YamlMap(node)
        new_map.line, new_map.lines = node.line, node.lines
        return new_map
    if isinstance(node, YamlList):
        new_list = YamlList(node)
        new_list.line, new_list.lines = node.line, node.lines
        return new_list
    if isinstance(node, dict):
        return dict(node)
    return node


def walk_yaml(data: Any, spec: Spec, copy: bool = False) -> tuple[Any, list[YamlText]]:
    """Every translatable text of *data* as *spec* describes it.

    Args:
        data: parsed YAML (:func:`builder.yamlsrc.parse_yaml`).
        spec: which fields hold text (``COURSE_SPEC``, ``FRONT_SPEC``, ``QUIZ_SPEC``).
        copy: copy the containers on the way, so that each :attr:`YamlText.put` writes into
            the returned copy and never into *data*.

    Returns:
        ``(data or its copy, texts)``.
    """
    texts: list[YamlText] = []
    root = _copy(data) if copy else data
    _walk(root, spec, "", texts, copy)
    return root, texts


def _walk(node: Any, spec: Spec, path: str, texts: list[YamlText], copy: bool) -> None:
    if not isinstance(spec, dict) or not isinstance(node, dict):
        return
    for key, sub in spec.items():
        if key not in node:
            continue
        value = node[key]
        where = f"{path}{key}"
        if isinstance(sub, list) and isinstance(value, list):
            if copy:
                value = node[key] = _copy(value)
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    if copy:
                        item = value[index] = _copy(item)
                    _walk(item, sub[0], f"{where}/{_item_name(key, item, index)}", texts, copy)
                elif isinstance(item, str):
                    # A string item: a list of texts, or a choice's short form ('- some text').
                    name = f"{where}/text" if isinstance(sub[0], dict) and "text" in sub[0] else where
                    kind = sub[0]["text"] if isinstance(sub[0], dict) and "text" in sub[0] else sub[0]
                    if isinstance(kind, str):
                        texts.append(YamlText(name, item, line_of(value, index), kind, _setter(value, index)))
        elif sub == ANSWERS and isinstance(value, list) and all(isinstance(v, str) for v in value):
            texts.append(YamlText(where, "\n".join(value), line_of(node, key), ANSWERS,
                                  _answers_setter(node, key)))
        elif isinstance(sub, dict) and isinstance(value, dict):
            if copy:
                value = node[key] = _copy(value)
            _walk(value, sub, f"{where}/", texts, copy)
        elif isinstance(sub, str) and isinstance(value, str):
            texts.append(YamlText(where, value, line_of(node, key), sub, _setter(node, key)))


def _item_name(key: str, item: dict[str, Any], index: int) -> str:
    """The stable name of a list item in a context: ``<id>/`` for modules and questions, else
    nothing (all choices of a question share one context; their texts tell them apart)."""
    if key == "questions":
        return f"{item.get('id') or f'q{index + 1}'}/"
    if key == "modules":
        return f"{item.get('id') or index + 1}/"
    return ""


def _setter(container: Any, key: Any) -> Callable[[str], None]:
    def put(text: str) -> None:
        container[key] = text
    return put


def _answers_setter(container: Any, key: str) -> Callable[[str], None]:
    def put(text: str) -> None:
        answers = YamlList(line.strip() for line in text.split("\n") if line.strip())
        answers.line, answers.lines = line_of(container, key), [line_of(container, key)] * len(answers)
        container[key] = answers
    return put


def lesson_segments(body: str) -> Iterator[Segment]:
    """The segments of a lesson body (a thin name for :func:`segment_markdown`)."""
    return iter(segment_markdown(body))


class MessageSet:
    """The messages of a course by catalog, each once per (context, text), in source order."""

    def __init__(self) -> None:
        self.catalogs: dict[str, dict[tuple[str, str], Message]] = {}

    def add(self, catalog: str, context: str, text: str, kind: str, location: tuple[str, int]) -> None:
        """Add one occurrence of a message (a second one only adds its location)."""
        messages = self.catalogs.setdefault(catalog, {})
        message = messages.get((context, text))
        if message is None:
            message = messages[(context, text)] = Message(context, text, kind, catalog)
        if location not in message.locations:
            message.locations.append(location)

    def add_yaml(self, catalog: str, rel: str, data: Any, spec: Spec, prefix: str = "") -> None:
        """Add the texts of a YAML file (or front matter) of the course file *rel*."""
        for found in walk_yaml(data, spec)[1]:
            if found.text.strip():
                self.add(catalog, f"{rel}:{prefix}{found.field}", found.text, found.kind, (rel, found.line))

    def add_body(self, catalog: str, rel: str, body: str, body_line: int) -> None:
        """Add the segments of a lesson body that starts at line *body_line* of *rel*."""
        for seg in segment_markdown(body):
            self.add(catalog, f"{rel}:{seg.kind}", seg.text, seg.kind, (rel, body_line + seg.first))


def catalog_of_lesson(path: Path) -> str:
    """The catalog name of a lesson file: its file name without ``.md``."""
    return path.stem
