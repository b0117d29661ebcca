"""The theme contract: what every rendered page must keep for the learner runtime.

:func:`builder.theme.check_theme` is the entry point. Two kinds of check:

- on the Jinja syntax trees of a course's overrides, without rendering: blocks that the
  template they extend does not have (Jinja ignores them silently), templates that extend
  themselves, text outside the blocks of an extending template;
- on rendered sample pages: the hooks the runtime uses (``PAGE_HOOKS``, the labels and
  script tags of the default ``base.html``, the lesson text, the quiz markup). A missing
  hook is blamed on the override that left it out: the block that replaced, without
  ``super()``, the default block that makes it, or a whole replaced template.
"""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from lxml import html as lxml_html

from builder.errors import Location, Problem
from builder.rules import problem
from builder.theme import CONTRACT_HINT, SYNTAX, TEMPLATE_SUFFIXES, THEME_PREFIX, Sample, ThemeLoader


@dataclass(frozen=True)
class _Hook:
    """One thing the runtime needs in a page: what it is, how to find it, and what makes it.

    *trace* is a text of the default templates that produces the hook (markup, a variable
    or a macro name): the block of an override that replaced it without ``super()`` is
    the one to blame.
    """

    what: str
    trace: str
    found: Callable[[Any, Sample], bool]


