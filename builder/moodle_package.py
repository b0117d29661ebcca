"""What Moodle will read from a SCORM zip: its version, as Moodle decides it, and its hash.

Moodle reads ``<schemaversion>`` of the manifest's ``<metadata>``: exactly ``2004 4th
Edition``, ``2004 3rd Edition``, ``1.3`` or ``CAM 1.3`` makes the activity SCORM 2004
(``SCORM_1.3``), anything else SCORM 1.2 (``SCORM_1.2``). The publisher uses this to
compare the package in an activity with the new one before replacing it.
"""
from __future__ import annotations

import hashlib
import io
import zipfile

from lxml import etree

from builder.manifest import MANIFEST_NAME

MOODLE_VERSIONS = {"SCORM_1.2": "scorm12", "SCORM_1.3": "scorm2004", "AICC": "aicc"}
SCHEMA_2004 = ("2004 4th Edition", "2004 3rd Edition", "1.3", "CAM 1.3")
LABELS = {"scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004", "aicc": "AICC"}


def package_version(data: bytes) -> str | None:
    """Return ``scorm12`` or ``scorm2004`` for a zip's bytes, or None if it has no manifest."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest = archive.read(MANIFEST_NAME)
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    try:
        root = etree.fromstring(manifest, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    found = root.xpath("//*[local-name()='metadata']/*[local-name()='schemaversion']")
    text = (found[0].text or "").strip() if isinstance(found, list) and found \
        and isinstance(found[0], etree._Element) else ""
    return "scorm2004" if text in SCHEMA_2004 else "scorm12"


def sha1(data: bytes) -> str:
    """Return the SHA-1 Moodle keeps for a package (``sha1hash``): unchanged, no new revision."""
    return hashlib.sha1(data).hexdigest()  # noqa: S324 - Moodle's own choice, not security


GRADE_LEARNING_OBJECTS = "0"
"""Moodle's SCORM grading method "Learning objects" (``grademethod``): the grade is the
number of SCOs completed or passed, out of the number of SCOs."""


def sco_count(data: bytes) -> int:
    """The number of SCO resources in a zip's manifest (0 if it has none or no manifest)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest = archive.read(MANIFEST_NAME)
        root = etree.fromstring(manifest, etree.XMLParser(resolve_entities=False, no_network=True))
    except (KeyError, zipfile.BadZipFile, OSError, etree.XMLSyntaxError):
        return 0
    found = root.xpath("//*[local-name()='resource'][@*[local-name()='scormtype' or "
                       "local-name()='scormType']='sco']")
    return len(found) if isinstance(found, list) else 0
