#!/usr/bin/env python3
"""How long a cold ``builder build`` of both formats takes as a course grows.

For each size N (default 50, 200 and 1000 lessons) the script writes a synthetic but
realistic course: lessons of about 350 words with a table and a PNG figure, a knowledge
check every 10 lessons and a graded final assessment. It then runs
``builder build COURSE --format all`` in a new process (cold: imports, template
compilation and all) several times and prints the median wall time, the time per lesson
and the zip sizes.

Columns: median and fastest wall time, median CPU time of the build process, wall time
per lesson, and the sizes of the two zips.

Usage::

    python benchmarks/build_scale.py                 # N = 50, 200, 1000
    python benchmarks/build_scale.py -n 200 --runs 5

Target: 200 lessons in at most 1.0 s on a 2-core machine, growing linearly.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

WORDS = ("local authority migration development plan service budget data partner council district "
         "region community return remittance diaspora skills rights gender health school housing "
         "employment language office network survey indicator target monitor review staff training "
         "association volunteer mayor citizen newcomer family youth market investment project "
         "coordination referral meeting agreement policy framework goal action priority").split()


def png(seed: int, width: int = 160, height: int = 90) -> bytes:
    """A small grey-scale PNG with some noise, so it does not compress to nothing."""
    rng = random.Random(seed)
    rows = b"".join(b"\x00" + bytes(rng.randrange(120, 136) for _ in range(width)) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randrange(8, 16))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def lesson_text(number: int, quiz: str | None) -> str:
    """About 350 words: three sections, a table, a figure and a callout."""
    rng = random.Random(number)
    front = [f"title: \"Lesson {number}: {rng.choice(WORDS)} and {rng.choice(WORDS)}\"", "minutes: 8",
             "objectives:", f"  - Explain the role of the {rng.choice(WORDS)} office"]
    if quiz:
        front.append(f"quiz: ../quizzes/{quiz}.yml")
    rows = "\n".join(f"| {rng.choice(WORDS)} | {rng.randrange(10, 900)} | {paragraph(rng, 1)[:60]} |"
                     for _ in range(4))
    body = f"""
## Why it matters

{paragraph(rng, 6)}

{paragraph(rng, 5)}

| Item | Number | Note |
|---|---:|---|
{rows}

## What to do

{paragraph(rng, 5)}

![Figure {number}: {rng.choice(WORDS)} by district](../media/figure-{number:04d}.png)

::: key-point "Remember"
{paragraph(rng, 2)}
:::

## In practice

{paragraph(rng, 4)}
"""
    return "---\n" + "\n".join(front) + "\n---\n" + body


def quiz_text(quiz_id: str, graded: bool) -> str:
    return f"""id: {quiz_id}
title: "Check {quiz_id}"
graded: {str(graded).lower()}
questions:
  - type: single
    prompt: Which office keeps the register?
    choices:
      - {{text: The civil registry, correct: true}}
      - {{text: The harbour master}}
  - type: multiple
    prompt: Which of these are local services?
    choices:
      - {{text: Schools, correct: true}}
      - {{text: Clinics, correct: true}}
      - {{text: Embassies}}
  - type: true-false
    prompt: Data should be reviewed every year.
    answer: true
  - type: fill-in
    prompt: Money sent home by migrants is called ...
    answers: [remittances, remittance]
"""


def write_course(folder: Path, lessons: int) -> Path:
    """Write a course of *lessons* lessons in *folder* and return it."""
    for sub in ("lessons", "quizzes", "media"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    refs = []
    for number in range(1, lessons + 1):
        quiz = f"check-{number // 10}" if number % 10 == 0 else None
        if quiz:
            (folder / "quizzes" / f"{quiz}.yml").write_text(quiz_text(quiz, False), encoding="utf-8")
        name = f"lessons/l{number:04d}.md"
        (folder / name).write_text(lesson_text(number, quiz), encoding="utf-8")
        (folder / "media" / f"figure-{number:04d}.png").write_bytes(png(number))
        refs.append(name)
    (folder / "quizzes" / "final.yml").write_text(quiz_text("final", True), encoding="utf-8")
    modules = []
    for start in range(0, lessons, 25):
        items = "\n".join(f"      - {ref}" for ref in refs[start:start + 25])
        modules.append(f"  - id: m{start // 25 + 1}\n    title: Module {start // 25 + 1}\n    lessons:\n{items}")
    (folder / "course.yml").write_text(f"""id: bench-{lessons}
title: Benchmark course with {lessons} lessons
description: A generated course for measuring build time.
language: en
version: 1.0.0
date: 2026-01-01
modules:
{chr(10).join(modules)}
assessment: quizzes/final.yml
packaging:
  formats: [scorm12, scorm2004]
  passing_score: 70
  completion: both
""", encoding="utf-8")
    return folder


def builder_command() -> list[str]:
    """The installed ``builder`` next to this Python, else ``python -m builder``."""
    script = Path(sys.executable).parent / "builder"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "builder"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(course: Path, out: Path, runs: int) -> tuple[list[float], list[float], dict[str, int]]:
    """Run a cold build *runs* times; return wall times, CPU times and the zip sizes.

    The CPU time (user + system of the build process) is less sensitive than wall time to
    other work on a busy machine.
    """
    walls, cpus = [], []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        cpu = children_cpu()
        started = time.perf_counter()
        done = subprocess.run([*builder_command(), "-q", "build", str(course), "--format", "all", "--out", str(out)],
                              capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - started)
        cpus.append(children_cpu() - cpu)
        if done.returncode != 0:
            sys.exit(f"build failed:\n{done.stdout}{done.stderr}")
    sizes = {p.name.rsplit("-", 1)[-1].removesuffix(".zip"): p.stat().st_size for p in out.glob("*.zip")}
    return walls, cpus, sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--lessons", type=int, action="append",
                        help="course size in lessons (repeatable; default 50, 200, 1000)")
    parser.add_argument("--runs", type=int, default=5, help="builds per size (median reported; default 5)")
    args = parser.parse_args()
    sizes = args.lessons or [50, 200, 1000]
    print(f"builder build --format all, cold process, median of {args.runs} runs; "
          f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'lessons':>8} {'median s':>9} {'min s':>7} {'cpu s':>7} {'ms/lesson':>10} {'scorm12 KB':>11} "
          f"{'scorm2004 KB':>13}")
    with tempfile.TemporaryDirectory(prefix="builder-bench-") as tmp:
        for lessons in sizes:
            course = write_course(Path(tmp) / f"bench-{lessons}", lessons)
            walls, cpus, zips = measure(course, Path(tmp) / f"out-{lessons}", args.runs)
            median = statistics.median(walls)
            print(f"{lessons:>8} {median:>9.3f} {min(walls):>7.3f} {statistics.median(cpus):>7.3f} "
                  f"{median / lessons * 1000:>10.2f} "
                  f"{zips.get('scorm12', 0) / 1024:>11.0f} {zips.get('scorm2004', 0) / 1024:>13.0f}", flush=True)


if __name__ == "__main__":
    main()
