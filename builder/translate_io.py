"""XLIFF export and import for a course's PO catalogs (``builder translate export|import``).

Export reads ``locales/<lang>/*.po`` with Babel and writes one XLIFF document holding every
catalog as its own ``<file original="locales/<lang>/<name>.po">``. Import checks the whole
document against the catalogs first (files, unit ids, target language, source texts that
changed since the export) and writes nothing when anything is wrong; then it rewrites only
the catalogs whose translations changed, each atomically.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from babel.messages.catalog import Catalog, Message

from builder.i18n import catalogs as i18n_catalogs
from builder.i18n.catalogs import LOCALES
from builder.errors import ConfigError, ContentError, Location, Problem
from builder.package import write_file
from builder.xliff import FileUnits, Unit, XliffError, read_xliff, unit_id, write_xliff
from builder.yamlsrc import parse_yaml



@dataclass(frozen=True)
class CourseLanguages:
    """What a course says about its languages in course.yml."""

    folder: Path
    source: str
    translations: tuple[str, ...]

    @property
    def slug(self) -> str:
        """The course folder name."""
        return self.folder.name


def course_languages(folder: Path) -> CourseLanguages:
    """The source and target languages of the course in *folder*.

    Raises:
        ContentError: course.yml is not valid YAML.
    """
    config = folder / "course.yml"
    data, problems = parse_yaml(config.read_text(encoding="utf-8"), config)
    if data is None:
        raise ContentError(problems, subject=str(config))
    data = data if isinstance(data, dict) else {}
    source = str(data.get("language") or "en")
    raw = data.get("translations") or []
    translations = tuple(str(x) for x in raw) if isinstance(raw, list) else ()
    return CourseLanguages(folder, source, translations)


def same_language(a: str, b: str) -> bool:
    """True when two language tags name the same language (case and ``_``/``-`` aside)."""
    return a.replace("_", "-").lower() == b.replace("_", "-").lower()


def catalog_files(folder: Path, lang: str) -> list[Path]:
    """The PO catalogs of *lang* in the course *folder*, sorted by name."""
    return sorted((folder / LOCALES / lang).glob("*.po"))


def read_catalog(path: Path) -> Catalog:
    """The catalog in *path*, read with Babel (``#| msgid`` lines kept as previous msgids).

    Raises:
        ContentError: the PO file is broken (``path:line: error``).
    """
    catalog, problems = i18n_catalogs.read_catalog(path)
    if catalog is None:
        raise ContentError(problems)
    return catalog


def _messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]  # the header has the empty msgid


def _ids(messages: list[Message]) -> list[str]:
    return [unit_id(m.context, str(m.id)) for m in messages]


def _unit(message: Message, uid: str) -> Unit:
    return Unit(uid, str(message.id), str(message.string or ""), message.context, message.fuzzy,
                sorted(f for f in message.flags if f != "fuzzy"),
                [(str(p), n) for p, n in message.locations], list(message.auto_comments),
                list(message.user_comments),
                str(message.previous_id[0]) if message.previous_id else None)


def export_xliff(folder: Path, lang: str, fmt: str) -> tuple[bytes, int]:
    """The XLIFF document (*fmt* ``xliff`` or ``xliff2``) of every *lang* catalog, and its unit count.

    Raises:
        ConfigError: *lang* is the source language, or has no catalogs.
        ContentError: a catalog is broken, or holds a plural message.
    """
    langs = course_languages(folder)
    if same_language(lang, langs.source):
        raise ConfigError(f"{lang} is the source language of {langs.slug}; export a target language "
                          f"({', '.join(langs.translations) or 'none listed under translations:'})")
    paths = catalog_files(folder, lang)
    if not paths:
        raise ConfigError(f"{folder / LOCALES / lang}: no PO catalogs for '{lang}' "
                          "(run 'builder translate extract' first)")
    files, problems, count = [], [], 0
    for path in paths:
        messages = _messages(read_catalog(path))
        for message in messages:
            if message.pluralizable:
                problems.append(Problem(Location(path, message.lineno), "a plural message cannot be "
                                        "exported to XLIFF", hint="course catalogs hold no plurals; "
                                        "remove msgid_plural"))
        units = [_unit(m, uid) for m, uid in zip(messages, _ids(messages))]
        count += len(units)
        original = PurePosixPath(LOCALES, lang, path.name).as_posix()
        files.append(FileUnits(original, langs.source, lang, units))
    if problems:
        raise ContentError(problems, subject=f"{langs.slug}: not exported")
    return write_xliff(files, fmt, langs.slug), count


@dataclass
class _Pending:
    path: Path
    catalog: Catalog
    changed: int = 0


def import_xliff(xlf: Path, folder: Path, dry_run: bool = False) -> list[tuple[Path, int]]:
    """Apply the translations of *xlf* to the catalogs of the course *folder*.

    With *dry_run*, check and count but write nothing.

    Returns:
        Each catalog rewritten and its number of changed messages.

    Raises:
        ContentError: any problem in *xlf* (``file.xlf:LINE: error``); nothing is written then.
    """
    try:
        files = read_xliff(xlf.read_bytes())
    except XliffError as exc:
        raise ContentError([Problem(Location(xlf, exc.line), exc.message, exc.hint)],
                           subject=f"{xlf}: not imported") from None
    langs = course_languages(folder)
    problems: list[Problem] = []
    pending: dict[Path, _Pending] = {}
    for item in files:
        target = _catalog_for(xlf, item, langs, problems)
        if target is None:
            continue
        if target not in pending:
            pending[target] = _Pending(target, read_catalog(target))
        _apply(xlf, item, pending[target], problems)
    if not files:
        problems.append(Problem(Location(xlf, 1), "the document holds no <file>"))
    if problems:
        raise ContentError(problems, subject=f"{xlf}: not imported, no catalog changed")
    written = []
    for job in pending.values():
        if job.changed and dry_run:
            written.append((job.path, job.changed))
        elif job.changed:
            write_file(job.path, i18n_catalogs.po_bytes(job.catalog))
            written.append((job.path, job.changed))
    return written


def _catalog_for(xlf: Path, item: FileUnits, langs: CourseLanguages, problems: list[Problem]) -> Path | None:
    where = Location(xlf, item.line)
    parts = PurePosixPath(item.original).parts
    if len(parts) != 3 or parts[0] != LOCALES or not parts[2].endswith(".po") or ".." in parts:
        problems.append(Problem(where, f"unknown file '{item.original}': not a catalog path "
                                f"'{LOCALES}/<lang>/<name>.po'"))
        return None
    lang = parts[1]
    if not item.target_language or not same_language(item.target_language, lang):
        problems.append(Problem(where, f"the target language is '{item.target_language}' but the catalog "
                                f"'{item.original}' is for '{lang}'",
                                hint="import the file into the course it was exported from, unchanged "
                                     "apart from the targets"))
        return None
    if langs.translations and not any(same_language(lang, t) for t in langs.translations):
        problems.append(Problem(where, f"'{lang}' is not a language of {langs.slug} "
                                f"(translations: {', '.join(langs.translations)})"))
        return None
    if item.source_language and not same_language(item.source_language, langs.source):
        problems.append(Problem(where, f"the source language is '{item.source_language}' but "
                                f"{langs.slug} is written in '{langs.source}'"))
        return None
    path = langs.folder / Path(*parts)
    if not path.is_file():
        problems.append(Problem(where, f"unknown file '{item.original}': {langs.slug} has no such catalog",
                                hint="run 'builder translate extract', export again and re-translate"))
        return None
    return path


def _apply(xlf: Path, item: FileUnits, job: _Pending, problems: list[Problem]) -> None:
    messages = _messages(job.catalog)
    by_id = dict(zip(_ids(messages), messages))
    seen: set[str] = set()
    for unit in item.units:
        where = Location(xlf, unit.line)
        message = by_id.get(unit.id)
        if unit.id in seen:
            problems.append(Problem(where, f"unit '{unit.id}' appears twice in '{item.original}'"))
            continue
        seen.add(unit.id)
        if message is None or unit.source != message.id:
            problems.append(_missing(where, unit, item.original, messages))
            continue
        job.changed += _update(message, unit)


def _missing(where: Location, unit: Unit, original: str, messages: list[Message]) -> Problem:
    known = any(m.id == unit.source and m.context == unit.context for m in messages)
    if known:  # the text is there: the id was edited
        return Problem(where, f"unknown unit id '{unit.id}' in '{original}'",
                       hint="keep the ids of the exported file as they are")
    return Problem(where, f"stale export: the source of unit '{unit.id}' ({_short(unit.source)!r}) is no longer "
                   f"in '{original}'",
                   hint="the course changed after the export: export again and translate the changed "
                        "messages; this file is not applied")


def _update(message: Message, unit: Unit) -> int:
    before: tuple[Any, ...] = (message.string, message.fuzzy, list(message.user_comments), message.previous_id)
    message.string = unit.target
    if unit.fuzzy and unit.target:
        message.flags.add("fuzzy")
    else:
        message.flags.discard("fuzzy")
        if before[1]:
            message.previous_id = []  # reviewed: the old source is no longer needed
    message.user_comments = list(unit.user_comments)
    after = (message.string, message.fuzzy, list(message.user_comments), message.previous_id)
    return int(after != before)


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
