"""Benchmark: how long ``builder serve`` takes to rebuild after one saved file.

Generates a course of 200 lessons (with quizzes and a final assessment) in a temporary
folder, builds it with the preview machinery in this process (both SCORM formats active,
as when two LMS pages are open), then edits one lesson several times and prints the
median rebuild time; then the same for a ``course.yml`` change (a full rebuild).

Run: ``python benchmarks/serve_rebuild.py [--lessons 200] [--runs 9]``
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from builder.serve_site import PreviewSite

LESSON = """---
title: Lesson {n}
objectives:
  - Say why point {n} matters
minutes: 5
{quiz}---
# Lesson {n}

Local authorities meet migration first. This lesson, number {n}, explains one more point
with a short example and a list.

## What to do

- Map who arrives and who leaves.
- Talk to the associations of migrants.
- Plan services with the data you have.

::: key-point "Remember"
Point {n} is about **local** action.
:::

| Year | Arrivals | Departures |
|------|----------|------------|
| 2024 | {n}      | {m}        |

See also [the first lesson](lesson-001.md).
"""

QUIZ = """title: Check {n}
graded: false
questions:
  - type: single
    prompt: Which level meets migration first?
    choices:
      - {{text: The local level, correct: true}}
      - {{text: Only the national level}}
  - type: true-false
    prompt: Data helps planning.
    answer: true
"""


def make_course(root: Path, lessons: int) -> Path:
    """Write a course of *lessons* lessons, a quiz every tenth lesson, and an assessment."""
    course = root / "bench-course"
    (course / "lessons").mkdir(parents=True)
    (course / "quizzes").mkdir()
    names = []
    for n in range(1, lessons + 1):
        quiz = ""
        if n % 10 == 0:
            (course / "quizzes" / f"check-{n}.yml").write_text(QUIZ.format(n=n), encoding="utf-8")
            quiz = f"quiz: ../quizzes/check-{n}.yml\n"
        name = f"lesson-{n:03d}.md"
        (course / "lessons" / name).write_text(LESSON.format(n=n, m=n * 2, quiz=quiz), encoding="utf-8")
        names.append(f"lessons/{name}")
    final = QUIZ.format(n="final").replace("graded: false", "graded: true")
    (course / "quizzes" / "final.yml").write_text(final, encoding="utf-8")
    modules = []
    for start in range(0, lessons, 20):
        chunk = "\n".join(f"      - {n}" for n in names[start:start + 20])
        modules.append(f"  - id: m{start // 20 + 1}\n    title: Module {start // 20 + 1}\n    lessons:\n{chunk}")
    (course / "course.yml").write_text(
        "id: bench-course\ntitle: Benchmark course\ndescription: Many lessons.\nlanguage: en\n"
        "version: 1.0.0\nmodules:\n" + "\n".join(modules) + "\nassessment: quizzes/final.yml\n"
        "packaging:\n  passing_score: 70\n  completion: both\n", encoding="utf-8")
    return course


CPU_TIMES: list[float] = []
"""CPU milliseconds of each rebuild of the current series (less sensitive to a busy machine)."""


def timed(site: PreviewSite, changed: set[Path] | None) -> tuple[float, str]:
    """Rebuild and return (milliseconds, kind of rebuild); the CPU time goes to CPU_TIMES."""
    start, cpu = time.perf_counter(), time.process_time()
    report = site.build(changed)
    elapsed = (time.perf_counter() - start) * 1000
    CPU_TIMES.append((time.process_time() - cpu) * 1000)
    if not report.ok:
        raise SystemExit("build failed:\n" + "\n".join(report.problems))
    return elapsed, report.kind


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=200)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        course = make_course(root, args.lessons)
        site = PreviewSite(course, root / "work")
        site.active.update({"scorm12", "scorm2004"})
        first, _ = timed(site, None)
        print(f"load average {os.getloadavg()[0]:.1f}")
        print(f"course: {args.lessons} lessons; first full build (2 formats): {first:.0f} ms")

        lesson = course / "lessons" / f"lesson-{args.lessons // 2:03d}.md"
        text = lesson.read_text(encoding="utf-8")
        times, kinds = [], set()
        CPU_TIMES.clear()
        for run in range(args.runs):
            lesson.write_text(text + f"\nEdit number {run}.\n", encoding="utf-8")
            ms, kind = timed(site, {lesson})
            times.append(ms)
            kinds.add(kind)
        page = site.pkg_root / "scorm2004" / f"{lesson.stem}.html"
        assert f"Edit number {args.runs - 1}." in page.read_text(encoding="utf-8"), "the edit is not in the page"
        print(f"one lesson edited: median {statistics.median(times):.0f} ms, "
              f"max {max(times):.0f} ms over {args.runs} runs (rebuild kind: {', '.join(sorted(kinds))}); "
              f"median CPU {statistics.median(CPU_TIMES):.0f} ms")

        config = course / "course.yml"
        original = config.read_text(encoding="utf-8")
        times, kinds = [], set()
        for run in range(max(3, args.runs // 3)):
            config.write_text(original.replace("Benchmark course", f"Benchmark course {run}"), encoding="utf-8")
            ms, kind = timed(site, {config})
            times.append(ms)
            kinds.add(kind)
        print(f"course.yml edited: median {statistics.median(times):.0f} ms over {len(times)} runs "
              f"(rebuild kind: {', '.join(sorted(kinds))})")


if __name__ == "__main__":
    main()
