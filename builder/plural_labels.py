"""Interface labels with plural forms: one text per CLDR plural category, chosen by count.

In ``strings.yml`` a label that shows a count may be a mapping of CLDR plural categories
(``zero``, ``one``, ``two``, ``few``, ``many``, ``other``) to texts. Read labels stay a flat
``dict[str, str]``: the label's own key holds the ``other`` text (so that a theme that
uses it as a plain text keeps working) and ``<key>.<category>`` each other form. Templates
pick the form with Babel's plural rules (:func:`count_label`); the runtime gets every form
(:func:`label_forms`) and picks with ``Intl.PluralRules``.
"""
from __future__ import annotations

from babel.core import Locale, UnknownLocaleError

CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""The CLDR plural categories, in CLDR order."""


def expand(key: str, forms: dict[str, str]) -> dict[str, str]:
    """The flat labels of the plural label *key* with *forms* (``other`` under *key* itself)."""
    flat = {f"{key}.{category}": text for category, text in forms.items() if category != "other"}
    if "other" in forms:
        flat[key] = forms["other"]
    return flat


def plural_keys(labels: dict[str, str] | set[str]) -> dict[str, set[str]]:
    """The plural labels among *labels*: key → the categories it has besides ``other``."""
    found: dict[str, set[str]] = {}
    for name in labels:
        key, _, category = name.rpartition(".")
        if key and category in CATEGORIES:
            found.setdefault(key, set()).add(category)
    return found


def needed_categories(language: str) -> set[str]:
    """The plural categories *language* needs besides ``other`` (empty when Babel does not know it)."""
    try:
        locale = Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return set()
    return set(locale.plural_form.tags) - {"other"}


def category(language: str, count: int) -> str:
    """The plural category of *count* in *language* (``other`` for an unknown language)."""
    try:
        return str(Locale.parse(language, sep="-").plural_form(count))
    except (UnknownLocaleError, ValueError):
        return "other"


def count_label(labels: dict[str, str], key: str, count: int, language: str, name: str = "n") -> str:
    """The label *key* in the form *count* needs in *language*, with ``{name}`` filled in."""
    text = labels.get(f"{key}.{category(language, count)}", labels[key])
    return text.replace("{" + name + "}", str(count))


def label_forms(labels: dict[str, str], key: str) -> str | dict[str, str]:
    """The label *key* for the runtime: its text, or its forms by category when it has several."""
    forms = {category: labels[f"{key}.{category}"] for category in CATEGORIES[:-1] if f"{key}.{category}" in labels}
    if not forms:
        return labels[key]
    forms["other"] = labels[key]
    return forms
