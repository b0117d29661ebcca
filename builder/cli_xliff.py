"""``builder translate export`` and ``import``: XLIFF files for translation agencies."""
from __future__ import annotations

import logging
from pathlib import Path

import click

from builder.errors import ConfigError
from builder.xliff import FORMATS

log = logging.getLogger("builder")


def _one_course(course: Path | None) -> Path:
    from builder.folders import find_course, find_courses

    if course is not None:
        return find_course(course)
    found = find_courses(())
    if len(found) != 1:
        raise ConfigError(f"{len(found)} courses in ./courses/: name the course folder")
    return found[0]


@click.command("export")
@click.argument("course", required=False, type=click.Path(path_type=Path))
@click.option("--lang", "lang", required=True, help="The target language to export (e.g. fr).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="xliff", show_default=True,
              help="xliff = XLIFF 1.2 (what most agency tools read), xliff2 = XLIFF 2.0.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write (default: <course>-<lang>.xlf in the current folder).")
def export_command(course: Path | None, lang: str, fmt: str, output: Path | None) -> None:
    """Export every catalog of one language of COURSE as one XLIFF file for a translation agency."""
    from builder.package import write_file
    from builder.translate_io import export_xliff

    folder = _one_course(course)
    data, count = export_xliff(folder, lang, fmt)
    dest = output or Path(f"{folder.name}-{lang}.xlf")
    write_file(dest, data)
    log.info("%s: %d messages of '%s' exported", dest, count, lang)


@click.command("import")
@click.argument("xlf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("course", required=False, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file against the catalogs; write nothing.")
def import_command(xlf: Path, course: Path | None, dry_run: bool) -> None:
    """Write the translations of an XLIFF file back into the PO catalogs of COURSE.

    Nothing is written when the file has any problem (a file or unit the course does not
    have, another target language, a source text changed since the export).
    """
    from builder.translate_io import import_xliff

    folder = _one_course(course)
    written = import_xliff(xlf, folder, dry_run=dry_run)
    for path, changed in written:
        log.info("%s: %d message(s) %s", path, changed, "would change" if dry_run else "updated")
    if not written:
        log.info("%s: no translation changed", xlf)
