#!/usr/bin/env python3
"""How much a translation adds to a build: a 200-lesson course in three languages.

The script writes the synthetic course of ``build_scale.py`` (about 350 words a lesson,
a table, a figure and a callout each, a quiz every 10 lessons), adds
``translations: [fr, es]``, runs ``builder translate extract`` and fills every catalog
with a synthetic "translation" (each text with a language marker in front; accepted
answers as they are), so that the catalogs are complete and the build checks every
message. It then runs cold builds (new processes: imports, templates and all) of both
SCORM zips and prints the median wall time of

* the source language alone (``--lang en``),
* one translation alone (``--lang fr``): the time per language, and its ratio to the source,
* all three languages (no ``--lang``), and that time divided by three,

and the time of one ``translate extract`` (all catalogs up to date: nothing written).
Builds use a catalog cache of their own (``BUILDER_CACHE_DIR`` in the temporary folder,
see :mod:`builder.i18n.catalog_cache`): the first French build, which fills it, is
timed on its own ("cold cache"); the medians are of builds that find it filled, as any
build after the first does.
Wall time suffers when the machine is busy; the CPU time (user + system of the build
process and its Markdown worker) much less.

Usage::

    python benchmarks/i18n_scale.py               # 200 lessons, 3 runs each
    python benchmarks/i18n_scale.py -n 50 --runs 5

Goal: a language costs at most about 1.3 times the source-only build.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_scale import builder_command, children_cpu, write_course  # noqa: E402

from babel.messages.pofile import read_po, write_po  # noqa: E402

from builder.i18n.catalogs import extract  # noqa: E402


def fill_catalogs(course: Path, language: str) -> int:
    """Give every message of *language*'s catalogs a synthetic translation; return how many."""
    count = 0
    for path in sorted((course / "locales" / language).glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id:
                answers = (message.context or "").endswith("/answers")
                message.string = message.id if answers else f"{language.upper()} {message.id}"
                count += 1
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0)
    return count


def timed_build(course: Path, out: Path, languages: list[str], runs: int) -> tuple[float, float]:
    """The median wall and CPU times of a cold build of *languages* (all of them when empty)."""
    walls, cpus = [], []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        lang = ["--lang", ",".join(languages)] if languages else []
        cpu = children_cpu()
        started = time.perf_counter()
        done = subprocess.run([*builder_command(), "-q", "build", str(course), "--out", str(out), *lang],
                              capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - started)
        cpus.append(children_cpu() - cpu)
        if done.returncode != 0:
            sys.exit(f"build failed:\n{done.stdout}{done.stderr[-3000:]}")
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    """Write the course, translate it synthetically, time the builds, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--lessons", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="builder-i18n-bench-") as tmp:
        course = write_course(Path(tmp) / f"bench-{args.lessons}", args.lessons)
        config = course / "course.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("language: en\n",
                                                                     "language: en\ntranslations: [fr, es]\n"),
                          encoding="utf-8")
        started = time.perf_counter()
        written = extract(course)
        first = time.perf_counter() - started
        filled = {lang: fill_catalogs(course, lang) for lang in ("fr", "es")}
        extract(course)  # writes the filled catalogs back in the extract's own layout
        started = time.perf_counter()
        again = extract(course)
        second = time.perf_counter() - started
        out = Path(tmp) / "dist"
        os.environ["BUILDER_CACHE_DIR"] = str(Path(tmp) / "cache")
        source = timed_build(course, out, ["en"], args.runs)
        first_fr = timed_build(course, out, ["fr"], 1)
        french = timed_build(course, out, ["fr"], args.runs)
        every = timed_build(course, out, [], args.runs)
        zips = sorted(p.name for p in out.glob("*.zip"))
    print(f"{args.lessons} lessons; {len(written.files)} catalog files; messages per language: {filled['fr']}")
    print(f"translate extract: first {first:.2f} s; with filled catalogs, nothing to change "
          f"({len(again.changed)} written): {second:.2f} s")
    print(f"build, median of {args.runs} cold runs (both SCORM zips per language), wall and CPU seconds:")
    print(f"  source only (en)       wall {source[0]:6.2f}  cpu {source[1]:6.2f}")
    print(f"  one translation (fr)   wall {french[0]:6.2f}  cpu {french[1]:6.2f}   "
          f"{french[0] / source[0]:.2f}x / {french[1] / source[1]:.2f}x the source")
    print(f"  fr, cold cache (once)  wall {first_fr[0]:6.2f}  cpu {first_fr[1]:6.2f}   "
          f"{first_fr[0] / source[0]:.2f}x / {first_fr[1] / source[1]:.2f}x the source")
    print(f"  all three languages    wall {every[0]:6.2f}  cpu {every[1]:6.2f}   per language "
          f"{every[0] / 3 / source[0]:.2f}x / {every[1] / 3 / source[1]:.2f}x the source")
    print(f"  zips: {len(zips)} ({', '.join(zips[:2])}, ...)")


if __name__ == "__main__":
    main()
