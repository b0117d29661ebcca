"""The convert stage: Markdown → HTML for every page, pure apart from reading used files' sizes.

Lesson bodies become HTML by lesson id. The short Markdown texts that can hold links,
images or HTML (quiz texts, objectives, the course description) are converted relative to
the file they are written in, and the HTML is kept on the text itself: the converted
course holds :class:`Snippet` values (``str`` subclasses carrying their ``html``) where the
loaded course held plain strings. So the same text written in two files at different
depths renders correctly in both, and the theme's ``markdown`` filters need no look-up.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.blank_labels import blank_label_problems
from builder.content import LINK_CHARS, LessonSource, MarkdownRenderer, SectionLink
from builder.errors import Location, Problem
from builder.html_rules import external_resources
from builder.i18n.media import localized_files
from builder.identity import identity_files
from builder.manifest import MANIFEST_NAME
from builder.model import Course
from builder.plan import ASSESSMENT_PAGE, START_PAGE, Plan, plan_course
from builder.quiz import Question, Quiz
from builder.rules import problem
from builder.sections import check_links

PARALLEL_MIN_LESSONS = 40
"""Below this many lessons, starting worker processes costs more than it saves."""


class Snippet(str):
    """A Markdown text of the model together with its checked HTML.

    It compares, hashes and prints as the text, so the model behaves as before; the
    theme's ``markdown``/``markdown_inline`` filters use :attr:`html`.
    """

    html: str
    inline: bool

    def __new__(cls, text: str, html: str, inline: bool) -> Snippet:
        """Make a snippet of *text* whose converted form is *html*."""
        made = super().__new__(cls, text)
        made.html = html
        made.inline = inline
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (Snippet, (str(self), self.html, self.inline))


@dataclass
class CourseContent:
    """The output of the convert stage.

    Attributes:
        course: the course with its snippet texts converted (:class:`Snippet` values).
        plan: its page plan.
        lessons: lesson HTML by lesson id.
        files: the course files the pages use, by archive path.
        problems: what the conversion found.
        sections: every ``#section`` link, to check again after a partial rebuild.
        fallbacks: see the attribute.
    """

    course: Course
    plan: Plan
    lessons: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    markdown: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    labels: dict[str, str] = field(default_factory=dict)
    sections: dict[str, list[SectionLink]] = field(default_factory=dict)
    snippets: dict[Path, list[str]] = field(default_factory=dict)
    external: dict[str, list[str]] = field(default_factory=dict)
    fallbacks: dict[str, str] = field(default_factory=dict)
    """Plain texts (titles, alt texts) shown in the source language in a translation, with that language."""

    def text_lang(self, text: str) -> str:
        """The language of *text* when it is a source-language fallback in a translation, else ``""``."""
        return self.fallbacks.get(str(text), "")
    """Internet URLs that a page's author HTML loads, by page id (each one is a problem)."""
    """The HTML of the converted snippets of each file (to see what a rebuild changed)."""

    def inline(self, text: str) -> str:
        """HTML of an inline text: its checked conversion, or a plain one."""
        if isinstance(text, Snippet) and text.inline:
            return text.html
        return self.markdown.inline(str(text))

    def block(self, text: str) -> str:
        """HTML of a text with paragraphs: its checked conversion, or a plain one."""
        if isinstance(text, Snippet) and not text.inline:
            return text.html
        return self.markdown.block(str(text))


class ConversionCache:
    """Lesson conversions kept between runs of a :class:`~builder.session.Session`.

    An entry is reused when the lesson's text is the same and so is everything else a
    conversion reads (the other lessons' ids and URLs, the labels, the language). Only
    conversions without errors are kept, and :meth:`forget` drops those that use a file
    that changed (an image deleted must be reported again).
    """

    def __init__(self) -> None:
        self._context: Any = None
        self._root: Path | None = None
        self._results: dict[tuple[Path, str, int], _Result] = {}

    def clear(self) -> None:
        """Drop every entry."""
        self._results.clear()

    def forget(self, changed: set[Path]) -> None:
        """Drop the entries of lessons that use one of the *changed* files."""
        root = self._root
        if not changed or not self._results or root is None:
            return
        gone = {os.path.normpath(os.path.abspath(p)) for p in changed}
        for key, (_html, files, _problems, _links) in list(self._results.items()):
            if any(os.path.normpath(os.path.join(root, rel)) in gone for rel in files):
                del self._results[key]

    def split(self, context: Any, jobs: list[_Job]) -> tuple[dict[int, _Result], list[int]]:
        """The cached results by job index, and the indexes still to convert."""
        if context != self._context:
            self._context = context
            self._results.clear()
        if jobs:
            self._root = jobs[0][0]
        hits: dict[int, _Result] = {}
        misses = []
        for index, job in enumerate(jobs):
            found = self._results.get((job[1], job[2], job[3]))
            if found is None:
                misses.append(index)
            else:
                hits[index] = found
        return hits, misses

    def keep(self, job: _Job, result: _Result) -> None:
        """Remember *result* of *job* unless it has errors."""
        if not any(p.is_error for p in result[2]):
            self._results[(job[1], job[2], job[3])] = result


def convert_course(course: Course, labels: dict[str, str], parallel: bool = False,
                   cache: ConversionCache | None = None) -> CourseContent:
    """Convert every lesson's Markdown and every snippet, and collect the files they use.

    Args:
        course: the loaded course.
        labels: UI labels (callout names etc.) in the course language.
        parallel: convert big courses in worker processes (one per CPU). Only for
            single-threaded callers such as ``builder build``: it forks.
        cache: conversions of an earlier run to reuse (the preview's session).

    Returns:
        The converted course, its plan, lesson HTML, used files and the problems found.
    """
    plan = plan_course(course)
    content = CourseContent(course=course, plan=plan, labels=labels)
    by_path, urls = plan.lesson_ids(), plan.lesson_urls()
    listed = frozenset(course.lesson_files)
    jobs = [(course.root, lesson.source, lesson.body, lesson.body_line, by_path, urls, labels, course.language,
             listed) for lesson in course.lessons]
    results = _convert_cached(jobs, content.markdown, parallel, cache,
                              (by_path, urls, listed, labels, course.language))
    for lesson, (html, files, problems, links) in zip(course.lessons, results):
        content.lessons[lesson.id] = html
        _note_external(content, lesson.id, html)
        content.problems.extend(problems)
        content.sections[lesson.id] = links
        for rel in files:
            content.files[rel] = course.root / rel
        if not lesson.body.strip() and lesson.quiz is None:
            content.problems.append(problem("empty-lesson", Location(lesson.source, max(lesson.body_line - 1, 1)),
                                            "the lesson has no text", "write the lesson below the front matter"))
    content.problems.extend(check_sections(content))
    snippet_files, snippet_problems = convert_snippets(content)
    content.files.update(snippet_files)
    for rel in identity_files(course.theme, [lesson.banner for lesson in course.lessons]):  # logo, cover, font, banners: pictures the theme shows
        content.files[rel] = course.root / rel
    content.problems.extend(snippet_problems)
    if course.language in course.translations:  # a translation: its localised media stand in
        content.files = localized_files(course.root, course.language, content.files)
    for rel in content.files:
        if rel == MANIFEST_NAME or rel.endswith(".html") and "/" not in rel or rel.startswith("assets/"):
            content.problems.append(problem("reserved-name", Location(course.root / rel), f"the file name '{rel}' is "
                                            "used by the package itself",
                                            "move the file into a folder such as media/ or files/"))
    return content


_Job = tuple[Path, Path, str, int, dict[Path, str], dict[str, str], dict[str, str], str, frozenset[Path]]
_Result = tuple[str, list[str], list[Problem], list[SectionLink]]


def _convert_cached(jobs: list[_Job], markdown: MarkdownRenderer, parallel: bool, cache: ConversionCache | None,
                    context: Any) -> list[_Result]:
    """Convert the lessons the cache does not hold, and keep the new results in it."""
    if cache is None:
        return _run_jobs(jobs, markdown, parallel)
    hits, misses = cache.split(context, jobs)
    fresh = _run_jobs([jobs[i] for i in misses], markdown, parallel)
    for index, result in zip(misses, fresh):
        cache.keep(jobs[index], result)
        hits[index] = result
    return [hits[i] for i in range(len(jobs))]


