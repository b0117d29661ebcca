"""Errors and located problems.

Every mistake an author can make is reported as a :class:`Problem` that names the file,
the line and what to do. Problems are collected, then raised once as a
:class:`ContentError`, whose message lists them all. All :class:`BuilderError` subclasses
are :class:`click.ClickException`, so the CLI prints the message and exits with status 1,
never a traceback.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file: path, optional 1-based line and optional YAML key."""

    path: Path
    line: int | None = None
    key: str | None = None

    def display(self, base: Path | None = None) -> str:
        """Return ``path:line`` with the path relative to *base* (or the cwd) when possible."""
        shown = _relative(self.path, base)
        return f"{shown}:{self.line}" if self.line else shown


def _relative(path: Path, base: Path | None) -> str:
    base = base or Path.cwd()
    try:
        shown = os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if shown.startswith("..") else shown


@dataclass(frozen=True)
class Problem:
    """One problem found in a course: where, what, and a hint on how to fix it."""

    location: Location
    message: str
    hint: str | None = None
    severity: str = "error"  # "error" or "warning"
    rule: str = ""  # the id of a validate-stage rule (builder/rules.py), if it is one

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity == "error"

    def format(self, base: Path | None = None) -> str:
        """Format as ``path:line: error: message`` (``error[rule-id]`` for a rule), then the hint."""
        kind = f"{self.severity}[{self.rule}]" if self.rule else self.severity
        text = f"{self.location.display(base)}: {kind}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Sort problems by file and line so reports are stable."""
    return sorted(problems, key=lambda p: (str(p.location.path), p.location.line or 0, p.message))


class BuilderError(click.ClickException):
    """Base of every error caused by input or environment rather than by a bug."""

    category = "Error"

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"{self.category}: {self.format_message()}", err=True, file=file)


class ConfigError(BuilderError):
    """Bad command-line options or settings."""

    category = "Configuration error"


class ContentError(BuilderError):
    """One or more problems in a course's files."""

    category = "Course error"

    def __init__(self, problems: list[Problem], base: Path | None = None, subject: str | None = None) -> None:
        self.problems = sort_problems(problems)
        errors = sum(1 for p in self.problems if p.is_error)
        lines = [p.format(base) for p in self.problems]
        summary = f"{errors} error(s), {len(self.problems) - errors} warning(s)"
        lines.append(f"{subject}: {summary}" if subject else summary)
        super().__init__("\n".join(lines))

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(self.format_message(), err=True, file=file)


class StrictError(ContentError):
    """``--strict`` turned warnings (already shown) into a failure."""

    def __init__(self, problems: list[Problem], subject: str) -> None:
        super().__init__(problems, subject=subject)
        self.why = (f"{subject}: not built: --strict treats the {len(problems)} warning(s) above as errors "
                    "(fix them, or build without --strict)")

    def format_message(self) -> str:
        return self.why

    def __str__(self) -> str:
        return self.why


TEMPLATE_HINT = "fix the template; 'builder check' and 'builder build' both stop at this error"


class TemplateError(BuilderError):
    """A theme template failed to render; *location* is the template and line, when known.

    Shown as ``path:line: error[template-error]: message`` with a hint, as ``builder check``
    lists it.
    """

    category = "Template error"

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.location = location

    def located(self) -> str:
        """The message without the ``path:line:`` prefix that :attr:`location` holds."""
        message = self.format_message()
        if self.location is not None:
            prefix = f"{self.location.path}:{self.location.line}: "
            message = message[len(prefix):] if message.startswith(prefix) else message
        return message

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        if self.location is None:
            super().show(file)
            return
        # The same line as the 'template-error' rule of 'builder check' (builder/rules.py).
        shown = Problem(self.location, self.located(), TEMPLATE_HINT, rule="template-error")
        click.echo(shown.format(), err=True, file=file)


class PackageError(BuilderError):
    """A package could not be written."""

    category = "Package error"


class PublishError(BuilderError):
    """Publishing to an LMS failed."""

    category = "Publish error"
