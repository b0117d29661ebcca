"""Reading a language's catalogs with their checks, each problem at the PO file and line.

A catalog must be a valid PO file for a language the course lists (folder name and
``Language`` header, plural forms of that language), and each translation must keep what
is not words: the targets of links and images, footnote references, inline code, and
balanced emphasis markers. Ids, correct answers, weights and numbers are never read from
a catalog: only texts are.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural

from builder.errors import Location, Problem
from builder.i18n.apply import Entry, Translations
from builder.i18n.catalog_cache import FileResult, read_folder
from builder.i18n.catalogs import LOCALES, TEMPLATES, babel_locale, read_catalog
from builder.i18n.languages import LANG_RE

_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_LINK = re.compile(r"(?<!!)\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)")
_HREF = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""")
_FOOTNOTE = re.compile(r"\[\^([^\]]+)\]")
_MARKUP = re.compile(r"[\[\]`*_<]|\b(?:href|src)\b")
_PLURAL_RE = re.compile(r"nplurals\s*=\s*(\d+)")


def language_folders(root: Path, languages: tuple[str, ...]) -> list[Problem]:
    """Catalog folders in ``locales/`` for languages the course does not list, or not BCP 47."""
    folder = root / LOCALES
    if not folder.is_dir():
        return []
    problems = []
    listed = {lang.lower() for lang in languages}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and p.name != TEMPLATES):
        if not LANG_RE.match(sub.name):
            problems.append(Problem(Location(sub), f"'{sub.name}' is not a language tag (BCP 47)",
                                    "name each catalog folder after a language of 'translations:', e.g. fr"))
        elif sub.name.lower() not in listed:
            first = next(iter(sorted(sub.glob("*.po"))), sub)
            problems.append(Problem(Location(first), f"catalogs for '{sub.name}', a language the course does not list",
                                    f"add {sub.name} to 'translations:' in course.yml, or delete {sub.name}/"))
    return problems


def load_translations(root: Path, language: str) -> tuple[Translations, list[Problem]]:
    """Read and check every catalog of *language* in *root*'s ``locales/<language>/``.

    Returns:
        ``(translations, problems)``: the entries of the catalogs that could be read, and
        every problem located at its PO file and line.
    """
    result = Translations(language)
    problems: list[Problem] = []
    folder = root / LOCALES / language
    paths = sorted(folder.glob("*.po")) if folder.is_dir() else []
    for path, found in read_folder(paths, language, lambda p, data: _read_file(p, data, language)):
        problems += found.problems
        if found.readable:
            result.catalogs[path.stem] = path
            result.entries.update(found.entries)
        else:
            result.broken.add(path.stem)
    return result, problems


def _read_file(path: Path, data: bytes | None, language: str) -> FileResult:
    """One PO file of *language* (its bytes *data*, None: read them) read and checked."""
    catalog, problems = read_catalog(path, data)
    if catalog is None:
        return FileResult(False, (), tuple(problems))
    raw = path.read_bytes() if data is None else data
    problems += _header_problems(path, catalog, language, raw)
    lines = raw.decode("utf-8", errors="replace").split("\n")
    entries = []
    for message in catalog:
        if not message.id:
            continue
        line = entry_start(lines, message.lineno or 1)
        if isinstance(message.id, (list, tuple)):
            problems.append(Problem(Location(path, line), "a plural message: course texts have no plural forms",
                                    "remove the entry and run 'builder translate extract'"))
            continue
        text = message.string if isinstance(message.string, str) else ""
        entries.append(((message.context or "", message.id), Entry(text, path, line, message.fuzzy)))
        if text and not message.fuzzy:
            problems += [Problem(Location(path, line), msg, hint)
                         for msg, hint in translation_problems(message.id, text, message.context or "")]
    return FileResult(True, tuple(entries), tuple(problems))


def entry_start(lines: list[str], msgid_line: int) -> int:
    """The first line of the PO entry whose ``msgid`` is at *msgid_line*: its first comment or ``msgctxt``.

    Every problem of an entry (untranslated, fuzzy, a broken translation) is reported at
    this line, where the entry begins, as PO editors show it.
    """
    first = msgid_line
    index = msgid_line - 2  # the line before msgid, counted from 0
    while index >= 0:
        start = index
        while start >= 0 and lines[start].lstrip().startswith('"'):
            start -= 1  # continuation lines: of msgctxt (part of the entry) or of the previous msgstr
        text = lines[start].lstrip() if start >= 0 else ""
        if text.startswith("msgctxt") or (start == index and text.startswith("#") and not text.startswith("#~")):
            first, index = start + 1, start - 1
        else:
            break
    return first


