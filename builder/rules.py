"""The cross-file rules of the validate stage: each has an id and a severity.

A rule's problems are printed as ``path:line: error[rule-id]: message`` (or
``warning[...]``), so an author can look the rule up here or in the README, and
``--strict`` turns every warning into a failure. Problems found while reading one file
(YAML syntax, unknown keys, a missing image) need no id: their message says it all.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from builder.errors import Location, Problem


@dataclass(frozen=True)
class Rule:
    """One cross-file rule."""

    id: str
    severity: str  # "error" or "warning"
    summary: str


RULES: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in (
    Rule("section-link", "error", "a '#section' link names a heading id of the lesson it leads to"),
    Rule("reserved-name", "error", "a course file does not take a name the package uses itself"),
    Rule("template-error", "error", "every page renders with the theme's templates"),
    Rule("unknown-block", "error", "a block of a template override is a block of the template it extends"),
    Rule("extends-itself", "error", "a template override extends the theme's file, not itself"),
    Rule("theme-contract", "error", "pages keep what the learner runtime needs (labels, scripts, quiz forms)"),
    Rule("no-ui-labels", "error", "the theme has every interface label for the course language"),
    Rule("active-svg", "error", "an SVG picture runs nothing and loads nothing from elsewhere"),
    Rule("unreadable-svg", "error", "an SVG picture can be read and is valid XML (at most 20 MB inflated)"),
    Rule("empty-lesson", "warning", "a lesson has text or a quiz"),
    Rule("unlisted-lesson", "warning", "every Markdown file in lessons/ is listed in course.yml"),
    Rule("unused-template", "warning", "every file in the course's templates/ is used by the theme"),
    Rule("large-file", "warning", "a file put into the package is at most 20 MB"),
    Rule("no-description", "warning", "the course has a description (the LMS shows it)"),
    Rule("text-outside-blocks", "warning", "an extending template has no text outside its blocks"),
)})
"""Every rule by id: the table the README and ``docs/architecture.md`` list."""


def problem(rule_id: str, location: Location, message: str, hint: str | None = None) -> Problem:
    """A problem of rule *rule_id*, with the rule's severity.

    Raises:
        KeyError: no such rule (a bug: add it to :data:`RULES`).
    """
    rule = RULES[rule_id]
    return Problem(location, message, hint, rule.severity, rule.id)
