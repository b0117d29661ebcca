"""mypy --strict and ruff over the code, run as part of the tests (so ``.ci/run`` runs them).

The configuration lives in ``setup.cfg`` (``[mypy]``) and ``pyproject.toml`` (``[tool.ruff]``);
the tools and the stub packages come from the ``test`` extra. Without the tools the tests
are skipped with a reason, except under ``CI=true``, where that is a failure.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from tests.shared import REPO


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        reason = f"{module} is not installed (it is in the 'test' extra: pip install -e '.[test]')"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False,
                          timeout=600)


def test_mypy_strict_finds_nothing() -> None:
    _need("mypy")
    done = _run("mypy")  # files and strict = True come from setup.cfg
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_finds_nothing() -> None:
    _need("ruff")
    done = _run("ruff", "check", "builder", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr
