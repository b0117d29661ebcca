"""The quiz option ``display`` and the quiz markup the learner runtime builds on.

``display: one-at-a-time`` only tells the runtime to step through the questions: the page
keeps the whole form (every question, the matching and ordering drop-downs), which is what
a learner without scripts uses. The browser side is tested in tests/browser/test_quiz_ux.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html as lxml_html

from builder.course import load_course
from tests.render_helpers import render_files
from tests.test_check import edit, find, line_no, problems_of


def payload(files: dict[str, bytes], page: str = "assessment.html") -> dict[str, object]:
    doc = lxml_html.fromstring(files[page])
    return dict(json.loads(doc.xpath("string(//script[contains(@class,'quiz-data')])")))


def test_display_defaults_to_all(starter: Path) -> None:
    assert payload(render_files(load_course(starter), "1.2"))["display"] == "all"


def test_one_at_a_time_keeps_the_whole_form_for_the_page(starter: Path) -> None:
    quiz = starter / "quizzes" / "final.yml"
    edit(quiz, "questions:", "display: one-at-a-time\nquestions:")
    files = render_files(load_course(starter), "2004")
    assert payload(files)["display"] == "one-at-a-time"
    doc = lxml_html.fromstring(files["assessment.html"])
    questions = doc.xpath("//form[contains(@class,'quiz')]//fieldset[contains(@class,'question')]")
    assert len(questions) == len(payload(files)["questions"])  # type: ignore[arg-type]
    assert not doc.xpath("//fieldset[@hidden]")  # nothing hidden without scripts
    # the one results panel comes before the questions; the runtime's labels travel with the quiz
    block = doc.xpath("//section[contains(@class,'quiz-block')]")[0]
    classes = [el.get("class") for el in block if el.get("class")]
    assert classes.index("quiz-results") < classes.index("quiz")
    labels = json.loads(block.xpath("string(script[contains(@class,'quiz-ui')])"))
    assert labels["review_title"] == "Review your answers"
    assert labels["correct_count"] == {"one": "{n} of {total} correct", "other": "{n} of {total} correct"}  # forms


@pytest.mark.parametrize("value", ["one", "paged"])
def test_unknown_display_is_located(starter: Path, value: str) -> None:
    quiz = starter / "quizzes" / "final.yml"
    edit(quiz, "questions:", f"display: {value}\nquestions:")
    problem = find(problems_of(starter), quiz, line_no(quiz, "display:"), f"display '{value}' is not known")
    assert problem.is_error and "one-at-a-time" in (problem.hint or "")


def test_the_labels_exist_in_every_built_in_language(starter: Path) -> None:
    edit(starter / "course.yml", "language: en", "language: fr")
    files = render_files(load_course(starter), "1.2")
    doc = lxml_html.fromstring(files["assessment.html"])
    labels = json.loads(doc.xpath("string(//script[contains(@class,'quiz-ui')])"))
    assert labels["review_title"] == "Relisez vos réponses" and labels["move_up"] == "Monter : {item}"
