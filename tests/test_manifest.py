"""The manifest of both SCORM versions: structure, identifiers, inventory, pass mark, validity."""
from __future__ import annotations

import dataclasses
import os
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from builder.course import Course, read_course
from builder.errors import PackageError
from builder.manifest import build_manifest, href, identifiers, mastery_score, xml_id
from builder.package import write_zip
from builder.scorm import SCORM12, SCORM2004, VERSIONS, get_version
from tests.shared import run_validator, validate_zip

MINIMAL = Path(__file__).parent / "courses" / "minimal"
FILES = ["index.html", "01-welcome.html", "assessment.html", "assets/course.css", "assets/runtime.js",
         "assets/course.js", "media/dot.png", "files/hand out é.pdf"]


@pytest.fixture
def course() -> Course:
    loaded, problems = read_course(MINIMAL)
    assert loaded is not None, problems
    return loaded


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def find(root: etree._Element, path: str, version: str) -> list[etree._Element]:
    scorm = get_version(version)
    ns = {k if k else "cp": v for k, v in scorm.namespaces.items()}
    return root.xpath(path, namespaces=ns)


def package(tmp_path: Path, course: Course, version: str, files: list[str] = FILES) -> Path:
    contents = {name: f"content of {name}".encode() for name in files}
    contents["imsmanifest.xml"] = build_manifest(course, files, version)
    return write_zip(contents, tmp_path / f"{version}.zip", (2024, 3, 15, 0, 0, 0))


@pytest.mark.parametrize("version", ["scorm12", "scorm2004"])
def test_declaration_namespaces_and_schemaversion(course: Course, version: str) -> None:
    scorm = VERSIONS[version]
    data = build_manifest(course, FILES, version)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest ')
    assert data.count(b"<?xml") == 1
    root = parse(data)
    assert root.tag == f"{{{scorm.namespaces[None]}}}manifest"
    assert root.nsmap == scorm.namespaces
    assert [e.text for e in find(root, "cp:metadata/cp:schema", version)] == ["ADL SCORM"]
    assert [e.text for e in find(root, "cp:metadata/cp:schemaversion", version)] == [scorm.schemaversion]
    location = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    assert dict(zip(location[::2], location[1::2])) == scorm.schema_files


def test_schemaversion_text_is_exact() -> None:
    # Moodle picks its 2004 runtime only for these exact strings.
    assert SCORM12.schemaversion == "1.2"
    assert SCORM2004.schemaversion == "2004 4th Edition"


def test_adlcp_prefix_is_literal(course: Course) -> None:
    data12 = build_manifest(course, FILES, "scorm12")
    data2004 = build_manifest(course, FILES, "scorm2004")
    assert b'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"' in data12
    assert b'adlcp:scormtype="sco"' in data12
    assert b"<adlcp:masteryscore>70</adlcp:masteryscore>" in data12
    assert b'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"' in data2004
    assert b'adlcp:scormType="sco"' in data2004
    assert b"<imsss:sequencing>" in data2004
    assert b"ns0:" not in data12 + data2004


@pytest.mark.parametrize("version", ["scorm12", "scorm2004"])
def test_identifiers_derive_from_course_id(course: Course, version: str) -> None:
    root = parse(build_manifest(course, FILES, version))
    assert root.get("identifier") == "MANIFEST-minimal-course"
    assert find(root, "cp:organizations/@default", version) == ["ORG-minimal-course"]
    assert find(root, "cp:organizations/cp:organization/@identifier", version) == ["ORG-minimal-course"]
    item = find(root, "//cp:item", version)
    assert len(item) == 1
    assert item[0].get("identifier") == "ITEM-minimal-course"
    assert item[0].get("identifierref") == "RES-minimal-course"
    resource = find(root, "cp:resources/cp:resource", version)
    assert len(resource) == 1
    assert resource[0].get("identifier") == "RES-minimal-course"
    assert resource[0].get("href") == "index.html"
    assert resource[0].get("type") == "webcontent"


def test_identifiers_are_stable_and_independent_of_files(course: Course) -> None:
    for version in VERSIONS:
        first = build_manifest(course, FILES, version)
        assert build_manifest(course, list(reversed(FILES)), version) == first
        other = parse(build_manifest(course, ["index.html"], version))
        assert other.get("identifier") == parse(first).get("identifier")


def test_xml_id_makes_valid_names(course: Course) -> None:
    assert xml_id("ITEM", "my-course") == "ITEM-my-course"
    assert xml_id("ITEM", "a b:c/é") == "ITEM-a_b_c__"
    assert identifiers(dataclasses.replace(course, id="x.y"))["resource"] == "RES-x.y"


@pytest.mark.parametrize("version", ["scorm12", "scorm2004"])
def test_every_file_listed_once_launch_page_first(course: Course, version: str) -> None:
    root = parse(build_manifest(course, FILES + ["imsmanifest.xml"], version))
    hrefs = find(root, "cp:resources/cp:resource/cp:file/@href", version)
    assert hrefs[0] == "index.html"
    assert sorted(unquote(h) for h in hrefs) == sorted(FILES)
    assert len(hrefs) == len(set(hrefs))
    assert "files/hand%20out%20%C3%A9.pdf" in hrefs


def test_href_encoding() -> None:
    assert href("media/photo 1.jpg") == "media/photo%201.jpg"
    assert href("files/a&b#c?.pdf") == "files/a%26b%23c%3F.pdf"
    assert href("files/a:b.pdf") == "files/a%3Ab.pdf"
    assert href("assets/runtime.js") == "assets/runtime.js"


