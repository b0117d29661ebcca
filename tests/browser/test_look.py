"""The look of the default theme, measured in Chromium at 320 and 1280 px (issue 14).

The look test course (``tests/courses/look``: a brand colour, logo, cover, banner, every
callout, a wide table and an SVG diagram) is built and opened without an LMS. The test
measures what the issue named: even Previous/Next buttons, one contents list on the start
page, drawn icons in callouts, no table cut off without a cue, diagram text at 12 px or
more; axe-core finds nothing; and screenshots are compared with the reviewed references
in ``tests/screenshots/`` (``tests/screenshot_helpers.py``).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from builder.build import build_course
from tests.browser.conftest import Session, axe_source, page_ids
from tests.screenshot_helpers import assert_screenshot

LOOK = Path(__file__).resolve().parents[1] / "courses" / "look"
WIDTHS = (320, 1280)


@pytest.fixture(scope="module")
def look_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The look course as a SCORM 2004 package, unzipped."""
    root = tmp_path_factory.mktemp("look")
    built = build_course(LOOK, formats=("scorm2004",), out=root / "dist")
    with zipfile.ZipFile(built.packages[0].path) as archive:
        archive.extractall(root / "pkg")
    return root / "pkg"


def open_page(session: Session, package: Path, page: str, width: int) -> Any:
    """Open *page* of *package* at *width* px (640 or 900 px high) and wait until it is laid out."""
    session.page.set_viewport_size({"width": width, "height": 640 if width < 400 else 900})
    opened = session.open_standalone(package, f"look-{width}", page)
    opened.wait_for_function("() => document.fonts.status === 'loaded'")
    return opened


def smallest_font(svg: Path) -> tuple[float, float]:
    """The viewBox width and the smallest font size written in *svg* (measured independently of the theme)."""
    text = svg.read_text(encoding="utf-8")
    box = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) [\d.]+"', text)
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', text)]
    assert box and sizes
    return float(box.group(1)), min(sizes)


