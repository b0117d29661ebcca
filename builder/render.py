"""Rendering: course model → the files of a package (except the manifest).

The theme chain and the Jinja2 environment (one per build, with autoescaping and
``StrictUndefined``) come from :mod:`builder.theme`.
"""
from __future__ import annotations

import difflib
import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
from markupsafe import Markup

from builder.content import LINK_CHARS, LessonSource, MarkdownRenderer, SectionLink
from builder.course import Course, Lesson, Module
from builder.errors import ContentError, Location, Problem, TemplateError
from builder.html_rules import external_resources
from builder.paths import is_junk
from builder.quiz import Quiz, quiz_payload
from builder.theme import make_environment, theme_dirs
from builder.yamlsrc import line_of, parse_yaml

TEMPLATE_NAMES = ("index.html", "lesson.html", "assessment.html")
SCORM_LABELS = {"scorm12": "1.2", "scorm2004": "2004"}


@dataclass(frozen=True)
class Page:
    """One HTML page of the package."""

    id: str
    url: str
    title: str
    kind: str
    module: Module | None = None
    number: int = 0
    minutes: int | None = None
    lesson: Lesson | None = None
    quiz: Quiz | None = None


@dataclass
class CourseContent:
    """Lesson HTML and the course files the lessons use, with any problems found.

    ``snippets_inline`` and ``snippets_block`` hold the checked HTML of the Markdown
    snippets that can carry links, images or HTML (quiz texts, objectives, the course
    description), by their text: the template filters and the quiz payload look them up
    there, so their links and images work like a lesson's.
    """

    lessons: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    markdown: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    labels: dict[str, str] = field(default_factory=dict)
    snippets_inline: dict[str, str] = field(default_factory=dict)
    snippets_block: dict[str, str] = field(default_factory=dict)

    def inline(self, text: str) -> str:
        """HTML of an inline snippet: the checked conversion, or a plain one."""
        found = self.snippets_inline.get(text)
        return found if found is not None else self.markdown.inline(text)

    def block(self, text: str) -> str:
        """HTML of a snippet with paragraphs: the checked conversion, or a plain one."""
        found = self.snippets_block.get(text)
        return found if found is not None else self.markdown.block(text)


def build_pages(course: Course) -> list[Page]:
    """The pages of *course* in reading order: start page, lessons, assessment."""
    pages = [Page(id="index", url="index.html", title=course.title, kind="index")]
    number = 0
    for module in course.modules:
        for lesson in module.lessons:
            number += 1
            pages.append(Page(id=lesson.id, url=f"{lesson.id}.html", title=lesson.title, kind="lesson",
                              module=module, number=number, minutes=lesson.minutes, lesson=lesson,
                              quiz=lesson.quiz))
    if course.assessment:
        pages.append(Page(id="assessment", url="assessment.html", title=course.assessment.title,
                          kind="assessment", number=number + 1, quiz=course.assessment))
    return pages


PARALLEL_MIN_LESSONS = 40
"""Below this many lessons, starting worker processes costs more than it saves."""


