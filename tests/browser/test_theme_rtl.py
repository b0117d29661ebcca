"""Right-to-left layout: under <html dir="rtl"> the default theme mirrors (Chromium).

The same starter course is built in English and in Arabic; the computed layout of the
Arabic pages must be the mirror image of the English ones: callout bars, the Next button,
the menu column, callout icons, the quiz controls, the progress fill and the pager's arrows all
change sides.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from builder.build import build_course
from builder.scaffold import create_course
from tests.browser.conftest import Session

CALLOUT = '\n::: key-point "Read this first"\nA short point.\n:::\n'


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The starter course with a callout, built in ``en`` and ``ar`` and unzipped."""
    folders = {}
    for language in ("en", "ar"):
        root = tmp_path_factory.mktemp(f"rtl-{language}")
        course = create_course(root / "courses", "starter", "Starter course")
        config = course / "course.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("language: en", f"language: {language}"),
                          encoding="utf-8")
        lesson = course / "lessons/02-next-steps.md"
        lesson.write_text(lesson.read_text(encoding="utf-8") + CALLOUT, encoding="utf-8")
        built = build_course(course, formats=("scorm2004",), out=root / "dist")
        with zipfile.ZipFile(built.packages[0].path) as archive:
            archive.extractall(root / "pkg")
        folders[language] = root / "pkg"
    return folders


LAYOUT = """() => {
  const box = sel => document.querySelector(sel).getBoundingClientRect();
  const style = getComputedStyle(document.querySelector('.callout-key-point'));
  const choice = document.querySelector('.choice input');
  const label = choice.nextElementSibling.getBoundingClientRect(), input = choice.getBoundingClientRect();
  const bar = document.querySelector('.progress');
  return {
    dir: document.documentElement.dir,
    calloutStart: style.borderLeftWidth, calloutEnd: style.borderRightWidth,
    next: box('.pager-next .button').left, prev: box('.pager-prev .button').left,
    menu: box('#course-menu').left, main: box('main').left,
    inputFromLeft: input.left - label.left, inputFromRight: label.right - input.right,
    fill: bar.hidden ? null : [box('.progress-fill').left, box('.progress-fill').right,
                               box('.progress-bar').left, box('.progress-bar').right],
    icon: (() => { const i = box('.callout-key-point .icon'), k = box('.callout-key-point .callout-kind');
                   return [i.left - k.left, k.right - i.right]; })(),
    arrows: [getComputedStyle(document.querySelector('.pager-prev .button'), '::before').content,
             getComputedStyle(document.querySelector('.pager-next .button'), '::after').content],
  };
}"""


def layout(session: Session, package: Path, name: str) -> dict[str, Any]:
    page = session.open_standalone(package, name, "02-next-steps.html")
    page.set_viewport_size({"width": 1280, "height": 900})
    return dict(page.evaluate(LAYOUT))


def test_rtl_pages_mirror_the_ltr_layout(session: Session, packages: dict[str, Path]) -> None:
    ltr = layout(session, packages["en"], "ltr")
    rtl = layout(session, packages["ar"], "rtl")
    assert (ltr["dir"], rtl["dir"]) == ("ltr", "rtl")
    # the callout's coloured bar is on the side where lines start
    assert (ltr["calloutStart"], ltr["calloutEnd"]) == ("10px", "0px")
    assert (rtl["calloutStart"], rtl["calloutEnd"]) == ("0px", "10px")
    # Next is where reading goes: right of Previous in English, left of it in Arabic
    assert ltr["next"] > ltr["prev"] and rtl["next"] < rtl["prev"]
    # the menu column comes first: left of the lesson in English, right of it in Arabic
    assert ltr["menu"] < ltr["main"] and rtl["menu"] > rtl["main"]
    # radio buttons sit at the start of their label
    assert ltr["inputFromLeft"] < ltr["inputFromRight"] and rtl["inputFromRight"] < rtl["inputFromLeft"]
    # the progress bar fills from the start side
    assert ltr["fill"] is not None and rtl["fill"] is not None
    fill_left, fill_right, bar_left, bar_right = rtl["fill"]
    assert abs(fill_right - bar_right) < 1 and fill_left > bar_left
    fill_left, fill_right, bar_left, bar_right = ltr["fill"]
    assert abs(fill_left - bar_left) < 1
    # the callout's icon comes first: left of its name in English, right of it in Arabic
    assert ltr["icon"][0] < ltr["icon"][1] and rtl["icon"][1] < rtl["icon"][0]
    # Previous points back and Next forward: left and right in English, mirrored in Arabic
    assert [a.split(" / ")[0] for a in ltr["arrows"]] == ['"←"', '"→"']
    assert [a.split(" / ")[0] for a in rtl["arrows"]] == ['"→"', '"←"']
