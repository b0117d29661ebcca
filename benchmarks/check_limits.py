#!/usr/bin/env python3
"""How long ``builder check`` takes on large and hostile lessons (issue 10).

For each case the script writes a starter course (``builder new``), puts the case into
its first lesson or its ``course.yml``, and times ``check_and_prepare`` in this process
(median of a few runs). Valid lessons of growing size show whether check time grows
linearly; the hostile cases show that each is refused quickly with a located error.

Usage::

    python benchmarks/check_limits.py            # every case, 3 runs each
    python benchmarks/check_limits.py --runs 5
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from collections.abc import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from builder.check import check_and_prepare  # noqa: E402
from builder.scaffold import create_course  # noqa: E402

WORDS = ("local authority migration development plan service budget data partner council district "
         "region community return remittance diaspora skills rights gender health school housing").split()


def prose(size: int, seed: int = 1) -> str:
    """Valid Markdown of about *size* bytes: paragraphs, a list, a table, a link, every 2 KB."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        words = " ".join(rng.choice(WORDS) for _ in range(300))
        block = (f"{words}.\n\n- *{rng.choice(WORDS)}* item\n- **{rng.choice(WORDS)}** item\n\n"
                 f"| a | b |\n|---|---|\n| {rng.choice(WORDS)} | 1 |\n\n[next](02-next-steps.md)\n\n")
        parts.append(block)
        total += len(block)
    return "".join(parts)


def lesson_case(body: str) -> Callable[[Path], None]:
    def apply(course: Path) -> None:
        lesson = course / "lessons/01-welcome.md"
        lesson.write_text(lesson.read_text(encoding="utf-8") + "\n" + body, encoding="utf-8")
    return apply


def alias_key_bomb(course: Path) -> None:
    lines = ['x0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"x{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    config = course / "course.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n".join(lines) + "\n? *a9\n: v\n", encoding="utf-8")


CASES: list[tuple[str, Callable[[Path], None]]] = [
    ("valid lesson 32 KB", lesson_case(prose(32 * 1024))),
    ("valid lesson 64 KB", lesson_case(prose(64 * 1024))),
    ("valid lesson 128 KB", lesson_case(prose(128 * 1024))),
    ("valid lesson 250 KB (the limit is 256 KB)", lesson_case(prose(250 * 1024))),
    ("lesson 20 MB (refused: size)", lesson_case(prose(20 * 1024 * 1024))),
    ("one line of 20,000 '[' (refused)", lesson_case("[" * 20_000)),
    ("one 250 KB line of '`a' (refused)", lesson_case("`a" * (125 * 1024))),
    ("one 250 KB line of '<a ' (refused)", lesson_case("<a " * (83 * 1024))),
    ("one 250 KB line of '*a_' (refused)", lesson_case("*a_" * (83 * 1024))),
    ("250 KB of paragraphs with one '<a ' each (refused)", lesson_case(("word " * 160 + "<a \n\n") * 300)),
    ("one 250 KB paragraph at the marker limits", lesson_case(
        ("word " * 250 + "`a` *b* <b>c</b> ") * 160 + ("word " * 1000 + "<x ") * 10)),
    ("2,000 definitions in one block (refused)",
     lesson_case("\n".join(f"Term {i}\n: Definition {i}" for i in range(2000)))),
    ("list nested 300 deep (refused)", lesson_case("\n".join("    " * i + "- item" for i in range(300)))),
    ("alias bomb as a key (refused)", alias_key_bomb),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="checks per case (median reported)")
    args = parser.parse_args()
    print(f"{'case':44} {'median s':>9} {'errors':>6}  first problem")
    for name, apply in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            course = create_course(Path(tmp) / "courses", "bench", "Bench", date="2026-01-01")
            apply(course)
            times = []
            problems = []
            for _ in range(args.runs):
                started = time.perf_counter()
                _course, _content, problems = check_and_prepare(course)
                times.append(time.perf_counter() - started)
            errors = [p for p in problems if p.is_error]
            first = errors[0].format(Path(tmp)).splitlines()[0][:70] if errors else "-"
            print(f"{name:44} {statistics.median(times):9.3f} {len(errors):6}  {first}")


if __name__ == "__main__":
    main()
