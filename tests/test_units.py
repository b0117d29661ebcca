"""Units of tracking (``packaging: units``): settings, plan, manifests of every mode, course data."""
from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder.build import build_course
from builder.course import load_course, read_course
from builder.errors import ContentError
from builder.manifest_units import MAP_PREFIX
from builder.plan import plan_course
from builder.render import course_script
from builder.scorm import get_version
from tests.shared import validate_zip

MODULAR = Path(__file__).parent / "courses" / "modular"
GOLDEN = Path(__file__).parent / "golden"


def copy_course(tmp_path: Path, **packaging: str) -> Path:
    """The modular test course in *tmp_path*, its packaging settings changed."""
    folder = tmp_path / "modular"
    shutil.copytree(MODULAR, folder)
    config = folder / "course.yml"
    text = config.read_text(encoding="utf-8")
    for key, value in packaging.items():
        text = re.sub(rf"(?m)^  {key}: .*\n", "", text) + f"  {key}: {value}\n"
    config.write_text(text, encoding="utf-8")
    return folder


def errors_of(folder: Path) -> list[str]:
    _course, problems = read_course(folder)
    return [p.format(folder) for p in problems if p.is_error]


def manifest(zip_path: Path) -> etree._Element:
    with zipfile.ZipFile(zip_path) as zf:
        return etree.fromstring(zf.read("imsmanifest.xml"))


def xp(root: etree._Element, path: str, version: str) -> list[etree._Element]:
    ns = {k if k else "cp": v for k, v in get_version(version).namespaces.items()}
    return root.xpath(path, namespaces=ns)


# ---------------------------------------------------------------- settings
def test_units_default_to_course_and_read_requires() -> None:
    course = load_course(MODULAR)
    assert course.packaging.units == "module" and course.packaging.assessment == "unit"
    assert [m.requires for m in course.modules] == [(), ("core",), ("core",)]
    minimal = load_course(Path(__file__).parent / "courses" / "minimal")
    assert minimal.packaging.units == "course" and minimal.packaging.rollup == "assessment"


def test_unknown_unit_mode_is_a_located_error(tmp_path: Path) -> None:
    folder = copy_course(tmp_path, units="chapter")
    (message,) = errors_of(folder)
    assert re.match(r"course\.yml:\d+: error: unknown units 'chapter'", message)
    assert "course, module, lesson" in message


def test_unknown_and_cyclic_requires_are_located_errors(tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    config = folder / "course.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("  - id: core\n", "  - id: core\n    requires: [diaspora]\n")
    text = text.replace("requires: [core]\n    lessons:\n      - lessons/03", "requires: [cor]\n    lessons:\n      - lessons/03")
    config.write_text(text, encoding="utf-8")
    messages = errors_of(folder)
    lines = text.splitlines()
    unknown = [m for m in messages if "unknown module 'cor'" in m]
    assert len(unknown) == 1 and "requires unknown module" in unknown[0]
    line = int(unknown[0].split(":")[1])
    assert lines[line - 1].strip() == "requires: [cor]"
    cycle = [m for m in messages if "circle" in m]
    assert len(cycle) == 1 and "core → diaspora → core" in cycle[0]
    with pytest.raises(ContentError):
        load_course(folder)


def test_a_module_requiring_itself(tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    config = folder / "course.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("requires: [core]\n    lessons:\n      - lessons/05",
                                                                 "requires: [diaspora]\n    lessons:\n      - lessons/05"),
                      encoding="utf-8")
    assert any("module 'diaspora' requires itself" in m for m in errors_of(folder))


@pytest.mark.parametrize("units", ["module", "lesson"])
def test_multilingual_with_smaller_units_is_refused_at_its_line(tmp_path: Path, units: str) -> None:
    folder = copy_course(tmp_path, units=units, multilingual="true")
    (message,) = errors_of(folder)
    lines = (folder / "course.yml").read_text(encoding="utf-8").splitlines()
    assert re.match(rf"course\.yml:\d+: error: multilingual: true cannot be combined with units: {units}", message)
    assert lines[int(message.split(":")[1]) - 1].strip() == "multilingual: true"
    assert "use units: course" in message
    assert errors_of(copy_course(tmp_path / "course", units="course", multilingual="true")) == []


# ---------------------------------------------------------------- plan
def test_plan_cuts_units_by_module_and_keeps_links_inside_a_unit() -> None:
    plan = plan_course(load_course(MODULAR))
    assert [u.id for u in plan.units] == ["core", "services", "diaspora", "assessment"]
    assert [[p.id for p in u.pages] for u in plan.units] == [
        ["index", "01-start", "02-basics"], ["03-services", "04-barriers"], ["05-diaspora"], ["assessment"]]
    assert [u.requires for u in plan.units] == [(), ("core",), ("core",), ()]
    assert [u.scored for u in plan.units] == [False, True, False, True]
    barriers = plan.page("04-barriers")
    assert barriers is not None
    sub = plan.unit_plan(barriers)
    assert [p.id for p in sub.pages] == ["03-services", "04-barriers"]
    assert sub.neighbours(barriers)[1] is None  # the unit's last page: "Next" leaves through the LMS
    assert [g.module.id for g in sub.menu(barriers)] == ["services"]


