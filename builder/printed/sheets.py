"""Quizzes on paper: question sheets for both editions and the handbook's answer key.

Pure: turns a :class:`~builder.quiz.Quiz` into plain values that the print templates
show. Author Markdown goes through the same snippet conversion as the e-learning pages
(the ``inline`` callable), so links and emphasis look the same.
"""
from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from markupsafe import Markup, escape

from builder.quiz import Question, Quiz

Convert = Callable[[str], str]
_T = TypeVar("_T")


@dataclass(frozen=True)
class SheetQuestion:
    """One printed question: what the participant sees, and the key for the trainer."""

    number: int
    type: str
    prompt: Markup
    options: tuple[Markup, ...] = ()
    """Lettered options (choices, the answers of a matching question, items to order)."""
    rows: tuple[Markup, ...] = ()
    """Matching prompts, each with a box for a letter."""
    hint: str = ""
    answer: Markup = Markup("")
    feedback: tuple[tuple[str, Markup], ...] = ()
    """``(label, text)`` pairs: feedback on a correct answer, on an incorrect one, per choice."""


@dataclass(frozen=True)
class Sheet:
    """A quiz as a question sheet."""

    id: str
    title: str
    intro: Markup | None
    questions: tuple[SheetQuestion, ...] = field(default=())


def letter(index: int) -> str:
    """The option letter of *index* (0 → A, 25 → Z, 26 → AA)."""
    letters = string.ascii_uppercase
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


def build_sheet(quiz: Quiz, inline: Convert, block: Convert, labels: dict[str, str]) -> Sheet:
    """Turn *quiz* into a printable sheet with its answer key.

    Args:
        quiz: the quiz.
        inline: Markdown → HTML for short texts (prompts, choices, feedback).
        block: Markdown → HTML for texts with paragraphs (the intro).
        labels: UI labels in the course language.

    Returns:
        The sheet; every question carries its answer and feedback (the workbook does
        not show them).
    """
    questions = tuple(_question(n + 1, q, inline, labels) for n, q in enumerate(quiz.questions))
    intro = Markup(block(quiz.intro)) if quiz.intro else None
    return Sheet(id=quiz.id, title=quiz.title, intro=intro, questions=questions)


def _question(number: int, q: Question, inline: Convert, labels: dict[str, str]) -> SheetQuestion:
    def md(text: str) -> Markup:
        return Markup(inline(text))

    feedback = [(labels.get(key, default), md(text)) for key, default, text in (
        ("print_feedback_correct", "If correct", q.feedback_correct),
        ("print_feedback_incorrect", "If incorrect", q.feedback_incorrect)) if text]
    prompt = md(q.prompt)
    if q.type in ("single", "multiple"):
        options = tuple(md(c.text) for c in q.choices)
        right = [f"{letter(i)}: {inline(c.text)}" for i, c in enumerate(q.choices) if c.correct]
        feedback += [(labels.get("print_feedback", "Feedback"), Markup(f"{letter(i)}: {inline(c.feedback)}"))
                     for i, c in enumerate(q.choices) if c.feedback]
        hint = labels.get("select_one" if q.type == "single" else "select_all", "")
        return SheetQuestion(number, q.type, prompt, options=options, hint=hint,
                             answer=Markup("; ".join(right)), feedback=tuple(feedback))
    if q.type == "true-false":
        options = (Markup(escape(labels.get("answer_true", "True"))),
                   Markup(escape(labels.get("answer_false", "False"))))
        return SheetQuestion(number, q.type, prompt, options=options, hint=labels.get("select_one", ""),
                             answer=options[0] if q.answer else options[1], feedback=tuple(feedback))
    if q.type == "fill-in":
        answer = Markup(" / ").join(escape(a) for a in q.answers)
        return SheetQuestion(number, q.type, prompt, answer=answer, feedback=tuple(feedback))
    if q.type == "numeric":
        value = _number(q.value)
        shown = f"{value} (± {_number(q.tolerance)})" if q.tolerance else value
        return SheetQuestion(number, q.type, prompt, answer=Markup(escape(shown)), feedback=tuple(feedback))
    if q.type == "matching":
        # The answers are listed in alphabetical order, so their order gives nothing away.
        answers = sorted(q.matches, key=lambda item: (item.text.casefold(), item.id))
        letters = {item.id: letter(i) for i, item in enumerate(answers)}
        rows = tuple(md(p.prompt) for p in q.pairs)
        key = "; ".join(f"{n + 1} → {letters[p.match_id]}" for n, p in enumerate(q.pairs))
        return SheetQuestion(number, q.type, prompt, options=tuple(md(a.text) for a in answers), rows=rows,
                             hint=labels.get("matching_hint", ""), answer=Markup(escape(key)),
                             feedback=tuple(feedback))
    # ordering: items are written in the correct order; print them in another one.
    shown_items = _shuffled_for_print(list(q.items))
    position = {item.id: n + 1 for n, item in enumerate(q.items)}
    hint = labels.get("print_order_hint", "Number the items from 1 (first) to {total} (last).")
    key = "; ".join(f"{letter(i)} = {position[item.id]}" for i, item in enumerate(shown_items))
    return SheetQuestion(number, q.type, prompt, options=tuple(md(i.text) for i in shown_items),
                         hint=hint.replace("{total}", str(len(q.items))), answer=Markup(escape(key)),
                         feedback=tuple(feedback))


def _shuffled_for_print(items: list[_T]) -> list[_T]:
    """A fixed order that is not the correct one: alphabetical, or rotated by one."""
    ordered = sorted(items, key=lambda item: (getattr(item, "text", "").casefold(), getattr(item, "id", "")))
    if ordered == items and len(items) > 1:
        ordered = items[1:] + items[:1]
    return ordered


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
