"""The runtime that packages carry is the minified form of its current source.

Its size against the 40 KB budget is printed by benchmarks/launch_weight.py.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.browser.conftest import NODE_MODULES, REPO
from tests.serve_helpers import need

THEME = REPO / "templates"


def test_minified_runtime_is_made_from_the_current_source(tmp_path: Path) -> None:
    need(shutil.which("node") is not None and (NODE_MODULES / "terser").is_dir(),
         "node or node_modules/terser is missing (run npm ci)")
    script = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["scripts"]["build:runtime"]
    out = tmp_path / "runtime.js"
    command = script.replace("templates/assets/runtime.js", str(out)).split()
    subprocess.run(["node", str(NODE_MODULES / "terser" / "bin" / "terser"), *command[1:]],
                   cwd=REPO, check=True, capture_output=True)
    assert out.read_bytes() == (THEME / "assets" / "runtime.js").read_bytes(), \
        "templates/assets/runtime.js is out of date: run 'npm run build:runtime'"