def test_lesson_units_and_assessment_in_the_last_unit(tmp_path: Path) -> None:
    plan = plan_course(load_course(copy_course(tmp_path, units="lesson", assessment="last-module")))
    assert [u.id for u in plan.units] == ["01-start", "02-basics", "03-services", "04-barriers", "05-diaspora"]
    assert [p.id for p in plan.units[-1].pages] == ["05-diaspora", "assessment"]
    assert plan.units[2].requires == ("01-start", "02-basics")


def test_course_mode_is_one_unit_with_every_page() -> None:
    course = load_course(Path(__file__).parent / "courses" / "minimal")
    plan = plan_course(course)
    (unit,) = plan.units
    assert unit.pages == tuple(plan.pages) and plan.unit_plan(plan.pages[1]) is plan
    assert course_script(course, plan, "2004", "scorm2004").startswith(b"window.BUILDER_COURSE = {")


def test_course_data_per_unit() -> None:
    course = load_course(MODULAR)
    text = course_script(course, plan_course(course), "2004", "scorm2004").decode()
    units = json.loads(re.sub(r"^window\.BUILDER_UNITS = |;\n$", "", text))
    assert [u["unit"] for u in units] == ["core", "services", "diaspora", "assessment"]
    assert [u["start"] for u in units] == [True, False, False, False]
    assert [sorted(u["quizzes"]) for u in units] == [["core-check"], ["services-check"], [], ["final"]]
    assert [p["url"] for p in units[1]["pages"]] == ["03-services.html", "04-barriers.html"]


# ---------------------------------------------------------------- manifests
MODES = [("module", "unit"), ("module", "last-module"), ("lesson", "unit"), ("lesson", "last-module")]


@pytest.mark.parametrize(("units", "assessment"), MODES)
def test_every_unit_mode_is_valid_in_both_versions(tmp_path: Path, units: str, assessment: str) -> None:
    folder = copy_course(tmp_path, units=units, assessment=assessment)
    result = build_course(folder, out=tmp_path / "dist")
    assert len(result.packages) == 2
    for path in [p.path for p in result.packages]:
        validate_zip(path)
        version = "scorm2004" if path.name.endswith("scorm2004.zip") else "scorm12"
        root = manifest(path)
        flag = get_version(version).scormtype_attr
        scos = xp(root, f"//cp:resource[@adlcp:{flag}='sco']", version)
        expected = 5 if units == "lesson" else 3
        assert len(scos) == expected + (assessment == "unit")
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
        listed = [f.get("href") for f in xp(root, "//cp:file", version)]
        assert sorted(listed) == sorted(n for n in names if n.endswith((".html", ".js", ".css", ".png")))
        for sco in scos:  # a SCO lists only its own pages and depends on the shared assets
            assert all(f.get("href").endswith(".html") for f in xp(sco, "cp:file", version))
            assert len(xp(sco, "cp:dependency", version)) == 1


def test_scorm12_prerequisites_name_the_required_items(tmp_path: Path) -> None:
    result = build_course(MODULAR, ("scorm12",), out=tmp_path)
    root = manifest(result.packages[0].path)
    pre = {i.get("identifier"): [p.text for p in xp(i, "adlcp:prerequisites[@type='aicc_script']", "scorm12")]
           for i in xp(root, "//cp:item", "scorm12")}
    assert pre == {"ITEM-modular-course-core": [], "ITEM-modular-course-services": ["ITEM-modular-course-core"],
                   "ITEM-modular-course-diaspora": ["ITEM-modular-course-core"],
                   "ITEM-modular-course-assessment": []}


