"""The ``builder`` command line: options and one call each; the work lives elsewhere."""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import click

from builder import __version__
from builder.errors import BuilderError, ConfigError

log = logging.getLogger("builder")

FORMAT_CHOICES = ("scorm12", "scorm2004", "all", "handbook", "workbook")


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


def find_courses(names: tuple[Path, ...]) -> list[Path]:
    """The course folders named on the command line, or every course under ./courses/."""
    if names:
        found = []
        for name in names:
            path = name.parent if name.name == "course.yml" else name
            if not path.is_dir():
                raise ConfigError(f"{name}: no such course folder")
            found.append(path)
        return found
    base = Path("courses")
    courses = sorted(p.parent for p in base.glob("*/course.yml")) if base.is_dir() else []
    if not courses:
        raise ConfigError("no course found: give a course folder, or run this in a folder whose "
                          "courses/ holds course folders (create one with 'builder new NAME')")
    return courses


@cli.command()
@click.argument("courses", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default=None,
              help="Package format, or a PDF edition: handbook (trainers) or workbook (participants) "
                   "(default: the course's packaging.formats).")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True, help="Folder for the zips.")
@click.option("--schemas", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder holding scorm12/ and scorm2004_4th/ XSD sets to copy into each package.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def build(courses: tuple[Path, ...], fmt: str | None, out: Path, schemas: Path | None, strict: bool) -> None:
    """Build SCORM packages for COURSE folders (default: every course in ./courses/)."""
    from builder.build import build_course

    formats: tuple[str, ...] | None = None  # None: the course's packaging.formats
    if fmt == "all":
        formats = ("scorm12", "scorm2004")
    elif fmt:
        formats = (fmt,)
    started = time.perf_counter()
    built = []
    failed = 0
    folders = find_courses(courses)
    for folder in folders:
        try:
            result = build_course(folder, formats=formats, out=out, schemas=schemas, strict=strict)
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
def check(courses: tuple[Path, ...], strict: bool) -> None:
    """Check COURSE folders and list every problem as path:line: message."""
    from builder.check import check_and_prepare

    failed = False
    for folder in find_courses(courses):
        course, _content, problems = check_and_prepare(folder)
        for problem in problems:
            click.echo(problem.format(), err=True)
        errors = sum(p.is_error for p in problems)
        warnings = len(problems) - errors
        shown = folder.resolve() if str(folder) in (".", "..") else folder
        if errors or (strict and warnings):
            failed = True
            click.echo(f"{shown}: {errors} error(s), {warnings} warning(s)", err=True)
        else:
            assert course is not None
            click.echo(f"{shown}: OK ({len(course.lessons)} lessons, {len(course.quizzes)} quizzes"
                       + (f", {warnings} warning(s)" if warnings else "") + ")", err=True)
    if failed:
        raise click.exceptions.Exit(1)


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


from builder.cli_serve import serve  # noqa: E402 (the command lives in its own module)

cli.add_command(serve)

from builder.cli_publish import publish  # noqa: E402

cli.add_command(publish)


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
        sys.exit(exc.exit_code)
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