@pytest.mark.parametrize("width", WIDTHS)
def test_start_page_lists_the_contents_once_under_its_cover(session: Session, look_package: Path,
                                                            width: int) -> None:
    page = open_page(session, look_package, "index.html", width)
    seen = page.evaluate("""() => {
      const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
      const links = [...document.querySelectorAll('a[data-page="01-a-full-lesson"]')].filter(visible);
      const cover = document.querySelector('.cover'), h1 = document.querySelector('h1');
      return {links: links.length, menu: visible(document.getElementById('course-menu')),
              cover: cover.getBoundingClientRect().width, main: document.querySelector('main').clientWidth,
              coverAbove: cover.getBoundingClientRect().bottom <= h1.getBoundingClientRect().top,
              lazy: cover.loading, brand: getComputedStyle(document.documentElement).getPropertyValue('--brand')};
    }""")
    assert seen["links"] == 1 and not seen["menu"]
    assert seen["coverAbove"] and seen["cover"] >= seen["main"] - 1  # the cover spans the card
    assert seen["lazy"] == "auto" and seen["brand"].strip() == "#6929c4"
    assert_screenshot(page, f"look-start-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_lesson_layout_is_even_readable_and_cued(session: Session, look_package: Path, width: int) -> None:
    page = open_page(session, look_package, "01-a-full-lesson.html", width)
    page.evaluate("() => [...document.images].forEach(img => { img.loading = 'eager'; })")
    page.wait_for_function("() => [...document.images].every(img => img.complete && img.naturalWidth > 0)")
    page.evaluate("() => window.dispatchEvent(new Event('resize'))")
    seen = page.evaluate("""() => {
      const box = sel => document.querySelector(sel).getBoundingClientRect();
      const prev = box('.pager-prev .button'), next = box('.pager-next .button');
      const pager = box('.pager'), titles = [...document.querySelectorAll('.pager-title')].map(t => t.getBoundingClientRect());
      const regions = [...document.querySelectorAll('.table-scroll')].map(el => ({
        overflow: el.scrollWidth > el.clientWidth + 1, wide: el.classList.contains('is-wide'),
        cue: getComputedStyle(el, '::before').content, label: el.getAttribute('aria-label'),
        tabindex: el.tabIndex, right: el.getBoundingClientRect().right}));
      const diagram = document.querySelector('.diagram-scroll img');
      const icons = [...document.querySelectorAll('.callout-kind')].map(k => {
        const svg = k.querySelector('svg.icon');
        return {svg: !!svg && svg.getAttribute('aria-hidden') === 'true', stroke: svg && getComputedStyle(svg).stroke,
                before: getComputedStyle(k, '::before').content, text: k.textContent};
      });
      return {prev: [prev.width, prev.height], next: [next.width, next.height], pagerRight: pager.right,
              titlesInside: titles.every(t => t.right <= pager.right + 1 && t.left >= pager.left - 1),
              regions, mainRight: document.querySelector('main').getBoundingClientRect().right,
              diagram: diagram.getBoundingClientRect().width, icons, bodyScroll: document.documentElement.scrollWidth,
              banner: document.querySelector('.banner').getBoundingClientRect().width};
    }""")
    # even buttons: the same size whatever the titles they lead to; titles stay in the pager
    assert abs(seen["prev"][0] - seen["next"][0]) < 0.5 and abs(seen["prev"][1] - seen["next"][1]) < 0.5, seen
    assert seen["titlesInside"] and seen["bodyScroll"] <= width
    # a table either fits or says that it scrolls, and can be scrolled by keyboard
    assert seen["regions"]
    for region in seen["regions"]:
        assert region["tabindex"] == 0 and region["label"] == "Table 1" and region["right"] <= seen["mainRight"]
        if region["overflow"]:
            assert region["wide"] and "Scroll sideways" in region["cue"], region
        else:
            assert region["cue"] == "none", region
    assert any(r["overflow"] for r in seen["regions"]) == (width == 320)  # the 4-column table scrolls on a phone
    # diagram labels are drawn at 12 px or more
    view_width, font = smallest_font(LOOK / "media" / "steps.svg")
    assert seen["diagram"] * font / view_width >= 12, seen["diagram"]
    # callouts: a drawn icon hidden from screen readers, the kind's name as text, no text marker
    assert len(seen["icons"]) == 5
    for icon in seen["icons"]:
        assert icon["svg"] and icon["before"] == "none" and icon["text"] in (
            "Note", "Key point", "Case study", "Activity", "Reflection"), icon
    assert seen["banner"] > 0
    results = axe(page)
    assert results == [], results
    assert_screenshot(page, f"look-lesson-{width}")


def axe(page: Any) -> list[str]:
    """axe-core's violations on *page* (WCAG 2 A/AA rules), as 'rule: target' lines."""
    page.add_script_tag(content=axe_source())
    found = page.evaluate("""async () => {
      const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}});
      return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
    }""")
    return list(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_of_the_example_course_keeps_the_layout_rules(session: Session,
                                                                 example_packages: dict[str, Path],
                                                                 width: int) -> None:
    """Even pager buttons, readable diagrams and cued tables on every page of the example course."""
    package = example_packages["2004"]
    checked = {"pagers": 0, "diagrams": 0, "tables": 0}
    for page_id in page_ids(package):
        page = open_page(session, package, f"{page_id}.html", width)
        page.evaluate("() => [...document.images].forEach(img => { img.loading = 'eager'; })")
        page.wait_for_function("() => [...document.images].every(img => img.complete)")
        page.evaluate("() => window.dispatchEvent(new Event('resize'))")
        seen = page.evaluate("""() => {
          const box = sel => { const el = document.querySelector(sel); return el && el.getBoundingClientRect(); };
          const prev = box('.pager-prev .button'), next = box('.pager-next .button');
          return {prev: prev && prev.width, next: next && next.width,
                  diagrams: [...document.querySelectorAll('.diagram-scroll img')].map(
                    img => [img.getAttribute('src'), img.getBoundingClientRect().width]),
                  tables: [...document.querySelectorAll('.table-scroll')].map(el => [
                    el.scrollWidth > el.clientWidth + 1, el.classList.contains('is-wide'),
                    getComputedStyle(el, '::before').content])};
        }""")
        if seen["prev"] and seen["next"]:
            checked["pagers"] += 1
            assert abs(seen["prev"] - seen["next"]) < 0.5, (page_id, seen)
        for src, drawn in seen["diagrams"]:
            checked["diagrams"] += 1
            view_width, font = smallest_font(package / src)
            assert drawn * font / view_width >= 12, (page_id, src, drawn)
        for overflow, wide, cue in seen["tables"]:
            checked["tables"] += 1
            assert not overflow or (wide and "Scroll sideways" in cue), (page_id, overflow, wide, cue)
    assert checked["pagers"] >= 6 and checked["diagrams"] >= 3 and checked["tables"] >= 2, checked