@pytest.mark.parametrize("version", ["scorm12", "scorm2004"])
def test_title_description_language_metadata(course: Course, version: str) -> None:
    root = parse(build_manifest(course, FILES, version))
    assert find(root, "cp:organizations/cp:organization/cp:title/text()", version) == [course.title]
    assert find(root, "//cp:item/cp:title/text()", version) == [course.title]
    if version == "scorm12":
        title = find(root, "cp:metadata/imsmd:lom/imsmd:general/imsmd:title/imsmd:langstring", version)
        assert title[0].text == course.title
        assert title[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        assert find(root, "cp:metadata/imsmd:lom/imsmd:general/imsmd:language/text()", version) == ["en"]
        desc = find(root, "//imsmd:description/imsmd:langstring/text()", version)
    else:
        title = find(root, "cp:metadata/lom:lom/lom:general/lom:title/lom:string", version)
        assert title[0].text == course.title
        assert title[0].get("language") == "en"
        assert find(root, "cp:metadata/lom:lom/lom:general/lom:language/text()", version) == ["en"]
        desc = find(root, "//lom:description/lom:string/text()", version)
    assert desc == [course.description]


def test_scorm12_masteryscore(course: Course) -> None:
    root = parse(build_manifest(course, FILES, "scorm12"))
    assert find(root, "//cp:item/adlcp:masteryscore/text()", "scorm12") == ["70"]


def test_scorm2004_objective_and_delivery_controls(course: Course) -> None:
    root = parse(build_manifest(course, FILES, "scorm2004"))
    seq = find(root, "//cp:item/imsss:sequencing", "scorm2004")
    assert len(seq) == 1
    children = [etree.QName(c).localname for c in seq[0]]
    assert children == ["objectives", "deliveryControls"]
    primary = find(root, "//imsss:primaryObjective", "scorm2004")[0]
    assert primary.get("satisfiedByMeasure") == "true"
    assert find(primary, "imsss:minNormalizedMeasure/text()", "scorm2004") == ["0.7"]
    controls = find(root, "//imsss:deliveryControls", "scorm2004")[0]
    assert controls.get("completionSetByContent") == "true"
    assert controls.get("objectiveSetByContent") == "true"


def test_no_pass_mark_when_completion_is_pages(course: Course) -> None:
    pages = dataclasses.replace(course, packaging=dataclasses.replace(course.packaging, completion="pages"))
    assert mastery_score(pages) is None
    assert b"masteryscore" not in build_manifest(pages, FILES, "scorm12")
    data = build_manifest(pages, FILES, "scorm2004")
    assert b"primaryObjective" not in data
    assert b'completionSetByContent="true"' in data


def test_pass_mark_scaling(course: Course) -> None:
    for score, scaled in [(0, "0"), (55, "0.55"), (100, "1")]:
        changed = dataclasses.replace(course, packaging=dataclasses.replace(course.packaging, passing_score=score))
        root = parse(build_manifest(changed, FILES, "scorm2004"))
        assert find(root, "//imsss:minNormalizedMeasure/text()", "scorm2004") == [scaled]


def test_long_title_is_clipped_for_scorm12(course: Course) -> None:
    long = dataclasses.replace(course, title="Word " * 60, version="1.0.0-rc.1+build.123456789")
    root12 = parse(build_manifest(long, FILES, "scorm12"))
    assert len(find(root12, "//cp:item/cp:title/text()", "scorm12")[0]) <= 200
    assert len(root12.get("version")) <= 20
    root2004 = parse(build_manifest(long, FILES, "scorm2004"))
    assert find(root2004, "//cp:item/cp:title/text()", "scorm2004")[0] == " ".join(long.title.split())


def test_launch_page_is_required(course: Course) -> None:
    with pytest.raises(PackageError, match="index.html"):
        build_manifest(course, ["assets/course.css"], "scorm12")


def test_unknown_version(course: Course) -> None:
    with pytest.raises(ValueError, match="unknown SCORM version"):
        build_manifest(course, FILES, "scorm2005")


@pytest.mark.parametrize("version", ["scorm12", "scorm2004", "1.2", "2004"])
def test_official_validator_accepts_package(tmp_path: Path, course: Course, version: str) -> None:
    report = validate_zip(package(tmp_path, course, version))
    expected = "SCORM 1.2" if version in ("scorm12", "1.2") else "SCORM 2004 4th Edition"
    assert expected in report


@pytest.mark.parametrize("completion", ["pages", "both"])
def test_validator_accepts_other_completion_rules(tmp_path: Path, course: Course, completion: str) -> None:
    changed = dataclasses.replace(course, packaging=dataclasses.replace(course.packaging, completion=completion),
                                  description="")
    for version in VERSIONS:
        validate_zip(package(tmp_path, changed, version))


def test_validator_rejects_a_package_missing_a_listed_file(tmp_path: Path, course: Course) -> None:
    # The negative control: the validator really checks the inventory against the zip.
    good = package(tmp_path, course, "scorm2004")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            if info.filename != "media/dot.png":
                dst.writestr(info, src.read(info))
    done = run_validator(bad)
    assert done.returncode == 1
    assert "media/dot.png" in done.stdout


@pytest.mark.parametrize("version", ["scorm12", "scorm2004"])
def test_golden_manifest(course: Course, version: str) -> None:
    # A reviewed copy of each manifest: any change to the output shows up as a diff.
    # After an intended change, regenerate with UPDATE_GOLDEN=1 and review the diff.
    golden = Path(__file__).parent / "golden" / f"minimal-{version}.xml"
    data = build_manifest(course, FILES, version)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(data)
    assert data == golden.read_bytes()
