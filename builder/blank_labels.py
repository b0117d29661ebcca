"""Question texts that render as nothing: a prompt or a choice made only of markup.

``"<span></span>"`` or ``"**  **"`` passes the "has no text" check of
:mod:`builder.quiz` (the YAML value is not blank) but shows learners an empty question or
an unlabelled radio button. This module looks at the converted HTML instead.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from builder.errors import Location, Problem
from builder.quiz import Question, Quiz


def visible_text(html: str) -> str:
    """The text a learner (or a screen reader) gets from *html*: its text and image alt texts."""
    body = LexborHTMLParser(f"<!DOCTYPE html><body>{html}</body>").body
    if body is None:
        return ""
    alts = " ".join(img.attributes.get("alt") or "" for img in body.css("img"))
    return f"{body.text(separator=' ')} {alts}".strip()


def _labels(q: Question) -> Iterator[tuple[str, str]]:
    """``(what, text)`` for each text of *q* that labels something learners answer."""
    yield "the question", q.prompt
    for n, choice in enumerate(q.choices, 1):
        yield f"choice {n}", choice.text
    for n, pair in enumerate(q.pairs, 1):
        yield f"'prompt' of pair {n}", pair.prompt
        yield f"'match' of pair {n}", pair.match
    for n, item in enumerate(q.items, 1):
        yield f"item {n}", item.text


def blank_label_problems(quiz: Quiz, to_html: Callable[[str], str]) -> list[Problem]:
    """A problem for each prompt, choice, pair or item of *quiz* whose HTML shows no text.

    Args:
        quiz: the quiz, its texts converted or not.
        to_html: the HTML of one text (as the pages will show it).

    Returns:
        Errors located at the text's line in the quiz file.
    """
    problems: list[Problem] = []
    lines: list[str] | None = None
    for q in quiz.questions:
        for what, text in _labels(q):
            if not text or not text.strip() or visible_text(to_html(text)):
                continue  # empty texts are reported by builder.quiz
            if lines is None:
                lines = _read_lines(quiz.source)
            problems.append(Problem(Location(quiz.source, _line_of(lines, str(text), q.line)),
                                    f"{what} shows no text: it is only markup ('{str(text).strip()[:40]}')",
                                    "write words learners can read; an empty label cannot be answered"))
    return problems


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _line_of(lines: list[str], text: str, start: int) -> int:
    """The first line from *start* (1-based) holding *text*'s first line, else *start*."""
    needle = text.strip().split("\n", 1)[0]
    for number in range(start, len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return start
