"""The runtime bundles: made from the current sources, one per target, and one table of limits.

The bundles' size against the 60 KB budget is printed by benchmarks/launch_weight.py.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from builder.render import runtime_bundle
from builder.scorm import LIMITS_FILE, SCORM12, SCORM2004, tracking_limits
from tests.browser.conftest import NODE_MODULES, REPO
from tests.serve_helpers import copy_example, need, running_server

THEME = REPO / "templates"
TARGETS = ("scorm12", "scorm2004", "web")
# Reads what a bundle announces about itself without running the course part (no course data).
PROBE = ("global.window = {}; global.document = {}; require(process.argv[1]); "
         "console.log(JSON.stringify(window.BUILDER_RUNTIME));")


def _need_node() -> None:
    need(shutil.which("node") is not None and (NODE_MODULES / "terser").is_dir(),
         "node or node_modules/terser is missing (run npm ci)")


def test_bundles_are_made_from_the_current_sources(tmp_path: Path) -> None:
    _need_node()
    script = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["scripts"]["build:runtime"]
    assert script == "node templates/src/build.js"
    subprocess.run(["node", str(REPO / "templates" / "src" / "build.js"), str(tmp_path)],
                   cwd=REPO, check=True, capture_output=True)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == [f"runtime-{t}.js" for t in TARGETS] + ["widgets.js"]  # widgets.js: every target's
    for name in made:
        assert (tmp_path / name).read_bytes() == (THEME / "assets" / name).read_bytes(), \
            f"templates/assets/{name} is out of date: run 'npm run build:runtime'"
    assert not (THEME / "assets" / "runtime.js").exists()


def test_each_bundle_carries_only_its_own_adapter() -> None:
    bundles = {t: (THEME / "assets" / f"runtime-{t}.js").read_text(encoding="utf-8") for t in TARGETS}
    assert "API_1484_11" in bundles["scorm2004"] and "LMSInitialize" not in bundles["scorm2004"]
    assert "LMSInitialize" in bundles["scorm12"] and "API_1484_11" not in bundles["scorm12"]
    assert "LMSInitialize" not in bundles["web"] and "API_1484_11" not in bundles["web"]
    # the core never names a SCORM version: every difference lives in an adapter
    core = (THEME / "src" / "core.js").read_text(encoding="utf-8")
    assert not re.search(r"1\.2|2004|cmi\.|LMS[A-Z]|API_1484", core)


def test_python_bundles_and_preview_lms_read_one_table_of_limits(tmp_path: Path) -> None:
    _need_node()
    table = json.loads(LIMITS_FILE.read_text(encoding="utf-8"))
    assert tracking_limits() == table
    assert (SCORM12.suspend_data_limit, SCORM12.location_limit) == \
        (table["scorm12"]["suspend_data"], table["scorm12"]["location"])
    assert (SCORM2004.suspend_data_limit, SCORM2004.location_limit) == \
        (table["scorm2004"]["suspend_data"], table["scorm2004"]["location"])
    for target in TARGETS:
        out = subprocess.run(["node", "-e", PROBE, str(THEME / "assets" / f"runtime-{target}.js")],
                             check=True, capture_output=True, text=True).stdout
        assert json.loads(out) == {"target": target, "limits": table.get(target, {})}
    course = copy_example(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    with running_server(course, work) as url:
        with urllib.request.urlopen(f"{url}/{course.name}/lms.html?format=scorm12", timeout=30) as response:
            page = response.read().decode("utf-8")
    config = re.search(r'<script id="lms-config" type="application/json">(.*?)</script>', page, re.S)
    assert config is not None
    assert json.loads(config.group(1))["limits"] == table


@pytest.mark.parametrize("adapter", TARGETS)
def test_a_package_ships_its_own_bundle_as_assets_runtime_js(tmp_path: Path, adapter: str) -> None:
    theme = tmp_path / "theme"
    (theme / "assets").mkdir(parents=True)
    for t in TARGETS:
        (theme / "assets" / f"runtime-{t}.js").write_text(t)
    assert runtime_bundle([theme], adapter) == adapter.encode()
    # a course's own assets/runtime.js (searched first) serves every target
    own = tmp_path / "course-templates"
    (own / "assets").mkdir(parents=True)
    (own / "assets" / "runtime.js").write_text("own")
    assert runtime_bundle([own, theme], adapter) == b"own"


def test_markup_is_inserted_in_one_place_only() -> None:
    """Issue 10: only HTML made at build time (quiz feedback) goes in as markup, through one
    helper; page swaps move parsed nodes, everything else is set as text."""
    sources = {p.name: p.read_text(encoding="utf-8") for p in (THEME / "src").glob("*.js")}
    uses = {name: text.count("innerHTML") + text.count("outerHTML") + text.count("insertAdjacentHTML")
            + text.count("document.write") for name, text in sources.items()}
    assert uses == {name: (1 if name == "core.js" else 0) for name in sources}
    assert "function setBuiltHTML(el, html) { el.innerHTML = html;" in sources["core.js"]


def test_built_zips_hold_only_their_own_bundle(tmp_path: Path) -> None:
    import zipfile

    from builder.build import build_course
    from tests.browser.conftest import ALL_TYPES

    result = build_course(ALL_TYPES, formats=("scorm12", "scorm2004"), out=tmp_path)
    assert len(result.packages) == 2
    for package in result.packages:
        with zipfile.ZipFile(package.path) as zf:
            names = zf.namelist()
            shipped = zf.read("assets/runtime.js")
        assert not [n for n in names if n.startswith(("assets/runtime-", "src/"))], names
        assert shipped == (THEME / "assets" / f"runtime-{package.format}.js").read_bytes()
        assert "assets/widgets.js" in names  # the quiz widgets and blocks, loaded when a page needs them


def test_the_widgets_are_fetched_only_for_a_page_with_a_quiz_or_a_block(session: Any, tmp_path: Path) -> None:
    from tests.browser.conftest import build_and_unzip
    from tests.browser.learner import go_next

    packages = build_and_unzip(REPO / "tests" / "courses" / "minimal", tmp_path)
    asked: list[str] = []
    session.page.on("request", lambda request: asked.append(request.url.rsplit("/", 1)[-1]))
    frame = session.launch(packages["2004"], "2004", "widgets")
    go_next(session, "01-welcome")
    assert "runtime.js" in asked and "widgets.js" not in asked  # not at launch, nor for a plain lesson
    assert frame.evaluate("typeof window.BUILDER_WIDGETS") == "undefined"
    # when the page changes, its quiz is already set up (the page is put in place once the widgets
    # have run), so an Exit pressed at once records this page (a Moodle test found it otherwise)
    frame.evaluate("""() => { window.readyWhenShown = null;
      new MutationObserver((changes, observer) => {
        if (document.body.dataset.page !== 'assessment') return;
        window.readyWhenShown = !!document.querySelector('form.quiz[data-ready]') && document.body.dataset.page === 'assessment';
        observer.disconnect();
      }).observe(document.body, { attributes: true, attributeFilter: ['data-page'] }); }""")
    go_next(session, "assessment")
    assert asked.count("widgets.js") == 1
    assert session.frame.evaluate("window.readyWhenShown") is True
