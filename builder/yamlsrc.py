"""YAML that remembers where each value came from.

PyYAML's safe loader is extended so that every mapping becomes a :class:`YamlMap` and
every sequence a :class:`YamlList`; both record the 1-based line of the node itself and of
each key or item. Duplicate keys, which PyYAML silently accepts, are reported.

Scalars follow YAML 1.2 where YAML 1.1 would change what authors wrote: only ``true`` and
``false`` are booleans (``yes``, ``no``, ``on``, ``off`` stay text), and numbers remember
their source text (:class:`YamlInt`, :class:`YamlFloat`), so a text field can take
``1.10`` or ``007`` exactly as written.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from builder.errors import Location, Problem


class YamlMap(dict):  # type: ignore[type-arg]
    """A dict with ``line`` (its own) and ``lines`` (key → line of the key)."""

    line: int = 0
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Line of *key*, or of the mapping itself when the key is absent."""
        return self.lines.get(key, self.line)


class YamlList(list):  # type: ignore[type-arg]
    """A list with ``line`` (its own) and ``lines`` (index → line of the item)."""

    line: int = 0
    lines: list[int]

    def line_of(self, index: int) -> int:
        """Line of item *index*, or of the list itself."""
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class YamlInt(int):
    """An int parsed from YAML that keeps ``text``, the scalar as written (``007``)."""

    text: str


class YamlFloat(float):
    """A float parsed from YAML that keeps ``text``, the scalar as written (``1.10``)."""

    text: str


def scalar_text(value: Any) -> str | None:
    """The text of a scalar as the author wrote it: strings as they are, numbers as written.

    Returns None for booleans, None, lists and mappings (they are not text).
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else str(value)


def line_of(node: Any, key: Any = None, default: int = 0) -> int:
    """Best-known line of *node* (or of *key* inside it)."""
    if key is not None and isinstance(node, (YamlMap, YamlList)):
        return node.line_of(key)
    return getattr(node, "line", default) or default


# libyaml's parser (when PyYAML has it) is several times faster and gives the same marks.
if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    duplicates: list[tuple[str, int]]


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.line = node.start_mark.line + 1 + loader.line_offset  # type: ignore[attr-defined]
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = scalar_text(key) or str(key).lower()
        line = key_node.start_mark.line + 1 + loader.line_offset  # type: ignore[attr-defined]
        if key in result:
            loader.duplicates.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList()
    result.line = node.start_mark.line + 1 + loader.line_offset  # type: ignore[attr-defined]
    result.lines = []
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.lines.append(child.start_mark.line + 1 + loader.line_offset)  # type: ignore[attr-defined]
    return result


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> YamlInt:
    text = str(node.value)
    digits = text.replace("_", "").lstrip("+-")
    if len(digits) > 1 and digits[0] == "0" and digits.isdigit():
        # YAML 1.2: a leading zero does not make an octal number (007 and 010 are decimal).
        value = int(text.replace("_", ""), 10)
    else:
        value = _checked(node, "a whole number", yaml.SafeLoader.construct_yaml_int, loader)
    result = YamlInt(value)
    result.text = text
    return result


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> YamlFloat:
    result = YamlFloat(_checked(node, "a number", yaml.SafeLoader.construct_yaml_float, loader))
    result.text = str(node.value)
    return result


def _checked(node: yaml.ScalarNode, what: str, construct: Any, loader: _Loader) -> Any:
    # An explicit tag (!!int abc, !!bool maybe) makes PyYAML raise ValueError or KeyError
    # without a mark; turn that into a located YAML error.
    try:
        return construct(loader, node)
    except (ValueError, KeyError, TypeError, OverflowError) as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"'{node.value}' is not {what}", node.start_mark) from exc


def _construct_bool(loader: _Loader, node: yaml.ScalarNode) -> bool:
    return bool(_checked(node, "true or false", yaml.SafeLoader.construct_yaml_bool, loader))


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    return _checked(node, "a date", yaml.SafeLoader.construct_yaml_timestamp, loader)


_BOOL_TAG = "tag:yaml.org,2002:bool"
_BOOL_RE = re.compile(r"^(?:true|false)$", re.IGNORECASE)


def _set_up(loader: type[_Loader]) -> None:
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)
    loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
    loader.add_constructor(_BOOL_TAG, _construct_bool)
    loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    # Implicit types: dates stay strings (authors write 2026-11-01 and we validate the
    # text ourselves), and booleans are YAML 1.2's: true/false in any case, never
    # yes/no/on/off. libyaml's CSafeLoader resolves with this same Python table.
    loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:timestamp", _BOOL_TAG)]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for first in "tTfF":
        loader.yaml_implicit_resolvers.setdefault(first, []).insert(0, (_BOOL_TAG, _BOOL_RE))


class _PyLoader(yaml.SafeLoader):  # the pure-Python twin; tests check both give the same data
    duplicates: list[tuple[str, int]]


_set_up(_Loader)
_set_up(_PyLoader)  # type: ignore[arg-type]


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    """Parse YAML *text* from *path*.

    Args:
        text: the YAML source.
        path: the file it came from (for locations).
        line_offset: lines before the YAML in the file (front matter starts at line 2).

    Returns:
        ``(data, problems)``; data is None when the text is not valid YAML.
    """
    loader = _Loader(text)
    loader.line_offset = line_offset  # type: ignore[attr-defined]
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        if isinstance(exc, yaml.constructor.ConstructorError):
            hint = ("tags such as !!python/... are not allowed; remove the tag"
                    if "could not determine a constructor" in what else "remove the tag or fix the value")
            return None, [Problem(Location(path, line), f"YAML error: {what}", hint=hint)]
        return None, [Problem(Location(path, line), f"YAML syntax error: {what}",
                              hint="check indentation, colons and quotes on this line or the one above")]
    except yaml.YAMLError as exc:
        return None, [Problem(Location(path, 1 + line_offset), f"YAML error: {exc}")]
    finally:
        loader.dispose()
    problems = [
        Problem(Location(path, line), f"duplicate key '{key}'", hint="remove one of the two entries")
        for key, line in loader.duplicates
    ]
    return data, problems