def _cls(name: str) -> str:
    """An XPath test: the element has the class *name*."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _xp(expr: str, **params: str) -> Callable[[Any, Sample], bool]:
    """A hook test: *expr* is true on the page (``$page`` is the sample's page id)."""
    return lambda doc, sample: bool(doc.xpath(expr, page=sample.page_id, **params))


PAGE_HOOKS = (
    _Hook("<body data-page=\"PAGE ID\">", "<body", _xp("boolean(//body[@data-page=$page])")),
    _Hook("one <main> element", "<main", _xp("count(//main) = 1")),
    _Hook("a <h1> in <main> (focus goes there after each page change)", "<h1", _xp("boolean(//main//h1)")),
    _Hook("the course menu <nav id=\"course-menu\">", "course-menu", _xp("boolean(//nav[@id='course-menu'])")),
    _Hook("the element with class \"layout\" (runtime notices go before it)", "layout",
          _xp(f"boolean(//*[{_cls('layout')}])")),
)
"""What every page needs (the labels and script tags are read from the default base.html)."""


def _quiz_hooks(quiz: str) -> list[_Hook]:
    """The hooks of one quiz, the block with its form first."""
    block = f"//*[{_cls('quiz-block')}][@data-quiz=$quiz]"
    form = f"{block}//form[{_cls('quiz')}][@data-quiz=$quiz]"
    wanted = [("its <section class=\"quiz-block\"> with the <form class=\"quiz\">", "render_quiz", form),
              ("its <script class=\"quiz-data\">", "quiz-data", f"{block}//script[{_cls('quiz-data')}]"),
              ("its .quiz-submit button", "quiz-submit", f"{form}//*[{_cls('quiz-submit')}]"),
              ("its .quiz-status", "quiz-status", f"{form}//*[{_cls('quiz-status')}]")]
    wanted += [(f"its .quiz-results with .{part}", "quiz-results",
                f"{block}//*[{_cls('quiz-results')}]//*[{_cls(part)}]")
               for part in ("quiz-score", "quiz-verdict", "quiz-attempts", "quiz-retry")]
    return [_Hook(f"quiz '{quiz}': {what}", trace, _xp(f"boolean({expr})", quiz=quiz)) for what, trace, expr in wanted]


def _question_hooks(doc: Any, quiz: str) -> list[_Hook]:
    """One hook per question of the quiz payload on the page: its fieldset and feedback box."""
    scripts = doc.xpath(f"//script[{_cls('quiz-data')}][@data-quiz=$quiz]", quiz=quiz)
    try:
        payload = json.loads(scripts[0].text or "") if scripts else {}
        ids = [str(q["id"]) for q in payload.get("questions", [])]
    except (ValueError, TypeError, KeyError, AttributeError):
        return []
    expr = (f"boolean(//form[@data-quiz=$quiz]//fieldset[@data-question=$q]"
            f"//*[{_cls('question-feedback')}])")
    return [_Hook(f"quiz '{quiz}': <fieldset data-question=\"{q}\"> with a .question-feedback", "question-feedback",
                  _xp(expr, quiz=quiz, q=q)) for q in ids]


@dataclass
class _Source:
    """One template file of the chain, parsed (``tree`` is None when it does not parse)."""

    name: str
    path: Path
    tree: nodes.Template | None
    override: bool


class _Chain:
    """The theme chain read as Jinja syntax trees, for the checks that need no rendering."""

    def __init__(self, dirs: Sequence[Path]) -> None:
        self.dirs = list(dirs)
        self.default_dir = self.dirs[-1].resolve()
        self.env = jinja2.Environment(loader=ThemeLoader(self.dirs), **SYNTAX)
        self._sources: dict[str, _Source | None] = {}

    def get(self, name: str) -> _Source | None:
        """The template *name* resolves to, parsed; None when there is none."""
        if name not in self._sources:
            found = None
            try:
                text, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            except (jinja2.TemplateNotFound, OSError, UnicodeDecodeError):
                pass  # missing or unreadable: rendering the page reports it
            else:
                path = Path(filename or name)
                try:
                    tree: nodes.Template | None = self.env.parse(text, name, filename)
                except jinja2.TemplateSyntaxError:
                    tree = None  # the render reports it, with its line
                found = _Source(name, path, tree, not path.resolve().is_relative_to(self.default_dir))
            self._sources[name] = found
        return self._sources[name]

    def default(self, name: str) -> _Source | None:
        """The default theme's template *name*."""
        return self.get(name if name.startswith(THEME_PREFIX) else THEME_PREFIX + name)

    def block_names(self, name: str) -> set[str] | None:
        """Every block defined by *name* and the templates it extends; None if one is unreadable."""
        names: set[str] = set()
        seen: set[str] = set()
        current: str | None = name
        while current is not None and current not in seen:
            seen.add(current)
            source = self.get(current)
            if source is None or source.tree is None:
                return None
            names.update(b.name for b in source.tree.find_all(nodes.Block))
            parent = _parent(source.tree)
            current = parent[0] if parent else None
        return names

    def default_block(self, name: str, block: str) -> nodes.Block | None:
        """The block named *block* that the default theme's *name* renders (its own or inherited)."""
        seen: set[str] = set()
        current: str | None = THEME_PREFIX + name.removeprefix(THEME_PREFIX)
        while current is not None and current not in seen:
            seen.add(current)
            source = self.get(current)
            if source is None or source.tree is None:
                return None
            for found in source.tree.find_all(nodes.Block):
                if found.name == block:
                    return found
            parent = _parent(source.tree)
            current = THEME_PREFIX + parent[0].removeprefix(THEME_PREFIX) if parent else None
        return None

    def used(self, name: str) -> list[_Source]:
        """*name* and every template it extends, includes or imports, most derived first."""
        order: list[_Source] = []
        pending = [name]
        seen: set[str] = set()
        while pending:
            current = pending.pop(0)
            if current in seen:
                continue
            seen.add(current)
            source = self.get(current)
            if source is None or source.tree is None:
                continue
            order.append(source)
            for node in source.tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
                target = getattr(node, "template", None)
                if isinstance(target, nodes.Const) and isinstance(target.value, str):
                    pending.append(target.value)
        return order


def _parent(tree: nodes.Template) -> tuple[str, int] | None:
    """The name a template extends and the line of its ``{% extends %}``, if it is a constant."""
    for node in tree.body:
        if isinstance(node, nodes.Extends) and isinstance(node.template, nodes.Const):
            return str(node.template.value), node.lineno
    return None


def _outer_blocks(node: nodes.Node) -> Iterable[nodes.Block]:
    """The blocks of *node* that are not inside another block."""
    for child in node.iter_child_nodes():
        if isinstance(child, nodes.Block):
            yield child
        else:
            yield from _outer_blocks(child)


def _calls_super(block: nodes.Block) -> bool:
    """Whether the block puts in its parent's version with ``super()``."""
    return any(isinstance(call.node, nodes.Name) and call.node.name == "super"
               for call in block.find_all(nodes.Call))


def _mentions(node: nodes.Node, trace: str) -> bool:
    """Whether *trace* is in the node's markup or strings, or is a variable, attribute or macro it uses."""
    for found in node.find_all((nodes.TemplateData, nodes.Const, nodes.Name, nodes.Getattr)):
        if isinstance(found, nodes.TemplateData):
            hit = trace in found.data
        elif isinstance(found, nodes.Const):
            hit = isinstance(found.value, str) and trace in found.value
        elif isinstance(found, nodes.Name):
            hit = found.name == trace
        else:
            hit = isinstance(found, nodes.Getattr) and found.attr == trace
        if hit:
            return True
    return False


def _blame(chain: _Chain, template: str, trace: str) -> Location:
    """The override (file and line) that lost what the default theme makes with *trace*.

    The first override reached from *template* that either replaces, without
    ``super()``, a block whose default version makes it, or replaces a whole template
    whose default version makes it. Failing that, the first override reached.
    """
    used = chain.used(template)
    overrides = [s for s in used if s.override and s.tree is not None]
    for source in overrides:
        assert source.tree is not None
        parent = _parent(source.tree)
        if parent is None:
            default = chain.default(source.name)
            if default is not None and default.tree is not None and _mentions(default.tree, trace):
                return Location(source.path, 1)
            continue
        for block in _outer_blocks(source.tree):
            if _calls_super(block):
                continue
            original = chain.default_block(source.name, block.name)
            if original is not None and _mentions(original, trace):
                return Location(source.path, block.lineno)
    if overrides:
        first = overrides[0]
        assert first.tree is not None
        parent = _parent(first.tree)
        return Location(first.path, parent[1] if parent else 1)
    return Location(used[0].path if used else chain.default_dir / template, 1)


def _block_problems(chain: _Chain, source: _Source) -> list[Problem]:
    """Blocks of an override that nothing shows, and an override that extends itself."""
    if source.tree is None:
        return []
    parent = _parent(source.tree)
    if parent is None:
        return []
    name, line = parent
    if name == source.name:
        return [problem("extends-itself", Location(source.path, line), f"'{source.name}' extends itself",
                        f"write {{% extends \"{THEME_PREFIX}{source.name}\" %}} to extend the theme's {source.name}")]
    known = chain.block_names(name)
    if known is None:
        return []  # a missing or broken parent: rendering the page reports it
    problems = []
    for block in _outer_blocks(source.tree):
        if block.name in known:
            continue
        close = difflib.get_close_matches(block.name, sorted(known), n=1, cutoff=0.6)
        hint = (f"did you mean '{close[0]}'?" if close else
                f"the blocks of {name}: {', '.join(sorted(known))}; a page's own content goes in 'main'")
        problems.append(problem("unknown-block", Location(source.path, block.lineno),
                                f"block '{block.name}' is not a block of {name}, so it is never shown", hint))
    for node in source.tree.body:
        if isinstance(node, nodes.Output) and not all(
                isinstance(n, nodes.TemplateData) and not n.data.strip() for n in node.nodes):
            first = node.nodes[0]
            line = first.lineno
            if isinstance(first, nodes.TemplateData):
                line += first.data[:len(first.data) - len(first.data.lstrip())].count("\n")
            problems.append(problem("text-outside-blocks", Location(source.path, line),
                                    f"text outside a block is not shown: {source.name} extends {name}, "
                                    "which shows only the blocks it fills", "move it into a block"))
            break
    return problems


def _default_hooks(chain: _Chain) -> list[_Hook]:
    """The labels and script tags the default ``base.html`` gives every page (the runtime's)."""
    base = chain.default("base.html")
    if base is None or base.tree is None:
        return []
    hooks = []
    for data in base.tree.find_all(nodes.TemplateData):
        for src in re.findall(r"<script\b[^>]*\ssrc=\"([^\"{]+)\"", data.data):
            hooks.append(_Hook(f"<script src=\"{src}\">", src, _xp("boolean(//script[@src=$src])", src=src)))
    keys: list[str] = []
    for found in base.tree.find_all(nodes.Filter):
        if found.name == "tojson" and isinstance(found.node, nodes.Dict):
            keys += [str(pair.key.value) for pair in found.node.items if isinstance(pair.key, nodes.Const)]
    if keys:
        hooks.append(_Hook("the labels <script id=\"builder-ui\"> with " + ", ".join(keys), "builder-ui",
                           lambda doc, sample: _has_labels(doc, keys)))
    return hooks


def _has_labels(doc: Any, keys: list[str]) -> bool:
    """Whether the page's ``script#builder-ui`` is JSON with every label in *keys*."""
    scripts = doc.xpath("//script[@id='builder-ui']")
    try:
        data = json.loads(scripts[0].text or "") if scripts else None
    except ValueError:
        return False
    return isinstance(data, dict) and all(key in data for key in keys)


def _missing(sample: Sample, hooks: list[_Hook]) -> list[_Hook]:
    """The hooks the sample page lacks."""
    try:
        doc = lxml_html.document_fromstring(sample.html)
    except (ValueError, lxml_html.etree.ParserError):
        return list(hooks)
    wanted = list(hooks)
    if sample.content.strip():
        wanted.append(_Hook("the lesson text ({{ content }})", "content",
                            lambda d, s: s.content in s.html.decode("utf-8", "replace")))
    missing = [hook for hook in wanted if not hook.found(doc, sample)]
    for quiz in sample.quizzes:
        form, *parts = _quiz_hooks(quiz)
        if not form.found(doc, sample):
            missing.append(form)  # what belongs inside it is missing too; name the quiz once
            continue
        missing += [hook for hook in parts + _question_hooks(doc, quiz) if not hook.found(doc, sample)]
    return missing


def check_contract(dirs: Sequence[Path], samples: Iterable[Sample] = ()) -> list[Problem]:
    """The problems of :func:`builder.theme.check_theme` (which documents them)."""
    chain = _Chain(dirs)
    problems: list[Problem] = []
    for folder in chain.dirs[:-1]:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and path.suffix.lower() in TEMPLATE_SUFFIXES and not name.startswith("assets/"):
                source = chain.get(name)
                if source is not None and source.path.resolve() == path.resolve():
                    problems += _block_problems(chain, source)
    hooks: list[_Hook] = []
    lost: dict[tuple[Location, str], list[str]] = {}
    for sample in samples:
        hooks = hooks or list(PAGE_HOOKS) + _default_hooks(chain)
        for hook in _missing(sample, hooks):
            where = lost.setdefault((_blame(chain, sample.template, hook.trace), sample.template), [])
            if hook.what not in where:
                where.append(hook.what)
    for (location, template), whats in lost.items():
        problems.append(problem("theme-contract", location, f"pages rendered from {template} lack what the learner runtime needs: "
                                + "; ".join(whats), CONTRACT_HINT.replace("NAME", template)))
    return problems
