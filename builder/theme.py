"""The theme: where templates come from, the Jinja2 environment, and what pages must keep.

The theme chain is MkDocs-style: ``<course>/templates/`` is searched before the default
theme (the top-level ``templates/`` folder, installed as ``builder.default_theme``). A
template name that starts with ``!theme/`` always comes from the default theme, so a
course's ``lesson.html`` can extend the template it replaces:
``{% extends "!theme/lesson.html" %}``.

The *contract* is what the learner runtime needs in every rendered page (one ``<main>``,
the course menu, the labels, the script tags, the lesson text, the quiz markup).
:func:`check_theme` holds a course's overrides to it and names the file and line that
broke it; ``docs/theme.md`` is the author-facing description.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypedDict

import jinja2
from markupsafe import Markup

from builder.errors import Problem
from builder.locale import text_direction
from builder.plural_labels import count_label, label_forms

if TYPE_CHECKING:
    from builder.course import Course

THEME_PREFIX = "!theme/"
"""Names starting with this come from the default theme, never from a course's overrides."""
TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".j2")


class Syntax(TypedDict):
    """Options of :class:`jinja2.Environment` that decide how template text is read."""

    keep_trailing_newline: bool
    trim_blocks: bool
    lstrip_blocks: bool


SYNTAX: Syntax = {"keep_trailing_newline": True, "trim_blocks": True, "lstrip_blocks": True}
"""How templates are read (the same for rendering and for the contract's syntax trees)."""
CONTRACT_HINT = ("extend the theme's template ({% extends \"!theme/NAME\" %}) and start the blocks you "
                 "replace with {{ super() }}, or keep these parts; docs/theme.md lists what pages must keep")


def default_theme_dir() -> Path:
    """The default theme: ``builder/default_theme`` when installed, ``templates/`` in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "default_theme"
    return installed if installed.is_dir() else here.parent / "templates"


def theme_dirs(course: Course) -> list[Path]:
    """Template folders in search order: the course's overrides, then the default theme."""
    override = course.root / "templates"
    return ([override] if override.is_dir() else []) + [default_theme_dir()]


class ThemeLoader(jinja2.BaseLoader):
    """Loads templates along the theme chain; ``!theme/NAME`` loads the default theme's NAME.

    The last folder of the chain is the default theme. A default template's own
    ``{% extends "base.html" %}`` still goes through the whole chain, so a course's
    ``base.html`` applies to the default ``lesson.html`` too.
    """

    def __init__(self, dirs: Sequence[Path]) -> None:
        self.dirs = list(dirs)
        self.chain = jinja2.FileSystemLoader([str(d) for d in self.dirs])
        self.default = jinja2.FileSystemLoader(str(self.dirs[-1]))

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        """The source, file name and up-to-date check of *template*."""
        if template.startswith(THEME_PREFIX):
            return self.default.get_source(environment, template[len(THEME_PREFIX):])
        return self.chain.get_source(environment, template)

    def list_templates(self) -> list[str]:
        """Every template name of the chain (without the ``!theme/`` spellings)."""
        return self.chain.list_templates()


class Snippets(Protocol):
    """Checked HTML of author Markdown snippets (``builder.convert.CourseContent``)."""

    def block(self, text: str) -> str:
        """HTML of a snippet with paragraphs."""

    def inline(self, text: str) -> str:
        """HTML of an inline snippet."""

    def text_lang(self, text: str) -> str:
        """The source language of a fallback text in a translation, or ``""``."""


def make_environment(dirs: Sequence[Path], content: Callable[[], Snippets]) -> jinja2.Environment:
    """A Jinja2 environment over the theme chain, with our filters.

    ``markdown`` and ``markdown_inline`` use the checked HTML a text carries from the
    convert stage (:class:`builder.convert.Snippet`: links, images and files of quiz texts
    and objectives) and convert any other text plainly; *content* is called when a filter
    runs, so a renderer can swap its converted course between runs;
    ``direction`` turns a language tag into ``ltr`` or ``rtl``; ``lang_attr`` gives
    `` lang="en"`` for a plain text that a translation shows in the source language
    (``--allow-incomplete``), to write inside the tag that shows it; ``lang_span`` shows
    such a text inside ``<span lang="en">`` (any other text as it is); ``count_label``
    gives a label in the plural form a count needs, ``label_forms`` all of its forms (for
    the runtime), see :mod:`builder.plural_labels`.
    """
    env = jinja2.Environment(
        loader=ThemeLoader(dirs),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        **SYNTAX,
    )
    env.filters["markdown"] = lambda text: Markup(content().block(text))
    env.filters["markdown_inline"] = lambda text: Markup(content().inline(text))
    env.filters["direction"] = lambda language: text_direction(str(language))
    env.filters["lang_attr"] = lambda text: _lang_attr(content().text_lang(text))
    env.filters["lang_span"] = lambda text: _lang_span(text, content().text_lang(text))
    env.filters["count_label"] = _count_label
    env.filters["label_forms"] = label_forms
    return env


@jinja2.pass_context
def _count_label(context: jinja2.runtime.Context, labels: dict[str, str], key: str, count: int,
                 name: str = "n") -> str:
    """``{{ ui | count_label("minutes", n) }}``: the label's form for *count* in the course language."""
    course = context.get("course")
    language = str(getattr(course, "language", "en") or "en")
    return count_label(labels, key, int(count), language, name)


def _lang_attr(language: str) -> Markup:
    """`` lang="<language>"`` or nothing."""
    return Markup(' lang="%s"') % language if language else Markup("")


def _lang_span(text: str, language: str) -> Markup:
    """*text*, escaped, inside ``<span lang="<language>">`` when a language is given."""
    return Markup('<span lang="%s">%s</span>') % (language, text) if language else Markup.escape(text)


@dataclass(frozen=True)
class Sample:
    """One rendered page, to hold against the contract of the template that made it.

    Attributes:
        template: the page template (``index.html``, ``lesson.html``, ``assessment.html``).
        page_id: the page's id (``<body data-page>`` must carry it).
        html: the rendered page.
        content: the lesson text the page must show (lesson pages with text).
        quizzes: ids of the quizzes the page must show.
    """

    template: str
    page_id: str
    html: bytes
    content: str = ""
    quizzes: tuple[str, ...] = ()


def check_theme(dirs: Sequence[Path], samples: Iterable[Sample] = ()) -> list[Problem]:
    """Hold a course's template overrides to the theme contract.

    Without rendering: a block of an override that its parent does not have (Jinja would
    ignore it silently) is an error with "did you mean", an override that extends itself
    is an error, and text outside the blocks of an extending template is a warning. On
    the rendered *samples* (one page per template is enough): every hook the learner
    runtime needs must be there; what is missing is reported at the override (file and
    line of the block) that left it out.

    Args:
        dirs: the theme chain (:func:`theme_dirs`); the last folder is the default theme.
        samples: rendered pages, e.g. the start page, a lesson with text, a lesson with a
            quiz and the assessment page.

    Returns:
        The problems found, in no particular order.
    """
    if len(dirs) < 2 and not samples:
        return []  # nothing of the course's own to check; spares a build the imports
    from builder.theme_contract import check_contract  # it builds on this module's loader

    return check_contract(dirs, samples)
