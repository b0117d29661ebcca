"""The ``builder`` command line: options and one call each; the work lives elsewhere."""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Any

import click

from builder import __version__
from builder.errors import BuilderError
from builder.folders import find_courses
from builder.targets import TARGETS

log = logging.getLogger("builder")

FORMAT_CHOICES = (*TARGETS, "all")
"""``--format`` values: every target of the registry, and ``all`` of them."""


def _split_languages(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """``--lang fr,es`` and ``--lang fr --lang es`` alike: the tags in order, each once."""
    found: list[str] = []
    for part in (p.strip() for v in value for p in v.split(",")):
        if part and part not in found:
            found.append(part)
    return tuple(found)


LANG_OPTION = click.option("--lang", multiple=True, callback=_split_languages, metavar="LANG[,LANG]",
                           help="Only these languages of the course (the source language and those of "
                                "'translations:'; default: every one).")


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.levelno >= logging.WARNING and not getattr(record, "located", False):
            return f"{record.levelname.lower()}: {text}"
        return text


def _setup_logging(verbosity: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger("builder")
    root.handlers[:] = [handler]
    root.propagate = False
    root.setLevel({-1: logging.WARNING, 0: logging.INFO}.get(verbosity, logging.DEBUG))


class _LazyGroup(click.Group):
    """A group whose bigger commands are imported only when used (``builder build`` does not
    pay for the preview server or the Moodle client), and whose ``--help`` shows each
    command's first sentence in full."""

    LAZY = {"serve": ("builder.cli_serve", "serve"), "publish": ("builder.cli_publish", "publish"),
            "translate": ("builder.cli_translate", "translate")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, the lazy ones included."""
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command *cmd_name*, imported on first use."""
        if cmd_name in self.LAZY and cmd_name not in self.commands:
            import importlib

            module, name = self.LAZY[cmd_name]
            command = getattr(importlib.import_module(module), name)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands with their whole first sentence (click cuts it at 45 characters)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="builder")
@click.option("-v", "--verbose", count=True, help="Show more detail (one line per file).")
@click.option("-q", "--quiet", is_flag=True, help="Only show warnings and errors.")
@click.option("--traceback", is_flag=True, help="Show the full traceback of an internal error.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool, traceback: bool) -> None:
    """Turn plain-text courses into SCORM 1.2 and SCORM 2004 packages.

    A course is a folder with a course.yml, lessons in Markdown and quizzes in YAML.
    Without COURSE arguments, commands work on every course in ./courses/.
    """
    ctx.obj = {"traceback": traceback}
    _setup_logging(-1 if quiet else verbose)


@cli.command()
@click.argument("courses", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default=None,
              help="Output format: a package, the website, or a PDF edition (handbook for trainers, "
                   "workbook for participants); 'all' builds every one (default: the course's "
                   "packaging.formats).")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True, help="Folder for the zips.")
@click.option("--schemas", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder holding scorm12/ and scorm2004_4th/ XSD sets to copy into each package.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@LANG_OPTION
@click.option("--allow-incomplete", is_flag=True,
              help="Use the source text where a translation is missing or fuzzy (marked with its language) "
                   "instead of failing.")
def build(courses: tuple[Path, ...], fmt: str | None, out: Path, schemas: Path | None, strict: bool,
          lang: tuple[str, ...], allow_incomplete: bool) -> None:
    """Build packages for COURSE folders (default: every course in ./courses/).

    SCORM targets make a zip; the web target makes a folder and a zip.
    """
    from builder.build import build_course

    formats: tuple[str, ...] | None = None  # None: the course's packaging.formats
    if fmt == "all":
        formats = tuple(TARGETS)
    elif fmt:
        formats = (fmt,)
    started = time.perf_counter()
    built = []
    failed = 0
    folders = find_courses(courses)
    for folder in folders:
        try:
            result = build_course(folder, formats=formats, out=out, schemas=schemas, strict=strict,
                                  languages=lang or None, allow_incomplete=allow_incomplete)
        except BuilderError as exc:
            if len(folders) == 1:
                raise
            exc.show()
            failed += 1
            continue
        built.extend(result.packages)
    elapsed = time.perf_counter() - started
    total = sum(p.size for p in built)
    log.info("%d package(s), %.0f KB in total, in %.2f s%s", len(built), total / 1024, elapsed,
             f"; {failed} course(s) failed" if failed else "")
    if failed:
        raise click.exceptions.Exit(1)


@cli.command()
@click.argument("courses", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@LANG_OPTION
def check(courses: tuple[Path, ...], strict: bool, lang: tuple[str, ...]) -> None:
    """Check COURSE folders and list every problem as path:line: message.

    A course with translations is checked in every language (or those of --lang); a
    missing or fuzzy translation is a warning, a broken catalog an error.
    """
    from builder.i18n.check_languages import check_languages

    failed = False
    for folder in find_courses(courses):
        started = time.perf_counter()
        course, content, problems = check_languages(folder, lang or None)
        for problem in problems:
            click.echo(problem.format(), err=True)
        errors = sum(p.is_error for p in problems)
        warnings = len(problems) - errors
        shown = folder.resolve() if str(folder) in (".", "..") else folder
        if course is not None and log.isEnabledFor(logging.DEBUG):
            _check_details(course, content.files if content else {}, time.perf_counter() - started)
        if errors or (strict and warnings):
            failed = True
            why = " (--strict: warnings count as errors)" if strict and warnings and not errors else ""
            click.echo(f"{shown}: {errors} error(s), {warnings} warning(s){why}", err=True)
        else:
            assert course is not None
            log.info("%s: OK (%d lessons, %d quizzes%s)", shown, len(course.lessons), len(course.quizzes),
                     f", {warnings} warning(s)" if warnings else "")
    if failed:
        raise click.exceptions.Exit(1)


def _check_details(course: Any, files: dict[str, Path], elapsed: float) -> None:
    """With -v: what 'check' read and what would go into the package."""
    for lesson in course.lessons:
        log.debug("  lesson %s: %s%s", lesson.id, lesson.source.relative_to(course.root).as_posix(),
                  f" (quiz {lesson.quiz.id})" if lesson.quiz else "")
    if course.assessment is not None:
        log.debug("  assessment: %s", course.assessment.source.relative_to(course.root).as_posix())
    for rel in sorted(files):
        log.debug("  file: %s", rel)
    log.debug("  checked in %.2f s", elapsed)


@cli.command()
@click.argument("slug")
@click.option("--title", help="Course title (default: made from SLUG).")
@click.option("--dir", "parent", type=click.Path(file_okay=False, path_type=Path), default=Path("courses"),
              show_default=True, help="Folder to create the course in.")
def new(slug: str, title: str | None, parent: Path) -> None:
    """Create a new course folder SLUG that builds and passes 'check' right away."""
    from builder.scaffold import create_course

    path = create_course(parent, slug, title)
    click.echo(f"created {path}; edit {path / 'course.yml'} and the files in {path / 'lessons'}", err=True)


def main() -> None:
    """Entry point: run the CLI; internal errors get a short message unless --traceback."""
    try:
        code = cli(standalone_mode=False)
        # With standalone_mode=False, click returns the code of a ctx.exit()/Exit.
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        # A mistyped option is a user error like any other: 1 (click's own default is 2,
        # which the README reserves for internal errors).
        sys.exit(1 if isinstance(exc, click.UsageError) else exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug, not a user mistake
        if "--traceback" in sys.argv:
            raise
        click.echo(f"Internal error: {type(exc).__name__}: {exc}\n"
                   "This is a bug in builder. Run the command again with --traceback "
                   "(e.g. 'builder --traceback build') and report the output.", err=True)
        sys.exit(2)
