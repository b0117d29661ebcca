"""``builder translate status``: how much of each catalog is translated, fuzzy or missing."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from builder.course import load_course
from builder.errors import ContentError
from builder.i18n.catalogs import LOCALES, course_messages
from builder.i18n.checks import load_translations


@dataclass
class Counts:
    """Messages of one catalog (or of a whole language) by state."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        """Every message."""
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Translated messages in percent of all (100 when there is nothing to translate)."""
        return 100.0 if not self.total else round(100.0 * self.translated / self.total, 1)

    def add(self, other: Counts) -> None:
        """Add *other*'s figures to these."""
        self.translated += other.translated
        self.fuzzy += other.fuzzy
        self.untranslated += other.untranslated

    def as_dict(self) -> dict[str, Any]:
        """The figures, the total and the percentage."""
        return {**asdict(self), "total": self.total, "percent": self.percent}


def translation_status(course_dir: Path) -> dict[str, dict[str, Counts]]:
    """Per language, per catalog file (``locales/<lang>/<name>.po``): the counts.

    Messages are those of the course as it is now, so a message that 'translate extract'
    has not yet written into a catalog counts as untranslated.

    Raises:
        ContentError: the course or a catalog has errors.
    """
    course = load_course(course_dir)
    messages = course_messages(course)
    result: dict[str, dict[str, Counts]] = {}
    problems = []
    for language in course.translations:
        translations, found = load_translations(course.root, language)
        problems += [p for p in found if p.is_error]
        files: dict[str, Counts] = {}
        for name, catalog in messages.catalogs.items():
            counts = files[f"{LOCALES}/{language}/{name}.po"] = Counts()
            for key in catalog:
                entry = translations.entries.get(key)
                if entry is None or not entry.text:
                    counts.untranslated += 1
                elif entry.fuzzy:
                    counts.fuzzy += 1
                else:
                    counts.translated += 1
        result[language] = files
    if problems:
        raise ContentError(problems, subject=str(course_dir))
    return result


def status_table(status: dict[str, dict[str, Counts]]) -> list[str]:
    """The figures as a text table, a total line per language."""
    rows = [("file", "translated", "fuzzy", "untranslated", "percent")]
    for language, files in status.items():
        total = Counts()
        for name, counts in files.items():
            total.add(counts)
            rows.append((name, str(counts.translated), str(counts.fuzzy), str(counts.untranslated),
                         f"{counts.percent:.0f}%"))
        rows.append((f"{language}: all files", str(total.translated), str(total.fuzzy), str(total.untranslated),
                     f"{total.percent:.0f}%"))
    widths = [max(len(row[n]) for row in rows) for n in range(5)]
    return ["  ".join(cell.ljust(w) if n == 0 else cell.rjust(w) for n, (cell, w) in enumerate(zip(row, widths)))
            .rstrip() for row in rows]


def status_json(status: dict[str, dict[str, Counts]]) -> dict[str, Any]:
    """The figures for scripts: ``{language: {"files": {path: counts}, "total": counts}}``."""
    out: dict[str, Any] = {}
    for language, files in status.items():
        total = Counts()
        for counts in files.values():
            total.add(counts)
        out[language] = {"files": {name: c.as_dict() for name, c in files.items()}, "total": total.as_dict()}
    return out
