"""Launch weight of a package: bytes fetched until the first page is usable, and the size of
the learner runtime (JS + CSS + page chrome) against its 40 KB budget.

Usage: python benchmarks/launch_weight.py [COURSE_DIR] [--version 1.2|2004]

Builds the course (default: the example course), serves the unzipped package on
127.0.0.1, opens index.html in Debian's Chromium (headless, via Playwright) and sums the
bodies of every response until the runtime has started and the page has loaded.
"""
from __future__ import annotations

import argparse
import http.server
import re
import sys
import tempfile
import threading
import zipfile
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET = 40 * 1024
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(REPO / "courses" / "migration-local-development"))
    parser.add_argument("--version", choices=["1.2", "2004"], default="2004")
    args = parser.parse_args()
    from builder.build import build_course

    fmt = "scorm12" if args.version == "1.2" else "scorm2004"
    with tempfile.TemporaryDirectory() as tmp:
        result = build_course(Path(args.course), formats=(fmt,), out=Path(tmp) / "zips")
        package = Path(tmp) / "pkg"
        with zipfile.ZipFile(result.packages[0].path) as zf:
            zf.extractall(package)
        fetched = measure(package)
        js = (package / "assets" / "runtime.js").stat().st_size
        css = (package / "assets" / "course.css").stat().st_size
        chrome = chrome_size((package / "index.html").read_bytes())
        data = (package / "assets" / "course.js").stat().st_size
    total = js + css + chrome
    print(f"course: {args.course} (SCORM {args.version})")
    print("launch: bytes fetched until the start page is usable")
    for url, size in sorted(fetched.items()):
        print(f"  {size:>8,}  {url.split('/', 3)[-1]}")
    print(f"  {sum(fetched.values()):>8,}  total in {len(fetched)} requests")
    print("runtime weight (uncompressed):")
    print(f"  {js:>8,}  assets/runtime.js")
    print(f"  {css:>8,}  assets/course.css")
    print(f"  {chrome:>8,}  page chrome (index.html without course content)")
    print(f"  {total:>8,}  total, budget {BUDGET:,} ({'within' if total <= BUDGET else 'OVER'} budget, "
          f"{100 * total / BUDGET:.0f} %)")
    print(f"  {data:>8,}  assets/course.js (generated course data, not counted)")
    return 0 if total <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
