#!/usr/bin/env python3
"""How long ``builder build --format handbook`` takes for a big course.

Writes the synthetic course of ``build_scale.py`` (default 200 lessons of about 350
words, each with a table, a PNG figure and a callout; a knowledge check every 10
lessons; a final assessment), then runs ``builder build COURSE --format handbook`` in a
new process (cold: imports, templates, layout and all) and prints the wall time, the CPU
time of the build process, the page count and the size of the PDF.

Usage::

    python benchmarks/print_scale.py                 # 200 lessons, 1 run
    python benchmarks/print_scale.py -n 50 --runs 3 --edition workbook

Target: the 200-lesson handbook in at most 20 s on a 2-core machine.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_scale import builder_command, children_cpu, write_course  # noqa: E402


def page_count(pdf: Path) -> int:
    """Pages of a PDF, read back with pypdf (installed with the test extra)."""
    import pypdf

    return len(pypdf.PdfReader(pdf).pages)


def main() -> None:
    """Parse options, build the course and print one line per run and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--lessons", type=int, default=200, help="lessons in the course (default 200)")
    parser.add_argument("--runs", type=int, default=1, help="builds to time (default 1)")
    parser.add_argument("--edition", choices=("handbook", "workbook"), default="handbook")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="builder-print-bench-") as tmp:
        course = write_course(Path(tmp) / f"bench-{args.lessons}", args.lessons)
        out = Path(tmp) / "dist"
        walls: list[float] = []
        cpus: list[float] = []
        for run in range(args.runs):
            cpu_before = children_cpu()
            started = time.perf_counter()
            subprocess.run([*builder_command(), "-q", "build", str(course), "--format", args.edition,
                            "-o", str(out)], check=True)
            walls.append(time.perf_counter() - started)
            cpus.append(children_cpu() - cpu_before)
            print(f"run {run + 1}: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU", flush=True)
        pdf = next(out.glob(f"*-{args.edition}.pdf"))
        print(f"{args.lessons} lessons, {args.edition}: {page_count(pdf)} pages, {pdf.stat().st_size:,} bytes, "
              f"median {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
              f"(target: 200 lessons in at most 20 s)")


if __name__ == "__main__":
    main()
