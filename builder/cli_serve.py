"""The ``builder serve`` command: options only; the server lives in :mod:`builder.serve`."""
from __future__ import annotations

from pathlib import Path

import click

from builder.folders import find_courses
from builder.targets import PREVIEW_FORMATS


@click.command()
@click.argument("course", required=False, type=click.Path(path_type=Path))
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port (0 picks a free one).")
@click.option("--format", "fmt", type=click.Choice(list(PREVIEW_FORMATS)), default="scorm2004",
              show_default=True, help="LMS the course opens in first (switchable on the page).")
@click.option("--open", "open_browser", is_flag=True, help="Open the start page in a web browser.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only loopback unless --allow-remote is given.")
@click.option("--allow-remote", is_flag=True,
              help="Allow a --host other than loopback (other machines can then see your courses).")
@click.option("--lang", default=None, metavar="LANG",
              help="Preview this language of the course (default: its source language); missing "
                   "translations show the source text and are listed as warnings.")
def serve(course: Path | None, port: int, fmt: str, open_browser: bool, host: str, allow_remote: bool,
          lang: str | None) -> None:
    """Preview COURSE live in a simulated LMS (default: every course in ./courses/).

    Builds into a temporary folder (never dist/), rebuilds when a file changes and reloads
    the open pages. The LMS page shows what the LMS records: status, score, location,
    suspend data, interactions and every API call. Stop with Ctrl-C.
    """
    from builder.serve import serve as run_server

    run_server(find_courses((course,) if course else ()), host=host, port=port, fmt=fmt, open_browser=open_browser,
               allow_remote=allow_remote, language=lang)
