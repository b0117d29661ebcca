"""Quizzes: the model and parsing with located problems (the runtime payload: :mod:`builder.quiz_payload`).

Pure: works on parsed YAML values, never on files.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.answers import parse_number
from builder.errors import Location, Problem
from builder.schema import Field, check_mapping, kind_of, quote_hint
from builder.yamlsrc import line_of, scalar_text

QUESTION_TYPES = ("single", "multiple", "true-false", "fill-in", "matching", "ordering", "numeric")
DISPLAYS = ("all", "one-at-a-time")
ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Choice:
    """An answer option of a single or multiple choice question."""

    id: str
    text: str
    correct: bool = False
    feedback: str | None = None


@dataclass(frozen=True)
class Pair:
    """A matching pair: a prompt and the answer that belongs to it."""

    id: str
    prompt: str
    match_id: str
    match: str


@dataclass(frozen=True)
class Item:
    """An item of an ordering question."""

    id: str
    text: str


@dataclass(frozen=True)
class Question:
    """One question of a quiz; which fields matter depends on ``type``."""

    id: str
    type: str
    prompt: str
    line: int
    weight: float = 1.0
    feedback_correct: str | None = None
    feedback_incorrect: str | None = None
    choices: tuple[Choice, ...] = ()
    answer: bool | None = None
    answers: tuple[str, ...] = ()
    case_sensitive: bool = False
    pairs: tuple[Pair, ...] = ()
    matches: tuple[Item, ...] = ()
    items: tuple[Item, ...] = ()
    value: float | None = None
    tolerance: float = 0.0
    shuffle: bool = True


@dataclass(frozen=True)
class Quiz:
    """A quiz: a knowledge check inside a lesson or the final assessment."""

    id: str
    title: str
    source: Path
    questions: tuple[Question, ...]
    intro: str | None = None
    passing_score: int | None = None
    shuffle: bool = False
    attempts: int = 0
    graded: bool = True
    files: tuple[str, ...] = field(default=())
    display: str = "all"

    @property
    def total_weight(self) -> float:
        """Sum of the weights of all questions."""
        return sum(q.weight for q in self.questions)


QUIZ_FIELDS = [
    Field("id", str, doc="short identifier, e.g. final"),
    Field("title", str, required=True, doc="the quiz heading"),
    Field("intro", str, doc="Markdown shown before the questions"),
    Field("passing_score", int, doc="0 to 100"),
    Field("shuffle", bool),
    Field("attempts", int, doc="0 means unlimited"),
    Field("graded", bool),
    Field("display", str, doc=" | ".join(DISPLAYS)),
    Field("questions", list, required=True, doc="the list of questions"),
]
QUESTION_FIELDS = [
    Field("id", str), Field("type", str, required=True, doc=" | ".join(QUESTION_TYPES)),
    Field("prompt", str, required=True, doc="the question text"),
    Field("weight", float), Field("feedback", dict), Field("shuffle", bool),
    Field("choices", list), Field("answer", (bool, int, float, str)), Field("answers", list),
    Field("case_sensitive", bool), Field("pairs", list), Field("items", list),
    Field("tolerance", float),
]
CHOICE_FIELDS = [Field("text", str, required=True), Field("correct", bool),
                 Field("feedback", str), Field("id", str)]
PAIR_FIELDS = [Field("prompt", str, required=True), Field("match", str, required=True)]
FEEDBACK_FIELDS = [Field("correct", str), Field("incorrect", str)]
_TYPE_KEYS = {
    "single": {"choices"}, "multiple": {"choices"}, "true-false": {"answer"},
    "fill-in": {"answers", "case_sensitive"}, "matching": {"pairs"}, "ordering": {"items"},
    "numeric": {"answer", "tolerance"},
}


def parse_quiz(data: Any, path: Path, default_id: str) -> tuple[Quiz | None, list[Problem]]:
    """Parse a quiz file's YAML.

    Args:
        data: the parsed YAML of the quiz file.
        path: the quiz file (for locations).
        default_id: the id used when the file sets none (its name).

    Returns:
        ``(quiz, problems)``; quiz is None when the file cannot be used at all.
    """
    values, problems = check_mapping(data, QUIZ_FIELDS, path, "quiz")
    if not values.get("title") or "questions" not in values:
        return None, problems
    quiz_id = values.get("id", default_id)
    if not ID_RE.match(quiz_id):
        problems.append(Problem(Location(path, line_of(data, "id") or 1), f"quiz id '{quiz_id}' is not valid",
                                hint="use letters, digits, '-' or '_', starting with a letter"))
        quiz_id = "quiz"
    passing = values.get("passing_score")
    if passing is not None and not 0 <= passing <= 100:
        problems.append(Problem(Location(path, line_of(data, "passing_score")),
                                f"passing_score {passing} is out of range", hint="use a number from 0 to 100"))
    attempts = values.get("attempts", 0)
    if attempts < 0:
        problems.append(Problem(Location(path, line_of(data, "attempts")), "attempts cannot be negative",
                                hint="use 0 for unlimited attempts"))
    display = values.get("display", "all")
    if display not in DISPLAYS:
        problems.append(Problem(Location(path, line_of(data, "display")), f"display '{display}' is not known",
                                hint="use 'all' (every question on the page) or 'one-at-a-time'"))
        display = "all"
    raw = values["questions"]
    if not raw:
        problems.append(Problem(Location(path, line_of(data, "questions")), "the quiz has no questions"))
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        line = line_of(raw, index)
        question, found = _parse_question(item, path, line, f"q{index + 1}")
        problems += found
        if question is None:
            continue
        if question.id in seen:
            problems.append(Problem(Location(path, line), f"duplicate question id '{question.id}'",
                                    hint=f"first used on line {seen[question.id]}; ids must be unique in a quiz"))
            continue
        seen[question.id] = line
        questions.append(question)
    quiz = Quiz(id=quiz_id, title=values["title"], source=path, questions=tuple(questions),
                intro=values.get("intro"), passing_score=passing, shuffle=values.get("shuffle", False),
                attempts=max(attempts, 0), graded=values.get("graded", True), display=display)
    return quiz, problems


def _parse_question(data: Any, path: Path, line: int, default_id: str) -> tuple[Question | None, list[Problem]]:
    what = f"question {default_id[1:]}"
    values, problems = check_mapping(data, QUESTION_FIELDS, path, what, line)
    kind = values.get("type")
    if kind is None or "prompt" not in values:
        return None, problems
    at = Location(path, line_of(data, "type", line))
    if kind not in QUESTION_TYPES:
        import difflib
        close = difflib.get_close_matches(kind, QUESTION_TYPES, n=1)
        problems.append(Problem(at, f"unknown question type '{kind}'",
                                hint=f"did you mean '{close[0]}'?" if close else "use one of " + ", ".join(QUESTION_TYPES)))
        return None, problems
    for key in values:
        if key in {"choices", "answer", "answers", "case_sensitive", "pairs", "items", "tolerance"} \
                and key not in _TYPE_KEYS[kind]:
            problems.append(Problem(Location(path, line_of(data, key, line)),
                                    f"'{key}' does not apply to a {kind} question",
                                    hint="needed here: " + ", ".join(sorted(_TYPE_KEYS[kind]))))
    if not values["prompt"].strip():
        problems.append(Problem(Location(path, line_of(data, "prompt", line)), "the question has no text",
                                hint="write the question after 'prompt:'"))
    qid = values.get("id", default_id)
    if not ID_RE.match(qid):
        problems.append(Problem(Location(path, line_of(data, "id", line)), f"question id '{qid}' is not valid",
                                hint="use letters, digits, '-' or '_', starting with a letter"))
        qid = default_id
    weight = float(values.get("weight", 1))
    if weight <= 0:
        problems.append(Problem(Location(path, line_of(data, "weight", line)), "weight must be more than 0"))
        weight = 1.0
    fb_values, fb_problems = ({}, []) if "feedback" not in values else \
        check_mapping(values["feedback"], FEEDBACK_FIELDS, path, f"feedback of {what}", line)
    problems += fb_problems
    base: dict[str, Any] = dict(id=qid, type=kind, prompt=values["prompt"], line=line, weight=weight,
                                feedback_correct=fb_values.get("correct"),
                                feedback_incorrect=fb_values.get("incorrect"),
                                shuffle=values.get("shuffle", True))
    parser = _PARSERS[kind]
    extra, found = parser(values, data, path, line)
    problems += found
    if extra is None:
        return None, problems
    return Question(**base, **extra), problems


def _need(values: dict[str, Any], key: str, data: Any, path: Path, line: int, kind: str) -> Problem | None:
    if key in values:
        return None
    return Problem(Location(path, line_of(data, default=line)), f"a {kind} question needs '{key}'")


def _choices(values: dict[str, Any], data: Any, path: Path, line: int) -> tuple[dict[str, Any] | None, list[Problem]]:
    kind = values["type"]
    missing = _need(values, "choices", data, path, line, kind)
    if missing:
        return None, [missing]
    raw = values["choices"]
    problems: list[Problem] = []
    choices: list[Choice] = []
    rejected = False
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        if item is not None and not isinstance(item, (dict, list)):
            item = {"text": item}  # the short form: '- some text'
        at = line_of(raw, index)
        cv, found = check_mapping(item, CHOICE_FIELDS, path, f"choice {index + 1}", at)
        problems += found
        rejected = rejected or bool(found) or "text" not in cv
        if "text" in cv and not cv["text"].strip():
            problems.append(Problem(Location(path, line_of(item, "text", at)), f"choice {index + 1} has no text",
                                    hint="write the answer after 'text:'; learners would see an unlabelled button"))
            rejected = True
        elif "text" in cv:
            text = cv["text"]
            if text.strip() in seen:
                problems.append(Problem(Location(path, line_of(item, "text", at)),
                                        f"choice '{text.strip()}' appears twice in this question",
                                        hint=f"also choice {seen[text.strip()]}; learners cannot tell them apart",
                                        severity="warning"))
            seen.setdefault(text.strip(), index + 1)
            choices.append(Choice(id=cv.get("id", chr(ord("a") + index) if index < 26 else f"c{index}"),
                                  text=text, correct=cv.get("correct", False), feedback=cv.get("feedback")))
    correct = sum(c.correct for c in choices)
    where = Location(path, line_of(data, "choices", line))
    if rejected:
        pass  # the choice that failed may be the missing one: no knock-on errors
    elif len(choices) < 2:
        problems.append(Problem(where, "a choice question needs at least two choices"))
    if correct == 0:
        problems.append(Problem(where, "this question has no correct answer",
                                hint="mark the right choice with 'correct: true'"))
    elif kind == "single" and correct > 1:
        problems.append(Problem(where, f"a single choice question has {correct} correct choices",
                                hint="mark exactly one, or use type: multiple"))
    if len({c.id for c in choices}) != len(choices):
        problems.append(Problem(where, "choice ids must be unique"))
    return {"choices": tuple(choices)}, problems


def _true_false(values: dict[str, Any], data: Any, path: Path, line: int) -> tuple[dict[str, Any] | None, list[Problem]]:
    missing = _need(values, "answer", data, path, line, "true-false")
    if missing:
        return None, [Problem(missing.location, "this true-false question has no correct answer",
                              hint="add 'answer: true' or 'answer: false'")]
    if not isinstance(values["answer"], bool):
        return None, [Problem(Location(path, line_of(data, "answer", line)),
                              "'answer' of a true-false question must be true or false")]
    return {"answer": values["answer"]}, []


def _texts(raw: list[Any], what: str, path: Path) -> tuple[list[str], list[Problem]]:
    """The entries of a list of texts, numbers taken as written; others are reported."""
    texts: list[str] = []
    problems: list[Problem] = []
    for index, item in enumerate(raw):
        text = scalar_text(item)
        if text is None:
            problems.append(Problem(Location(path, line_of(raw, index)),
                                    f"each {what} must be text, found {kind_of(item)}",
                                    hint=quote_hint(item) if isinstance(item, bool) else None))
        else:
            texts.append(text)
    return texts, problems


def _fill_in(values: dict[str, Any], data: Any, path: Path, line: int) -> tuple[dict[str, Any] | None, list[Problem]]:
    texts, problems = _texts(values.get("answers", []), "answer", path)
    answers = [a.strip() for a in texts if a.strip()]
    if problems:
        return None, problems
    if not answers:
        return None, [Problem(Location(path, line_of(data, "answers", line)),
                              "this fill-in question has no accepted answer",
                              hint="add 'answers: [word, other spelling]'")]
    return {"answers": tuple(answers), "case_sensitive": values.get("case_sensitive", False)}, []


def _matching(values: dict[str, Any], data: Any, path: Path, line: int) -> tuple[dict[str, Any] | None, list[Problem]]:
    missing = _need(values, "pairs", data, path, line, "matching")
    if missing:
        return None, [missing]
    raw = values["pairs"]
    problems: list[Problem] = []
    pairs: list[Pair] = []
    matches: dict[str, str] = {}
    rejected = False
    for index, item in enumerate(raw):
        pv, found = check_mapping(item, PAIR_FIELDS, path, f"pair {index + 1}", line_of(raw, index))
        problems += found
        rejected = rejected or bool(found)
        for key in ("prompt", "match"):
            if key in pv and not pv[key].strip():
                problems.append(Problem(Location(path, line_of(item, key, line_of(raw, index))),
                                        f"'{key}' of pair {index + 1} has no text"))
                rejected = True
                del pv[key]
        if "prompt" in pv and "match" in pv:
            # Several prompts may share one answer on purpose: equal match texts are one answer.
            match_id = matches.setdefault(pv["match"], f"m{len(matches) + 1}")
            pairs.append(Pair(id=f"p{index + 1}", prompt=pv["prompt"], match_id=match_id, match=pv["match"]))
    if len(pairs) < 2 and not rejected:
        problems.append(Problem(Location(path, line_of(data, "pairs", line)),
                                "a matching question needs at least two pairs"))
    items = tuple(Item(id=mid, text=text) for text, mid in matches.items())
    return {"pairs": tuple(pairs), "matches": items}, problems


def _ordering(values: dict[str, Any], data: Any, path: Path, line: int) -> tuple[dict[str, Any] | None, list[Problem]]:
    missing = _need(values, "items", data, path, line, "ordering")
    if missing:
        return None, [missing]
    texts, problems = _texts(values["items"], "item", path)
    problems += [Problem(Location(path, line_of(values["items"], n)), f"item {n + 1} has no text")
                 for n, text in enumerate(texts) if not text.strip()]
    if problems:
        return None, problems
    if len(texts) < 2:
        problems.append(Problem(Location(path, line_of(data, "items", line)),
                                "an ordering question needs at least two items"))
    if len(set(texts)) != len(texts):
        problems.append(Problem(Location(path, line_of(data, "items", line)), "ordering items must all differ"))
    return {"items": tuple(Item(id=f"i{n + 1}", text=t) for n, t in enumerate(texts))}, problems


def _numeric(values: dict[str, Any], data: Any, path: Path, line: int) -> tuple[dict[str, Any] | None, list[Problem]]:
    answer = values.get("answer")
    if isinstance(answer, str):  # 3,5 or ٣٫٥: read as a learner's answer is (builder/answers.py)
        written, answer = answer, parse_number(answer, None)
        if answer is None:
            return None, [Problem(Location(path, line_of(data, "answer", line)),
                                  f"'answer' of a numeric question must be a number, not '{written}'",
                                  hint="write digits with at most one decimal mark: 1500, 1.5 or 1,5")]
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return None, [Problem(Location(path, line_of(data, "answer", line)),
                              "this numeric question has no correct answer" if answer is None
                              else "'answer' of a numeric question must be a number",
                              hint="add 'answer: 42' and optionally 'tolerance: 0.5'")]
    tolerance = float(values.get("tolerance", 0))
    if tolerance < 0:
        return None, [Problem(Location(path, line_of(data, "tolerance", line)), "tolerance cannot be negative")]
    return {"value": float(answer), "tolerance": tolerance}, []


_PARSERS = {"single": _choices, "multiple": _choices, "true-false": _true_false, "fill-in": _fill_in,
            "matching": _matching, "ordering": _ordering, "numeric": _numeric}