def test_scorm2004_sequencing_locks_modules_and_rolls_up_the_assessment(tmp_path: Path) -> None:
    result = build_course(MODULAR, ("scorm2004",), out=tmp_path)
    root = manifest(result.packages[0].path)
    v = "scorm2004"
    (org_seq,) = xp(root, "//cp:organization/imsss:sequencing", v)
    assert xp(org_seq, "imsss:controlMode[@choice='true'][@flow='true']", v)
    items = {i.get("identifier"): i for i in xp(root, "//cp:item", v)}
    services = items["ITEM-modular-course-services"]
    conditions = xp(services, ".//imsss:preConditionRule[imsss:ruleAction/@action='disabled']//imsss:ruleCondition", v)
    # disabled while the core module is neither satisfied nor completed
    assert {(c.get("referencedObjective"), c.get("operator"), c.get("condition")) for c in conditions} == {
        ("REQ-modular-course-core", "not", "completed"), ("REQ-modular-course-core", "not", "satisfied")}
    assert xp(services, ".//imsss:ruleConditions[@conditionCombination='all']", v)
    assert xp(services, ".//imsss:objective[@objectiveID='REQ-modular-course-core']", v)
    target = "urn:builder:course-modular-course:unit-core"
    # mastery: the core module writes its satisfied status and measure, the dependants read it
    (write,) = xp(items["ITEM-modular-course-core"], ".//imsss:primaryObjective/imsss:mapInfo", v)
    assert dict(write.attrib) == {"targetObjectiveID": target, "readSatisfiedStatus": "false",
                                  "readNormalizedMeasure": "false", "writeSatisfiedStatus": "true",
                                  "writeNormalizedMeasure": "true"}
    (read,) = xp(services, ".//imsss:objective[@objectiveID='REQ-modular-course-core']/imsss:mapInfo", v)
    assert (read.get("targetObjectiveID"), read.get("readSatisfiedStatus"), read.get("writeSatisfiedStatus")) == (
        target, "true", "false")
    # same namespace, another prefix: Moodle 4.5's parser crashes on a literal "imsss:mapInfo"
    assert {m.prefix for m in xp(root, "//imsss:mapInfo", v)} == {MAP_PREFIX}
    assert b"<imsss:mapInfo" not in etree.tostring(root)
    assert xp(items["ITEM-modular-course-core"], f".//adlseq:mapInfo[@targetObjectiveID='{target}']"
                                                 "[@writeCompletionStatus='true']", v)
    assert xp(services, f".//adlseq:mapInfo[@targetObjectiveID='{target}'][@readCompletionStatus='true']", v)
    # rollup: assessment → only the assessment decides whether the course is passed
    silent = {i.get("identifier") for i in xp(root, "//cp:item[imsss:sequencing/imsss:rollupRules"
                                                    "[@rollupObjectiveSatisfied='false']]", v)}
    assert silent == {"ITEM-modular-course-core", "ITEM-modular-course-services", "ITEM-modular-course-diaspora"}


def test_rollup_units_lets_every_scored_unit_count(tmp_path: Path) -> None:
    result = build_course(copy_course(tmp_path, rollup="units"), ("scorm2004",), out=tmp_path / "dist")
    root = manifest(result.packages[0].path)
    silent = {i.get("identifier") for i in xp(root, "//cp:item[imsss:sequencing/imsss:rollupRules"
                                                    "[@rollupObjectiveSatisfied='false']]", "scorm2004")}
    assert silent == {"ITEM-modular-course-core", "ITEM-modular-course-diaspora"}  # no graded quiz


@pytest.mark.parametrize("version", ["scorm12", "scorm2004"])
def test_golden_modular_manifest(tmp_path: Path, version: str) -> None:
    # Reviewed copies; regenerate with UPDATE_GOLDEN=1 after an intended change.
    result = build_course(MODULAR, (version,), out=tmp_path)
    with zipfile.ZipFile(result.packages[0].path) as zf:
        data = zf.read("imsmanifest.xml")
    golden = GOLDEN / f"modular-{version}.xml"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(data)
    assert data == golden.read_bytes()


def test_publish_counts_the_scos_of_a_package(tmp_path: Path) -> None:
    from builder.moodle_package import sco_count

    modular = build_course(MODULAR, ("scorm12",), out=tmp_path / "a").packages[0].path
    single = build_course(Path(__file__).parent / "courses" / "minimal", ("scorm2004",),
                          out=tmp_path / "b").packages[0].path
    assert sco_count(modular.read_bytes()) == 4
    assert sco_count(single.read_bytes()) == 1
    assert sco_count(b"not a zip") == 0


def test_the_website_is_one_unit_whatever_the_packaging(tmp_path: Path) -> None:
    result = build_course(MODULAR, ("web", "scorm2004"), out=tmp_path)
    by_format = {p.format: p.path for p in result.packages}
    with zipfile.ZipFile(by_format["web"]) as zf:
        script = zf.read("assets/course.js").decode()
        lesson = zf.read("04-barriers.html").decode()
    assert script.startswith("window.BUILDER_COURSE = {")
    assert len(json.loads(re.sub(r"^window\.BUILDER_COURSE = |;\n$", "", script))["pages"]) == 7
    assert 'href="05-diaspora.html"' in lesson  # Next leads on to the next module
    with zipfile.ZipFile(by_format["scorm2004"]) as zf:
        sco = zf.read("04-barriers.html").decode()
    assert 'href="05-diaspora.html"' not in sco and 'href="01-start.html"' not in sco
