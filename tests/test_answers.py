"""Typed answers: the number and text rules, in Python and in the runtime, on the same cases."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from builder.answers import decimal_mark, normalise_text, number_matches, parse_number, text_matches
from builder.quiz import parse_quiz
from builder.yamlsrc import parse_yaml
from tests.serve_helpers import need

REPO = Path(__file__).resolve().parent.parent
CASES: dict[str, Any] = json.loads((Path(__file__).parent / "answer_cases.json").read_text(encoding="utf-8"))
RUNTIME_RULES = REPO / "templates" / "src" / "answers.js"
QUIZ = "title: Numbers\nquestions:\n  - type: numeric\n    prompt: How much?\n    answer: {answer}\n"


@pytest.mark.parametrize(("typed", "decimal", "value"), CASES["numbers"])
def test_parse_number(typed: str, decimal: str | None, value: float | None) -> None:
    assert parse_number(typed, decimal) == value


@pytest.mark.parametrize(("typed", "accepted", "case_sensitive", "match"), CASES["texts"])
def test_text_matches(typed: str, accepted: list[str], case_sensitive: bool, match: bool) -> None:
    assert text_matches(typed, accepted, case_sensitive) is match


@pytest.mark.parametrize(("language", "mark"), [
    ("en", "."), ("en-GB", "."), ("fr", ","), ("fr-CA", ","), ("es-419", ","), ("ar", ","), ("ar-EG", ","),
    ("de", ","), ("he", "."), ("ja", "."), ("fa", ","), ("pt_BR", ",")])
def test_decimal_mark_of_a_language(language: str, mark: str) -> None:
    assert decimal_mark(language) == mark


def test_numbers_within_tolerance() -> None:
    assert number_matches("٣٫٥", 3.5, 0, ",")
    assert number_matches("3,61", 3.5, 0.1, ",") is False
    assert number_matches("3,6", 3.5, 0.1, ",")
    assert number_matches("", 0, 1, ".") is False


def test_normal_form_keeps_case_when_asked() -> None:
    assert normalise_text("  Caf\u0065\u0301  au   lait ", case_sensitive=True) == "Café au lait"
    assert normalise_text("  Caf\u0065\u0301  au   lait ") == "café au lait"
    # diacritics are written or not in Arabic; an answer without them is the same answer
    assert normalise_text("مُهَاجِرٌ") == "مهاجر"


def test_the_runtime_reads_every_case_as_python_does() -> None:
    """The browser's rules (answers.js, run by Node.js) give the same results on every case."""
    node = shutil.which("node")
    need(node is not None, "Node.js is missing (tests/setup.sh installs it with npm)")
    script = """
const fs = require("fs"), vm = require("vm");
const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const box = { C: { decimal: "." } };
vm.createContext(box);
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), box);
const numbers = cases.numbers.map(([t, d]) => { const n = box.parseNumber(t, d); return Number.isNaN(n) ? null : n; });
const texts = cases.texts.map(([t, acc, cs]) => {
  const mine = box.normText(t, cs); return !!mine && acc.some((a) => box.normText(a, cs) === mine); });
box.C.decimal = ",";
process.stdout.write(JSON.stringify({ numbers, texts, comma: box.toNumber("1,500") }));
"""
    assert node is not None
    done = subprocess.run([node, "-e", script, str(RUNTIME_RULES), str(Path(__file__).parent / "answer_cases.json")],
                          capture_output=True, text=True, check=True, timeout=60)
    got = json.loads(done.stdout)
    assert got["numbers"] == [value for _t, _d, value in CASES["numbers"]]
    assert got["texts"] == [match for _t, _a, _c, match in CASES["texts"]]
    assert got["comma"] == 1.5  # toNumber follows the course's decimal mark


@pytest.mark.parametrize(("written", "value"), [("3,5", 3.5), ("٣٫٥", 3.5), ('"1 500"', 1500.0), ("2015", 2015.0)])
def test_numeric_answer_written_as_text_in_a_quiz(written: str, value: float) -> None:
    quiz, problems = parse_quiz(parse_yaml(QUIZ.format(answer=written), Path("q.yml"))[0], Path("q.yml"), "q")
    assert problems == [] and quiz is not None
    assert quiz.questions[0].value == value


def test_ambiguous_numeric_answer_in_a_quiz_is_a_located_error() -> None:
    _quiz, problems = parse_quiz(parse_yaml(QUIZ.format(answer="1,500"), Path("q.yml"))[0], Path("q.yml"), "q")
    assert [(p.location.line, p.message) for p in problems] == [
        (5, "'answer' of a numeric question must be a number, not '1,500'")]