def _run_jobs(jobs: list[_Job], markdown: MarkdownRenderer, parallel: bool) -> list[_Result]:
    """Convert lessons here, or in forked workers for a big course."""
    workers = _worker_count(len(jobs)) if parallel else 1
    if workers <= 1:
        return _convert_lessons(jobs, markdown)
    chunks = [jobs[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("fork")
    # The calling process converts the first share itself while the forked workers convert
    # the others: one fork fewer, and no core idles while this process waits.
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
        others = pool.map(_convert_lessons, chunks[1:])
        parts = [_convert_lessons(chunks[0], markdown), *others]
    # Put the interleaved chunks back into course order.
    results: list[_Result] = [("", [], [], [])] * len(jobs)
    for offset, part in enumerate(parts):
        results[offset::workers] = part
    return results


def _convert_lessons(jobs: list[_Job], markdown: MarkdownRenderer | None = None) -> list[_Result]:
    """Convert lessons in order; runs in the calling process or in a worker."""
    markdown = markdown or MarkdownRenderer()
    results = []
    for root, path, body, body_line, by_path, urls, labels, language, listed in jobs:
        source = LessonSource(root=root, path=path, body=body, body_line=body_line, lessons_by_path=by_path,
                              labels=labels, lesson_urls=urls, language=language, listed=listed)
        html = markdown.convert(source)
        _check_external(source, html)
        results.append((html, sorted(source.files), source.problems, source.sections))
    return results


def _check_external(source: LessonSource, html: str) -> None:
    """Report what converted author HTML would load from the internet, unless already reported.

    This is the one scan of author HTML (the rendered pages are not scanned again).
    """
    for url in external_resources(html.encode("utf-8")):
        if not any(url in p.message for p in source.problems):
            source.problem(url, f"'{url}' is loaded from the internet",
                           "put the file in the course folder: packages must not load anything from outside")


def _note_external(content: CourseContent, page_id: str, html: str) -> None:
    """Remember that a page's author HTML loads *html*'s internet URLs (see the renderer)."""
    if "//" in html:
        urls = external_resources(html.encode("utf-8"))
        if urls:
            content.external.setdefault(page_id, []).extend(urls)


def _worker_count(lessons: int) -> int:
    if lessons < PARALLEL_MIN_LESSONS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, lessons // (PARALLEL_MIN_LESSONS // 2)))


class _SnippetConverter:
    """Converts the snippets of one course, each relative to the file it is written in."""

    def __init__(self, content: CourseContent) -> None:
        self.content = content
        course = content.course
        self.by_path, self.urls = content.plan.lesson_ids(), content.plan.lesson_urls()
        self.listed = frozenset(course.lesson_files)
        self.file_lines: dict[Path, list[str]] = {}
        self.files: dict[str, Path] = {}
        self.problems: list[Problem] = []
        self.sections: list[SectionLink] = []
        self.done: dict[tuple[Path, int, str, bool], Snippet] = {}
        self.by_file: dict[Path, list[str]] = {}
        self.owner = START_PAGE  # the page that shows the texts being converted

    def text(self, path: Path, text: str | None, inline: bool, page: str | None, line: int = 1) -> Any:
        """*text* converted as a :class:`Snippet`, or unchanged when plain Markdown does."""
        if not text or not LINK_CHARS.search(text):
            return text  # plain Markdown: the filters' fast conversion is the same
        key = (path, line, str(text), inline)
        if key in self.done:  # the same text twice in one place: converted (and reported) once
            return self.done[key]
        course = self.content.course
        if path not in self.file_lines:
            try:
                self.file_lines[path] = path.read_text(encoding="utf-8").splitlines(keepends=True)
            except (OSError, UnicodeDecodeError):
                self.file_lines[path] = []
        source = LessonSource(root=course.root, path=path, body="".join(self.file_lines[path][line - 1:]),
                              body_line=line, lessons_by_path=self.by_path, labels=self.content.labels,
                              lesson_urls=self.urls, language=course.language, listed=self.listed, page_id=page)
        html = self.content.markdown.snippet(source, str(text), inline)
        _check_external(source, html)
        _note_external(self.content, self.owner, html)
        self.problems.extend(source.problems)
        self.sections.extend(source.sections)
        for rel in sorted(source.files):
            self.files[rel] = course.root / rel
        self.done[key] = Snippet(str(text), html, inline)
        self.by_file.setdefault(path, []).append(html)
        return self.done[key]

    def texts(self, path: Path, texts: tuple[str, ...], page: str | None) -> tuple[str, ...]:
        """Every inline text of a list (objectives)."""
        return tuple(self.text(path, t, True, page) for t in texts)

    def quiz(self, quiz: Quiz, page: str | None) -> Quiz:
        """*quiz* with its intro and every question's texts converted."""
        def conv(q: Question) -> Callable[[str | None], Any]:
            return lambda t: self.text(quiz.source, t, True, page, q.line)

        questions = []
        for q in quiz.questions:
            c = conv(q)
            questions.append(dataclasses.replace(
                q, prompt=c(q.prompt), feedback_correct=c(q.feedback_correct),
                feedback_incorrect=c(q.feedback_incorrect),
                choices=tuple(dataclasses.replace(ch, text=c(ch.text), feedback=c(ch.feedback))
                              for ch in q.choices),
                pairs=tuple(dataclasses.replace(p, prompt=c(p.prompt), match=c(p.match)) for p in q.pairs),
                items=tuple(dataclasses.replace(i, text=c(i.text)) for i in q.items)))
        converted = dataclasses.replace(quiz, intro=self.text(quiz.source, quiz.intro, False, page),
                                        questions=tuple(questions))
        self.problems += blank_label_problems(converted, self._html)
        return converted

    def _html(self, text: str) -> str:
        """The HTML a page shows for the inline *text*."""
        return text.html if isinstance(text, Snippet) else self.content.markdown.inline(text)


def convert_snippets(content: CourseContent) -> tuple[dict[str, Path], list[Problem]]:
    """Convert the snippets that may hold links, images or HTML, as lesson text is converted.

    Quiz texts, lesson objectives and the course's objectives and description of
    ``content.course`` become :class:`Snippet` values (``content.course`` and
    ``content.plan`` are replaced by the converted ones). Paths in a snippet are relative
    to the file it is written in (the quiz, the lesson, course.yml), and problems point at
    that file. :func:`convert_course` calls this; a preview rebuild calls it again.

    Args:
        content: the converted lessons (section links are checked against them).

    Returns:
        ``(files, problems)``: the course files the snippets use, by archive path, and
        the problems found.
    """
    conv = _SnippetConverter(content)
    course = content.course
    config = course.root / "course.yml"
    modules = []
    for module in course.modules:
        lessons = []
        for lesson in module.lessons:
            conv.owner = lesson.id
            quiz = conv.quiz(lesson.quiz, lesson.id) if lesson.quiz is not None else None
            lessons.append(dataclasses.replace(lesson, objectives=conv.texts(lesson.source, lesson.objectives,
                                                                             lesson.id), quiz=quiz))
        modules.append(dataclasses.replace(module, lessons=tuple(lessons)))
    conv.owner = ASSESSMENT_PAGE
    assessment = conv.quiz(course.assessment, None) if course.assessment is not None else None
    conv.owner = START_PAGE
    content.course = dataclasses.replace(
        course, description=conv.text(config, course.description, False, None),
        objectives=conv.texts(config, course.objectives, None), modules=tuple(modules), assessment=assessment)
    content.plan = plan_course(content.course)
    content.sections["*snippets*"] = conv.sections
    content.snippets = conv.by_file
    return conv.files, conv.problems + check_links(conv.sections, content.lessons)


def check_sections(content: CourseContent) -> list[Problem]:
    """Check every ``#section`` link of the lessons against the lesson it leads to."""
    links = [link for key, found in sorted(content.sections.items()) if key != "*snippets*" for link in found]
    return check_links(links, content.lessons)
