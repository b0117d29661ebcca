"""Interactive blocks (``::: accordion``, ``tabs``, ``steps``, ``card``, ``hotspots``).

Their HTML without a script, the located errors of ``builder check`` for malformed
blocks, and their expanded form on paper (print CSS, the handbook PDF). How they behave
in a browser is in ``tests/browser/test_blocks.py``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from builder.course import load_course
from builder.printed.document import adapt_lesson
from tests.render_helpers import render_files
from tests.test_check import find, line_no, problems_of
from tests.test_content_checks import listing, write

REPO = Path(__file__).resolve().parent.parent
BLOCKS = REPO / "tests" / "courses" / "blocks"
SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 4 2'/>"


@pytest.fixture(scope="module")
def pages() -> dict[str, Any]:
    """The block test course's lesson pages (SCORM 2004), parsed."""
    files = render_files(load_course(BLOCKS), "2004")
    return {name: lxml_html.fromstring(files[name]) for name in ("01-every-block.html", "02-required.html")}


def text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def test_accordion_is_details_with_summaries(pages: dict[str, Any]) -> None:
    block = pages["01-every-block.html"].find_class("block-accordion")[0]
    assert block.get("data-block") == "accordion" and block.get("data-required") is None
    assert text(block.find_class("block-title")[0]) == "Frequently asked questions"
    items = block.findall("details")
    assert [text(d.find("summary")) for d in items] == [
        "Who registers newcomers?", "Who pays for language classes?", "Where do children go to school?"]
    assert items[2].find(".//strong").text == "local"  # item bodies are Markdown
    assert all(d.get("open") is None for d in items)  # closed on screen, opened by print


def test_tabs_without_script_are_panels_under_their_headings(pages: dict[str, Any]) -> None:
    block = pages["01-every-block.html"].find_class("block-tabs")[0]
    panels = block.find_class("tab-panel")
    assert [text(p.find("h3")) for p in panels] == ["Municipality", "Region", "State"]
    assert "Plans health care" in text(panels[1])
    assert not block.xpath(".//*[@role or @hidden]")  # roles and hiding come from the runtime only


def test_steps_are_an_ordered_list_with_the_step_labels(pages: dict[str, Any]) -> None:
    block = pages["01-every-block.html"].find_class("block-steps")[0]
    steps = block.xpath("./ol[@class='steps-list']/li")
    assert [text(s.find("h3")) for s in steps] == ["Collect data", "Analyse", "Plan", "Monitor"]
    assert block.get("data-label-count") == "Step {n} of {total}"
    assert block.get("data-label-next") == "Next step"


def test_card_has_its_front_and_its_back(pages: dict[str, Any]) -> None:
    block = pages["01-every-block.html"].find_class("block-card")[0]
    assert text(block.find_class("card-front")[0]) == "What is a remittance?"
    back = block.find_class("card-back")[0]
    assert text(back) == "Money that migrants send to family or community at home."
    assert back.get("id") and back.get("hidden") is None


def test_hotspots_markers_link_to_the_list(pages: dict[str, Any]) -> None:
    block = pages["01-every-block.html"].find_class("block-hotspots")[0]
    assert block.tag == "figure"
    img = block.find(".//img")
    assert img.get("alt").startswith("A town map") and img.get("src") == "media/town.svg"
    markers = block.find_class("hotspot-marker")
    entries = block.xpath("./ol[@class='hotspot-list']/li")
    assert [m.get("style") for m in markers] == ["left: 31%; top: 35%", "left: 71%; top: 29%",
                                                  "left: 50%; top: 86%"]
    assert [m.get("href") for m in markers] == [f"#{e.get('id')}" for e in entries]
    assert [m.xpath("string(./span[@aria-hidden='true'])") for m in markers] == ["1", "2", "3"]
    assert [m.xpath("string(./span[@class='visually-hidden'])") for m in markers] == [  # the name read out
        "1: Town hall", "2: Hospital", "3: School"]
    assert text(entries[1]) == "Hospital: health care for every resident."
    assert text(block.find("figcaption")) == "Services on the town map"


def test_required_blocks_carry_their_labels(pages: dict[str, Any]) -> None:
    blocks = pages["02-required.html"].xpath("//*[@data-block]")
    assert [(b.get("data-block"), b.get("data-required")) for b in blocks] == [("tabs", "true"), ("accordion", "true")]
    assert blocks[0].get("data-label-remaining") == "{n} of {total} opened."
    ids = pages["02-required.html"].xpath("//main//@id")
    assert len(ids) == len(set(ids))


