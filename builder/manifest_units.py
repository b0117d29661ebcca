"""The organization and resources of a package with several units (``packaging: units``).

One organization holds one item per unit (with ``units: lesson``, a cluster item per module
holds its lessons' items; clusters are not launchable). Each unit is a SCO resource that
lists only its own pages and depends on one asset resource holding everything the pages
share (theme assets, ``assets/course.js``, the runtime, course files).

Prerequisites come from the modules' ``requires``:

* SCORM 1.2: ``adlcp:prerequisites`` (``aicc_script``): the identifiers of the required
  units' items joined with ``&`` (an item counts once it is passed or completed).
* SCORM 2004: sequencing. The organization allows choice and flow (Continue/Previous) and
  rolls completion and satisfaction up from its children. A required module's activity
  writes its completion status and raw score to a global objective (4th Edition
  ``adlseq:objectives``/``adlseq:mapInfo``) and its satisfied status and normalized measure
  (its mastery, ``imsss:mapInfo``); a module that requires it reads the completion and
  satisfied status into a local objective, and a precondition rule disables it while that
  objective is neither satisfied nor completed. The ``imsss:mapInfo`` elements are written
  with a prefix of their own (:data:`MAP_PREFIX`, bound to the same imsss namespace): Moodle
  4.5's manifest parser matches tag names with their literal prefix and crashes on every
  ``imsss:mapInfo`` (``mod/scorm/datamodels/scormlib.php`` line 378 assigns to an undefined
  ``$objectivesdata``), so it skips these; a namespace-aware LMS reads them as imsss maps.
  Units that must not decide whether the course is passed (everything but the assessment
  with ``rollup: assessment``; units without a graded quiz) carry
  ``rollupObjectiveSatisfied="false"``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from builder.scorm import ScormVersion

if TYPE_CHECKING:
    from builder.course import Course
    from builder.plan import Unit


def unit_ids(course: Course, unit_id: str) -> dict[str, str]:
    """The stable identifiers of one unit: its item, resource and primary objective."""
    from builder.manifest import xml_id

    raw = f"{course.id}-{unit_id}"
    return {"item": xml_id("ITEM", raw), "resource": xml_id("RES", raw), "objective": xml_id("OBJ", raw)}


def global_objective(course: Course, key: str) -> str:
    """The global objective (a URN) that carries the status of module or unit *key*."""
    from builder.manifest import xml_id

    return f"urn:builder:{xml_id('course', course.id)}:{xml_id('unit', key)}"


def add_resources(resources: etree._Element, scorm: ScormVersion, course: Course, units: Sequence[Unit],
                  paths: list[str]) -> None:
    """One SCO resource per unit (its pages) plus the shared asset resource (every other file)."""
    from builder.manifest import _q, _sub, href, xml_id

    shared_id = xml_id("ASSETS", course.id)
    own = {page.url for unit in units for page in unit.pages}
    for unit in units:
        ids = unit_ids(course, unit.id)
        resource = _sub(resources, scorm, None, "resource", {
            "identifier": ids["resource"], "type": "webcontent",
            _q(scorm, "adlcp", scorm.scormtype_attr): "sco", "href": href(unit.launch)})
        for page in unit.pages:
            _sub(resource, scorm, None, "file", {"href": href(page.url)})
        _sub(resource, scorm, None, "dependency", {"identifierref": shared_id})
    shared = _sub(resources, scorm, None, "resource", {
        "identifier": shared_id, "type": "webcontent", _q(scorm, "adlcp", scorm.scormtype_attr): "asset"})
    for path in paths:
        if path not in own:
            _sub(shared, scorm, None, "file", {"href": href(path)})


def add_items(organization: etree._Element, scorm: ScormVersion, course: Course, units: Sequence[Unit],
              passing: int | None) -> None:
    """The items of the units (clusters per module with ``units: lesson``) and their rules."""
    from builder.manifest import _clip, _sub

    by_lesson = course.packaging.units == "lesson"
    required = {other for unit in units if unit.module is not None for other in unit.module.requires}
    clusters: dict[str, tuple[etree._Element, list[Unit]]] = {}
    for unit in units:
        parent = organization
        if by_lesson and unit.module is not None:
            if unit.module.id not in clusters:
                clusters[unit.module.id] = (_cluster(organization, scorm, course, unit), [])
            parent = clusters[unit.module.id][0]
            clusters[unit.module.id][1].append(unit)
        ids = unit_ids(course, unit.id)
        item = _sub(parent, scorm, None, "item", {"identifier": ids["item"], "identifierref": ids["resource"]})
        _sub(item, scorm, None, "title").text = _clip(unit.title, scorm.max_title)
        mastery = passing if unit.scored else None
        if scorm.sequencing:
            top = parent is organization
            counts = counts_for_passing(course, unit, units) if top else unit.scored
            needs = unit.requires if top else ()
            key = unit.id if (top and unit.module is not None and unit.id in required) else None
            _sequencing(item, scorm, course, Activity(ids["objective"], key, needs, mastery, counts, leaf=True))
        else:
            if unit.requires:
                _sub(item, scorm, "adlcp", "prerequisites", {"type": "aicc_script"}).text = "&".join(
                    unit_ids(course, other)["item"] for other in unit.requires)
            if mastery is not None:
                _sub(item, scorm, "adlcp", "masteryscore").text = str(mastery)
    if scorm.sequencing:
        from builder.manifest import xml_id

        for module_id, (cluster, members) in clusters.items():  # sequencing follows the child items
            module = members[0].module
            assert module is not None
            counts = any(counts_for_passing(course, u, units) for u in members)
            key = module_id if module_id in required else None
            objective = xml_id("OBJ", f"{course.id}-{module_id}")
            _sequencing(cluster, scorm, course, Activity(objective, key, module.requires, None, counts, leaf=False))
        _organization_sequencing(organization, scorm)


@dataclass(frozen=True)
class Activity:
    """What the sequencing of one item says.

    Attributes:
        objective: its primary objective's id.
        key: the module id whose global objective it writes (None: nobody requires it).
        requires: the module ids whose global objectives must be completed first.
        mastery: the pass mark (0-100) that satisfies it by measure, or None.
        counts: whether its satisfaction rolls up into its parent's.
        leaf: a SCO (content sets status) rather than a cluster (status rolls up).
    """

    objective: str
    key: str | None
    requires: tuple[str, ...]
    mastery: int | None
    counts: bool
    leaf: bool


def _sequencing(item: etree._Element, scorm: ScormVersion, course: Course, act: Activity) -> None:
    """The ``imsss:sequencing`` of one item, children in schema order."""
    from builder.manifest import _scaled, _sub, xml_id

    sequencing = _sub(item, scorm, "imsss", "sequencing")
    if not act.leaf:
        _sub(sequencing, scorm, "imsss", "controlMode", {"choice": "true", "flow": "true"})
    local = {other: xml_id("REQ", f"{course.id}-{other}") for other in act.requires}
    if act.requires:
        rules = _sub(sequencing, scorm, "imsss", "sequencingRules")
        for other in act.requires:  # one rule each: disabled while any requirement is open
            rule = _sub(rules, scorm, "imsss", "preConditionRule")
            conditions = _sub(rule, scorm, "imsss", "ruleConditions", {"conditionCombination": "all"})
            for condition in ("satisfied", "completed"):  # open once satisfied or completed
                _sub(conditions, scorm, "imsss", "ruleCondition", {
                    "referencedObjective": local[other], "operator": "not", "condition": condition})
            _sub(rule, scorm, "imsss", "ruleAction", {"action": "disabled"})
    if not act.counts:
        _sub(sequencing, scorm, "imsss", "rollupRules", {"rollupObjectiveSatisfied": "false"})
    objectives = _sub(sequencing, scorm, "imsss", "objectives")
    primary = _sub(objectives, scorm, "imsss", "primaryObjective", {"objectiveID": act.objective})
    if act.mastery is not None:
        primary.set("satisfiedByMeasure", "true")
        _sub(primary, scorm, "imsss", "minNormalizedMeasure").text = _scaled(act.mastery)
    if act.key is not None:  # mastery: write satisfied status and measure, read nothing
        _mastery_map(primary, scorm, global_objective(course, act.key), read=False)
    for other, objective_id in local.items():
        objective = _sub(objectives, scorm, "imsss", "objective", {"objectiveID": objective_id})
        _mastery_map(objective, scorm, global_objective(course, other), read=True)
    if act.leaf:
        _sub(sequencing, scorm, "imsss", "deliveryControls",
             {"completionSetByContent": "true", "objectiveSetByContent": "true"})
    _completion_maps(sequencing, scorm, course, act, local)


MAP_PREFIX = "imsssmap"
"""The prefix of ``imsss:mapInfo`` elements (same namespace; Moodle 4.5 skips them, see above)."""


def _mastery_map(objective: etree._Element, scorm: ScormVersion, target: str, read: bool) -> None:
    """An ``imsss:mapInfo`` under *objective*: read the global satisfied status (*read*), or
    write satisfied status and normalized measure (the module's mastery) to *target*."""
    namespace = scorm.namespaces["imsss"]
    element = etree.SubElement(objective, f"{{{namespace}}}mapInfo", nsmap={MAP_PREFIX: namespace})
    element.set("targetObjectiveID", target)
    flags = ("true", "false", "false", "false") if read else ("false", "false", "true", "true")
    for name, flag in zip(("readSatisfiedStatus", "readNormalizedMeasure", "writeSatisfiedStatus",
                           "writeNormalizedMeasure"), flags):
        element.set(name, flag)


_NO_READ = {"readRawScore": "false", "readMinScore": "false", "readMaxScore": "false",
            "readProgressMeasure": "false"}
"""Read flags off (adlseq's default to true): a map reads only what it names."""


def _completion_maps(sequencing: etree._Element, scorm: ScormVersion, course: Course, act: Activity,
                     local: dict[str, str]) -> None:
    """``adlseq:objectives``: a required module writes its completion status and raw score to
    its global objective; a module that requires it reads the completion status."""
    from builder.manifest import _sub

    if act.key is None and not local:
        return
    objectives = _sub(sequencing, scorm, "adlseq", "objectives")
    if act.key is not None:
        objective = _sub(objectives, scorm, "adlseq", "objective", {"objectiveID": act.objective})
        _sub(objective, scorm, "adlseq", "mapInfo", {
            "targetObjectiveID": global_objective(course, act.key), **_NO_READ,
            "readCompletionStatus": "false", "writeCompletionStatus": "true", "writeRawScore": "true"})
    for other, objective_id in local.items():
        objective = _sub(objectives, scorm, "adlseq", "objective", {"objectiveID": objective_id})
        _sub(objective, scorm, "adlseq", "mapInfo", {
            "targetObjectiveID": global_objective(course, other), **_NO_READ, "readCompletionStatus": "true"})


def _cluster(organization: etree._Element, scorm: ScormVersion, course: Course, unit: Unit) -> etree._Element:
    """The cluster item of *unit*'s module (``units: lesson``); its sequencing is added later."""
    from builder.manifest import _clip, _sub, xml_id

    assert unit.module is not None
    cluster = _sub(organization, scorm, None, "item",
                   {"identifier": xml_id("MODULE", f"{course.id}-{unit.module.id}")})
    _sub(cluster, scorm, None, "title").text = _clip(unit.module.title, scorm.max_title)
    return cluster


def _organization_sequencing(organization: etree._Element, scorm: ScormVersion) -> None:
    """Choice and flow, and explicit rollup: all children satisfied/completed → the course is."""
    from builder.manifest import _sub

    sequencing = _sub(organization, scorm, "imsss", "sequencing")
    _sub(sequencing, scorm, "imsss", "controlMode", {"choice": "true", "flow": "true"})
    rules = _sub(sequencing, scorm, "imsss", "rollupRules")
    for condition, action in (("satisfied", "satisfied"), ("completed", "completed")):
        rule = _sub(rules, scorm, "imsss", "rollupRule", {"childActivitySet": "all"})
        conditions = _sub(rule, scorm, "imsss", "rollupConditions")
        _sub(conditions, scorm, "imsss", "rollupCondition", {"condition": condition})
        _sub(rule, scorm, "imsss", "rollupAction", {"action": action})


def counts_for_passing(course: Course, unit: Unit, units: Sequence[Unit]) -> bool:
    """Whether *unit*'s satisfaction rolls up into the course's (see ``packaging.rollup``)."""
    if not unit.scored:
        return False
    if course.packaging.rollup == "assessment" and any(u.assessment for u in units):
        return unit.assessment
    return True
