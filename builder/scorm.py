"""The per-version table: everything that differs between SCORM 1.2 and SCORM 2004.

Other modules never test ``if version == "1.2"``; they look the answer up in a
:class:`ScormVersion` returned by :func:`get_version`. Adding a version (say 2004 3rd
Edition) means adding one entry to :data:`VERSIONS`.

The data-model limits (``cmi.suspend_data``, the bookmark, identifiers, responses ...)
live in one table, ``scorm_limits.json`` beside this module: this module reads it, the
runtime bundle script injects it into each bundle and the preview LMS gets it from
:func:`tracking_limits`.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"

LIMITS_FILE = Path(__file__).with_name("scorm_limits.json")
_LIMITS: dict[str, dict[str, int]] = json.loads(LIMITS_FILE.read_text(encoding="utf-8"))


def tracking_limits() -> dict[str, dict[str, int]]:
    """Return the data-model limits of every SCORM version (a copy of ``scorm_limits.json``).

    Returns:
        Package format name (``scorm12``, ``scorm2004``) → limit name → characters (or, for
        ``fill_in_patterns``, a count). Names: ``suspend_data``, ``location``,
        ``identifier``, ``learner_response``, ``fill_in_text``, ``comments`` and others.
    """
    return copy.deepcopy(_LIMITS)


@dataclass(frozen=True)
class ScormVersion:
    """What a package of one SCORM version looks like.

    Attributes:
        format: the package format name used on the command line (``scorm12``).
        runtime: the value the renderer and the learner runtime use (``1.2``, ``2004``).
        label: a human name for messages.
        schemaversion: the exact text of ``<schemaversion>`` (LMSs pick their runtime from it).
        namespaces: prefix → namespace URI, declared on the root; ``None`` is the default
            (content packaging) namespace. Prefixes are kept literally in the output.
        schema_files: namespace → XSD file name, in ``xsi:schemaLocation`` order.
        schema_set: the folder of a schema directory that holds this version's control
            files (``--schemas DIR`` copies ``DIR/<schema_set>/**``).
        scormtype_attr: the local name of the SCO/asset attribute (spelling differs).
        metadata: ``imsmd`` (IMS Metadata 1.2.1, ``langstring``) or ``lom`` (IEEE LOM,
            ``string``): which inline metadata binding the manifest uses.
        mastery: ``masteryscore`` (1.2 item element, 0–100) or ``objective`` (2004 primary
            objective with ``minNormalizedMeasure``, 0–1).
        sequencing: whether items carry ``imsss:sequencing`` delivery controls.
        max_title: longest ``<title>`` the CP schema accepts (``None``: no limit).
        max_version: longest ``manifest/@version`` the CP schema accepts.
        suspend_data_limit: characters of ``cmi.suspend_data`` an LMS must keep.
        location_limit: characters of the bookmark element.
        api_name: the name of the LMS API object the runtime looks for.
    """

    format: str
    runtime: str
    label: str
    schemaversion: str
    namespaces: dict[str | None, str]
    schema_files: dict[str, str]
    schema_set: str
    scormtype_attr: str
    metadata: str
    mastery: str
    sequencing: bool
    max_title: int | None
    max_version: int | None
    suspend_data_limit: int
    location_limit: int
    api_name: str

    def ns(self, prefix: str) -> str:
        """Return the namespace URI bound to *prefix*.

        Args:
            prefix: a prefix of :attr:`namespaces`, e.g. ``adlcp``.

        Returns:
            The namespace URI.

        Raises:
            KeyError: the version does not use that prefix.
        """
        return self.namespaces[prefix]

    @property
    def schema_location(self) -> str:
        """The value of ``xsi:schemaLocation``: namespace/file pairs, space separated."""
        return " ".join(f"{ns} {name}" for ns, name in self.schema_files.items())


SCORM12 = ScormVersion(
    format="scorm12",
    runtime="1.2",
    label="SCORM 1.2",
    schemaversion="1.2",
    namespaces={
        None: "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "imsmd": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
        "xsi": XSI_NS,
    },
    schema_files={
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
    },
    schema_set="scorm12",
    scormtype_attr="scormtype",
    metadata="imsmd",
    mastery="masteryscore",
    sequencing=False,
    max_title=200,
    max_version=20,
    suspend_data_limit=_LIMITS["scorm12"]["suspend_data"],
    location_limit=_LIMITS["scorm12"]["location"],
    api_name="API",
)

SCORM2004 = ScormVersion(
    format="scorm2004",
    runtime="2004",
    label="SCORM 2004 4th Edition",
    schemaversion="2004 4th Edition",
    namespaces={
        None: "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
        "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss",
        "lom": "http://ltsc.ieee.org/xsd/LOM",
        "xsi": XSI_NS,
    },
    schema_files={
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
        "http://ltsc.ieee.org/xsd/LOM": "lom.xsd",
    },
    schema_set="scorm2004_4th",
    scormtype_attr="scormType",
    metadata="lom",
    mastery="objective",
    sequencing=True,
    max_title=None,
    max_version=None,
    suspend_data_limit=_LIMITS["scorm2004"]["suspend_data"],
    location_limit=_LIMITS["scorm2004"]["location"],
    api_name="API_1484_11",
)

VERSIONS: dict[str, ScormVersion] = {v.format: v for v in (SCORM12, SCORM2004)}
"""Every supported version, keyed by package format name, in build order."""


def get_version(name: str) -> ScormVersion:
    """Look up a SCORM version by format name (``scorm12``) or runtime name (``1.2``).

    Args:
        name: ``scorm12``, ``scorm2004``, ``1.2`` or ``2004``.

    Returns:
        The matching :class:`ScormVersion`.

    Raises:
        ValueError: the name is not a supported version.
    """
    for version in VERSIONS.values():
        if name in (version.format, version.runtime):
            return version
    known = ", ".join(f"{v.format} ({v.runtime})" for v in VERSIONS.values())
    raise ValueError(f"unknown SCORM version {name!r}; use one of {known}")
