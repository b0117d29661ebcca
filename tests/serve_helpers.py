"""Helpers for the preview-server tests: Chromium via Playwright, the server in a subprocess.

Browser tests need Playwright for Python and Debian's ``/usr/bin/chromium`` (the
``browser`` fixture of ``tests/browser/conftest.py``); tests that need a missing tool skip
with the reason, except under ``CI=true``, where a missing tool is a failure.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def need(condition: bool, reason: str) -> None:
    """Skip (fail under ``CI=true``) unless *condition* holds."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def copy_example(tmp_path: Path, units: str | None = None) -> Path:
    """Copy the example course to ``tmp_path/courses/<slug>`` and return the copy.

    Args:
        tmp_path: where to put it.
        units: a ``packaging: units`` value for the copy (the example ships with
            ``module``); ``course`` gives the one-SCO package that tests of a single
            SCO's walk through every page use.
    """
    source = REPO / "courses" / "migration-local-development"
    dest = tmp_path / "courses" / source.name
    shutil.copytree(source, dest)
    if units is not None:
        config = dest / "course.yml"
        text = config.read_text(encoding="utf-8")
        assert "\n  units: module\n" in text
        config.write_text(text.replace("\n  units: module\n", f"\n  units: {units}\n"), encoding="utf-8")
    return dest


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_process(course: Path, work: Path, *args: str) -> Iterator[tuple[str, list[str]]]:
    """Run ``builder serve COURSE`` in a subprocess on a free port.

    Yields:
        ``(base URL, output lines)``; the lines keep growing while the server runs.
    """
    port = free_port()
    env = dict(os.environ, TMPDIR=str(work), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", str(course), "--port", str(port), *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=str(work))
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = re.search(r"Serving on (http://\S+)", line)
            if match:
                # Keep reading the server's output so that its pipe never fills up.
                threading.Thread(target=lines.extend, args=(proc.stdout,), daemon=True).start()
                yield match.group(1).rstrip("/"), lines
                break
        else:
            pytest.fail("the server did not start:\n" + "".join(lines))
        if not any("Serving on" in line for line in lines):
            pytest.fail("the server did not start:\n" + "".join(lines))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        time.sleep(0.2)  # let the reader thread take the last lines
        if proc.stdout is not None:
            proc.stdout.close()


@contextmanager
def running_server(course: Path, work: Path, *args: str) -> Iterator[str]:
    """Run ``builder serve COURSE`` in a subprocess on a free port; yield its base URL."""
    with serve_process(course, work, *args) as (url, _lines):
        yield url
