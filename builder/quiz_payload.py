"""The runtime payload of a quiz: the JSON the learner runtime scores and gives feedback with.

Pure: works on a parsed :class:`~builder.quiz.Quiz`.
"""
from __future__ import annotations

from typing import Any

from builder.quiz import Quiz


def quiz_payload(quiz: Quiz, passing_score: int, render_inline: Any = str) -> dict[str, Any]:
    """The JSON the learner runtime needs to score *quiz* and give feedback.

    Args:
        quiz: the quiz.
        passing_score: the effective passing score (the quiz's own or the course's).
        render_inline: turns a Markdown snippet into HTML (feedback texts).

    Returns:
        A JSON-serialisable dict; see docs/architecture.md.
    """
    def fb(text: str | None) -> str | None:
        return None if text is None else str(render_inline(text))

    questions = []
    for q in quiz.questions:
        entry: dict[str, Any] = {"id": q.id, "type": q.type, "weight": q.weight,
                                 "feedback": {"correct": fb(q.feedback_correct),
                                              "incorrect": fb(q.feedback_incorrect)}}
        if q.type in ("single", "multiple"):
            entry["correct"] = [c.id for c in q.choices if c.correct]
            entry["choices"] = {c.id: fb(c.feedback) for c in q.choices}
            entry["shuffle"] = q.shuffle and quiz.shuffle
        elif q.type == "true-false":
            entry["correct"] = q.answer
        elif q.type == "fill-in":
            entry["answers"] = list(q.answers)
            entry["caseSensitive"] = q.case_sensitive
        elif q.type == "matching":
            entry["pairs"] = [[p.id, p.match_id] for p in q.pairs]
        elif q.type == "ordering":
            entry["order"] = [i.id for i in q.items]
        elif q.type == "numeric":
            entry["value"] = q.value
            entry["tolerance"] = q.tolerance
        questions.append(entry)
    return {"id": quiz.id, "title": quiz.title, "passingScore": passing_score, "attempts": quiz.attempts,
            "shuffle": quiz.shuffle, "graded": quiz.graded, "display": quiz.display, "weight": quiz.total_weight,
            "questions": questions}
