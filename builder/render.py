"""Rendering: course model → the files of a package (except the manifest).

The theme chain and the Jinja2 environment (one per build, with autoescaping and
``StrictUndefined``) come from :mod:`builder.theme`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from markupsafe import Markup

from builder.answers import decimal_mark
from builder.convert import CourseContent, convert_course
from builder.errors import Location, TemplateError
from builder.html_rules import external_resources
from builder.labels import load_strings
from builder.model import Course
from builder.paths import is_junk
from builder.plan import Page, Plan, Unit
from builder.quiz import Quiz
from builder.quiz_payload import quiz_payload
from builder.theme import make_environment, theme_dirs


def course_data(course: Course, pages: list[Page] | tuple[Page, ...], scorm: str | None, adapter: str,
                unit: Unit | None = None, last: bool = False,
                labels: dict[str, str] | None = None) -> dict[str, Any]:
    """The runtime's data of one unit (``window.BUILDER_COURSE``, see :func:`course_script`).

    Args:
        course: the course.
        pages: the unit's pages in reading order.
        scorm: the SCORM version, or None.
        adapter: the runtime adapter.
        unit: with several units, the one described (adds ``unit``; ``start``: whether
            its first page is the course's start page, which does not count as content;
            ``unitTitle``;
            ``last``; ``ui``: the labels of :data:`UNIT_LABELS`).
        last: it is the course's last unit.
        labels: the course's UI labels.
    """
    passing = course.packaging.passing_score
    entries = []
    for page in pages:
        entry: dict[str, Any] = {"id": page.id, "url": page.url, "title": page.title}
        if page.module:
            entry["module"] = page.module.id
        if page.quiz:
            entry["quizzes"] = [page.quiz.id]
        entries.append(entry)
    shown = course.quizzes if unit is None else tuple(p.quiz for p in pages if p.quiz is not None)
    quizzes = {
        q.id: {"graded": q.graded, "weight": q.total_weight, "attempts": q.attempts,
               "passingScore": q.passing_score if q.passing_score is not None else passing}
        for q in shown
    }
    data: dict[str, Any] = {"id": course.id, "title": course.title, "language": course.language,
                            "decimal": decimal_mark(course.language), "version": course.version,
            "scorm": scorm, "adapter": adapter, "passingScore": passing, "completion": course.packaging.completion,
            "pages": entries, "quizzes": quizzes}
    if unit is not None:
        data.update(unit=unit.id, unitTitle=unit.title, start=pages[0].kind == "index", last=last,
                    ui={key: (labels or {}).get(key, "") for key in UNIT_LABELS})
    return data


UNIT_LABELS = ("next", "previous", "unit_end", "other_unit")
"""The UI labels a unit's runtime data carries (buttons and note between SCOs)."""


class ExternalResourceError(TemplateError):
    """A rendered page would load *url* from the internet (a template, or course text)."""

    def __init__(self, message: str, location: Location | None, url: str) -> None:
        super().__init__(message, location)
        self.url = url