def render_content(course: Course, labels: dict[str, str] | None = None,
                   parallel: bool = False) -> CourseContent:
    """Convert every lesson's Markdown and collect the files they use.

    Args:
        course: the loaded course.
        labels: UI labels (callout names etc.) in the course language.
        parallel: convert big courses in worker processes (one per CPU). Only for
            single-threaded callers such as ``builder build``: it forks.

    Returns:
        The lesson HTML by lesson id, the checked HTML of quiz texts, objectives and the
        description (see :func:`convert_snippets`), used files by archive path, and the
        problems found.
    """
    labels = labels if labels is not None else load_strings(theme_dirs(course), course.language)
    content = CourseContent(labels=labels)
    by_path = {lesson.source: lesson.id for lesson in course.lessons}
    listed = listed_lesson_files(course)
    jobs = [(course.root, lesson.source, lesson.body, lesson.body_line, by_path, labels, course.language, listed)
            for lesson in course.lessons]
    workers = _worker_count(len(jobs)) if parallel else 1
    if workers > 1:
        chunks = [jobs[i::workers] for i in range(workers)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = list(pool.map(_convert_lessons, chunks))
        # Put the interleaved chunks back into course order.
        results: list[_Result] = [None] * len(jobs)  # type: ignore[list-item]
        for offset, part in enumerate(parts):
            results[offset::workers] = part
    else:
        results = _convert_lessons(jobs, content.markdown)
    sections: list[SectionLink] = []
    for lesson, (html, files, problems, links) in zip(course.lessons, results):
        content.lessons[lesson.id] = html
        content.problems.extend(problems)
        sections.extend(links)
        for rel in files:
            content.files[rel] = course.root / rel
        if not lesson.body.strip() and lesson.quiz is None:
            content.problems.append(Problem(Location(lesson.source, max(lesson.body_line - 1, 1)),
                                            "the lesson has no text", "write the lesson below the front matter",
                                            "warning"))
    content.problems.extend(_check_sections(sections, content.lessons))
    snippet_files, snippet_problems = convert_snippets(course, content, by_path, listed)
    content.files.update(snippet_files)
    content.problems.extend(snippet_problems)
    for rel in content.files:
        if rel == "imsmanifest.xml" or rel.endswith(".html") and "/" not in rel or rel.startswith("assets/"):
            content.problems.append(Problem(Location(course.root / rel), f"the file name '{rel}' is used by the "
                                            "package itself", "move the file into a folder such as media/ or files/"))
    return content


_Job = tuple[Path, Path, str, int, dict[Path, str], dict[str, str], str, frozenset[Path]]
_Result = tuple[str, list[str], list[Problem], list[SectionLink]]


def _convert_lessons(jobs: list[_Job], markdown: MarkdownRenderer | None = None) -> list[_Result]:
    """Convert lessons in order; runs in the calling process or in a worker."""
    markdown = markdown or MarkdownRenderer()
    results = []
    for root, path, body, body_line, by_path, labels, language, listed in jobs:
        source = LessonSource(root=root, path=path, body=body, body_line=body_line,
                              lessons_by_path=by_path, labels=labels, language=language, listed=listed)
        html = markdown.convert(source)
        results.append((html, sorted(source.files), source.problems, source.sections))
    return results


def listed_lesson_files(course: Course) -> frozenset[Path]:
    """Every existing lesson file that course.yml lists, loaded or not (resolved paths)."""
    return frozenset(course.lesson_files)


def convert_snippets(course: Course, content: CourseContent, by_path: dict[Path, str] | None = None,
                     listed: frozenset[Path] | None = None) -> tuple[dict[str, Path], list[Problem]]:
    """Convert the snippets that may hold links, images or HTML, as lesson text is converted.

    Quiz texts, lesson objectives and the course's objectives and description go into
    ``content.snippets_inline``/``snippets_block`` (replacing what was there). Paths in a
    snippet are relative to the file it is written in (the quiz, the lesson, course.yml),
    and problems point at that file. :func:`render_content` calls this; a preview that
    re-reads some lessons or quizzes calls it again.

    Args:
        course: the course.
        content: its converted lessons (section links are checked against them).
        by_path: lesson id by lesson file (default: from *course*).
        listed: :func:`listed_lesson_files` (default: computed).

    Returns:
        ``(files, problems)``: the course files the snippets use, by archive path, and
        the problems found.
    """
    by_path = by_path if by_path is not None else {lesson.source: lesson.id for lesson in course.lessons}
    listed = listed if listed is not None else listed_lesson_files(course)
    content.snippets_inline.clear()
    content.snippets_block.clear()
    file_lines: dict[Path, list[str]] = {}
    done: dict[tuple[str, bool], tuple[Path, str]] = {}
    sections: list[SectionLink] = []
    files: dict[str, Path] = {}
    problems: list[Problem] = []

    def add(path: Path, text: str | None, inline: bool, page: str | None, line: int = 1) -> None:
        if not text or not LINK_CHARS.search(text):
            return  # plain Markdown: the filters' fast conversion is the same
        prior = done.get((text, inline))
        if prior is not None and prior[0] == path:
            return
        if path not in file_lines:
            try:
                file_lines[path] = path.read_text(encoding="utf-8").splitlines(keepends=True)
            except (OSError, UnicodeDecodeError):
                file_lines[path] = []
        source = LessonSource(root=course.root, path=path, body="".join(file_lines[path][line - 1:]),
                              body_line=line, lessons_by_path=by_path, labels=content.labels,
                              language=course.language, listed=listed, page_id=page)
        html = content.markdown.snippet(source, text, inline)
        problems.extend(source.problems)
        sections.extend(source.sections)
        for rel in sorted(source.files):
            files[rel] = course.root / rel
        if prior is None:
            done[(text, inline)] = (path, html)
            (content.snippets_inline if inline else content.snippets_block)[text] = html
        elif prior[1] != html:
            problems.append(Problem(
                Location(path, source.line_of(text.split("\n", 1)[0])),
                f"this text is also in {prior[0].name}, where its links lead to other files",
                "the theme finds Markdown by its text: change one of the two texts a little"))

    config = course.root / "course.yml"
    add(config, course.description, False, None)
    for objective in course.objectives:
        add(config, objective, True, None)
    quizzes: list[tuple[Quiz, str | None]] = []
    for lesson in course.lessons:
        for objective in lesson.objectives:
            add(lesson.source, objective, True, lesson.id)
        if lesson.quiz is not None:
            quizzes.append((lesson.quiz, lesson.id))
    if course.assessment is not None:
        quizzes.append((course.assessment, None))
    for quiz, page in quizzes:
        add(quiz.source, quiz.intro, False, page)
        for q in quiz.questions:
            texts = [q.prompt, q.feedback_correct, q.feedback_incorrect]
            texts += [t for c in q.choices for t in (c.text, c.feedback)]
            texts += [t for p in q.pairs for t in (p.prompt, p.match)] + [i.text for i in q.items]
            for text in texts:
                add(quiz.source, text, True, page, q.line)
    return files, problems + _check_sections(sections, content.lessons)


_ID_RE = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""")
_HEADING_ID_RE = re.compile(r"""<h[2-6][^>]*\sid=(?:"([^"]*)"|'([^']*)')""")


