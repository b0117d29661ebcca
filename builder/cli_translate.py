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


def _add_xliff_commands() -> None:
    from builder.cli_xliff import export_command, import_command

    translate.add_command(export_command)
    translate.add_command(import_command)


_add_xliff_commands()
