"""Units of tracking: which parts of a course are separate SCOs, their order and prerequisites.

``packaging: units:`` chooses the unit of tracking (``course``, ``module`` or ``lesson``),
``packaging: assessment:`` where the final assessment goes when units are smaller than
the course (``unit``: a SCO of its own; ``last-module``: inside the last unit) and
``packaging: rollup:`` what makes the course passed (``assessment``: the unit holding the
final assessment is passed; ``units``: every scored unit is passed). Modules may name the
modules they need first with ``requires: [<module id>, ...]``.

This module checks those settings (unknown modules, a module requiring itself, cycles)
and is read by :mod:`builder.course` (the load stage); :mod:`builder.plan` lays the units
out and :mod:`builder.manifest_units` writes them into the manifest.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from builder.errors import Location, Problem
from builder.yamlsrc import line_of

UNIT_MODES = ("course", "module", "lesson")
"""The values of ``packaging: units``; ``course`` (one SCO) is the default."""

ASSESSMENT_PLACES = ("unit", "last-module")
"""The values of ``packaging: assessment``: its own SCO, or inside the last unit."""

ROLLUPS = ("assessment", "units")
"""The values of ``packaging: rollup``: what makes the course passed."""


def check_choice(raw: Any, key: str, value: str, allowed: Sequence[str], config: Path,
                 hint: str) -> list[Problem]:
    """A located problem when *value* (``packaging.<key>``) is not one of *allowed*."""
    if value in allowed:
        return []
    return [Problem(Location(config, line_of(raw, key)), f"unknown {key} '{value}'",
                    f"use one of {', '.join(allowed)}; {hint}")]


def check_multilingual(raw: Any, units: str, multilingual: bool, config: Path) -> list[Problem]:
    """A located problem when ``packaging: multilingual: true`` comes with units smaller than the course.

    The multilingual package is one SCO (the language picker stays loaded and swaps the pages
    of every language), so it cannot also be one SCO per module or lesson.
    """
    if not multilingual or units == UNIT_MODES[0]:
        return []
    return [Problem(Location(config, line_of(raw, "multilingual")),
                    f"multilingual: true cannot be combined with units: {units}",
                    "the multilingual package is one SCO holding every language; remove multilingual "
                    f"(each language then gets its own packages, one SCO per {units}) or use units: course")]


def check_requires(config: Path, raw_modules: Any, requires: dict[str, tuple[str, ...]],
                   order: list[str]) -> list[Problem]:
    """Check every module's ``requires``: known module ids, no module before itself, no cycle.

    Args:
        config: course.yml.
        raw_modules: the parsed ``modules`` list (for line numbers).
        requires: module id → the ids it requires (modules without the key are absent).
        order: the module ids in course order.

    Returns:
        Located problems (empty when all is well).
    """
    problems: list[Problem] = []
    lines = _module_lines(raw_modules)
    for module_id, needed in requires.items():
        line = lines.get(module_id)
        for other in needed:
            if other == module_id:
                problems.append(Problem(Location(config, line), f"module '{module_id}' requires itself",
                                        "remove it from its own requires list"))
            elif other not in order:
                problems.append(Problem(Location(config, line),
                                        f"module '{module_id}' requires unknown module '{other}'",
                                        f"use the id of another module: {', '.join(order)}"))
    cycle = find_cycle(requires)
    if cycle:
        problems.append(Problem(Location(config, lines.get(cycle[0])),
                                "modules require each other in a circle: " + " → ".join(cycle + [cycle[0]]),
                                "a module can only require modules that do not (even indirectly) require it"))
    return problems


def find_cycle(requires: dict[str, tuple[str, ...]]) -> list[str]:
    """One cycle of length two or more in the requires graph (module ids in order), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for other in requires.get(node, ()):
            if other == node:
                continue  # reported on its own
            if state.get(other) == 1:
                return path[path.index(other):]
            if other not in state:
                found = visit(other)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for start in requires:
        if start not in state:
            found = visit(start)
            if found:
                return list(found)
    return []


def _module_lines(raw_modules: Any) -> dict[str, int | None]:
    """The line of each module's ``requires`` (or of the module) in course.yml, by id."""
    lines: dict[str, int | None] = {}
    if not isinstance(raw_modules, list):
        return lines
    for index, item in enumerate(raw_modules):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            lines.setdefault(item["id"], line_of(item, "requires") or line_of(raw_modules, index))
    return lines
