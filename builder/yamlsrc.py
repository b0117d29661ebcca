"""YAML that remembers where each value came from.

PyYAML's safe loader is extended so that every mapping becomes a :class:`YamlMap` and
every sequence a :class:`YamlList`; both record the 1-based line of the node itself and of
each key or item. Duplicate keys, which PyYAML silently accepts, are reported.
"""
from __future__ import annotations

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
            key = str(key)
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


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)
# Dates stay strings: authors write 2026-11-01 and we validate the text ourselves.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
