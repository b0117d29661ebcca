"""Linear scans of Markdown lines that count what makes Python-Markdown slow.

Used by :func:`builder.blocks.markdown_limits`. Python-Markdown rebuilds a paragraph's
text once per inline element (code span, emphasis, inline HTML), so a paragraph packed
with markers costs time in the square of its length; and its raw-HTML parser rescans the
rest of the text for each '<' that starts a tag and never ends it.
"""
from __future__ import annotations

import re

_MARK_RUN = re.compile(r"\\.|`+|\*+|_+|<+")
_TAG_NAME = re.compile(r"[A-Za-z/!?]")


def inline_marks(line: str) -> int:
    """Runs of '`', '*', '_' and '<' on *line* (backslash escapes skipped)."""
    return sum(1 for match in _MARK_RUN.finditer(line) if match.group()[0] != "\\")


def unended_tags(line: str) -> int:
    """'<' followed by a tag name (or '/', '!', '?') with no '>' before the next '<' on *line*."""
    if "<" not in line:
        return 0
    pieces = line.split("<")
    return sum(1 for before, piece in zip(pieces, pieces[1:])
               if _TAG_NAME.match(piece) and not before.endswith("\\") and ">" not in piece)


def unclosed_brackets(line: str) -> int:
    """'[' without a later ']' and '](' without a later ')' on *line* (escapes skipped)."""
    if "[" not in line:
        return 0
    stack, parens = 0, 0
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            stack += 1
        elif char == "]" and stack:
            stack -= 1
            if line.startswith("(", index + 1):
                parens += 1
        elif char == ")" and parens:
            parens -= 1
        index += 1
    return stack + parens


_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")


def nesting(line: str) -> int:
    """How deeply *line* nests: its leading '>' and list markers, plus its indentation in levels."""
    depth, index = 0, 0
    while True:
        match = _CONTAINER.match(line, index)
        if match is None:
            break
        depth += 1
        index = match.end()
    spaces = line[index:].expandtabs(4)
    return depth + (len(spaces) - len(spaces.lstrip())) // 4 + (len(line) - len(line.lstrip())) // 4


def deepest_paragraph(text: str) -> int:
    """The 0-based line index where the paragraph holding the most deeply nested line starts."""
    best, best_start, start = -1, 0, 0
    for index, line in enumerate(text.split("\n")):
        if not line.strip():
            start = index + 1
            continue
        depth = nesting(line)
        if depth > best:
            best, best_start = depth, start
    return best_start
