"""The tolerant pixel comparison of :mod:`tests.screenshot_helpers`, on drawn images."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw

from tests.screenshot_helpers import compare_images


def png(draw: bool = False, shade: int = 0, size: tuple[int, int] = (100, 80)) -> bytes:
    """A white PNG with a grey box (moved right by 20 px when *draw* is true)."""
    img = Image.new("RGB", size, "white")
    left = 30 if draw else 10
    ImageDraw.Draw(img).rectangle((left, 10, left + 30, 40), fill=(80 + shade, 80, 80))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def test_identical_images_do_not_differ() -> None:
    difference, _ = compare_images(png(), png())
    assert difference.pixels == 0 and difference.ratio == 0


def test_small_shade_differences_are_tolerated_large_ones_are_not() -> None:
    assert compare_images(png(shade=20), png())[0].pixels == 0  # anti-aliasing sized change
    changed, mask = compare_images(png(shade=120), png())
    assert changed.pixels == 31 * 31 and mask.getpixel((15, 15)) == 255


def test_a_moved_box_differs_and_a_size_change_is_total() -> None:
    moved, _ = compare_images(png(draw=True), png())
    assert moved.pixels == 2 * 20 * 31  # the strip it left and the strip it covered
    grown, mask = compare_images(png(size=(100, 90)), png())
    assert grown.ratio == 1.0 and mask is None