def _check_sections(links: list[SectionLink], lessons: dict[str, str]) -> list[Problem]:
    """Check that every ``#section`` link names an id of the lesson it leads to."""
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for link in links:
        page = link.page or ""
        html = lessons.get(page)
        if html is None:
            continue  # not a lesson page, or a lesson that failed (its problems are reported)
        if page not in ids:
            ids[page] = {a or b for a, b in _ID_RE.findall(html)}
        if link.fragment in ids[page] or unquote(link.fragment) in ids[page]:
            continue
        close = difflib.get_close_matches(link.fragment, sorted(ids[page]), n=1)
        headings = [a or b for a, b in _HEADING_ID_RE.findall(html)]
        if close:
            hint = f"did you mean '#{close[0]}'?"
        elif headings:
            more = " ..." if len(headings) > 12 else ""
            hint = "its sections: " + ", ".join(f"#{h}" for h in headings[:12]) + more
        else:
            hint = "that lesson has no sections; a '## Heading' gets an id made from its text"
        problems.append(Problem(link.location, f"section '#{link.fragment}' not found in lesson '{link.page}'",
                                hint))
    return problems


def _worker_count(lessons: int) -> int:
    if lessons < PARALLEL_MIN_LESSONS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, lessons // (PARALLEL_MIN_LESSONS // 2)))


def read_strings(dirs: list[Path], language: str) -> tuple[dict[str, str], list[Problem], bool]:
    """UI labels for *language* from the theme chain's ``strings.yml`` files, checked.

    Labels are merged English first, then the base language ("es" for "es-419"), then the
    exact tag; the default theme's file first, a course's own last.

    Args:
        dirs: the theme chain (:func:`theme_dirs`).
        language: the course language.

    Returns:
        ``(labels, problems, covered)``: *problems* are located in the strings files;
        *covered* tells whether some file has labels for the language (else English shows).
    """
    labels: dict[str, str] = {}
    problems: list[Problem] = []
    base = language.split("-")[0].lower()
    covered = base == "en"
    for folder in reversed(dirs):  # default theme first, overrides last
        path = folder / "strings.yml"
        if not path.is_file():
            continue
        data = _read_strings_file(path, problems)
        covered = covered or isinstance(data.get(base), dict) or isinstance(data.get(language), dict)
        for lang in ("en", base, language):
            entries = data.get(lang)
            if isinstance(entries, dict):
                labels.update(entries)
    return labels, problems, covered