def test_labels_follow_the_course_language(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    (starter / "course.yml").write_text((starter / "course.yml").read_text().replace("language: en", "language: fr"))
    lesson.write_text(lesson.read_text() + "\n::: steps required\n### Un\nA.\n\n### Deux\nB.\n:::\n")
    assert [p for p in problems_of(starter) if p.is_error] == []
    page = lxml_html.fromstring(render_files(load_course(starter), "1.2")["01-welcome.html"])
    block = page.find_class("block-steps")[0]
    assert block.get("data-label-count") == "Étape {n} sur {total}"
    assert block.get("data-label-required") == "Obligatoire pour terminer cette leçon :"


BAD = [
    ("::: tabs\n### Only one\nText.\n:::\n", "::: tabs", "'::: tabs' needs at least 2 '### ' tabs (it has 1)"),
    ("::: steps\nA stray line.\n\n### One\nA.\n\n### Two\nB.\n:::\n", "A stray line.",
     "text before the first '### ' step of '::: steps'"),
    ("::: accordion\n### Empty\n\n### Full\nText.\n:::\n", "### Empty", "the item 'Empty' of '::: accordion' has no text"),
    ("::: card\nThe back.\n:::\n", "::: card", "'::: card' needs its front text on the ':::' line"),
    ("::: card The front\n:::\n", "::: card The front", "'::: card' has no back"),
    ("::: hotspots\n1. (10%, 10%) A: b\n:::\n", "1. (10%, 10%) A: b", "'::: hotspots' must start with its picture"),
    ("::: hotspots\n![Map](../media/m.svg)\n\n1. A: no position\n:::\n", "1. A: no position",
     "this spot of '::: hotspots' has no position"),
    ("::: hotspots\n![Map](../media/m.svg)\n\n1. (10%, 10%) A: b\n3. (20%, 20%) C: d\n:::\n", "3. (20%",
     "spot 3 of '::: hotspots' should be number 2"),
    ("::: hotspots\n![Map](../media/m.svg)\n\n1. (120%, 10%) A: b\n:::\n", "1. (120%",
     "the position (120%, 10%) is outside the picture"),
    ("::: hotspots\n![Map](../media/m.svg)\n\nJust a sentence.\n:::\n", "Just a sentence.",
     "this line of '::: hotspots' is not a numbered spot"),
    ("::: hotspots\n![](../media/m.svg)\n\n1. (10%, 10%) A: b\n:::\n", "![](../media/m.svg)", "has no alt text"),
    ("::: tab\n### One\nA.\n:::\n", "::: tab", "unknown block '::: tab'"),
]


@pytest.mark.parametrize(("body", "line_text", "message"), BAD, ids=[b[2][:40] for b in BAD])
def test_malformed_blocks_are_located_errors(starter: Path, body: str, line_text: str, message: str) -> None:
    write(starter / "media/m.svg", SVG)
    lesson = starter / "lessons/01-welcome.md"
    # the same block twice: the second one's errors are at its own lines
    lesson.write_text(lesson.read_text() + "\nA paragraph.\n\n" + body + "\nMore text.\n\n" + body)
    problems = problems_of(starter)
    first = line_no(lesson, line_text)
    second = first + body.count("\n") + 3 if not message.startswith("unknown") else first
    find(problems, lesson, first, message)
    if "alt text" not in message:  # the image check locates a repeated image at its first line
        find(problems, lesson, second, message)


def test_unknown_block_suggests_the_interactive_kinds(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    lesson.write_text(lesson.read_text() + "\n::: acordion\n### One\nA.\n:::\n")
    problem = find(problems_of(starter), lesson, line_no(lesson, "::: acordion"), "unknown block")
    assert problem.hint == "did you mean 'accordion'?"


def test_a_valid_block_of_each_kind_checks_clean() -> None:
    problems = problems_of(BLOCKS)
    assert problems == [], listing(problems)


def test_blocks_inside_a_callout_and_a_callout_inside_a_block(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    lesson.write_text(lesson.read_text() + "\n::: note\n::: card Front\nBack.\n:::\n:::\n\n"
                      "::: tabs\n### A\n::: key-point\nInside.\n:::\n\n### B\nText.\n:::\n")
    assert problems_of(starter) == []
    page = lxml_html.fromstring(render_files(load_course(starter), "2004")["01-welcome.html"])
    assert page.xpath("//aside[contains(@class,'callout-note')]//div[@data-block='card']")
    panel = page.xpath("//div[@data-block='tabs']/div[@class='tab-panel']")[0]
    assert panel.xpath(".//aside[contains(@class,'callout-key-point')]")


def test_print_opens_every_accordion_item_and_keeps_every_panel(pages: dict[str, Any]) -> None:
    lesson = pages["01-every-block.html"].find_class("lesson-body")[0]
    html = "".join(lxml_html.tostring(child, encoding="unicode") for child in lesson)
    printed, _ = adapt_lesson("every", html, "handbook", {})
    root = lxml_html.fromstring(f"<div>{printed}</div>")
    assert [d.get("open") for d in root.iter("details")] == ["open"] * 3
    assert len(root.find_class("tab-panel")) == 3 and len(root.xpath("//li[contains(@class,'step')]")) == 4
    markers = root.find_class("hotspot-marker")
    assert markers[0].get("href") == "#" + root.xpath("//ol[@class='hotspot-list']/li/@id")[0] == "#every--blk-5-1"


def test_print_css_shows_what_the_runtime_hides() -> None:
    css = (REPO / "templates/assets/course.css").read_text(encoding="utf-8")
    media_print = css[css.index("@media print"):]
    assert ".block [hidden], .is-tabbed .tab-heading { display: block !important; }" in media_print
    assert ".block .tab-list, .block .steps-nav" in media_print


def test_the_handbook_prints_every_part_of_every_block(tmp_path: Path) -> None:
    from builder.build import build_course
    from tests.test_printed import flat, pdf_pages_text

    result = build_course(BLOCKS, formats=("handbook",), out=tmp_path)
    printed = flat(" ".join(pdf_pages_text(result.packages[0].path)))
    for part in ("The municipality keeps the population register.", "Usually the region, sometimes with national funds.",
                 "Plans health care and vocational training.", "Sets migration policy and national law.",
                 "3. Plan Agree actions with partners.", "4. Monitor Check each year",
                 "What is a remittance? Money that migrants send", "3. School: classes for children and adults.",
                 "The first tab. Second The second tab.", "The first item. Two The second item."):
        assert part in printed
    assert "Step 1 of" not in printed and "Select to reveal" not in printed  # no screen controls on paper


def test_hotspot_titles_may_be_bold_as_in_an_ordinary_list(starter: Path) -> None:
    write(starter / "media/m.svg", SVG)
    lesson = starter / "lessons/01-welcome.md"
    lesson.write_text(lesson.read_text() + "\n::: hotspots\n![Steps](../media/m.svg)\n\n"
                      "1. (10%, 20%) **Assess.** Gather the data\n   that exists.\n"
                      "2. (10%, 60%) Consult: talk to *everyone*.\n:::\n")
    assert problems_of(starter) == []
    page = lxml_html.fromstring(render_files(load_course(starter), "2004")["01-welcome.html"])
    entries = page.xpath("//ol[@class='hotspot-list']/li")
    assert [text(e) for e in entries] == ["Assess. Gather the data that exists.", "Consult: talk to everyone."]
    assert page.xpath("//a[@class='hotspot-marker']/span[@class='visually-hidden']/text()") == [
        "1: Assess", "2: Consult"]


def test_a_readable_hotspots_diagram_scrolls_with_its_markers(starter: Path) -> None:
    # 600 units wide with 10-unit labels: drawn at least 720 px wide, so it scrolls on a phone;
    # the frame (picture and markers, placed in % of it) scrolls as one, not the picture alone
    write(starter / "media/d.svg", "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 600 300'>"
                                   "<text x='10' y='20' font-size='10'>Label</text></svg>")
    lesson = starter / "lessons/01-welcome.md"
    lesson.write_text(lesson.read_text() + "\n::: hotspots\n![A diagram](../media/d.svg)\n\n"
                      "1. (10%, 20%) Assess: gather the data.\n:::\n")
    assert problems_of(starter) == []
    page = lxml_html.fromstring(render_files(load_course(starter), "2004")["01-welcome.html"])
    block = page.find_class("block-hotspots")[0]
    region = block[0]
    assert region.get("class") == "diagram-scroll" and region.get("role") == "region"
    frame = region[0]
    assert frame.get("class") == "hotspot-image" and frame.get("style") == "--readable:720px"
    assert [child.tag for child in frame] == ["img", "a"]  # the picture itself, not in a paragraph
    assert not block.xpath(".//p")

