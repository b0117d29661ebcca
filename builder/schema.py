"""A small declarative checker for YAML mappings.

Each accepted key is a :class:`Field` with a type and a short description. Checking a
mapping reports every unknown key (with a "did you mean"), every missing required key and
every value of the wrong type, each at its line, and returns the values it could read.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.errors import Location, Problem
from builder.yamlsrc import YamlMap, line_of, scalar_text

_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a mapping (key: value lines)"}


@dataclass(frozen=True)
class Field:
    """One accepted key of a mapping."""

    name: str
    kind: type | tuple[type, ...]
    required: bool = False
    doc: str = ""

    def describe_kind(self) -> str:
        """Human name of the expected type."""
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        return " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)


def quote_hint(value: Any) -> str:
    """The hint for a YAML boolean (or number) written where text is expected."""
    shown = str(value).lower() if isinstance(value, bool) else "yes"
    return f'put the text in quotes, e.g. "{shown}"'


def _matches(value: Any, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False  # YAML's yes/true must not pass as a number
    if isinstance(value, int) and float in kinds:
        return True
    return isinstance(value, kinds)


def check_mapping(data: Any, fields: list[Field], path: Path, what: str,
                  line: int = 0) -> tuple[dict[str, Any], list[Problem]]:
    """Check *data* against *fields*.

    Args:
        data: parsed YAML (expected to be a mapping).
        fields: the accepted keys.
        path: the source file.
        what: a name for the mapping in messages, e.g. "course.yml" or "question 3".
        line: fallback line when *data* carries none.

    Returns:
        ``(values, problems)``: values holds only keys that are known and well typed.
    """
    if not isinstance(data, dict):
        return {}, [Problem(Location(path, line_of(data, default=line) or None),
                            f"{what} must be a mapping of 'key: value' lines, found {kind_of(data)}")]
    known = {f.name: f for f in fields}
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        at = Location(path, line_of(data, key, line) or None, key)
        field = known.get(key)
        if field is None:
            close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
            hint = (f"did you mean '{close[0]}'?" if close
                    else "allowed keys: " + ", ".join(sorted(known)))
            problems.append(Problem(at, f"unknown key '{key}' in {what}", hint=hint))
        elif value is None:
            if field.required:
                problems.append(Problem(at, f"'{key}' is empty",
                                        hint=f"write a value after '{key}:' ({field.doc or field.describe_kind()})"))
        elif field.kind in (str, (str,)) and scalar_text(value) is not None:
            values[key] = scalar_text(value)  # a number in a text field: its text as written
        elif not _matches(value, field.kind):
            wants_text = str in (field.kind if isinstance(field.kind, tuple) else (field.kind,))
            problems.append(Problem(at, f"'{key}' must be {field.describe_kind()}, found {_show(value)}",
                                    hint=quote_hint(value) if wants_text and isinstance(value, bool) else None))
        else:
            values[key] = _plain(value)
    for field in fields:
        if field.required and field.name not in data:
            line_no = line_of(data, default=line) or None
            problems.append(Problem(Location(path, line_no), f"{what} is missing '{field.name}'",
                                    hint=f"add '{field.name}:' ({field.doc or field.describe_kind()})"))
    return values, problems


def _plain(value: Any) -> Any:
    """Numbers as plain int/float, so the models never hold the YAML subclasses."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def kind_of(value: Any) -> str:
    """A plain-words name of what *value* is, for messages ("a list", "text", "nothing")."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (YamlMap, dict)):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "a value of another kind"


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)) or value is None:
        return kind_of(value)
    if isinstance(value, bool):
        return str(value).lower()
    text = scalar_text(value)
    text = repr(text) if isinstance(value, str) else (text if text is not None else kind_of(value))
    return text if len(text) < 40 else text[:37] + "..."
