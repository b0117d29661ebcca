"""Screenshot reference tests: a stable Chromium screenshot compared with a reviewed PNG.

Use it from any browser test that has a Playwright page::

    from tests.screenshot_helpers import assert_screenshot

    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url)
    assert_screenshot(page, "lesson-callouts-320")

The reference is ``tests/screenshots/<name>.png``, committed after a person looked at it.
To make or remake references, run the tests with ``BUILDER_UPDATE_SCREENSHOTS=1``: each
call then writes its reference (and passes); review the new PNGs before committing them.
Without the variable a missing reference fails the test (under ``CI=true``) or skips it.

The comparison is tolerant, so font smoothing and anti-aliasing differences between runs
do not fail a test but a moved block, a cut-off table or a lost colour does: a pixel counts
as different when one of its channels differs by more than *tolerance* (0-255), and the
test fails when more than *max_ratio* of the pixels differ, or when the sizes differ (a
page that grew or shrank is a layout change). On failure the actual screenshot and a diff
image (differing pixels in magenta over a faded copy of the reference) are written to
``tests/screenshots/failed/`` (ignored by git) and their paths are in the message.

Pillow does the comparison: it is already installed with WeasyPrint (the PDF editions)
and compares two images channel by channel in C (``ImageChops``), so no numpy is needed.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
FAILED = SCREENSHOTS / "failed"
UPDATE_ENV = "BUILDER_UPDATE_SCREENSHOTS"

STILL_CSS = """*, *::before, *::after {
  animation: none !important; transition: none !important; caret-color: transparent !important;
  scroll-behavior: auto !important;
}"""
"""Injected before a screenshot: no animation, transition or blinking caret mid-frame."""


@dataclass(frozen=True)
class Difference:
    """How two screenshots differ: sizes, and how many pixels differ beyond the tolerance."""

    size: tuple[int, int]
    reference_size: tuple[int, int]
    pixels: int
    total: int

    @property
    def ratio(self) -> float:
        """The share of differing pixels (1.0 when the sizes differ)."""
        if self.size != self.reference_size:
            return 1.0
        return self.pixels / self.total if self.total else 0.0


def compare_images(actual: bytes, reference: bytes, tolerance: int = 40) -> tuple[Difference, Any]:
    """Compare two PNGs pixel by pixel.

    Args:
        actual: the PNG just taken.
        reference: the reviewed PNG.
        tolerance: a pixel differs when one of its RGB channels differs by more than this.

    Returns:
        ``(difference, mask)``: the counts, and a Pillow ``L`` image with 255 where a pixel
        differs (None when the sizes differ).
    """
    from PIL import Image, ImageChops

    with Image.open(io.BytesIO(actual)) as a_img, Image.open(io.BytesIO(reference)) as r_img:
        a, r = a_img.convert("RGB"), r_img.convert("RGB")
    if a.size != r.size:
        return Difference(a.size, r.size, a.size[0] * a.size[1], a.size[0] * a.size[1]), None
    red, green, blue = ImageChops.difference(a, r).split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    mask = largest.point(lambda v: 255 if v > tolerance else 0)
    pixels = mask.histogram()[255]
    return Difference(a.size, r.size, pixels, a.size[0] * a.size[1]), mask


def steady(page: Any) -> None:
    """Make *page* ready for a stable screenshot: fonts loaded, nothing moving, no caret."""
    page.add_style_tag(content=STILL_CSS)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def take(page: Any, full_page: bool = True, locator: Any = None) -> bytes:
    """A PNG of *page* (the whole page by default) or of one *locator*, after :func:`steady`."""
    steady(page)
    target = locator if locator is not None else page
    kwargs: dict[str, Any] = {"animations": "disabled", "caret": "hide", "type": "png"}
    if locator is None:
        kwargs["full_page"] = full_page
    data: bytes = target.screenshot(**kwargs)
    return data


def assert_screenshot(page: Any, name: str, *, full_page: bool = True, locator: Any = None,
                      tolerance: int = 40, max_ratio: float = 0.004) -> None:
    """Fail unless *page* (or *locator*) looks like the reviewed ``tests/screenshots/<name>.png``.

    Args:
        page: a Playwright page (its viewport sets the width).
        name: the reference's file name without ``.png``: letters, digits and ``-``, ending
            with the width is the habit (``start-cover-1280``).
        full_page: the whole scrolling page (default) or only the viewport.
        locator: a Playwright locator to shoot instead of the page (one block).
        tolerance: per-channel difference (0-255) a pixel may have and still count as equal.
        max_ratio: the share of pixels allowed to differ (0.004 = 0.4 %).
    """
    assert name.replace("-", "").isalnum(), f"screenshot name {name!r}: use letters, digits and '-'"
    actual = take(page, full_page, locator)
    reference = SCREENSHOTS / f"{name}.png"
    if os.environ.get(UPDATE_ENV):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        reference.write_bytes(actual)
        return
    if not reference.is_file():
        message = f"no reference screenshot {reference}; make it with {UPDATE_ENV}=1 and review it"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    difference, mask = compare_images(actual, reference.read_bytes(), tolerance)
    if difference.ratio <= max_ratio:
        return
    saved = _save_failure(name, actual, reference.read_bytes(), mask)
    if difference.size != difference.reference_size:
        what = f"size {difference.size} instead of {difference.reference_size}"
    else:
        what = f"{difference.pixels} of {difference.total} pixels differ ({difference.ratio:.2%} > {max_ratio:.2%})"
    pytest.fail(f"screenshot {name!r} differs from its reference: {what}; see {', '.join(map(str, saved))}")


def _save_failure(name: str, actual: bytes, reference: bytes, mask: Any) -> list[Path]:
    """Write the actual PNG and, when the sizes match, a diff image; return their paths."""
    from PIL import Image

    FAILED.mkdir(parents=True, exist_ok=True)
    actual_path = FAILED / f"{name}.actual.png"
    actual_path.write_bytes(actual)
    if mask is None:
        return [actual_path]
    with Image.open(io.BytesIO(reference)) as ref:
        faded = Image.blend(ref.convert("RGB"), Image.new("RGB", ref.size, "white"), 0.7)
    faded.paste(Image.new("RGB", faded.size, (255, 0, 255)), mask=mask)
    diff_path = FAILED / f"{name}.diff.png"
    faded.save(diff_path)
    return [actual_path, diff_path]
