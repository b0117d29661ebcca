"""The ``builder translate`` commands: options only; the work lives in :mod:`builder.i18n`."""
from __future__ import annotations

import logging
from pathlib import Path

import click

from builder.errors import ConfigError
from builder.folders import find_courses

log = logging.getLogger("builder")


@click.group()
def translate() -> None:
    """Translation catalogs: extract the texts to translate, and see what is missing."""


@translate.command()
@click.argument("courses", nargs=-1, type=click.Path(path_type=Path))
def extract(courses: tuple[Path, ...]) -> None:
    """Write locales/templates/*.pot and update locales/<lang>/*.po of COURSE folders.

    Every language of the course's 'translations:' gets one catalog per lesson and a
    course.po (course.yml and the quizzes). A changed source text becomes fuzzy with the
    old text kept as '#| msgid'; a removed one becomes obsolete.
    """
    from builder.i18n.catalogs import extract as run_extract

    for folder in find_courses(courses):
        result = run_extract(folder)
        if not result.files:
            raise ConfigError(f"{folder}: nothing to translate")
        log.info("%s: %d catalog file(s), %d changed", folder, len(result.files), len(result.changed))
        for path in result.changed:
            log.debug("  wrote %s", path)


@translate.command()
@click.argument("courses", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (for scripts).")
@click.option("--require-complete", is_flag=True,
              help="Exit with status 1 when any message is untranslated or fuzzy.")
def status(courses: tuple[Path, ...], as_json: bool, require_complete: bool) -> None:
    """Show per language and catalog file how many messages are translated, fuzzy or untranslated."""
    import json

    from builder.i18n.media import media_without_copy
    from builder.i18n.status import status_json, status_table, translation_status

    report: dict[str, object] = {}
    missing = False
    for folder in find_courses(courses):
        figures = translation_status(folder)
        missing = missing or any(c.fuzzy or c.untranslated for files in figures.values() for c in files.values())
        media = {language: media_without_copy(folder, language) for language in figures}
        if as_json:
            entry = status_json(figures)
            for language, names in media.items():
                entry[language]["media_without_copy"] = names
            report[folder.name] = entry
        elif not figures:
            click.echo(f"{folder}: no translations (add 'translations: [fr, ...]' to course.yml)")
        else:
            click.echo(f"{folder}:")
            for line in status_table(figures):
                click.echo("  " + line)
            for language, names in media.items():
                if names:
                    click.echo(f"  {language}: no localised copy (locales/{language}/...) of {', '.join(names)}; "
                               "information only: a figure without words needs none")
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True))
    if require_complete and missing:
        raise click.exceptions.Exit(1)


def _add_xliff_commands() -> None:
    from builder.cli_xliff import export_command, import_command

    translate.add_command(export_command)
    translate.add_command(import_command)


_add_xliff_commands()