def _header_problems(path: Path, catalog: Catalog, language: str, data: bytes) -> list[Problem]:
    """The ``Language`` and ``Plural-Forms`` headers must fit the folder's language (*data*: the file)."""
    problems = []
    lines = data.decode("utf-8", errors="replace").split("\n")

    def line_of(name: str) -> int:
        return next((n for n, text in enumerate(lines, 1) if text.startswith(f'"{name}:')), 1)

    header = catalog.locale_identifier
    if header and header.replace("_", "-").lower() != language.lower():
        problems.append(Problem(Location(path, line_of("Language")),
                                f"the catalog says Language: {header}, but it is in the folder of '{language}'",
                                f"set 'Language: {language}' or move the file to locales/{header.replace('_', '-')}/"))
    raw = dict(catalog.mime_headers).get("Plural-Forms", "")
    locale = babel_locale(language)
    expected = get_plural(locale).num_plurals if locale is not None else None
    found = _PLURAL_RE.search(raw)
    if raw and not found:
        problems.append(Problem(Location(path, line_of("Plural-Forms")), f"Plural-Forms cannot be read: '{raw}'",
                                "remove the line; 'builder translate extract' writes the right one"))
    elif found and expected is not None and int(found.group(1)) != expected:
        problems.append(Problem(Location(path, line_of("Plural-Forms")),
                                f"Plural-Forms says nplurals={found.group(1)}, but '{language}' has "
                                f"{expected} plural forms",
                                "remove the line; 'builder translate extract' writes the right one"))
    return problems


def translation_problems(source: str, text: str, context: str) -> list[tuple[str, str]]:
    """What a translation of *source* loses or breaks: ``(message, hint)`` pairs."""
    if context.endswith("/answers"):
        if not any(line.strip() for line in text.split("\n")):
            return [("the translated question accepts no answer", "write the accepted answers, one per line")]
        return []
    if not (_MARKUP.search(source) or _MARKUP.search(text)):
        return []  # plain words on both sides (most messages): nothing to keep
    problems = []
    for what, pattern in (("link to", _LINK), ("picture", _IMAGE), ("link or source", _HREF),
                          ("footnote reference", _FOOTNOTE)):
        before, after = Counter(pattern.findall(_no_code(source))), Counter(pattern.findall(_no_code(text)))
        for target in sorted((before - after).elements()):
            shown = f"[^{target}]" if what.startswith("footnote") else target
            problems.append((f"the translation drops the {what} {shown}",
                             "keep every link, picture and footnote of the source, with the same target"))
        for target in sorted((after - before).elements()):
            shown = f"[^{target}]" if what.startswith("footnote") else target
            problems.append((f"the translation adds the {what} {shown}, which the source does not have",
                             "use the source's targets; change a target in the source itself"))
    before_code = Counter(code.strip() for _, code in _CODE.findall(source))
    after_code = Counter(code.strip() for _, code in _CODE.findall(text))
    for code in sorted((before_code - after_code).elements()):
        problems.append((f"the translation changes or drops the code `{code}`",
                         "inline code is not translated: copy it as it is"))
    for marker in ("**", "*", "__"):
        if marker[0] in text and _count(source, marker) % 2 == 0 and _count(text, marker) % 2:
            problems.append((f"unbalanced emphasis: an odd number of '{marker}' in the translation",
                             f"close every '{marker}' you open, as in the source"))
    return problems


def _no_code(text: str) -> str:
    return _CODE.sub(" ", text)


def _count(text: str, marker: str) -> int:
    """How often *marker* opens or closes emphasis in *text* (code, links and list bullets aside)."""
    plain = re.sub(r"\]\([^)]*\)", "]", _no_code(text))
    plain = re.sub(r"^\s*[*+-]\s", "", plain, flags=re.MULTILINE)
    if marker == "*":
        plain = plain.replace("**", "")
        return len(re.findall(r"(?<![\s\\])\*|\*(?!\s)", plain))
    return plain.count(marker)
