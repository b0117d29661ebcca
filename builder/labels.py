"""The theme's interface labels: ``strings.yml`` files of the theme chain, checked and merged."""
from __future__ import annotations

from pathlib import Path

from builder.errors import ContentError, Location, Problem
from builder.yamlsrc import line_of, parse_yaml


def read_strings(dirs: list[Path], language: str) -> tuple[dict[str, str], list[Problem], bool]:
    """UI labels for *language* from the theme chain's ``strings.yml`` files, checked.

    Labels are merged English first, then the base language ("es" for "es-419"), then the
    exact tag; the default theme's file first, a course's own last.

    Args:
        dirs: the theme chain (:func:`theme_dirs`).
        language: the course language.

    Returns:
        ``(labels, problems, covered)``: *problems* are located in the strings files;
        *covered* tells whether some file has labels for the language (else English shows).
    """
    labels: dict[str, str] = {}
    problems: list[Problem] = []
    base = language.split("-")[0].lower()
    covered = base == "en"
    for folder in reversed(dirs):  # default theme first, overrides last
        path = folder / "strings.yml"
        if not path.is_file():
            continue
        data = _read_strings_file(path, problems)
        covered = covered or isinstance(data.get(base), dict) or isinstance(data.get(language), dict)
        for lang in ("en", base, language):
            entries = data.get(lang)
            if isinstance(entries, dict):
                labels.update(entries)
    return labels, problems, covered


def _read_strings_file(path: Path, problems: list[Problem]) -> dict[str, dict[str, str]]:
    """The usable part of one ``strings.yml``; what is wrong with it goes to *problems*."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(Location(path), f"cannot read the file ({exc})", "save it as UTF-8 text"))
        return {}
    data, found = parse_yaml(text, path)
    problems.extend(found)
    if data is None:
        return {}
    shape = "write a language tag such as 'en:' on its own line, then indented 'label: text' lines"
    if not isinstance(data, dict):
        problems.append(Problem(Location(path, line_of(data, default=1)),
                                "strings.yml must map each language to its labels", shape))
        return {}
    usable: dict[str, dict[str, str]] = {}
    for lang, entries in data.items():
        if not isinstance(entries, dict):
            problems.append(Problem(Location(path, line_of(data, lang, 1)),
                                    f"'{lang}' must hold 'label: text' lines", shape))
            continue
        usable[lang] = {}
        for key, value in entries.items():
            if value is None or isinstance(value, (dict, list)):
                problems.append(Problem(Location(path, line_of(entries, key, 1)),
                                        f"label '{key}' of '{lang}' must be a text",
                                        "write it on one line: 'key: text' (quote text with ': ' or '#')"))
                continue
            usable[lang][str(key)] = str(value)
    return usable


def load_strings(dirs: list[Path], language: str) -> dict[str, str]:
    """UI labels for *language* from the theme chain's ``strings.yml`` (English fallback).

    Raises:
        ContentError: a ``strings.yml`` has errors (``builder check`` lists them).
    """
    labels, problems, _covered = read_strings(dirs, language)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ContentError(errors)
    return labels
