#!/usr/bin/env python3
"""How long a cold ``builder build`` of both SCORM zips takes as a course grows.

For each size N (default 50, 200 and 1000 lessons; add 2000 with ``--big``, which takes a
few minutes) and each shape the script writes a synthetic but realistic course: lessons
of about 350 words with a table and a PNG figure, a knowledge check every 10 lessons and
a graded final assessment. Shapes: ``many`` puts the lessons into modules of 25, ``one``
puts them all into one module (every page's menu then lists every lesson). It then runs
``builder build COURSE`` (the course's formats: scorm12 and scorm2004) in a new process
(cold: imports, template compilation and all) several times and prints the median wall
time, the time per lesson and the zip sizes. Last, it times the stages of one build of the
200-lesson courses in this process, on one core, to show where the time goes.

Columns: median and fastest wall time, median CPU time of the build process (its
forked Markdown worker included), wall and CPU time per lesson (flat when growth is
linear), and the sizes of the two zips.

Usage::

    python benchmarks/build_scale.py                   # N = 50, 200, 1000, both shapes
    python benchmarks/build_scale.py --big             # also N = 2000
    python benchmarks/build_scale.py -n 200 --runs 5 --shape one

Target: 200 lessons, both zips, in at most 0.6 s on a 2-core machine, in either shape,
growing linearly up to 2,000 lessons.
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


def write_course(folder: Path, lessons: int, per_module: int = 25) -> Path:
    """Write a course of *lessons* lessons in *folder*, *per_module* lessons a module."""
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
    for start in range(0, lessons, per_module):
        items = "\n".join(f"      - {ref}" for ref in refs[start:start + per_module])
        modules.append(f"  - id: m{start // per_module + 1}\n    title: Module {start // per_module + 1}\n"
                       f"    lessons:\n{items}")
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
        done = subprocess.run([*builder_command(), "-q", "build", str(course), "--out", str(out)],
                              capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - started)
        cpus.append(children_cpu() - cpu)
        if done.returncode != 0:
            sys.exit(f"build failed:\n{done.stdout}{done.stderr}")
    sizes = {p.name.rsplit("-", 1)[-1].removesuffix(".zip"): p.stat().st_size for p in out.glob("*.zip")}
    return walls, cpus, sizes


def import_seconds(runs: int = 5) -> tuple[float, float]:
    """Median time of a bare Python start and of one that imports the build command."""
    def run(code: str) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    return run("pass"), run("import builder.cli, builder.build")


def stage_times(course: Path, out: Path) -> dict[str, float]:
    """Seconds spent in each stage of one build, in this process and on one core."""
    from builder import package
    from builder.check import validate
    from builder.convert import convert_course
    from builder.course import read_course
    from builder.manifest import build_manifest
    from builder.labels import read_strings
    from builder.render import Renderer
    from builder.theme import theme_dirs
    from builder.targets import TARGETS

    times: dict[str, float] = {}

    def timed(name: str, started: float) -> None:
        times[name] = times.get(name, 0.0) + time.perf_counter() - started

    started = time.perf_counter()
    loaded, _problems = read_course(course)
    assert loaded is not None
    labels, _found, covered = read_strings(theme_dirs(loaded), loaded.language)
    timed("YAML (load)", started)
    started = time.perf_counter()
    content = convert_course(loaded, labels, parallel=False)
    timed("Markdown (convert)", started)
    started = time.perf_counter()
    validate(content, theme_dirs(loaded), covered)
    timed("checks (validate)", started)
    started = time.perf_counter()
    renderer = Renderer(content.course, content)
    timed("templates", started)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("scorm12", "scorm2004"):
        target = TARGETS[name]
        started = time.perf_counter()
        files = package.without_junk(renderer.render_all(target.scorm, target.adapter))
        timed("templates", started)
        started = time.perf_counter()
        files["imsmanifest.xml"] = build_manifest(renderer.course, files, name)
        timed("manifest", started)
        started = time.perf_counter()
        package.write_zip(files, out / f"{name}.zip")
        timed("zip", started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--lessons", type=int, action="append",
                        help="course size in lessons (repeatable; default 50, 200, 1000)")
    parser.add_argument("--big", action="store_true", help="also build 2000 lessons (takes minutes)")
    parser.add_argument("--shape", choices=("many", "one", "both"), default="both",
                        help="modules of 25 lessons, one module, or both (default)")
    parser.add_argument("--runs", type=int, default=5, help="builds per size (median reported; default 5)")
    args = parser.parse_args()
    sizes = (args.lessons or [50, 200, 1000]) + ([2000] if args.big else [])
    shapes = {"many": 25, "one": 0}
    if args.shape != "both":
        shapes = {args.shape: shapes[args.shape]}
    print(f"builder build (scorm12 + scorm2004 zips), cold process, median of {args.runs} runs; "
          f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'shape':>5} {'lessons':>8} {'median s':>9} {'min s':>7} {'cpu s':>7} {'ms/lesson':>10} {'cpu ms/l':>9} "
          f"{'scorm12 KB':>11} {'scorm2004 KB':>13}")
    with tempfile.TemporaryDirectory(prefix="builder-bench-") as tmp:
        for shape, per_module in shapes.items():
            for lessons in sizes:
                course = write_course(Path(tmp) / f"{shape}-{lessons}", lessons, per_module or lessons)
                walls, cpus, zips = measure(course, Path(tmp) / f"out-{shape}-{lessons}", args.runs)
                median = statistics.median(walls)
                print(f"{shape:>5} {lessons:>8} {median:>9.3f} {min(walls):>7.3f} {statistics.median(cpus):>7.3f} "
                      f"{median / lessons * 1000:>10.2f} {statistics.median(cpus) / lessons * 1000:>9.2f} "
                      f"{zips.get('scorm12', 0) / 1024:>11.0f} {zips.get('scorm2004', 0) / 1024:>13.0f}", flush=True)
        bare, imported = import_seconds()
        print(f"\nstart-up: bare Python {bare:.3f} s; with the build command's imports {imported:.3f} s")
        for shape, per_module in shapes.items():
            course = Path(tmp) / f"{shape}-200"
            if not course.is_dir():
                course = write_course(course, 200, per_module or 200)
            times = stage_times(course, Path(tmp) / f"stages-{shape}")
            times = {"start-up and imports": imported, **times}
            parts = ", ".join(f"{name} {seconds:.3f}" for name, seconds in times.items())
            print(f"where the time goes, 200 lessons, {shape} module(s), one core (s): {parts}")


if __name__ == "__main__":
    main()
