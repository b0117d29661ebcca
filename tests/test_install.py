"""A non-editable install in a fresh virtual environment builds valid packages from any folder.

This catches what an editable install hides: the default theme and runtime missing from
the wheel, code that finds files relative to the checkout, or reliance on the cwd. pip uses
the package index configured on this machine (no internet needed where a mirror is set).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.shared import REPO, validate_zip

COURSE = "migration-local-development"
# Left out of the copy that gets installed: they are not part of the source distribution.
IGNORED = shutil.ignore_patterns(".git", ".venv", "venv", "node_modules", "dist", "build", "*.egg-info",
                                 "__pycache__", ".pytest_cache", ".mypy_cache", "test-results")


def run(args: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.mark.slow
def test_fresh_install_builds_from_another_folder(tmp_path: Path) -> None:
    # Install from a copy so pip's in-tree build never writes into the shared checkout.
    source = Path(shutil.copytree(REPO, tmp_path / "source", ignore=IGNORED))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, clear=True)
    bindir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    python = bindir / "python"
    done = run([str(python), "-m", "pip", "install", "--no-input", str(source)], cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run([str(python), "-c", "import builder, pathlib; print(pathlib.Path(builder.__file__).resolve())"],
               cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(env_dir.resolve()), done.stdout

    out = tmp_path / "out"
    done = run([str(bindir / "builder"), "build", str(REPO / "courses" / COURSE), "--format", "all", "--lang", "en",
                "--out", str(out)], cwd=elsewhere)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    zips = sorted(out.glob("*-scorm*.zip"))
    assert [z.name.rsplit("-", 1)[-1] for z in zips] == ["scorm12.zip", "scorm2004.zip"]
    assert (out / zips[0].name.replace("scorm12.zip", "web") / "index.html").is_file()
    assert all(z.name.startswith(f"{COURSE}-") for z in zips)
    for path in zips:
        validate_zip(path)
    assert not list(elsewhere.iterdir()), "the build wrote into the current folder"
