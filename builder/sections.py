"""The ``section-link`` rule: a ``#section`` link names an id of the lesson it leads to."""
from __future__ import annotations

import difflib
import re
from urllib.parse import unquote

from builder.content import SectionLink
from builder.errors import Problem
from builder.rules import problem

_ID_RE = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""")
_HEADING_ID_RE = re.compile(r"""<h[2-6][^>]*\sid=(?:"([^"]*)"|'([^']*)')""")


def check_links(links: list[SectionLink], lessons: dict[str, str]) -> list[Problem]:
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
        problems.append(problem("section-link", link.location,
                                f"section '#{link.fragment}' not found in lesson '{link.page}'", hint))
    return problems
