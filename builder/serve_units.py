"""The preview LMS with several SCOs: the unit menu, each unit's status and its lock.

With ``packaging: units`` other than ``course``, ``builder serve`` acts as an LMS that
launches one SCO at a time: it keeps each unit's learner data apart, shows every unit with
its status, and refuses to launch a unit whose required units are not finished yet (SCORM
1.2: the required items passed or completed, as ``adlcp:prerequisites`` says; SCORM 2004:
completed, as the sequencing rules of :mod:`builder.manifest_units` say).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from builder.manifest import MANIFEST_NAME
from builder.manifest_units import unit_ids

if TYPE_CHECKING:
    from builder.serve_site import PreviewSite

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def state_file(root: Path, fmt: str, unit: str | None) -> Path:
    """Where the learner data of *fmt* (and one *unit*, with several) is kept."""
    if unit is None:
        return root / f"state-{fmt}.json"
    return root / f"state-{fmt}--{_SAFE.sub('_', unit)}.json"


def status_of(state: dict[str, Any] | None, fmt: str) -> str:
    """A unit's status as an LMS menu shows it, from the stored state of its SCO.

    Returns:
        ``not attempted``, ``incomplete``, ``completed``, ``passed`` or ``failed``.
    """
    values = (state or {}).get("values") or {}
    if fmt == "scorm12":
        status = str(values.get("cmi.core.lesson_status", "") or "not attempted")
        return "incomplete" if status in ("browsed",) else status
    completion = str(values.get("cmi.completion_status", "") or "unknown")
    success = str(values.get("cmi.success_status", "") or "unknown")
    if success in ("passed", "failed"):
        return success
    if completion in ("completed", "incomplete"):
        return completion
    return "not attempted" if not values else "incomplete"


def finished(state: dict[str, Any] | None, fmt: str) -> bool:
    """Whether a unit counts as done for the units that require it."""
    values = (state or {}).get("values") or {}
    if fmt == "scorm12":
        return values.get("cmi.core.lesson_status") in ("passed", "completed")
    return values.get("cmi.completion_status") == "completed"


def read_state(path: Path) -> dict[str, Any] | None:
    """The stored state at *path*, or None (missing or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def unit_menu(site: PreviewSite, fmt: str) -> list[dict[str, Any]]:
    """Every unit of the course with its launch page, status, lock and manifest values.

    Returns:
        One entry per unit (``id``, ``title``, ``launch``, ``requires``, ``status``,
        ``finished``, ``locked``, ``waitingFor`` (titles), ``launchInfo``), or [] for one-unit courses.
    """
    renderer = site.session.renderer
    if renderer is None or len(renderer.content.plan.units) < 2:
        return []
    units = renderer.content.plan.units
    states = {u.id: read_state(state_file(site.root, fmt, u.id)) for u in units}
    titles = {u.id: u.title for u in units}
    items = _items(site.package_dir(fmt) / MANIFEST_NAME)
    course = renderer.course
    menu = []
    for unit in units:
        waiting = [titles[other] for other in unit.requires if not finished(states.get(other), fmt)]
        menu.append({"id": unit.id, "title": unit.title, "launch": unit.launch, "requires": list(unit.requires),
                     "status": status_of(states[unit.id], fmt), "finished": finished(states[unit.id], fmt),
                     "locked": bool(waiting), "waitingFor": waiting,
                     "launchInfo": items.get(unit_ids(course, unit.id)["item"], {})})
    return menu


def _items(manifest: Path) -> dict[str, dict[str, Any]]:
    """The values an LMS copies from each launchable item of *manifest*, by identifier."""
    from builder.serve_site import read_launch_info

    if not manifest.is_file():
        return {}
    root = etree.fromstring(manifest.read_bytes())
    found: dict[str, dict[str, Any]] = {}
    for item in root.iter("{*}item"):
        if item.get("identifierref"):
            found[str(item.get("identifier"))] = read_launch_info(etree.tostring(item))
    return found
