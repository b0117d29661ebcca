"""The theme's interface labels: ``strings.yml`` files of the theme chain, checked and merged."""
from __future__ import annotations

from pathlib import Path

from builder.errors import ContentError, Location, Problem
from builder.plural_labels import CATEGORIES, expand, needed_categories, plural_keys
from builder.rules import problem
from builder.yamlsrc import line_of, parse_yaml


def read_strings(dirs: list[Path], language: str) -> tuple[dict[str, str], list[Problem], bool]:
    """UI labels for *language* from the theme chain's ``strings.yml`` files, checked.

    Labels are merged English first, then the base language ("es" for "es-419"), then the
    exact tag; the default theme's file first, a course's own last. Every label that the
    chain has in English must also exist for the language: a missing one is an error at the
    language's section (``no-ui-labels``), never a silent English word in an Arabic page.

    Args:
        dirs: the theme chain (:func:`theme_dirs`).
        language: the course language.

    Returns:
        ``(labels, problems, covered)``: *problems* are located in the strings files;
        *covered* tells whether some file has labels for the language at all (when not,
        :func:`builder.check.validate` reports it at the course's ``language:`` line).
    """
    labels: dict[str, str] = {}
    problems: list[Problem] = []
    base = language.split("-")[0].lower()
    english: set[str] = set()
    own: set[str] = set()
    section: Location | None = None  # the last section that gives the language its labels
    for folder in reversed(dirs):  # default theme first, overrides last
        path = folder / "strings.yml"
        if not path.is_file():
            continue
        data, lines = _read_strings_file(path, problems)
        english.update(data.get("en", {}))
        for lang in ("en", base, language):
            entries = data.get(lang)
            if entries is None:
                continue
            given = {name.rpartition(".")[0] if name.rpartition(".")[2] in CATEGORIES else name for name in entries}
            for name in [n for n in labels if n.rpartition(".")[0] in given]:
                del labels[name]  # a label given again replaces all its forms
            labels.update(entries)
            if lang != "en":
                own.update(entries)
                section = Location(path, lines[lang])
    covered = base == "en" or section is not None
    plurals = plural_keys(english)
    missing = sorted(name for name in english - own if name.rpartition(".")[0] not in plurals)
    if base != "en" and section is not None and missing:
        problems.append(problem(
            "no-ui-labels", section,
            f"the interface labels of '{language}' lack {len(missing)} of the English ones: {', '.join(missing)}",
            f"add them under this section of {section.path.name} (the English texts are under 'en:'), or in "
            "the course's templates/strings.yml"))
    if section is not None or base == "en":
        problems += _plural_problems(labels, plurals, language, section)
    return labels, problems, covered


def _plural_problems(labels: dict[str, str], plurals: dict[str, set[str]], language: str,
                     section: Location | None) -> list[Problem]:
    """``no-ui-labels``: a label with plural forms in English lacks a form *language* needs."""
    needed = needed_categories(language)
    have = plural_keys(labels)
    lacking = {key: sorted(needed - have.get(key, set()), key=CATEGORIES.index) for key in sorted(plurals)}
    lacking = {key: forms for key, forms in lacking.items() if forms}
    if not lacking or section is None:
        return []
    shown = "; ".join(f"{key} ({', '.join(forms)})" for key, forms in lacking.items())
    return [problem("no-ui-labels", section,
                    f"the interface labels of '{language}' lack plural forms: {shown}",
                    f"write each as a mapping of its forms, e.g. 'minutes: {{one: ..., other: ...}}'; "
                    f"'{language}' needs {', '.join(sorted({*needed, 'other'}, key=CATEGORIES.index))}")]


def _read_strings_file(path: Path, problems: list[Problem]) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    """The usable part of one ``strings.yml`` and the line of each language section.

    What is wrong with the file goes to *problems*.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(Location(path), f"cannot read the file ({exc})", "save it as UTF-8 text"))
        return {}, {}
    data, found = parse_yaml(text, path)
    problems.extend(found)
    if data is None:
        return {}, {}
    shape = "write a language tag such as 'en:' on its own line, then indented 'label: text' lines"
    if not isinstance(data, dict):
        problems.append(Problem(Location(path, line_of(data, default=1)),
                                "strings.yml must map each language to its labels", shape))
        return {}, {}
    usable: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for lang, entries in data.items():
        if not isinstance(entries, dict):
            problems.append(Problem(Location(path, line_of(data, lang, 1)),
                                    f"'{lang}' must hold 'label: text' lines", shape))
            continue
        usable[lang] = {}
        lines[lang] = line_of(data, lang, 1)
        for key, value in entries.items():
            if isinstance(value, dict):
                where = Location(path, line_of(entries, key, 1))
                usable[lang].update(_plural_label(where, lang, str(key), value, problems))
                continue
            if value is None or isinstance(value, list):
                problems.append(Problem(Location(path, line_of(entries, key, 1)),
                                        f"label '{key}' of '{lang}' must be a text",
                                        "write it on one line: 'key: text' (quote text with ': ' or '#')"))
                continue
            usable[lang][str(key)] = str(value)
    return usable, lines


def _plural_label(where: Location, lang: str, key: str, value: dict[object, object],
                  problems: list[Problem]) -> dict[str, str]:
    """The flat labels of one plural label (a mapping of plural categories to texts), checked."""
    wrong = [str(name) for name in value if name not in CATEGORIES]
    texts = {str(name): str(text) for name, text in value.items()
             if name in CATEGORIES and text is not None and not isinstance(text, (dict, list))}
    if wrong or len(texts) < len(value) - len(wrong) or "other" not in texts:
        problems.append(Problem(where, f"label '{key}' of '{lang}' must be a text, or map plural categories to texts "
                                "('other' included)" + (f" (not a category: {', '.join(wrong)})" if wrong else ""),
                                f"use the CLDR categories {', '.join(CATEGORIES)}: "
                                "e.g. '{one: About {n} minute, other: About {n} minutes}'"))
        return {}
    return expand(key, texts)


def load_strings(dirs: list[Path], language: str) -> dict[str, str]:
    """UI labels for *language* from the theme chain's ``strings.yml``.

    Raises:
        ContentError: a ``strings.yml`` has errors (``builder check`` lists them).
    """
    labels, problems, _covered = read_strings(dirs, language)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ContentError(errors)
    return labels
