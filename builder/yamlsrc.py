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
    bad_keys: list[int]


MAX_DEPTH = 50
"""How deeply lists and mappings may nest; deeper is refused (no file of ours needs 10)."""
# Characters that XML (and so the manifest and the pages) cannot hold, and that no
# author means to type: C0 controls except tab and newlines, DEL, non-characters.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def bad_character(text: str) -> tuple[int, str] | None:
    """The offset and a description of the first character no page can hold, or None."""
    match = _BAD_CHARS.search(text)
    if match is None:
        return None
    return match.start(), f"the control character U+{ord(match.group()):04X}"


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    text = str(loader.construct_scalar(node))
    bad = bad_character(text)
    if bad:
        raise yaml.constructor.ConstructorError(
            None, None, f"{bad[1]} is not allowed in text; remove it (it is often pasted in by accident)",
            node.start_mark)
    return text


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.line = node.start_mark.line + 1 + loader.line_offset  # type: ignore[attr-defined]
    result.lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            # A list or mapping as a key ('? [a]', '? *alias') is never meant; building
            # its text could expand an alias bomb, so it is refused unbuilt.
            # An alias has no place of its own: the entry is located by its value.
            loader.bad_keys.append(value_node.start_mark.line + 1 + loader.line_offset)  # type: ignore[attr-defined]
            continue
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
    loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
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
    bad_keys: list[int]


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
    loader.bad_keys = []
    try:
        node = loader.get_single_node()
        deep = _too_deep(node) if node is not None else None
        if deep is not None:
            return None, [Problem(Location(path, deep.start_mark.line + 1 + line_offset),
                                  f"lists and mappings are nested more than {MAX_DEPTH} levels deep here",
                                  hint="flatten the structure; course files need only a few levels")]
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, path, line_offset)]
    except yaml.YAMLError as exc:
        return None, [Problem(Location(path, 1 + line_offset), f"YAML error: {exc}")]
    finally:
        loader.dispose()
    problems = [
        Problem(Location(path, line), f"duplicate key '{key}'", hint="remove one of the two entries")
        for key, line in loader.duplicates
    ] + [Problem(Location(path, line), "the key of this entry must be plain text, not a list, a mapping "
                 "or an alias",
                 hint="write 'key: value'") for line in loader.bad_keys]
    return data, problems


# Constructs whose start is where the mistake is: an unclosed bracket or quote is
# reported where it was opened, not where the parser gave up.
_OPENED = ("flow sequence", "flow mapping", "quoted scalar")


def _syntax_problem(exc: yaml.MarkedYAMLError, path: Path, line_offset: int) -> Problem:
    """A located problem for a YAML error."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 + line_offset if mark else None
    what = exc.problem or "invalid YAML"
    if exc.context:
        what = f"{exc.context}, {what}"
    if isinstance(exc, yaml.constructor.ConstructorError):
        if "could not determine a constructor" in what:
            hint = "tags such as !!python/... are not allowed; remove the tag"
        elif "is not allowed in text" in what:  # a control character (see bad_character)
            hint = "delete the character; editors often do not show it, so retype the text around it"
        else:
            hint = "remove the tag or fix the value"
        return Problem(Location(path, line), f"YAML error: {what}", hint=hint)
    start = exc.context_mark
    if start is not None and any(k in (exc.context or "") for k in _OPENED):
        opened = start.line + 1 + line_offset
        if line is not None and opened != line:
            what += f" (the parser stopped at line {line})"
        line = opened
        return Problem(Location(path, line), f"YAML syntax error: {what}",
                       hint="close the bracket or quote opened on this line")
    return Problem(Location(path, line), f"YAML syntax error: {what}",
                   hint="check indentation, colons and quotes on this line or the one above")


def _too_deep(root: yaml.Node) -> yaml.Node | None:
    """The first node nested deeper than :data:`MAX_DEPTH`, found without recursion.

    Nodes shared through aliases are visited once per depth at most, so an alias bomb
    costs no more than its written size.
    """
    best: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        if best.get(id(node), 0) >= depth:
            continue
        best[id(node)] = depth
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
    return None
