"""One HTML document for a printed edition: cover, contents, modules, lessons, quizzes, key.

Pure apart from reading templates: the course model and its converted lesson HTML go in,
one HTML string comes out; :mod:`builder.printed.pdf` lays it out on pages. Lesson HTML
is adapted for paper here: headings move one level down (module = h1, lesson = h2),
ids are made unique per lesson, footnotes move to where they are called (the CSS floats
them to the foot of the page), links between lessons become page references, and media
players become a line naming the recording.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree
from markupsafe import Markup

from builder.content import LessonSource, MarkdownRenderer
from builder.convert import CourseContent
from builder.errors import Problem
from builder.locale import text_direction
from builder.model import Course, Module
from builder.printed.sheets import Sheet, build_sheet
from builder.theme import make_environment, theme_dirs

EDITIONS = ("handbook", "workbook")
_PAGE_LINK = re.compile(r"^([a-z0-9][a-z0-9-]*)\.html(?:#(.*))?$")
_EXTERNAL = re.compile(r"^(https?|mailto|tel):", re.I)
_HEADING_SHIFT = {"h1": "h2", "h2": "h3", "h3": "h4", "h4": "h5", "h5": "h6", "h6": "h6"}
_WRITE_KINDS = ("callout-activity", "callout-reflection")


@dataclass
class PrintSource(LessonSource):
    """A lesson source whose ``::: facilitator`` notes are kept (the handbook)."""

    facilitator: bool = True


def convert_lessons(content: CourseContent, facilitator: bool,
                    problems: list[Problem] | None = None) -> dict[str, str]:
    """Convert every lesson's Markdown again, keeping facilitator notes when asked.

    Args:
        content: the converted course (its plan gives the lesson page URLs).
        facilitator: keep ``::: facilitator`` notes (handbook) or drop them (workbook).
        problems: if given, receives the problems found. The course has been checked
            already, so only the links and images inside facilitator notes (which
            ``check`` does not follow, as they are not part of the pages) can add any.

    Returns:
        Lesson HTML by lesson id.
    """
    course = content.course
    markdown = MarkdownRenderer()
    by_path, urls = content.plan.lesson_ids(), content.plan.lesson_urls()
    listed = frozenset(course.lesson_files)
    html: dict[str, str] = {}
    for lesson in course.lessons:
        source = PrintSource(root=course.root, path=lesson.source, body=lesson.body, body_line=lesson.body_line,
                             lessons_by_path=by_path, labels=content.labels, lesson_urls=urls,
                             language=course.language, listed=listed, facilitator=facilitator)
        html[lesson.id] = markdown.convert(source)
        if problems is not None:
            problems.extend(source.problems)
    return html


def render_print_html(course: Course, content: CourseContent, edition: str,
                      lessons: dict[str, str] | None = None, date: str | None = None) -> str:
    """Render the whole printed edition of *course* as one HTML document.

    Args:
        course: the checked course.
        content: its converted content (labels and the checked Markdown snippets).
        edition: ``handbook`` (trainers: facilitator notes, session plans, answer key) or
            ``workbook`` (participants: space to write, no answers).
        lessons: lesson HTML by id for this edition (default: ``content.lessons``, which
            has no facilitator notes).
        date: the date printed on the cover (default: the course's ``date``).

    Returns:
        The HTML document (UTF-8 text) with links resolved inside the document.

    Raises:
        ValueError: unknown edition.
    """
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition '{edition}'; use {' or '.join(EDITIONS)}")
    labels = content.labels
    lessons = lessons if lessons is not None else content.lessons
    handbook = edition == "handbook"
    sheets: dict[str, Sheet] = {q.id: build_sheet(q, content.inline, content.block, labels) for q in course.quizzes}
    modules = [_module_view(module, lessons, edition, labels) for module in course.modules]
    env = make_environment(theme_dirs(course), lambda: content)
    template = env.get_template(f"print/{edition}.html")
    assert env.loader is not None
    css = env.loader.get_source(env, "print/print.css")[0]
    html = template.render(
        css=Markup(css),
        course=course, edition=edition, handbook=handbook, ui=labels, modules=modules, sheets=sheets,
        assessment=sheets.get(course.assessment.id) if course.assessment else None,
        answer_sheets=[sheets[q.id] for q in course.quizzes] if handbook else [],
        direction=text_direction(course.language), date=date or course.date or "",
    )
    return _resolve_links(html, {lesson.id for lesson in course.lessons}, labels)


def _module_view(module: Module, lessons: dict[str, str], edition: str, labels: dict[str, str]) -> dict[str, Any]:
    """What the templates need about one module and its lessons."""
    views = []
    for lesson in module.lessons:
        body, activities = adapt_lesson(lesson.id, lessons.get(lesson.id, ""), edition, labels)
        views.append({"lesson": lesson, "body": Markup(body), "activities": activities})
    planned = sum(lesson.minutes or 0 for lesson in module.lessons)
    session_minutes = module.session.minutes if module.session else None
    # The session plan's total row, then the session's time beyond (or short of) the lessons.
    rest = session_minutes - planned if session_minutes else 0
    return {"module": module, "lessons": views, "session": module.session, "planned_minutes": planned,
            "rest_minutes": rest}


def adapt_lesson(lesson_id: str, html: str, edition: str, labels: dict[str, str]) -> tuple[str, list[str]]:
    """Adapt one lesson's HTML for paper (see the module docstring).

    Args:
        lesson_id: the lesson id (prefix of every id inside the lesson).
        html: the converted lesson HTML.
        edition: ``handbook`` or ``workbook``; the workbook gets space to write under
            activities and reflections.

    Returns:
        ``(html, activities)``: the adapted HTML and the titles of the lesson's activities,
        case studies and reflections (for the session plan).
    """
    if not html.strip():
        return "", []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    _inline_footnotes(root)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _HEADING_SHIFT:
            el.tag = _HEADING_SHIFT[el.tag]
        if el.get("id"):
            el.set("id", f"{lesson_id}--{el.get('id')}")
        if el.tag == "details":  # interactive blocks print expanded: every item open
            el.set("open", "open")
        href = el.get("href") if el.tag == "a" else None
        if href and href.startswith("#"):
            el.set("href", f"#{lesson_id}--{href[1:]}")
    _replace_media(root, labels)
    activities = []
    for aside in root.iter("aside"):
        classes = (aside.get("class") or "").split()
        head = aside.find("p[@class='callout-title']")
        head = aside.find("p[@class='callout-kind']") if head is None else head
        if any(kind in classes for kind in ("callout-activity", "callout-case-study", "callout-reflection")):
            activities.append(head.text_content().strip() if head is not None else "")
        if edition == "workbook" and any(kind in classes for kind in _WRITE_KINDS):
            _add_write_space(aside, head, f"{lesson_id}--writing-{len(activities)}", labels)
    text = (root.text or "") + "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)
    return text, [a for a in activities if a]


def _add_write_space(aside: lxml.html.HtmlElement, head: lxml.html.HtmlElement | None, anchor: str,
                     labels: dict[str, str]) -> None:
    """Append a space to write to *aside*; its head and the space get ids (PDF destinations)."""
    if head is not None and not head.get("id"):
        head.set("id", anchor)
    space = etree.SubElement(aside, "div")
    space.set("class", "write-space")
    space.set("id", f"{anchor}-space")
    space.set("role", "note")
    space.set("aria-label", labels.get("print_write_here", "Space for your notes"))


def _inline_footnotes(root: lxml.html.HtmlElement) -> None:
    """Move each footnote's text to its call, as ``<span class="footnote">``; drop the list."""
    notes = {}
    for item in root.xpath(".//div[contains(@class, 'footnote')]//li[@id]"):
        for back in item.xpath(".//a[contains(@class, 'footnote-backref')]"):
            back.drop_tree()
        notes[item.get("id")] = item
    for call in root.xpath(".//sup[a[contains(@class, 'footnote-ref')]]"):
        target = call.find("a").get("href", "").lstrip("#")
        item = notes.get(target)
        if item is None:
            continue
        span = etree.Element("span")
        span.set("class", "footnote")
        paragraphs = item.findall("p") or [item]
        span.text = paragraphs[0].text
        for n, para in enumerate(paragraphs):
            if n:
                span.append(etree.Element("br"))
                span[-1].tail = para.text
            for child in list(para):
                span.append(child)
        if span.text:
            span.text = span.text.lstrip()
        span.tail = call.tail
        call.getparent().replace(call, span)
    for div in root.xpath(".//div[contains(@class, 'footnote')]"):
        div.drop_tree()


def _replace_media(root: lxml.html.HtmlElement, labels: dict[str, str]) -> None:
    """A video or audio player becomes a line naming the recording (paper cannot play it)."""
    for figure in root.xpath(".//figure[contains(@class, 'media')]"):
        kind = "video" if "media-video" in (figure.get("class") or "") else "audio"
        caption = figure.find("figcaption")
        note = etree.Element("p")
        note.set("class", f"media-note media-note-{kind}")
        note.set("data-kind", kind)
        title = caption.text_content().strip() if caption is not None else ""
        note.text = f"{labels.get('print_' + kind, kind.title())}: {title}"
        note.tail = figure.tail
        figure.getparent().replace(figure, note)


def _resolve_links(html: str, lesson_ids: set[str], labels: dict[str, str]) -> str:
    """Point links between pages at their place in the document; mark the others."""
    doc = lxml.html.document_fromstring(html)
    for link in doc.iter("a"):
        href = link.get("href")
        if not href or href.startswith("#"):
            continue
        classes = (link.get("class") or "").split()
        page = _PAGE_LINK.match(href)
        if page and (page.group(1) in lesson_ids or page.group(1) == "assessment"):
            name, fragment = page.group(1), page.group(2)
            link.set("href", f"#{name}--{fragment}" if fragment and name in lesson_ids else f"#page-{name}")
            classes.append("xref")
            link.set("data-page-label", labels.get("print_page_ref", "page"))
        elif page and page.group(1) == "index":
            link.set("href", "#contents")
            classes.append("xref")
        elif _EXTERNAL.match(href):
            classes.append("external")
        else:
            # A course file (a handout): paper cannot link to it, so name it instead.
            link.attrib.pop("href")
            link.set("data-file", href)
            classes.append("download")
        link.set("class", " ".join(classes))
    return "<!DOCTYPE html>\n" + str(lxml.html.tostring(doc, encoding="unicode", method="html"))


def pin_page_numbers(html: str, pages: dict[str, int]) -> str:
    """Write known page numbers into the contents and page references (``data-page``).

    WeasyPrint fills ``target-counter()`` while it lays out pages; when later pages
    shift after a target was first placed, a number can stay one page off. The PDF step
    then lays the document out again with the numbers written in (print.css shows
    ``data-page`` instead of the counter).

    Args:
        html: a document made by :func:`render_print_html`.
        pages: page number by anchor id, from the first layout.

    Returns:
        The document with ``data-page`` on every contents entry and cross-reference.
    """
    doc = lxml.html.document_fromstring(html)
    for link in doc.iter("a"):
        href = link.get("href") or ""
        classes = (link.get("class") or "").split()
        if href.startswith("#") and href[1:] in pages and ("toc-link" in classes or "xref" in classes):
            link.set("data-page", str(pages[href[1:]]))
    return "<!DOCTYPE html>\n" + str(lxml.html.tostring(doc, encoding="unicode", method="html"))
