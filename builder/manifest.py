"""The ``imsmanifest.xml`` of a package, built as an lxml tree (never from text templates).

One organization holds one item that launches one SCO resource (``index.html``) listing
every file of the package; a course with several units (``packaging: units``) gets an item
and a SCO resource per unit and a shared asset resource (:mod:`builder.manifest_units`). Identifiers derive from the course id, so they are the same on
every rebuild and an LMS recognises an updated package. Version differences (namespaces,
attribute spellings, metadata binding, pass mark) come from :mod:`builder.scorm`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from lxml import etree

from builder.course import Course
from builder.errors import PackageError
from builder import manifest_units
from builder.scorm import XML_NS, ScormVersion, get_version

if TYPE_CHECKING:
    from builder.plan import Unit

MANIFEST_NAME = "imsmanifest.xml"
LAUNCH_PAGE = "index.html"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

_NOT_NAME_CHAR = re.compile(r"[^A-Za-z0-9._-]")
# Characters left as they are in an href; everything else is percent-encoded (UTF-8).
_HREF_SAFE = "/-._~"


def xml_id(prefix: str, raw: str) -> str:
    """Make a valid XML ``ID`` (an NCName) from a prefix and a course-supplied value.

    Args:
        prefix: a fixed prefix starting with a letter, e.g. ``ITEM``.
        raw: the variable part, usually the course id.

    Returns:
        ``<prefix>-<raw>`` with any character outside ``[A-Za-z0-9._-]`` replaced by ``_``.
    """
    return f"{prefix}-{_NOT_NAME_CHAR.sub('_', raw)}"


def identifiers(course: Course) -> dict[str, str]:
    """Return the stable identifiers of a course's manifest.

    Args:
        course: the course.

    Returns:
        A dict with the keys ``manifest``, ``organization``, ``item``, ``resource`` and
        ``objective``.
    """
    return {
        "manifest": xml_id("MANIFEST", course.id),
        "organization": xml_id("ORG", course.id),
        "item": xml_id("ITEM", course.id),
        "resource": xml_id("RES", course.id),
        "objective": xml_id("OBJ", course.id),
    }


def href(path: str) -> str:
    """Percent-encode an archive path for use as an ``href`` (``a b.pdf`` → ``a%20b.pdf``).

    Args:
        path: a ``/``-separated path inside the package.

    Returns:
        The path with every character outside ``[A-Za-z0-9/._~-]`` percent-encoded.
    """
    return quote(path, safe=_HREF_SAFE)


def mastery_score(course: Course) -> int | None:
    """Return the pass mark (0–100) the manifest announces, or None for no pass mark.

    A pass mark is only meaningful when passing a graded quiz decides the outcome
    (completion ``quiz`` or ``both``). With completion ``pages`` announcing one would let
    the LMS turn a completed attempt into "failed" from a quiz score that does not count.

    Args:
        course: the course.

    Returns:
        ``course.packaging.passing_score`` or None.
    """
    if course.packaging.completion not in ("quiz", "both"):
        return None
    if not any(quiz.graded for quiz in course.quizzes):
        return None
    return course.packaging.passing_score


def build_manifest(course: Course, files: Iterable[str], version: str, launch: str = LAUNCH_PAGE,
                   editions: Sequence[Course] = (), units: Sequence[Unit] = ()) -> bytes:
    """Build the ``imsmanifest.xml`` of one package.

    Args:
        course: the course being packaged.
        files: every archive path of the package except ``imsmanifest.xml`` (that name is
            ignored if present); all are listed as files of the SCO. ``index.html`` must be
            one of them.
        version: ``scorm12``/``1.2`` or ``scorm2004``/``2004``.
        launch: the unit's launch page (from the plan: :attr:`builder.plan.Unit.launch`).
        editions: the translations a multilingual package also holds: their titles,
            descriptions and languages go into the metadata beside the course's.
        units: the plan's units; with two or more, each is a SCO of its own
            (:mod:`builder.manifest_units`) and *launch* is not used.

    Returns:
        The manifest: UTF-8, with an XML declaration, pretty-printed.

    Raises:
        PackageError: the files do not include the launch page.
        ValueError: unknown version.
    """
    scorm = get_version(version)
    paths = sorted({f for f in files if f != MANIFEST_NAME})
    for needed in [u.launch for u in units] if len(units) > 1 else [launch]:
        if needed not in paths:
            raise PackageError(f"the package has no {needed} to launch")
    ids = identifiers(course)
    nsmap: Any = scorm.namespaces  # None is the default namespace (lxml allows it)
    root = etree.Element(_q(scorm, None, "manifest"), nsmap=nsmap)
    root.set("identifier", ids["manifest"])
    root.set("version", _clip(course.version, scorm.max_version))
    root.set(_q(scorm, "xsi", "schemaLocation"), scorm.schema_location)
    _add_metadata(root, scorm, [course, *editions])
    if len(units) > 1:
        _add_units(root, scorm, course, ids, units, paths)
    else:
        _add_organization(root, scorm, course, ids)
        resources = _sub(root, scorm, None, "resources")
        resource = _sub(resources, scorm, None, "resource", {
            "identifier": ids["resource"],
            "type": "webcontent",
            _q(scorm, "adlcp", scorm.scormtype_attr): "sco",
            "href": href(launch),
        })
        # The launch page first, then the rest in sorted order: a stable, readable inventory.
        for path in [launch] + [p for p in paths if p != launch]:
            _sub(resource, scorm, None, "file", {"href": href(path)})
    # lxml writes its declaration with single quotes; some LMS parsers only look for the
    # usual double-quoted form, so the declaration is written out and lxml does the rest.
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False,
                                            pretty_print=True)


def _add_units(root: etree._Element, scorm: ScormVersion, course: Course, ids: dict[str, str],
               units: Sequence[Unit], paths: list[str]) -> None:
    """The organization and resources of a package with several units (SCOs)."""
    organizations = _sub(root, scorm, None, "organizations", {"default": ids["organization"]})
    organization = _sub(organizations, scorm, None, "organization", {"identifier": ids["organization"]})
    _sub(organization, scorm, None, "title").text = _clip(course.title, scorm.max_title)
    manifest_units.add_items(organization, scorm, course, units, mastery_score(course))
    manifest_units.add_resources(_sub(root, scorm, None, "resources"), scorm, course, units, paths)


def _add_metadata(root: etree._Element, scorm: ScormVersion, courses: Sequence[Course]) -> None:
    metadata = _sub(root, scorm, None, "metadata")
    _sub(metadata, scorm, None, "schema").text = "ADL SCORM"
    _sub(metadata, scorm, None, "schemaversion").text = scorm.schemaversion
    # IMS Metadata 1.2.1 (1.2) and the IEEE LOM XML binding (2004) share the shape we use:
    # general = title, language, description (schema order); only the prefix and the name
    # of the language-tagged string element differ. A multilingual package has one string
    # per language in the title and description, and one language element per language.
    prefix = scorm.metadata
    string_tag = "langstring" if prefix == "imsmd" else "string"
    lom = _sub(metadata, scorm, prefix, "lom")
    general = _sub(lom, scorm, prefix, "general")
    title = _sub(general, scorm, prefix, "title")
    for each in courses:
        _langstring(title, scorm, prefix, string_tag, each.title, each.language)
    for each in courses:
        _sub(general, scorm, prefix, "language").text = each.language
    described = [each for each in courses if each.description]
    if described:
        description = _sub(general, scorm, prefix, "description")
        for each in described:
            _langstring(description, scorm, prefix, string_tag, each.description.strip(), each.language)


def _langstring(parent: etree._Element, scorm: ScormVersion, prefix: str, tag: str,
                text: str, language: str) -> None:
    # IMS MD marks the language with xml:lang, the IEEE LOM binding with @language.
    attr = f"{{{XML_NS}}}lang" if prefix == "imsmd" else "language"
    _sub(parent, scorm, prefix, tag, {attr: language}).text = text


def _add_organization(root: etree._Element, scorm: ScormVersion, course: Course,
                      ids: dict[str, str]) -> None:
    organizations = _sub(root, scorm, None, "organizations", {"default": ids["organization"]})
    organization = _sub(organizations, scorm, None, "organization",
                        {"identifier": ids["organization"]})
    title = _clip(course.title, scorm.max_title)
    _sub(organization, scorm, None, "title").text = title
    item = _sub(organization, scorm, None, "item",
                {"identifier": ids["item"], "identifierref": ids["resource"]})
    _sub(item, scorm, None, "title").text = title
    passing = mastery_score(course)
    if scorm.mastery == "masteryscore":
        if passing is not None:
            _sub(item, scorm, "adlcp", "masteryscore").text = str(passing)
    if scorm.sequencing:
        # Extension elements follow title/children/metadata; imsss children in schema order:
        # objectives before deliveryControls.
        sequencing = _sub(item, scorm, "imsss", "sequencing")
        if scorm.mastery == "objective" and passing is not None:
            objectives = _sub(sequencing, scorm, "imsss", "objectives")
            primary = _sub(objectives, scorm, "imsss", "primaryObjective",
                           {"objectiveID": ids["objective"], "satisfiedByMeasure": "true"})
            _sub(primary, scorm, "imsss", "minNormalizedMeasure").text = _scaled(passing)
        # The SCO sets completion and success itself; without these the LMS may mark the
        # attempt completed/satisfied on its own when the SCO exits.
        _sub(sequencing, scorm, "imsss", "deliveryControls",
             {"completionSetByContent": "true", "objectiveSetByContent": "true"})


def _scaled(score: int) -> str:
    """0–100 → 0…1 as a short decimal string (70 → ``0.7``, 100 → ``1``)."""
    text = f"{score / 100:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _clip(text: str, limit: int | None) -> str:
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _q(scorm: ScormVersion, prefix: str | None, name: str) -> str:
    return f"{{{scorm.namespaces[prefix]}}}{name}"


def _sub(parent: etree._Element, scorm: ScormVersion, prefix: str | None, name: str,
         attrs: dict[str, str] | None = None) -> etree._Element:
    element = etree.SubElement(parent, _q(scorm, prefix, name))
    for key, value in (attrs or {}).items():
        element.set(key, value)
    return element
