"""Every kind of author mistake is reported with its file and line, all at once."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.check import check_and_prepare
from builder.cli import cli
from builder.errors import Problem


def problems_of(course: Path) -> list[Problem]:
    return check_and_prepare(course)[2]


def find(problems: list[Problem], file: Path, line: int | None, text: str) -> Problem:
    """The problem at file:line whose message contains *text* (fails with the full list)."""
    for p in problems:
        if p.location.path.resolve() == file.resolve() and p.location.line == line and text in p.message:
            return p
    listing = "\n".join(p.format() for p in problems)
    raise AssertionError(f"no problem '{text}' at {file.name}:{line}; found:\n{listing}")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_no(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_starter_course_is_clean(starter: Path) -> None:
    assert problems_of(starter) == []


def test_yaml_syntax_error_in_course_yml(starter: Path) -> None:
    edit(starter / "course.yml", "minutes: 20", "minutes: [20")
    problems = problems_of(starter)
    assert len(problems) == 1
    assert problems[0].location.path == starter / "course.yml"
    assert problems[0].message.startswith("YAML syntax error")
    assert problems[0].location.line is not None and problems[0].location.line >= line_no(starter / "course.yml", "minutes")


def test_yaml_syntax_error_in_front_matter(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "minutes: 5", "minutes: 5\nobjectives: [unclosed")
    problems = problems_of(starter)
    # reported where the '[' was opened (the parser only notices on the next line)
    p = find(problems, lesson, line_no(lesson, "[unclosed"), "YAML syntax error")
    assert p.is_error


def test_unknown_key_with_suggestion(starter: Path) -> None:
    edit(starter / "course.yml", "licence:", "lisence:")
    p = find(problems_of(starter), starter / "course.yml", line_no(starter / "course.yml", "lisence"),
             "unknown key 'lisence'")
    assert p.hint == "did you mean 'licence'?"


def test_unknown_front_matter_key(starter: Path) -> None:
    lesson = starter / "lessons/02-next-steps.md"
    edit(lesson, "minutes: 10", "minuts: 10")
    p = find(problems_of(starter), lesson, 3, "unknown key 'minuts'")
    assert "minutes" in (p.hint or "")


def test_wrong_type(starter: Path) -> None:
    edit(starter / "course.yml", "minutes: 20", "minutes: twenty")
    find(problems_of(starter), starter / "course.yml", line_no(starter / "course.yml", "twenty"),
         "'minutes' must be a whole number")


def test_missing_lesson_file(starter: Path) -> None:
    edit(starter / "course.yml", "lessons/02-next-steps.md", "lessons/02-next-step.md")
    p = find(problems_of(starter), starter / "course.yml", line_no(starter / "course.yml", "02-next-step.md"),
             "lesson 'lessons/02-next-step.md' not found")
    assert p.hint == "did you mean '02-next-steps.md'?"


def test_missing_image_and_image_without_alt(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    (starter / "media/map.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    edit(lesson, "## A section", "## A section\n\n![](../media/map.svg)\n\n![A map](../media/mpa.svg)")
    problems = problems_of(starter)
    find(problems, lesson, line_no(lesson, "![](../media/map.svg)"), "has no alt text")
    find(problems, lesson, line_no(lesson, "mpa.svg"), "image '../media/mpa.svg' not found")


def test_missing_attachment_and_media(starter: Path) -> None:
    lesson = starter / "lessons/02-next-steps.md"
    edit(lesson, "## Try it", "## Try it\n\n[Handout](../files/handout.pdf)\n\n"
                 "::: video ../media/clip.mp4\ntitle: A clip\n:::\n\n::: audio ../media/spot.mp3\n:::")
    problems = problems_of(starter)
    find(problems, lesson, line_no(lesson, "handout.pdf"), "linked file '../files/handout.pdf' not found")
    find(problems, lesson, line_no(lesson, "clip.mp4"), "video '../media/clip.mp4' not found")
    find(problems, lesson, line_no(lesson, "clip.mp4"), "a video needs a captions file")
    find(problems, lesson, line_no(lesson, "spot.mp3"), "needs 'title:'")


def test_duplicate_ids(starter: Path) -> None:
    course_yml = starter / "course.yml"
    edit(course_yml, "      - lessons/02-next-steps.md", "      - lessons/02-next-steps.md\n"
                     "  - id: module-1\n    title: Again\n    lessons:\n      - lessons/01-welcome.md")
    final = starter / "quizzes/final.yml"
    final.write_text(final.read_text(encoding="utf-8").replace("  - type: fill-in", "  - id: q1\n    type: fill-in"),
                     encoding="utf-8")
    problems = problems_of(starter)
    find(problems, course_yml, line_no(course_yml, "title: Again") - 1, "duplicate module id 'module-1'")
    # reported at the second entry in course.yml, where the mistake is
    second = course_yml.read_text(encoding="utf-8").splitlines().index("      - lessons/01-welcome.md", 20) + 1
    find(problems, course_yml, second, "lesson 'lessons/01-welcome.md' is listed twice (first on line "
         f"{line_no(course_yml, 'lessons/01-welcome.md')})")
    find(problems, final, line_no(final, "id: q1"), "duplicate question id 'q1'")


def test_duplicate_yaml_key(starter: Path) -> None:
    edit(starter / "course.yml", "minutes: 20", "minutes: 20\nminutes: 30")
    find(problems_of(starter), starter / "course.yml", line_no(starter / "course.yml", "minutes: 30"),
         "duplicate key 'minutes'")


def test_broken_link_between_lessons(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "[next steps](02-next-steps.md)", "[next steps](02-next-stesp.md)")
    find(problems_of(starter), lesson, line_no(lesson, "02-next-stesp.md"), "broken link to lesson")


def test_link_to_markdown_file_that_is_not_a_lesson(starter: Path) -> None:
    (starter / "lessons/draft.md").write_text("---\ntitle: Draft\n---\nText\n", encoding="utf-8")
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "[next steps](02-next-steps.md)", "[draft](draft.md)")
    find(problems_of(starter), lesson, line_no(lesson, "draft.md"), "is not a lesson of this course")


@pytest.mark.parametrize("question, message", [
    ("  - type: single\n    prompt: Pick\n    choices: [A, B]\n", "has no correct answer"),
    ("  - type: true-false\n    prompt: True?\n", "has no correct answer"),
    ("  - type: fill-in\n    prompt: Word?\n    answers: []\n", "has no accepted answer"),
    ("  - type: numeric\n    prompt: How many?\n", "has no correct answer"),
    ("  - type: single\n    prompt: Pick\n    choices:\n      - {text: A, correct: true}\n"
     "      - {text: B, correct: true}\n", "has 2 correct choices"),
])
def test_question_without_correct_answer(starter: Path, question: str, message: str) -> None:
    final = starter / "quizzes/final.yml"
    final.write_text(final.read_text(encoding="utf-8") + question, encoding="utf-8")
    problems = problems_of(starter)
    hits = [p for p in problems if p.location.path == final and message in p.message]
    assert hits, "\n".join(p.format() for p in problems)
    assert hits[0].location.line is not None and hits[0].location.line > line_no(final, "fill-in")


def test_unknown_question_type(starter: Path) -> None:
    final = starter / "quizzes/final.yml"
    edit(final, "type: fill-in", "type: fill-inn")
    p = find(problems_of(starter), final, line_no(final, "fill-inn"), "unknown question type 'fill-inn'")
    assert p.hint == "did you mean 'fill-in'?"


def test_passing_score_out_of_range(starter: Path) -> None:
    edit(starter / "course.yml", "passing_score: 80", "passing_score: 180")
    final = starter / "quizzes/final.yml"
    edit(final, "attempts: 0", "attempts: 0\npassing_score: -5")
    problems = problems_of(starter)
    find(problems, starter / "course.yml", line_no(starter / "course.yml", "passing_score"), "passing_score 180 is out of range")
    find(problems, final, line_no(final, "passing_score"), "passing_score -5 is out of range")


def test_paths_that_leave_the_course(starter: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    os.symlink(outside, starter / "media/link.txt")
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n[a](../../../secret.txt)\n\n[b](/etc/hostname)\n\n"
                 "[c](../media/link.txt)")
    problems = problems_of(starter)
    find(problems, lesson, line_no(lesson, "[a]"), "leaves the course folder")
    find(problems, lesson, line_no(lesson, "[b]"), "is absolute")
    find(problems, lesson, line_no(lesson, "[c]"), "leaves the course folder")


def test_lesson_path_leaving_course_in_course_yml(starter: Path) -> None:
    edit(starter / "course.yml", "lessons/02-next-steps.md", "../../elsewhere.md")
    find(problems_of(starter), starter / "course.yml", line_no(starter / "course.yml", "elsewhere"),
         "leaves the course folder")


def test_directive_mistakes(starter: Path) -> None:
    lesson = starter / "lessons/02-next-steps.md"
    edit(lesson, "## Try it", "## Try it\n\n::: case-studdy \"X\"\nText\n:::\n\n::: note\nnever closed")
    problems = problems_of(starter)
    p = find(problems, lesson, line_no(lesson, "case-studdy"), "unknown block '::: case-studdy'")
    assert p.hint == "did you mean 'case-study'?"
    find(problems, lesson, line_no(lesson, "::: note"), "is not closed")


def test_all_problems_reported_together(starter: Path) -> None:
    edit(starter / "course.yml", "licence:", "lisence:")
    edit(starter / "lessons/01-welcome.md", "[next steps](02-next-steps.md)", "[x](nope.md)")
    edit(starter / "quizzes/final.yml", "correct: true", "correct: false")
    files = {p.location.path.name for p in problems_of(starter)}
    assert files == {"course.yml", "01-welcome.md", "final.yml"}


def test_heading_warnings_and_strict(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "# Big title\n\n## A section\n\n#### Too deep")
    problems = problems_of(starter)
    assert all(not p.is_error for p in problems)
    find(problems, lesson, line_no(lesson, "# Big title"), "is a level-1 heading")
    find(problems, lesson, line_no(lesson, "#### Too deep"), "skips a level")
    runner = CliRunner()
    assert runner.invoke(cli, ["check", str(starter)]).exit_code == 0
    assert runner.invoke(cli, ["check", "--strict", str(starter)]).exit_code == 1


def test_cli_check_output_and_exit_status(starter: Path) -> None:
    edit(starter / "course.yml", "licence:", "lisence:")
    result = CliRunner().invoke(cli, ["check", str(starter)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    expected = f"{starter / 'course.yml'}:{line_no(starter / 'course.yml', 'lisence')}: error: unknown key 'lisence'"
    assert expected in result.output
    assert "did you mean 'licence'?" in result.output


def test_cli_check_missing_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such course folder" in result.output


def test_example_course_passes_strict_check(repo_root: Path) -> None:
    course = repo_root / "courses/migration-local-development"
    problems = problems_of(course)
    assert problems == [], "\n".join(p.format() for p in problems)


def test_build_prints_warnings_like_check(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "#### Too deep")
    out = starter.parent / "out"
    result = CliRunner().invoke(cli, ["build", str(starter), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{lesson}:{line_no(lesson, 'Too deep')}: warning: heading 'Too deep' skips a level" in result.output
    assert "package(s)" in result.output
    quiet = CliRunner().invoke(cli, ["-q", "build", str(starter), "--out", str(out)])
    assert quiet.exit_code == 0 and "package(s)" not in quiet.output and "built" not in quiet.output
    assert ": warning: heading" in quiet.output


def test_check_prints_the_rule_id_of_cross_file_rules(starter: Path) -> None:
    write_lesson = starter / "lessons" / "99-draft.md"
    write_lesson.write_text("---\ntitle: Draft\n---\nNot listed yet.\n", encoding="utf-8")
    lesson = starter / "lessons" / "01-welcome.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n[see](#no-such-section)\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(starter)])
    assert result.exit_code == 1
    assert f"{write_lesson}: warning[unlisted-lesson]: 'lessons/99-draft.md' is not listed" in result.output
    line = line_no(lesson, "[see](#no-such-section)")
    assert f"{lesson}:{line}: error[section-link]: section '#no-such-section' not found" in result.output


def test_every_rule_has_an_id_a_severity_and_a_summary() -> None:
    from builder.rules import RULES

    assert RULES and all(r.id == key and r.severity in ("error", "warning") and r.summary for key, r in RULES.items())


def test_the_readme_lists_every_rule_with_its_severity() -> None:
    from builder.rules import RULES

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", readme, re.M))
    assert listed == {key: rule.severity for key, rule in RULES.items()}
