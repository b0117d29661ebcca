"""The course's identity: ``theme:`` in course.yml (colour, logo, cover, font) and lesson banners.

Read in the load stage (:func:`parse_identity`, :func:`parse_banner`): values are checked,
files resolved inside the course, and problems located at their course.yml or front-matter
line. The theme sees the result as ``course.theme`` and ``lesson.banner``; its colours and
font reach the CSS as custom properties (:attr:`Identity.css`, put in every page's
``<head>`` by ``base.html``), see ``docs/theme.md``.

The brand colour is used for text, links and button backgrounds (white text) on white and
on a light wash of itself. When it has less than the WCAG AA contrast of 4.5:1 there, the
theme uses the lightest darker shade that reaches it, and ``check`` says so in a warning
(so ``--strict`` refuses it); the author's colour is never used where it would be
unreadable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from builder.errors import Location, Problem
from builder.paths import course_relative, is_external, resolve_ref
from builder.schema import Field, check_mapping
from builder.yamlsrc import line_of

AA = 4.5
"""WCAG 2 AA contrast for normal text."""
FONT_STACKS = {
    "sans": 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
    "serif": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, "Noto Serif", "DejaVu Serif", Georgia, serif',
    "humanist": 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", "Noto Sans", sans-serif',
    "rounded": 'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, "Arial Rounded MT", '
               'Calibri, sans-serif',
}
"""The named font stacks of ``theme: font:``: fonts the learner's system already has."""
FONT_SUFFIXES = {".woff2": "woff2", ".woff": "woff"}
THEME_FIELDS = [Field("colour", str, doc='a hex colour, e.g. "#0b6e69"'),
                Field("logo", dict, doc="{file: media/logo.svg, alt: ...}"),
                Field("cover", dict, doc="{file: media/cover.svg, alt: ...} or decorative: true"),
                Field("font", (str, dict), doc="sans, serif, humanist, rounded, or {file: fonts/x.woff2, family: X}")]
PICTURE_FIELDS = [Field("file", str, required=True, doc="a picture in the course, e.g. media/cover.svg"),
                  Field("alt", str, doc="what the picture shows"), Field("decorative", bool)]
FONT_FIELDS = [Field("file", str, required=True, doc="a .woff2 or .woff file in the course"),
               Field("family", str, doc="the font's name, e.g. Atkinson"),
               Field("fallback", str, doc="sans, serif, humanist or rounded")]
BANNER_FIELDS = [Field("banner", str, doc="a picture, e.g. ../media/banner.svg"), Field("banner_alt", str),
                 Field("banner_decorative", bool)]
_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_FAMILY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$")


@dataclass(frozen=True)
class Picture:
    """A course picture used by the theme: its package path, alt text or decorative."""

    path: str
    alt: str = ""
    decorative: bool = False

    @property
    def url(self) -> str:
        """The picture's URL from a page (pages are at the package root)."""
        return quote(self.path)


@dataclass(frozen=True)
class Identity:
    """The ``theme:`` of a course: colours, pictures and font."""

    colour: str | None = None
    brand: str | None = None
    logo: Picture | None = None
    cover: Picture | None = None
    font: str | None = None
    font_file: str | None = None
    font_family: str | None = None

    @property
    def files(self) -> list[str]:
        """The course files the theme puts into the package (package paths)."""
        found = [p.path for p in (self.logo, self.cover) if p is not None]
        return found + ([self.font_file] if self.font_file else [])

    @property
    def css(self) -> Markup:
        """The custom properties (and ``@font-face``) that apply the identity; built from checked values."""
        rules = []
        if self.font_file and self.font_family:
            fmt = FONT_SUFFIXES[Path(self.font_file).suffix.lower()]
            rules.append(f'@font-face{{font-family:"{self.font_family}";src:url("{quote(self.font_file)}") '
                         f'format("{fmt}");font-display:swap}}')
        props = []
        if self.brand:
            props += [f"--brand:{self.brand}", f"--brand-dark:{mix(self.brand, '#000000', 0.3)}",
                      f"--brand-wash:{wash(self.colour or self.brand)}"]
        if self.font:
            props.append(f"--font:{self.font}")
        if props:
            rules.append(":root{" + ";".join(props) + "}")
        return Markup("".join(rules))


