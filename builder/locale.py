"""Facts about a course language that the theme needs: its writing direction."""
from __future__ import annotations

RTL_LANGUAGES = frozenset({
    "ar",   # Arabic
    "arc",  # Aramaic
    "ckb",  # Central Kurdish (Sorani)
    "dv",   # Dhivehi
    "fa",   # Persian
    "he",   # Hebrew
    "iw",   # Hebrew (old tag)
    "ks",   # Kashmiri
    "ps",   # Pashto
    "sd",   # Sindhi
    "syr",  # Syriac
    "ug",   # Uyghur
    "ur",   # Urdu
    "yi",   # Yiddish
})
"""Languages written right to left by default, by base tag (a script subtag overrides)."""

_RTL_SCRIPTS = frozenset({"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg"})


def text_direction(language: str) -> str:
    """The writing direction of a BCP 47 language tag: ``"rtl"`` or ``"ltr"``.

    The script subtag wins when there is one (``az-Arab`` is right to left,
    ``sd-Deva`` left to right); otherwise the base language decides.

    Args:
        language: a tag such as ``en``, ``ar-EG``, ``fa`` or ``pa-Arab``.

    Returns:
        ``"rtl"`` for right-to-left languages and scripts, else ``"ltr"``.
    """
    parts = [p.lower() for p in language.replace("_", "-").split("-") if p]
    if not parts:
        return "ltr"
    scripts = [p for p in parts[1:] if len(p) == 4 and p.isalpha()]
    if scripts:
        return "rtl" if scripts[0] in _RTL_SCRIPTS else "ltr"
    return "rtl" if parts[0] in RTL_LANGUAGES else "ltr"
