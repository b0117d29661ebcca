"""Checking a course: every problem an author can fix, found in one pass."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from builder.course import Course, read_course
from builder.errors import Location, Problem, TemplateError, sort_problems
from builder.paths import is_junk
from builder.render import (CourseContent, ExternalResourceError, Page, Renderer, listed_lesson_files,
                            read_strings, render_content)
from builder.scorm import get_version
from builder.theme import Sample, check_theme, default_theme_dir, theme_dirs

LARGE_FILE = 20 * 1024 * 1024  # learners are often on slow connections
_TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".j2")


def check_and_prepare(course_dir: Path, parallel: bool = False, render: bool = True
                      ) -> tuple[Course | None, CourseContent | None, list[Problem]]:
    """Load *course_dir*, convert its lessons and collect every problem.

    Args:
        course_dir: the course folder.
        parallel: convert the lessons of a big course in worker processes (see
            :func:`builder.render.render_content`).
        render: also render every page once, so that a failing template is a problem here
            rather than a failed build. Callers that render the pages next anyway (a build)
            pass False and get the :class:`~builder.errors.TemplateError` from their render.

    Returns:
        ``(course, content, problems)``; course and content are None when loading failed.
    """
    course, problems = read_course(course_dir)
    if course is None:
        return None, None, sort_problems(problems)
    labels, found, covered = read_strings(theme_dirs(course), course.language)
    problems = problems + found
    if not covered:
        problems.append(_language_warning(course))
    content = render_content(course, labels, parallel)
    problems += content.problems
    problems += unlisted_lessons(course) + unused_templates(course)
    # The default theme keeps the contract (a test says so): pages are rendered for it only with overrides.
    problems += check_theme(theme_dirs(course), theme_samples(course, content) if _own_templates(course) else ())
    for rel, path in sorted(content.files.items()):
        size = path.stat().st_size
        if size > LARGE_FILE:
            problems.append(Problem(Location(path), f"'{rel}' is {size // (1024 * 1024)} MB",
                                    "learners on slow connections will wait; make the file smaller",
                                    "warning"))
    if not course.description:
        problems.append(Problem(Location(course.root / "course.yml", 1), "the course has no description",
                                "add 'description: ...'; the LMS shows it", "warning"))
    if render:
        problems += render_problems(course, content)
    return course, content, sort_problems(problems)


def check_course(course_dir: Path) -> tuple[Course | None, list[Problem]]:
    """Load and check *course_dir*; return the course (None on errors) and all problems."""
    course, _content, problems = check_and_prepare(course_dir)
    if any(p.is_error for p in problems):
        return None, problems
    return course, problems


def render_problems(course: Course, content: CourseContent) -> list[Problem]:
    """Render every page once and report the template errors, each once.

    Pages are rendered without a SCORM version, and also for each of the course's formats
    when one of the course's own templates reads ``scorm``.

    Args:
        course: the course.
        content: its converted lessons.

    Returns:
        One problem per template error, naming the template and line and the pages it broke.
    """
    renderer = Renderer(course, content)
    versions: list[str | None] = [None]
    if any("scorm" in text for _path, text in _own_templates(course)):
        versions += [get_version(fmt).runtime for fmt in course.packaging.scorm_formats]
    failed: dict[tuple[Location, str], list[str]] = {}
    for scorm in versions:
        for page in renderer.pages:
            try:
                renderer.render_page(page, scorm)
            except TemplateError as exc:
                if isinstance(exc, ExternalResourceError) and exc.location is None and \
                        any(exc.url in p.message for p in content.problems):
                    continue  # course text, already reported where it is written
                location = exc.location or Location(course.root / "templates")
                message = exc.format_message()
                prefix = f"{location.path}:{location.line}: "
                message = message[len(prefix):] if message.startswith(prefix) else message
                message = re.sub(r" \(while rendering [^)]*\)", "", message)
                pages = failed.setdefault((location, message), [])
                if page.url not in pages:
                    pages.append(page.url)
    problems = []
    for (location, message), pages in failed.items():
        more = f" and {len(pages) - 1} other page(s)" if len(pages) > 1 else ""
        problems.append(Problem(location, f"{message} (while rendering {pages[0]}{more})",
                                "'builder build' would stop here; fix the template"))
    return problems


def theme_samples(course: Course, content: CourseContent) -> Iterator[Sample]:
    """One rendered page per use of a page template, for :func:`builder.theme.check_theme`.

    The start page, the first lesson with text, the first lesson with a quiz and the
    assessment page. A page whose template fails is left out: its error is reported by
    :func:`render_problems` (or stops the build).
    """
    renderer = Renderer(course, content)
    wanted: dict[str, Page] = {}
    for page in renderer.pages:
        if page.kind != "lesson":
            wanted.setdefault(page.kind, page)
        if page.kind == "lesson" and content.lessons.get(page.id, "").strip():
            wanted.setdefault("lesson text", page)
        if page.kind == "lesson" and page.quiz is not None:
            wanted.setdefault("lesson quiz", page)
    for page in {page.id: page for page in wanted.values()}.values():
        try:
            html = renderer.render_page(page, None)
        except (TemplateError, RecursionError):
            continue
        yield Sample(f"{page.kind}.html", page.id, html, content.lessons.get(page.id, ""),
                     (page.quiz.id,) if page.quiz is not None else ())


def unlisted_lessons(course: Course) -> list[Problem]:
    """Warnings for Markdown files in ``lessons/`` that course.yml does not list."""
    folder = course.root / "lessons"
    if not folder.is_dir():
        return []
    listed = listed_lesson_files(course)
    problems = []
    for path in sorted(folder.rglob("*.md")):
        rel = path.relative_to(course.root).as_posix()
        if path.is_file() and not is_junk(rel) and path.resolve() not in listed:
            problems.append(Problem(Location(path), f"'{rel}' is not listed in course.yml; add it to a module "
                                    "or delete it", "a lesson is part of the course only when a module lists it",
                                    "warning"))
    return problems


def unused_templates(course: Course) -> list[Problem]:
    """Warnings for files in the course's ``templates/`` that the theme never uses.

    A file is used when the default theme has a file of that name (the course's replaces
    it), when it is an asset (``assets/`` is copied into packages), or when one of the
    course's templates names it (``{% include "parts/footer.html" %}``).
    """
    folder = course.root / "templates"
    if not folder.is_dir():
        return []
    theme = default_theme_dir()
    known = sorted(p.relative_to(theme).as_posix() for p in theme.rglob("*") if p.is_file())
    mentioned = "\n".join(text for _path, text in _own_templates(course))
    problems = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if not path.is_file() or is_junk(rel) or rel in known or rel.startswith("assets/"):
            continue
        if f'"{rel}"' in mentioned or f"'{rel}'" in mentioned:
            continue
        close = difflib.get_close_matches(rel, known, n=1, cutoff=0.7)
        names = ", ".join(k for k in known if "/" not in k)
        problems.append(Problem(Location(path), f"'templates/{rel}' is not a file of the theme, so it is not used",
                                f"did you mean '{close[0]}'?" if close else f"the theme's files: {names}",
                                "warning"))
    return problems


def _own_templates(course: Course) -> list[tuple[Path, str]]:
    """The course's own template files with their text."""
    folder = course.root / "templates"
    found = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in _TEMPLATE_SUFFIXES:
                try:
                    found.append((path, path.read_text(encoding="utf-8")))
                except (OSError, UnicodeDecodeError):
                    continue
    return found


def _language_warning(course: Course) -> Problem:
    config = course.root / "course.yml"
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    match = re.search(r"^language\s*:", text, re.M)
    line = text.count("\n", 0, match.start()) + 1 if match else None
    base = course.language.split("-")[0].lower()
    return Problem(Location(config, line), f"the theme has no interface labels for language "
                   f"'{course.language}'; the English interface is used",
                   f"add a '{base}:' section to the course's templates/strings.yml (copy the theme's 'en:' one), "
                   "or use en, fr or es", "warning")