def identity_files(theme: Identity | None, banners: list[Picture | None]) -> list[str]:
    """The package paths of the theme's files and of the lessons' banners, each once, in order."""
    found = (theme.files if theme else []) + [b.path for b in banners if b is not None]
    return list(dict.fromkeys(found))


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def mix(colour: str, other: str, amount: float) -> str:
    """*colour* mixed with *other* by *amount* (0: colour, 1: other), as ``#rrggbb``."""
    a, b = _rgb(colour), _rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b))


def wash(colour: str) -> str:
    """The light tint of *colour* used behind objectives, results and hovered choices."""
    return mix(colour, "#ffffff", 0.9)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a hex colour."""
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two hex colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def accessible_shade(colour: str) -> str:
    """*colour*, or the lightest darker shade of it with AA contrast on white and on its wash."""
    backgrounds = ("#ffffff", wash(colour))
    shade, step = colour, 0
    while min(contrast(shade, bg) for bg in backgrounds) < AA and step < 100:
        step += 1
        shade = mix(colour, "#000000", step / 100)
    return shade


def parse_identity(raw: Any, config: Path, root: Path, line: int) -> tuple[Identity | None, list[Problem]]:
    """Check ``theme:`` of course.yml and resolve its files.

    Args:
        raw: the parsed ``theme`` mapping.
        config: the course.yml path (for locations).
        root: the course folder.
        line: the line of the ``theme:`` key.

    Returns:
        ``(identity, problems)``; the identity holds what could be read.
    """
    values, problems = check_mapping(raw, THEME_FIELDS, config, "theme", line)
    colour = brand = None
    if "colour" in values:
        colour, brand = _colour(values["colour"], config, line_of(raw, "colour", line), problems)
    logo = _picture(raw, values, "logo", config, root, problems)
    cover = _picture(raw, values, "cover", config, root, problems)
    font = font_file = family = None
    if isinstance(values.get("font"), str):
        font = _stack(values["font"], config, line_of(raw, "font", line), problems)
    elif "font" in values:
        font, font_file, family = _font_file(raw["font"], config, root, line_of(raw, "font", line), problems)
    return Identity(colour=colour, brand=brand, logo=logo, cover=cover, font=font, font_file=font_file,
                    font_family=family), problems


def parse_banner(front: Any, values: dict[str, Any], path: Path, root: Path) -> tuple[Picture | None, list[Problem]]:
    """A lesson's ``banner:`` (+ ``banner_alt:`` or ``banner_decorative: true``), resolved from the lesson."""
    problems: list[Problem] = []
    if "banner" not in values:
        for key in ("banner_alt", "banner_decorative"):
            if key in values:
                problems.append(Problem(Location(path, line_of(front, key, 1)), f"'{key}' without 'banner'",
                                        "add 'banner: ../media/picture.svg' or remove the line"))
        return None, problems
    where = Location(path, line_of(front, "banner", 1))
    picture = _resolve_picture(values["banner"], values.get("banner_alt", ""), values.get("banner_decorative", False),
                               where, path.parent, root, "banner", ("banner_alt", "banner_decorative"), problems)
    return picture, problems


def _colour(value: str, config: Path, line: int, problems: list[Problem]) -> tuple[str | None, str | None]:
    if not _HEX.match(value.strip()):
        problems.append(Problem(Location(config, line), f"theme colour '{value}' is not a hex colour",
                                'write it as "#" and six hex digits, in quotes, e.g. colour: "#0b6e69"'))
        return None, None
    colour = "#" + "".join(c * (2 if len(value.strip()) == 4 else 1) for c in value.strip()[1:]).lower()
    brand = accessible_shade(colour)
    if brand != colour:
        tint = wash(colour)
        problems.append(Problem(Location(config, line),
                                f"theme colour {colour} has a contrast of {_ratio(colour, '#ffffff')} on white and "
                                f"{_ratio(colour, tint)} on its light tint {tint}; text, links and buttons need "
                                f"WCAG AA {AA}:1 on both, so the theme uses the darker shade {brand} "
                                f"({_ratio(brand, '#ffffff')} and {_ratio(brand, tint)}) instead",
                                f'to have your colour used exactly, choose a darker one, e.g. colour: "{brand}"',
                                "warning"))
    return colour, brand


