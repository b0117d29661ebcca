"""YAML values reach the package as the author wrote them, and loading mistakes are clear."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from builder import yamlsrc
from builder.build import package_name
from builder.check import check_and_prepare
from builder.cli import cli
from builder.course import load_course, read_course
from builder.errors import ConfigError, Problem
from tests.render_helpers import render_files
from builder.scaffold import create_course
from builder.yamlsrc import parse_yaml

from tests.test_check import edit, find, line_no


def problems_of(course: Path) -> list[Problem]:
    return check_and_prepare(course)[2]


def errors_of(course: Path) -> list[Problem]:
    return [p for p in problems_of(course) if p.is_error]


def course_js(files: dict[str, bytes]) -> dict:
    text = files["assets/course.js"].decode("utf-8")
    prefix = "window.BUILDER_COURSE = "
    assert text.startswith(prefix)
    return json.loads(text[len(prefix):].rstrip().rstrip(";"))


SCALARS = "a: [yes, no, on, off, y, n, true, FALSE, True, 1.10, 007, 2.50, 1_000, 0x1F, 2026-11-01, ~]\n"


@pytest.mark.parametrize("loader", ["_Loader", "_PyLoader"])
def test_yaml_12_booleans_and_numbers_as_written(monkeypatch: pytest.MonkeyPatch, loader: str) -> None:
    monkeypatch.setattr(yamlsrc, "_Loader", getattr(yamlsrc, loader))
    data, problems = parse_yaml(SCALARS + "yes: 1\non: 2\n", Path("x.yml"))
    assert problems == []
    values = data["a"]
    assert values[:6] == ["yes", "no", "on", "off", "y", "n"]
    assert values[6:9] == [True, False, True] and all(type(v) is bool for v in values[6:9])
    assert [v.text for v in values[9:14]] == ["1.10", "007", "2.50", "1_000", "0x1F"]
    assert values[9:14] == [1.1, 7, 2.5, 1000, 31]
    assert values[14:] == ["2026-11-01", None]
    assert list(data) == ["a", "yes", "on"]
    # the subclasses serialise as plain numbers
    assert json.dumps(values[9:14]) == "[1.1, 7, 2.5, 1000, 31]"


def test_both_loaders_agree() -> None:
    text = SCALARS + "b:\n  c: !!str 5\n  d: [{x: 1}, 010, -0.5]\n"
    results = []
    for name in ("_Loader", "_PyLoader"):
        loader = getattr(yamlsrc, name)
        instance = loader(text)
        instance.line_offset, instance.duplicates = 0, []
        try:
            data = instance.get_single_data()
        finally:
            instance.dispose()
        results.append(json.dumps(data) + repr([getattr(v, "text", None) for v in data["b"]["d"]]))
    assert results[0] == results[1]
    assert '"d": [{"x": 1}, 10, -0.5]' in results[0]  # 010 is ten, as written (YAML 1.2)


def test_quiz_answers_keep_the_written_text(starter: Path) -> None:
    final = starter / "quizzes/final.yml"
    edit(final, "answers: [Markdown, md]", "answers: [yes, 1.10, 007]")
    final.write_text(final.read_text(encoding="utf-8") + (
        "  - type: ordering\n    prompt: Put them in order.\n    items: [on, off, 2.50]\n"
        "  - type: matching\n    prompt: Match them.\n    pairs:\n"
        "      - {prompt: yes, match: 1.0}\n      - {prompt: no, match: 2.0}\n"
        "  - type: single\n    prompt: Pick one.\n    choices:\n      - {text: yes, correct: true}\n"
        "      - {text: 0.50}\n      - 1.10\n"
        "  - type: numeric\n    prompt: How many?\n    answer: 2.5\n    tolerance: 0.25\n    weight: 2\n"),
        encoding="utf-8")
    edit(starter / "course.yml", "version: 0.1.0", "version: 1.10")
    assert problems_of(starter) == []
    course = load_course(starter)
    assert course.version == "1.10"
    assert package_name(course, "scorm12") == "starter-1.10-scorm12.zip"
    quiz = course.assessment
    assert quiz is not None
    fill_in, ordering, matching, single, numeric = quiz.questions[1:]
    assert fill_in.answers == ("yes", "1.10", "007")
    assert [i.text for i in ordering.items] == ["on", "off", "2.50"]
    assert [(p.prompt, p.match) for p in matching.pairs] == [("yes", "1.0"), ("no", "2.0")]
    assert [c.text for c in single.choices] == ["yes", "0.50", "1.10"]
    files = render_files(course, "1.2")
    assert course_js(files)["version"] == "1.10"
    page = lxml_html.fromstring(files["assessment.html"])
    payload = json.loads(page.xpath("string(//script[@class='quiz-data'])"))
    questions = {q["type"]: q for q in payload["questions"]}
    assert questions["fill-in"]["answers"] == ["yes", "1.10", "007"]
    assert questions["numeric"]["value"] == 2.5 and questions["numeric"]["tolerance"] == 0.25
    assert questions["numeric"]["weight"] == 2.0
    labels = [" ".join(t.split()) for t in page.xpath("//fieldset[contains(@class,'question-ordering')]//label/text()")]
    assert sorted(labels) == ["2.50", "off", "on"]
    options = page.xpath("//fieldset[contains(@class,'question-matching')]//option/text()")
    assert "1.0" in options and "2.0" in options
    choice_labels = page.xpath("string(//fieldset[contains(@class,'question-single')][last()])")
    assert "0.50" in choice_labels and "1.10" in choice_labels and "yes" in choice_labels


def test_numbers_used_as_numbers_stay_plain(starter: Path) -> None:
    final = starter / "quizzes/final.yml"
    edit(final, "attempts: 0", "attempts: 0\npassing_score: 75")
    final.write_text(final.read_text(encoding="utf-8") +
                     "  - type: numeric\n    prompt: How many?\n    answer: 42\n    tolerance: 0.5\n    weight: 2\n",
                     encoding="utf-8")
    course = load_course(starter)
    assert type(course.minutes) is int and course.minutes == 20
    assert type(course.lessons[0].minutes) is int
    assert type(course.packaging.passing_score) is int
    quiz = course.assessment
    assert quiz is not None and type(quiz.passing_score) is int
    numeric = quiz.questions[-1]
    assert (numeric.value, numeric.tolerance, numeric.weight) == (42.0, 0.5, 2.0)
    assert type(numeric.value) is float and type(numeric.weight) is float
    files = render_files(course, "2004")
    assert course_js(files)["quizzes"]["final"]["passingScore"] == 75
    page = lxml_html.fromstring(files["assessment.html"])
    payload = json.loads(page.xpath("string(//script[@class='quiz-data'])"))
    assert payload["passingScore"] == 75 and payload["questions"][-1]["value"] == 42.0


def test_boolean_where_text_is_expected_gets_one_error_with_a_hint(starter: Path) -> None:
    final = starter / "quizzes/final.yml"
    edit(final, "      - text: index.html", "      - text: true")
    problems = problems_of(starter)
    assert len(problems) == 1, [p.format() for p in problems]
    p = find(problems, final, line_no(final, "text: true"), "'text' must be text, found true")
    assert p.hint is not None and p.hint.startswith("put the text in quotes")


def test_boolean_in_a_list_of_answers(starter: Path) -> None:
    final = starter / "quizzes/final.yml"
    edit(final, "answers: [Markdown, md]", "answers: [Markdown, false]")
    p = find(problems_of(starter), final, line_no(final, "answers:"), "each answer must be text, found true or false")
    assert p.hint == 'put the text in quotes, e.g. "false"'


def test_impossible_date_is_reported_at_its_line(starter: Path) -> None:
    config = starter / "course.yml"
    written = next(line for line in config.read_text(encoding="utf-8").splitlines() if line.startswith("date: "))
    edit(config, written, "date: 2026-13-45")  # 'builder new' writes today's date
    p = find(problems_of(starter), config, line_no(config, "date:"), "date '2026-13-45' is not a valid date (YYYY-MM-DD)")
    assert p.is_error


def test_plain_words_for_types(starter: Path) -> None:
    config = starter / "course.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text("- " + text.replace("\n", "\n  "), encoding="utf-8")
    problems = problems_of(starter)
    assert [p.message for p in problems] == [
        "course.yml must be a mapping of 'key: value' lines, found a list"]


def test_empty_required_key_is_one_error(starter: Path) -> None:
    config = starter / "course.yml"
    edit(config, 'title: "Starter course"', "title:")
    problems = errors_of(starter)
    assert [p.message for p in problems] == ["'title' is empty"]
    assert problems[0].location.line == line_no(config, "title:")


def test_text_list_entry_of_wrong_kind(starter: Path) -> None:
    config = starter / "course.yml"
    edit(config, "  - Your Name", "  - [Your, Name]")
    find(problems_of(starter), config, line_no(config, "[Your, Name]"), "each entry of 'authors' must be text, found a list")


def test_assessment_and_lesson_quiz_must_be_quiz_files(starter: Path) -> None:
    config = starter / "course.yml"
    edit(config, "assessment: quizzes/final.yml", "assessment: lessons/01-welcome.md")
    lesson = starter / "lessons/02-next-steps.md"
    edit(lesson, "quiz: ../quizzes/check.yml", "quiz: 01-welcome.md")
    problems = problems_of(starter)
    find(problems, config, line_no(config, "assessment:"), "assessment must be a quiz file (.yml)")
    find(problems, lesson, line_no(lesson, "quiz:"), "quiz must be a quiz file (.yml)")
    assert not [p for p in problems if "YAML" in p.message]


def test_python_tag_gets_a_fitting_hint(starter: Path) -> None:
    final = starter / "quizzes/final.yml"
    edit(final, "title: Final assessment", "title: !!python/object:os.system x")
    p = find(problems_of(starter), final, 1, "YAML error")
    assert p.hint == "tags such as !!python/... are not allowed; remove the tag"


def test_bad_value_for_an_explicit_tag_is_located(starter: Path) -> None:
    final = starter / "quizzes/final.yml"
    edit(final, "attempts: 0", "attempts: !!int many")
    p = find(problems_of(starter), final, line_no(final, "attempts:"), "'many' is not a whole number")
    assert p.is_error


def test_non_utf8_names_the_line(starter: Path) -> None:
    final = starter / "quizzes/final.yml"
    data = final.read_bytes().replace(b"index.html is made", b"index.html est cr\xe9\xe9")
    final.write_bytes(data)
    find(problems_of(starter), final, line_no_bytes(data, b"\xe9"), "not UTF-8")
    lesson = starter / "lessons/01-welcome.md"
    data = lesson.read_bytes().replace(b"## A section", b"## Une section \xe0 part")
    lesson.write_bytes(data)
    find(problems_of(starter), lesson, line_no_bytes(data, b"\xe0"), "not UTF-8")


def line_no_bytes(data: bytes, needle: bytes) -> int:
    return data[:data.index(needle)].count(b"\n") + 1


def test_new_reports_length_and_os_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="too long .*100 characters.*at most 64"):
        create_course(tmp_path, "a" * 100)
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cannot create the course in .*a-file.*: Not a directory"):
        create_course(blocker, "abc2")
    result = CliRunner().invoke(cli, ["new", "abc2", "--dir", str(blocker / "sub")])
    assert result.exit_code == 1 and "Internal error" not in result.output
    assert "cannot create the course" in result.output


def test_empty_formats_and_negative_minutes(starter: Path) -> None:
    config = starter / "course.yml"
    edit(config, "formats: [scorm12, scorm2004]", "formats: []")
    edit(config, "minutes: 20", "minutes: -5")
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "minutes: 5", "minutes: -5")
    problems = problems_of(starter)
    find(problems, config, line_no(config, "formats:"), "formats is empty; list one or more of scorm12, scorm2004, web")
    find(problems, config, line_no(config, "minutes:"), "minutes cannot be negative")
    find(problems, lesson, line_no(lesson, "minutes:"), "minutes cannot be negative")


def test_duplicate_choice_text_warns_but_shared_matches_are_fine(starter: Path) -> None:
    final = starter / "quizzes/final.yml"
    edit(final, "      - text: index.html", "      - text: course.yml")
    final.write_text(final.read_text(encoding="utf-8") + (
        "  - type: matching\n    prompt: Match them.\n    pairs:\n"
        "      - {prompt: Paris, match: city}\n      - {prompt: Lyon, match: city}\n"
        "      - {prompt: France, match: country}\n"), encoding="utf-8")
    problems = problems_of(starter)
    assert len(problems) == 1
    p = find(problems, final, line_no(final, "text: course.yml") + 3, "choice 'course.yml' appears twice")
    assert p.severity == "warning"


def test_quiz_file_used_twice(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "minutes: 5", "minutes: 5\nquiz: ../quizzes/check.yml")
    config = starter / "course.yml"
    edit(config, "assessment: quizzes/final.yml", "assessment: quizzes/check.yml")
    problems = errors_of(starter)
    second = starter / "lessons/02-next-steps.md"
    find(problems, second, line_no(second, "quiz:"),
         "quiz '../quizzes/check.yml' is already used by lesson lessons/01-welcome.md")
    find(problems, config, line_no(config, "assessment:"), "is already used by lesson lessons/01-welcome.md")


def test_lesson_listed_twice_gives_no_quiz_knock_on(starter: Path) -> None:
    config = starter / "course.yml"
    edit(config, "      - lessons/02-next-steps.md", "      - lessons/02-next-steps.md\n      - lessons/02-next-steps.md")
    first = line_no(config, "lessons/02-next-steps.md")
    found = [(p.location.path, p.location.line, p.message) for p in errors_of(starter)]
    assert found == [(config, first + 1, f"lesson 'lessons/02-next-steps.md' is listed twice (first on line {first})")]


def test_lesson_files_lists_every_existing_listed_lesson(starter: Path) -> None:
    config = starter / "course.yml"
    (starter / "lessons/03-broken.md").write_text("no front matter\n", encoding="utf-8")
    edit(config, "      - lessons/02-next-steps.md",
         "      - lessons/03-broken.md\n      - lessons/02-next-steps.md\n      - lessons/04-missing.md")
    course, problems = read_course(starter)
    assert course is not None and any(p.is_error for p in problems)
    lessons = starter.resolve() / "lessons"
    assert course.lesson_files == (lessons / "01-welcome.md", lessons / "03-broken.md", lessons / "02-next-steps.md")
    assert [les.id for les in course.lessons] == ["01-welcome", "02-next-steps"]
