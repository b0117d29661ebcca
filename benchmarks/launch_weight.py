"""Launch weight of a package: bytes fetched until the first page is usable, and the size of
the learner runtime (JS + CSS + page chrome) against its 40 KB budget.

Usage: python benchmarks/launch_weight.py [COURSE_DIR] [--target scorm12|scorm2004|web|all]

For each runtime target (each ships its own bundle as assets/runtime.js) it builds the
course (default: the example course) into a folder, serves it on 127.0.0.1, opens
index.html in Debian's Chromium (headless, via Playwright) and sums the bodies of every
response until the runtime has started and the page has loaded; then it prints the
weight of runtime + CSS + page chrome and what is left of the 40 KB budget.
"""
from __future__ import annotations

import argparse
import http.server
import re
import sys
import tempfile
import threading
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET = 60 * 1024
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A file server that does not log every request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def chrome_size(index_html: bytes) -> int:
    """Bytes of index.html without the course's own content (what lies inside <main>
    before the pager, and the items of the course menu)."""
    text = index_html.decode("utf-8")
    main = re.search(r"<main[^>]*>(.*?)<nav class=\"pager\"", text, re.S)
    menu = re.search(r"<ol class=\"menu-list\">(.*?)</ol>\s*</nav>", text, re.S)
    content = len(main.group(1).encode()) if main else 0
    content += len(menu.group(1).encode()) if menu else 0
    return len(index_html) - content


def measure(package: Path) -> dict[str, int]:
    """Serve *package* and measure its launch in Chromium."""
    from playwright.sync_api import sync_playwright

    handler = partial(QuietHandler, directory=str(package))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    fetched: dict[str, int] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.on("response", lambda r: fetched.__setitem__(r.url, len(r.body()) if r.ok else 0))
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/index.html", wait_until="load")
            page.wait_for_function("() => document.documentElement.classList.contains('js')")
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return fetched


TARGETS = {"scorm12": "1.2", "scorm2004": "2004", "web": None}
"""Each runtime target and the ``scorm`` value its pages are built with (web: no LMS)."""


def weigh(course: Path, target: str, folder: Path) -> dict[str, int]:
    """Build *course* for *target* into *folder*; return the launch and runtime figures."""
    from builder import package
    from builder.build import load_checked
    from builder.targets import get_target

    _course, renderer, _warnings = load_checked(course)
    package.write_folder(get_target(target).assemble(renderer), folder)
    fetched = measure(folder)
    figures = {"js": (folder / "assets" / "runtime.js").stat().st_size,
               "css": (folder / "assets" / "course.css").stat().st_size,
               "chrome": chrome_size((folder / "index.html").read_bytes()),
               "data": (folder / "assets" / "course.js").stat().st_size,
               "fetched": sum(fetched.values()), "requests": len(fetched)}
    figures["total"] = figures["js"] + figures["css"] + figures["chrome"]
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(REPO / "courses" / "migration-local-development"))
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    args = parser.parse_args()
    targets = list(TARGETS) if args.target == "all" else [args.target]
    over = False
    print(f"course: {args.course}; budget {BUDGET:,} bytes for runtime + CSS + page chrome (uncompressed)")
    print(f"{'target':<10} {'runtime.js':>10} {'CSS':>7} {'chrome':>7} {'total':>7} {'left':>7} "
          f"{'launch':>8}  (course.js, not counted)")
    with tempfile.TemporaryDirectory() as tmp:
        for target in targets:
            f = weigh(Path(args.course), target, Path(tmp) / target)
            left = BUDGET - f["total"]
            over = over or left < 0
            print(f"{target:<10} {f['js']:>10,} {f['css']:>7,} {f['chrome']:>7,} {f['total']:>7,} {left:>7,} "
                  f"{f['fetched']:>8,}  in {f['requests']} requests ({f['data']:,})")
    print("left: what remains of the budget (negative: over); launch: bytes fetched until the start page "
          "is usable")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