def _ratio(a: str, b: str) -> str:
    """The contrast of *a* on *b* as ``4.49:1``, rounded down so that a failing ratio never shows as 4.5."""
    return f"{int(contrast(a, b) * 100) / 100:.2f}:1"


def _stack(name: str, config: Path, line: int, problems: list[Problem]) -> str | None:
    if name in FONT_STACKS:
        return FONT_STACKS[name]
    problems.append(Problem(Location(config, line), f"unknown font '{name}'",
                            f"use one of {', '.join(FONT_STACKS)}, or a font file in the course: "
                            "font: {file: fonts/name.woff2, family: Name}"))
    return None


def _font_file(raw: Any, config: Path, root: Path, line: int,
               problems: list[Problem]) -> tuple[str | None, str | None, str | None]:
    values, found = check_mapping(raw, FONT_FIELDS, config, "font", line)
    problems += found
    ref = values.get("file")
    if ref is None:
        return None, None, None
    where = Location(config, line_of(raw, "file", line))
    if is_external(ref) or ref.startswith("//"):
        problems.append(Problem(where, f"font '{ref}' is outside the package",
                                "packages load nothing from outside: put the .woff2 file in the course folder "
                                "(e.g. fonts/) and name it here"))
        return None, None, None
    path, problem = resolve_ref(root, root, ref, where, "font")
    if problem or path is None:
        problems.append(problem or Problem(where, f"font '{ref}' not found"))
        return None, None, None
    if path.suffix.lower() not in FONT_SUFFIXES:
        problems.append(Problem(where, f"font '{ref}' is not a .woff2 or .woff file",
                                "convert it to WOFF2 (smallest, read by every current browser)"))
        return None, None, None
    family = values.get("family", path.stem)
    if not _FAMILY.match(family):
        problems.append(Problem(Location(config, line_of(raw, "family", line)), f"font family '{family}' is not usable",
                                "use letters, digits, spaces, '-' and '_' (at most 64)"))
        return None, None, None
    fallback = values.get("fallback", "sans")
    stack = _stack(fallback, config, line_of(raw, "fallback", line), problems) or FONT_STACKS["sans"]
    return f'"{family}", {stack}', course_relative(root, path), family


def _picture(raw: Any, values: dict[str, Any], key: str, config: Path, root: Path,
             problems: list[Problem]) -> Picture | None:
    if key not in values:
        return None
    line = line_of(raw, key)
    pv, found = check_mapping(values[key], PICTURE_FIELDS, config, key, line)
    problems += found
    if "file" not in pv:
        return None
    where = Location(config, line_of(values[key], "file", line))
    return _resolve_picture(pv["file"], pv.get("alt", ""), pv.get("decorative", False), where, root, root, key,
                            ("alt", "decorative"), problems)


def _resolve_picture(ref: str, alt: str, decorative: bool, where: Location, base: Path, root: Path, what: str,
                     keys: tuple[str, str], problems: list[Problem]) -> Picture | None:
    if is_external(ref):
        problems.append(Problem(where, f"{what} '{ref}' is loaded from the internet",
                                "put the picture in the course folder: packages must not load anything from outside"))
        return None
    path, problem = resolve_ref(root, base, ref, where, what)
    if problem or path is None:
        problems.append(problem or Problem(where, f"{what} '{ref}' not found"))
        return None
    if not alt.strip() and not decorative:
        problems.append(Problem(where, f"the {what} has no alt text",
                                f"describe it with '{keys[0]}: ...', or add '{keys[1]}: true' when it only decorates"))
    elif alt.strip() and decorative:
        problems.append(Problem(where, f"the {what} is marked decorative but has alt text",
                                f"a decorative picture is hidden from screen readers: remove '{keys[0]}' or "
                                f"'{keys[1]}'"))
    return Picture(path=course_relative(root, path), alt="" if decorative else alt.strip(), decorative=decorative)
