"""Issue 10: the preview server answers bad requests and lost clients without tracebacks."""
from __future__ import annotations

import json
import re
import socket
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from builder.scaffold import create_course
from tests.serve_helpers import serve_process


@contextmanager
def serving(course: Path, work: Path) -> Iterator[tuple[str, list[str]]]:
    """``builder serve COURSE`` in a subprocess: yield its ``host:port`` and its output lines so far."""
    with serve_process(course, work) as (url, lines):
        yield url.removeprefix("http://"), lines


def raw(address: str, request: bytes, timeout: float = 10) -> bytes:
    host, port = address.split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                data = sock.recv(65536)
            except TimeoutError:
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return create_course(tmp_path / "courses", "demo", "Demo")


@pytest.mark.parametrize("length", [b"abc", b"-5", b"1e3", b""])
def test_bad_content_length_gets_400(course: Path, tmp_path: Path, length: bytes) -> None:
    work = tmp_path / "work"
    work.mkdir()
    with serving(course, work) as (address, lines):
        answer = raw(address, b"POST /__api__/demo/scorm12 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: " + length + b"\r\n\r\n{}")
        if length == b"":
            assert answer.startswith(b"HTTP/1.1 200")  # an empty header means no body
        else:
            assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
        time.sleep(0.5)
    assert "Traceback" not in "".join(lines)


def test_a_client_that_goes_away_leaves_no_traceback(course: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    with serving(course, work) as (address, lines):
        status = json.loads(raw(address, b"GET /__status__ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .split(b"\r\n\r\n", 1)[1])
        host, port = address.split(":")
        for _ in range(3):
            # Wait for a reload, then vanish with a reset, as a closed browser tab does.
            sock = socket.create_connection((host, int(port)))
            sock.sendall(f"GET /__reload__?since={status['generation']} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                         .encode())
            time.sleep(0.3)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
        lesson = course / "lessons/01-welcome.md"
        lesson.write_text(lesson.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            current = json.loads(raw(address, b"GET /__status__ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     b"Connection: close\r\n\r\n").split(b"\r\n\r\n", 1)[1])
            if current["generation"] > status["generation"]:
                break
            time.sleep(0.2)
        else:
            pytest.fail("no rebuild:\n" + "".join(lines))
        time.sleep(1.5)  # the waiting handlers now write to closed sockets
    output = "".join(lines)
    assert "Traceback" not in output and "BrokenPipeError" not in output, output
    assert not re.search(r"ConnectionResetError|Exception occurred during processing", output), output