class Renderer:
    """Renders the pages of one course; reusable across SCORM versions and page rebuilds."""

    def __init__(self, course: Course, content: CourseContent | None = None) -> None:
        self.dirs = theme_dirs(course)
        if content is not None and content.labels:
            self.labels = content.labels
        else:
            self.labels = load_strings(self.dirs, course.language)
        self.content = content if content is not None else convert_course(course, self.labels)
        self.env = make_environment(self.dirs, lambda: self.content)
        self._assets: dict[str, bytes] | None = None
        self._course_files: dict[str, bytes] = {}
        # Page templates see the SCORM version as ``scorm``. When no template of the theme
        # chain reads it, a page is the same for every target, so it is rendered once.
        self.version_free = not templates_read(self.env, "scorm")
        self._rendered: dict[tuple[str, str | None], bytes] = {}
        self._scanned: set[tuple[str, str | None]] = set()

    def update(self, content: CourseContent, pages: set[str], files: set[str]) -> None:
        """Take the content of a new run whose course has the same shape.

        Args:
            content: the new converted course.
            pages: URLs of the pages whose content changed (rendered again when asked).
            files: course files (archive paths) to read again.
        """
        self.content = content
        for key in [k for k in self._rendered if k[0] in pages]:
            del self._rendered[key]
        for rel in files:
            self._course_files.pop(rel, None)

    @property
    def course(self) -> Course:
        """The converted course (its snippets carry their HTML)."""
        return self.content.course

    @property
    def pages(self) -> list[Page]:
        """The pages in reading order, from the plan."""
        return self.content.plan.pages

    def quiz_data(self, quiz: Quiz) -> dict[str, Any]:
        """The runtime payload of *quiz* with its effective passing score."""
        passing = quiz.passing_score if quiz.passing_score is not None else self.course.packaging.passing_score
        return quiz_payload(quiz, passing, self.content.inline)

    def render_page(self, page: Page, scorm: str | None) -> bytes:
        """Render one page, reusing the output of another target when it cannot differ.

        Raises:
            TemplateError: see :meth:`render_page_now`.
        """
        split = scorm is not None and len(self.content.plan.units) > 1  # a SCO's own menu and links
        key = (page.url, scorm if split or not self.version_free else None)
        if key not in self._rendered:
            self._rendered[key] = self.render_page_now(page, scorm)
        return self._rendered[key]

    def render_page_now(self, page: Page, scorm: str | None) -> bytes:
        """Render one page to UTF-8 bytes.

        Raises:
            TemplateError: when a template is missing or fails, naming the template and line
                (also as its ``location``), or when the page would load a file from the internet.
        """
        # In a SCORM package, links stay inside the page's unit (SCO); the website (no LMS)
        # is one unit, whatever packaging.units says.
        plan = self.content.plan if scorm is None else self.content.plan.unit_plan(page)
        prev, after = plan.neighbours(page)
        context: dict[str, Any] = {
            "course": self.course, "pages": plan.pages, "page": page, "ui": self.labels, "scorm": scorm,
            "prev": prev, "next": after, "menu": plan.menu(page),
            "lesson": page.lesson, "quiz": page.quiz, "quiz_data": self.quiz_data,
            "content": Markup(self.content.lessons.get(page.id, "")),
        }
        name = page.template
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
        # The theme's own output is scanned once per template; author HTML was scanned where
        # it entered (the convert stage), and a page whose author HTML loads something from
        # the internet is scanned again so that rendering it unchecked still refuses.
        scan = (page.template, scorm)
        if scan in self._scanned and not self.content.external.get(page.id):
            return data
        self._scanned.add(scan)
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

    def assets(self, adapter: str) -> dict[str, bytes]:
        """Theme asset files (``assets/``, overrides win), with the runtime bundle of *adapter*.

        A package ships only its own bundle, as ``assets/runtime.js``; no other
        ``assets/runtime-*.js`` goes in. The theme folders are read once per renderer.
        """
        if self._assets is None:
            self._assets = {}
            for folder in reversed(self.dirs):
                base = folder / "assets"
                if not base.is_dir():
                    continue
                for path in sorted(base.rglob("*")):
                    rel = path.relative_to(folder).as_posix()
                    if path.is_file() and not is_junk(rel) and not _RUNTIME_BUNDLE.fullmatch(rel):
                        self._assets[rel] = path.read_bytes()
        files = dict(self._assets)
        files["assets/runtime.js"] = runtime_bundle(self.dirs, adapter)
        return files

    def course_files(self) -> dict[str, bytes]:
        """The course files the pages use, by archive path (each file read once)."""
        for rel, path in self.content.files.items():
            if rel not in self._course_files:
                self._course_files[rel] = path.read_bytes()
        return {rel: self._course_files[rel] for rel in self.content.files}

    def render_all(self, scorm: str | None, adapter: str) -> dict[str, bytes]:
        """Every package file except the manifest, by archive path.

        Args:
            scorm: the SCORM version templates see (``1.2``, ``2004`` or None).
            adapter: the runtime adapter whose bundle the package ships.
        """
        files = self.assets(adapter)
        files["assets/course.js"] = course_script(self.course, self.content.plan, scorm, adapter, self.labels)
        for page in self.pages:
            files[page.url] = self.render_page(page, scorm)
        files.update(self.course_files())
        return files


_RUNTIME_BUNDLE = re.compile(r"assets/runtime(-[a-z0-9]+)?\.js")


def runtime_bundle(dirs: list[Path], adapter: str) -> bytes:
    """The runtime bundle of *adapter* from the theme chain (overrides first).

    In each theme folder, ``assets/runtime-<adapter>.js`` is looked for first, then an
    ``assets/runtime.js`` that serves every target; so a course's own ``runtime.js``
    replaces the default theme's bundles.

    Args:
        dirs: the theme chain (:func:`builder.theme.theme_dirs`).
        adapter: ``scorm12``, ``scorm2004`` or ``web``.

    Returns:
        The bundle's bytes.

    Raises:
        TemplateError: no folder of the chain has a bundle for *adapter*.
    """
    for folder in dirs:
        for name in (f"assets/runtime-{adapter}.js", "assets/runtime.js"):
            if (folder / name).is_file():
                return (folder / name).read_bytes()
    raise TemplateError(f"the theme has no assets/runtime-{adapter}.js (searched: "
                        f"{', '.join(str(d) for d in dirs)})")


def course_script(course: Course, plan: Plan, scorm: str | None, adapter: str,
                  labels: dict[str, str] | None = None) -> bytes:
    """``assets/course.js``: ``window.BUILDER_COURSE = {...}`` (see :func:`course_data`).

    With several units it is ``window.BUILDER_UNITS = [{...}, ...]``, one entry per unit;
    the runtime takes the entry listing the page it runs on. The website (*scorm* None)
    is always one unit.
    """
    if len(plan.units) == 1 or scorm is None:
        data = course_data(course, plan.pages, scorm, adapter)
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return f"window.BUILDER_COURSE = {text};\n".encode()
    units = [course_data(course, unit.pages, scorm, adapter, unit, unit is plan.units[-1], labels)
             for unit in plan.units]
    text = json.dumps(units, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.BUILDER_UNITS = {text};\n".encode()


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



def templates_read(env: jinja2.Environment, name: str) -> bool:
    """Tell whether any template the environment can load reads the variable *name*.

    Args:
        env: a Jinja2 environment with a loader.
        name: a context variable.

    Returns:
        True if a template uses it, or if a template cannot be inspected (the safe answer).
    """
    if env.loader is None:
        return True
    for template in env.list_templates(filter_func=lambda n: n.endswith((".html", ".htm", ".xml", ".j2"))):
        try:
            source = env.loader.get_source(env, template)[0]
            # Parsing is only needed when the name occurs at all (parsing costs ~10 ms a file).
            if name in source and name in meta.find_undeclared_variables(env.parse(source)):
                return True
        except (jinja2.TemplateError, UnicodeDecodeError):  # unreadable: the render reports it
            return True
    return False
