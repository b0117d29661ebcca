"""Lesson text: front matter and Markdown → HTML with our extensions."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from builder.errors import Location, Problem
from builder.yamlsrc import parse_yaml


def split_front_matter(text: str, path: Path) -> tuple[Any, str, int, list[Problem]]:
    """Split a lesson file into its YAML front matter and its Markdown body.

    Args:
        text: the whole file.
        path: the file, for locations.

    Returns:
        ``(front, body, body_line, problems)``: front is None when it is missing or invalid;
        body_line is the 1-based line where the body starts.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1, [Problem(Location(path, 1), "the lesson has no front matter",
                                       hint="start the file with '---', a 'title: ...' line, and '---'")]
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            front_text = "".join(lines[1:index])
            body = "".join(lines[index + 1:])
            data, problems = parse_yaml(front_text, path, line_offset=1)
            if data is None and not problems:
                problems = [Problem(Location(path, 2), "the front matter is empty", hint="add 'title: ...'")]
            return data, body, index + 2, problems
    return None, text, 1, [Problem(Location(path, 1), "the front matter is not closed",
                                   hint="add a line with '---' after the front matter")]
