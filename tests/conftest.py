"""Shared fixtures: a fresh starter course in a temporary folder, and the repo root."""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.scaffold import create_course

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo_root() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    """A course made by ``builder new``, which must pass ``builder check``."""
    return create_course(tmp_path / "courses", "starter", "Starter course")
