"""The ``translations:`` key of course.yml: target languages, checked as BCP 47 tags."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from builder.errors import Location, Problem
from builder.yamlsrc import line_of

LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
"""A BCP 47 language tag, as course.yml's ``language`` takes it (``en``, ``fr``, ``es-419``)."""


def read_translations(raw: Any, language: str, path: Path, line: int) -> tuple[tuple[str, ...], list[Problem]]:
    """The target languages of ``translations:``, each a BCP 47 tag other than the source's.

    Args:
        raw: the parsed value (a list of tags).
        language: the course's source language.
        path: course.yml, for locations.
        line: the line of the ``translations`` key.

    Returns:
        ``(languages in the order written, problems)``; a bad entry is left out.
    """
    problems: list[Problem] = []
    found: list[str] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        at = Location(path, line_of(raw, index, line))
        if not isinstance(item, str) or not LANG_RE.match(item):
            problems.append(Problem(at, f"'{item}' in translations is not a language tag",
                                    "use BCP 47 tags such as fr, es, ar or pt-BR"))
        elif item.lower() == language.lower():
            problems.append(Problem(at, f"'{item}' is the course's own language (language: {language})",
                                    "list only the languages the course is translated into"))
        elif item.lower() in seen:
            problems.append(Problem(at, f"'{item}' is listed twice in translations",
                                    f"first on line {seen[item.lower()]}; remove this entry"))
        else:
            seen[item.lower()] = at.line or line
            found.append(item)
    return tuple(found), problems