def _read_strings_file(path: Path, problems: list[Problem]) -> dict[str, dict[str, str]]:
    """The usable part of one ``strings.yml``; what is wrong with it goes to *problems*."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(Location(path), f"cannot read the file ({exc})", "save it as UTF-8 text"))
        return {}
    data, found = parse_yaml(text, path)
    problems.extend(found)
    if data is None:
        return {}
    shape = "write a language tag such as 'en:' on its own line, then indented 'label: text' lines"
    if not isinstance(data, dict):
        problems.append(Problem(Location(path, line_of(data, default=1)),
                                "strings.yml must map each language to its labels", shape))
        return {}
    usable: dict[str, dict[str, str]] = {}
    for lang, entries in data.items():
        if not isinstance(entries, dict):
            problems.append(Problem(Location(path, line_of(data, lang, 1)),
                                    f"'{lang}' must hold 'label: text' lines", shape))
            continue
        usable[lang] = {}
        for key, value in entries.items():
            if value is None or isinstance(value, (dict, list)):
                problems.append(Problem(Location(path, line_of(entries, key, 1)),
                                        f"label '{key}' of '{lang}' must be a text",
                                        "write it on one line: 'key: text' (quote text with ': ' or '#')"))
                continue
            usable[lang][str(key)] = str(value)
    return usable


def load_strings(dirs: list[Path], language: str) -> dict[str, str]:
    """UI labels for *language* from the theme chain's ``strings.yml`` (English fallback).

    Raises:
        ContentError: a ``strings.yml`` has errors (``builder check`` lists them).
    """
    labels, problems, _covered = read_strings(dirs, language)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ContentError(errors)
    return labels


def course_data(course: Course, pages: list[Page], scorm: str | None) -> dict[str, Any]:
    """The ``window.BUILDER_COURSE`` object of ``assets/course.js``."""
    passing = course.packaging.passing_score
    entries = []
    for page in pages:
        entry: dict[str, Any] = {"id": page.id, "url": page.url, "title": page.title}
        if page.module:
            entry["module"] = page.module.id
        if page.quiz:
            entry["quizzes"] = [page.quiz.id]
        entries.append(entry)
    quizzes = {
        q.id: {"graded": q.graded, "weight": q.total_weight, "attempts": q.attempts,
               "passingScore": q.passing_score if q.passing_score is not None else passing}
        for q in course.quizzes
    }
    return {"id": course.id, "title": course.title, "language": course.language, "version": course.version,
            "scorm": scorm, "adapter": RUNTIME_ADAPTERS[scorm], "passingScore": passing,
            "completion": course.packaging.completion,
            "pages": entries, "quizzes": quizzes}


class ExternalResourceError(TemplateError):
    """A rendered page would load *url* from the internet (a template, or course text)."""

    def __init__(self, message: str, location: Location | None, url: str) -> None:
        super().__init__(message, location)
        self.url = url


class Renderer:
    """Renders the pages of one course; reusable across SCORM versions and page rebuilds."""

    def __init__(self, course: Course, content: CourseContent | None = None) -> None:
        self.course = course
        self.dirs = theme_dirs(course)
        if content is not None and content.labels:
            self.labels = content.labels
        else:
            self.labels = load_strings(self.dirs, course.language)
        self.content = content if content is not None else render_content(course, self.labels)
        self.env = make_environment(self.dirs, self.content)
        self.pages = build_pages(course)

    def quiz_data(self, quiz: Quiz) -> dict[str, Any]:
        """The runtime payload of *quiz* with its effective passing score."""
        passing = quiz.passing_score if quiz.passing_score is not None else self.course.packaging.passing_score
        return quiz_payload(quiz, passing, self.content.inline)

    def render_page(self, page: Page, scorm: str | None) -> bytes:
        """Render one page to UTF-8 bytes.

        Raises:
            TemplateError: when a template is missing or fails, naming the template and line
                (also as its ``location``), or when the page would load a file from the internet.
        """
        index = self.pages.index(page)
        context: dict[str, Any] = {
            "course": self.course, "pages": self.pages, "page": page, "ui": self.labels, "scorm": scorm,
            "prev": self.pages[index - 1] if index > 0 else None,
            "next": self.pages[index + 1] if index + 1 < len(self.pages) else None,
            "lesson": page.lesson, "quiz": page.quiz, "quiz_data": self.quiz_data,
            "content": Markup(self.content.lessons.get(page.id, "")),
        }
        name = {"index": "index.html", "lesson": "lesson.html", "assessment": "assessment.html"}[page.kind]
        try:
            data = self.env.get_template(name).render(context).encode("utf-8")
        except jinja2.TemplateNotFound as exc:
            searched = ", ".join(str(d) for d in self.dirs)
            location = _template_location(exc)
            where = f"{location.path}:{location.line}: " if location else ""
            raise TemplateError(f"{where}template '{exc.name}' not found (searched: {searched})",
                                location) from None
        except jinja2.TemplateSyntaxError as exc:
            path = exc.filename or exc.name or name
            raise TemplateError(f"{path}:{exc.lineno}: {exc.message}", Location(Path(path), exc.lineno)) from None
        except (jinja2.UndefinedError, jinja2.TemplateError, TypeError, ValueError, RecursionError) as exc:
            location = _template_location(exc)
            where = f"{location.path}:{location.line}: " if location else ""
            raise TemplateError(f"{where}{exc} (while rendering {page.url})", location) from None
        for url in external_resources(data):
            location = self._find_in_templates(url)
            where = f"{location.path}:{location.line}: " if location else ""
            fix = ("put the file in the course's templates/assets/ folder and refer to it as assets/<name>"
                   if location else "put the file in the course folder")
            raise ExternalResourceError(f"{where}'{url}' is loaded from the internet (while rendering "
                                        f"{page.url}); packages must not load anything from outside: {fix}",
                                        location, url)
        return data

    def _find_in_templates(self, text: str) -> Location | None:
        """Where *text* first appears in the templates in use (overrides first)."""
        if self.env.loader is None:
            return None
        for name in self.env.list_templates(filter_func=lambda n: n.endswith((".html", ".htm", ".xml", ".j2"))):
            try:
                source, filename, _uptodate = self.env.loader.get_source(self.env, name)
            except jinja2.TemplateError:
                continue
            index = source.find(text)
            if index >= 0:
                return Location(Path(filename or name), source.count("\n", 0, index) + 1)
        return None

    def assets(self) -> dict[str, bytes]:
        """Theme asset files (``assets/``), overrides first."""
        files: dict[str, bytes] = {}
        for folder in reversed(self.dirs):
            base = folder / "assets"
            if not base.is_dir():
                continue
            for path in sorted(base.rglob("*")):
                if path.is_file() and not is_junk(path.relative_to(folder).as_posix()):
                    files[path.relative_to(folder).as_posix()] = path.read_bytes()
        return files

    def render_all(self, scorm: str | None) -> dict[str, bytes]:
        """Every package file except the manifest, by archive path."""
        files = place_runtime(self.assets(), scorm)
        data = json.dumps(course_data(self.course, self.pages, scorm), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))
        files["assets/course.js"] = f"window.BUILDER_COURSE = {data};\n".encode("utf-8")
        for page in self.pages:
            files[page.url] = self.render_page(page, scorm)
        for rel, path in self.content.files.items():
            files[rel] = path.read_bytes()
        return files


RUNTIME_ADAPTERS: dict[str | None, str] = {"1.2": "scorm12", "2004": "scorm2004", None: "web"}
"""The runtime's tracking adapter for each ``scorm`` value (None: no LMS, the web target)."""


