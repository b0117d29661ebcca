"""Shared fixtures: a fresh starter course, the repo root, and the real Moodle of the kit."""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from builder.scaffold import create_course

if TYPE_CHECKING:
    from tests.moodle.kit import Moodle

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo_root() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    """A course made by ``builder new``, which must pass ``builder check``."""
    return create_course(tmp_path / "courses", "starter", "Starter course")


@pytest.fixture(scope="session")
def moodle() -> Iterator[Moodle]:
    """The real Moodle 4.5 of the kit in ``$BUILDER_SHARED/moodle``, started once per session.

    Skips with the reason when the kit cannot run here (not there, not root), except under
    ``CI=true``, where that is a failure. Stopped at the end of the session; its state folder
    in /tmp is kept (deleting its 500 MB took 68 s on the busy test machine), so the next run
    restarts it in seconds. Tests make their own uniquely named courses, so old data does
    not matter.
    """
    from tests.moodle import kit

    reason = kit.missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        site = kit.start()
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        pytest.fail(str(exc))
    try:
        yield site
    finally:
        kit.stop()
