"""Checking a course: every problem an author can fix, found in one pass."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from builder.course import Course
from builder.errors import TEMPLATE_HINT, Location, Problem, TemplateError
from builder.file_rules import check_course_files
from builder.paths import is_junk
from builder.plan import Page
from builder.rules import problem
from builder.convert import CourseContent
from builder.render import ExternalResourceError, Renderer
from builder.theme import Sample, check_theme, default_theme_dir
from builder.targets import get_target

LARGE_FILE = 20 * 1024 * 1024  # learners are often on slow connections
_TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".j2")


def check_and_prepare(course_dir: Path, parallel: bool = False, render: bool = True, language: str | None = None
                      ) -> tuple[Course | None, CourseContent | None, list[Problem]]:
    """Load *course_dir*, convert its lessons and collect every problem (a fresh session).

    Args:
        course_dir: the course folder.
        parallel: convert the lessons of a big course in worker processes (see
            :func:`builder.convert.convert_course`).
        render: also render every page once, so that a failing template is a problem here
            rather than a failed build. Callers that render the pages next anyway (a build)
            pass False and get the :class:`~builder.errors.TemplateError` from their render.
        language: check this translation of the course (None: the source); a missing or
            fuzzy translation is a warning.

    Returns:
        ``(course, content, problems)``; course and content are None when the course has
        errors. The course is the converted one (``content.course``).
    """
    from builder.session import Session

    session = Session(course_dir, parallel, language=language, incomplete="warning")
    session.run(render_check=render)
    return session.course, session.content, session.problems


def validate(content: CourseContent, dirs: list[Path], covered: bool) -> list[Problem]:
    """The checks of a whole course that no single file's reading can make.

    Args:
        content: the converted course.
        dirs: its theme chain.
        covered: whether the theme has labels for the course language.

    Returns:
        Warnings: unlisted lesson files, unused template files, large files, no
        description, no interface labels for the language; errors and warnings of the
        theme contract (:func:`builder.theme.check_theme`) for the course's own templates.
    """
    course = content.course
    problems = unlisted_lessons(course) + unused_templates(course)
    if not covered:
        problems.append(_language_warning(course))
    # The default theme keeps the contract (a test says so): pages are rendered for it only with overrides.
    problems += check_theme(dirs, theme_samples(content) if _own_templates(course) else ())
    problems += check_course_files(content.files)  # SVGs that could run or load something
    for rel, path in sorted(content.files.items()):
        size = path.stat().st_size
        if size > LARGE_FILE:
            problems.append(problem("large-file", Location(path), f"'{rel}' is {size // (1024 * 1024)} MB",
                                    "learners on slow connections will wait; make the file smaller"))
    if not course.description:
        problems.append(problem("no-description", Location(course.root / "course.yml", 1),
                                "the course has no description", "add 'description: ...'; the LMS shows it"))
    return problems


def render_problems(renderer: Renderer) -> list[Problem]:
    """Render every page once and report the template errors, each once.

    Pages are rendered without a SCORM version, and also for each of the course's formats
    when one of the course's own templates reads ``scorm``.

    Args:
        renderer: the renderer of the converted course.

    Returns:
        One problem per template error, naming the template and line and the pages it broke.
    """
    course, content = renderer.course, renderer.content
    versions: list[str | None] = [None]
    if any("scorm" in text for _path, text in _own_templates(course)):
        versions += [s for s in dict.fromkeys(get_target(fmt).scorm for fmt in course.packaging.formats) if s]
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
                message = re.sub(r" \(while rendering [^)]*\)", "", exc.located())
                pages = failed.setdefault((location, message), [])
                if page.url not in pages:
                    pages.append(page.url)
    problems = []
    for (location, message), pages in failed.items():
        more = f" and {len(pages) - 1} other page(s)" if len(pages) > 1 else ""
        problems.append(problem("template-error", location, f"{message} (while rendering {pages[0]}{more})",
                                TEMPLATE_HINT))
    return problems


def theme_samples(content: CourseContent) -> Iterator[Sample]:
    """One rendered page per use of a page template, for :func:`builder.theme.check_theme`.

    The start page, the first lesson with text, the first lesson with a quiz and the
    assessment page. A page whose template fails is left out: its error is reported by
    :func:`render_problems` (or stops the build).
    """
    renderer = Renderer(content.course, content)
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
        yield Sample(page.template or f"{page.kind}.html", page.id, html, content.lessons.get(page.id, ""),
                     (page.quiz.id,) if page.quiz is not None else ())


def unlisted_lessons(course: Course) -> list[Problem]:
    """Warnings for Markdown files in ``lessons/`` that course.yml does not list."""
    folder = course.root / "lessons"
    if not folder.is_dir():
        return []
    listed = frozenset(course.lesson_files)
    real = folder.resolve()
    problems = []
    for path in sorted(folder.rglob("*.md")):
        rel = path.relative_to(course.root).as_posix()
        if path.is_file() and not is_junk(rel) and real / path.relative_to(folder) not in listed \
                and path.resolve() not in listed:
            problems.append(problem("unlisted-lesson", Location(path), f"'{rel}' is not listed in course.yml; add "
                                    "it to a module or delete it",
                                    "a lesson is part of the course only when a module lists it"))
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
        problems.append(problem("unused-template", Location(path),
                                f"'templates/{rel}' is not a file of the theme, so it is not used",
                                f"did you mean '{close[0]}'?" if close else f"the theme's files: {names}"))
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
    base = course.language.split("-")[0].lower()
    return problem("no-ui-labels", Location(config, course.line_of("language")),
                   f"the theme has no interface labels for language '{course.language}'; the English interface "
                   "is used", f"add a '{base}:' section to the course's templates/strings.yml (copy the theme's "
                   "'en:' one), or use en, fr or es")