def place_runtime(files: dict[str, bytes], scorm: str | None) -> dict[str, bytes]:
    """Ship only the runtime bundle of *scorm*, as ``assets/runtime.js``.

    The theme holds one bundle per adapter (``assets/runtime-<adapter>.js``, made by
    ``npm run build:runtime``); a course's own ``assets/runtime.js`` wins over them.

    Args:
        files: theme asset files by archive path.
        scorm: ``"1.2"``, ``"2004"`` or None.

    Returns:
        The files without any ``runtime-*.js`` bundle or ``src/`` file, plus ``assets/runtime.js``.
    """
    bundle = files.get(f"assets/runtime-{RUNTIME_ADAPTERS[scorm]}.js")
    kept = {name: data for name, data in files.items()
            if not (name.startswith("assets/runtime-") and name.endswith(".js")) and not name.startswith("src/")}
    if "assets/runtime.js" not in kept and bundle is not None:
        kept["assets/runtime.js"] = bundle
    return kept


def render_course(course: Course, scorm: str | None, content: CourseContent | None = None) -> dict[str, bytes]:
    """Render *course* for a SCORM version (``"1.2"``, ``"2004"`` or None for preview).

    Args:
        course: the loaded course.
        scorm: the SCORM version the runtime should talk to.
        content: lesson HTML already converted (by a check), to avoid doing it twice.

    Returns:
        Archive path → bytes for every file except ``imsmanifest.xml``.

    Raises:
        TemplateError: a theme template failed.
    """
    return Renderer(course, content).render_all(scorm)


def _template_location(exc: BaseException) -> Location | None:
    """The innermost template frame of *exc*'s traceback (Jinja runs templates as code)."""
    tb = exc.__traceback__
    where = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".htm", ".xml", ".j2")):
            where = Location(Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return where

