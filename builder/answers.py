"""How typed answers are read: numbers in the learner's script, text compared without case.

The learner runtime (``templates/src/answers.js``) applies the same rules in the browser;
``tests/answer_cases.json`` holds the cases both implementations must agree on. Pure.

Numbers: Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits count as 0-9, the
Arabic decimal separator ``٫`` as the decimal mark and ``٬`` as a group separator; spaces
(also no-break and thin ones) and bidirectional marks are ignored; ``−`` is a minus. A
comma or a point is the decimal mark when it appears once, except a lone one followed by
exactly three digits (``1,500``, ``1.500``): that is a thousands separator unless it is the
language's own decimal mark. When both appear, the last is the decimal mark.
"""
from __future__ import annotations

import re
import unicodedata

DECIMAL_POINT_LANGUAGES = frozenset({
    "en", "ga", "he", "iw", "hi", "bn", "ja", "ko", "zh", "th", "ms", "fil", "tl", "my",
    "ne", "ta", "te", "si", "sw", "ur", "mt", "cy", "gu", "mr", "pa", "kn", "ml", "km",
})
"""Languages whose usual decimal mark is a point (base tags); the others use a comma."""

_DIGITS = {**{0x660 + n: str(n) for n in range(10)}, **{0x6F0 + n: str(n) for n in range(10)},
           0x66B: "D", 0x66C: "G", 0x2212: "-", 0xFE63: "-", 0xFF0D: "-"}
# bidirectional marks and isolates an RTL keyboard or a copy may put around a number
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"\s+")
# Arabic diacritics (tashkeel) and the elongation mark (tatweel): optional in writing
_TASHKEEL = re.compile("[\u0640\u064b-\u065f\u0670]")


def decimal_mark(language: str) -> str:
    """The usual decimal mark of *language* (a BCP 47 tag): ``"."`` or ``","``."""
    base = language.replace("_", "-").split("-")[0].lower()
    return "." if base in DECIMAL_POINT_LANGUAGES else ","


def parse_number(text: str, decimal: str | None = ".") -> float | None:
    """The number a learner (or an author) typed, or None when it is not one.

    Args:
        text: what was typed: ``"1,5"``, ``"١٫٥"``, ``"-2 500"``, ``"3.5"``.
        decimal: the language's decimal mark (:func:`decimal_mark`); None when unknown,
            then a lone ``,`` or ``.`` before exactly three digits is ambiguous (None).

    Returns:
        The value, or None for anything that is not a plain decimal number.
    """
    t = unicodedata.normalize("NFKC", _INVISIBLE.sub("", str(text))).translate(_DIGITS)
    t = _SPACE.sub("", t)
    match = re.fullmatch(r"([-+]?)([0-9.,DG]+)", t)
    if not match:
        return None
    sign, body = match.groups()
    if "D" in body:  # the Arabic decimal separator: every other mark groups digits
        whole, _, frac = body.partition("D")
    else:
        mark = _decimal_of(body.replace("G", ""), decimal)
        if mark == "?":
            return None
        whole, _, frac = body.rpartition(mark) if mark else (body, "", "")
    groups = re.sub("[.,]", "G", whole)
    if not re.fullmatch(r"[0-9]*", frac) or (not groups and not frac):
        return None
    if "G" in groups and not re.fullmatch(r"[0-9]{1,3}(G[0-9]{3})+", groups):
        return None
    return float(sign + (groups.replace("G", "") or "0") + "." + (frac or "0"))


def _decimal_of(body: str, decimal: str | None) -> str:
    """Which of ``,`` and ``.`` is the decimal mark in *body*: the mark, ``""`` (none) or ``"?"``."""
    commas, points = body.count(","), body.count(".")
    if commas and points:
        last = "," if body.rfind(",") > body.rfind(".") else "."
        return last if body.count(last) == 1 else "?"
    if not commas and not points:
        return ""
    mark = "," if commas else "."
    if commas + points > 1:
        return ""  # one kind, several times: group separators
    if mark != decimal and re.fullmatch(r"[0-9]{1,3}[.,][0-9]{3}", body):
        return "?" if decimal is None else ""  # "1,500" in English, "1.500" in Spanish
    return mark


def normalise_text(text: str, case_sensitive: bool = False) -> str:
    """A typed text answer in the form it is compared in.

    Unicode NFC, bidirectional marks removed, spaces trimmed and collapsed; unless
    *case_sensitive*, also without case (upper then lower case, as the runtime does, so
    ``ß`` = ``ss``), Arabic diacritics (tashkeel) and the elongation mark (tatweel).
    """
    t = _INVISIBLE.sub("", unicodedata.normalize("NFC", str(text)))
    t = _SPACE.sub(" ", t).strip()
    if not case_sensitive:
        t = unicodedata.normalize("NFC", _TASHKEEL.sub("", t).upper().lower())
    return t


def text_matches(typed: str, accepted: tuple[str, ...] | list[str], case_sensitive: bool = False) -> bool:
    """Whether *typed* is one of the *accepted* answers once both are normalised."""
    mine = normalise_text(typed, case_sensitive)
    return bool(mine) and any(normalise_text(a, case_sensitive) == mine for a in accepted)


def number_matches(typed: str, value: float, tolerance: float, decimal: str | None) -> bool:
    """Whether *typed* is a number within *tolerance* of *value*."""
    n = parse_number(typed, decimal)
    return n is not None and abs(n - value) <= tolerance + 1e-9
