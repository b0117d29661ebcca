"""The allow-list for author HTML, and HTML that a package must not carry.

Every piece of HTML an author can put into a page (raw HTML in lessons, quiz texts and
``course.yml``; ``{: key=value }`` attribute lists) goes through one allow-list: the
elements and attributes below, with every URL checked. Raw HTML is parsed with Lexbor
(through ``selectolax``), a parser that follows the WHATWG HTML standard as browsers do,
so tricks that rely on a checker reading the markup differently from the browser
(``<noscript>``, ``<xmp>`` or ``<title>`` wrapping a quoted ``<img onerror>``) meet the
same tree the learner's browser builds. What is not on the list is refused with a located
error, never silently dropped: the author must see what the learner would miss.

A package runs only the builder's runtime and loads nothing from the internet: LMSs often
forbid it, learners are often offline or on slow connections, and an outside script sees
everything the learner does (on Moodle a package runs in the LMS's own origin).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

BANNED_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "link", "style",
               "form", "base", "meta")
"""Tags that run code, load other documents or change how the page behaves (named in messages)."""

ALLOWED_TAGS = frozenset("""
a abbr article aside audio b bdi bdo blockquote br caption cite code col colgroup dd del details
dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li mark ol p
pre q rp rt ruby s samp section small source span strong sub summary sup table tbody td tfoot th
thead time tr track u ul var video wbr
""".split())
"""Elements author HTML may use: text structure and formatting; nothing that runs, loads a
document, takes input, or is parsed as raw text (``noscript``, ``xmp``, ``title``...)."""

GLOBAL_ATTRS = frozenset("id class title lang dir role style hidden tabindex translate".split())
TAG_ATTRS: dict[str, frozenset[str]] = {tag: frozenset(names.split()) for tag, names in {
    "a": "href hreflang rel download type target name",
    "img": "src alt width height loading decoding srcset sizes",
    "td": "colspan rowspan headers", "th": "colspan rowspan headers scope abbr",
    "ol": "start reversed type", "li": "value", "col": "span", "colgroup": "span",
    "time": "datetime", "del": "cite datetime", "ins": "cite datetime", "blockquote": "cite", "q": "cite",
    "details": "open",
    "audio": "src controls preload muted loop", "video": "src controls preload muted loop poster width height",
    "source": "src type srcset media sizes", "track": "src kind srclang label default",
}.items()}
"""Attributes allowed on each element besides :data:`GLOBAL_ATTRS`, ``aria-*`` and ``data-*``."""

URL_ATTRS = frozenset(("href", "src", "poster", "cite", "srcset"))
MEDIA_TAGS = ("img", "audio", "video", "source", "track")
# Attributes whose value is fetched by the browser when the page loads.
_LOADING_ATTRS = ("src", "poster", "data", "background")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")
_CONTROL = re.compile(r"[\x00-\x20]+")
_CSS_URL = re.compile(r"""(?:url\(\s*|@import\s+)["']?\s*((?:https?:)?//[^"')\s]*)""", re.I)
_CSS_ANY_URL = re.compile(r"""url\(\s*["']?\s*([^"')\s]*)""", re.I)
_ATTR_NAME = re.compile(r"^(?:aria|data)-[a-z0-9_.-]+$")
# Cheap test before parsing a rendered page: only pages with an absolute URL in an
# attribute (or in CSS) can load something from outside.
_MAYBE_EXTERNAL = re.compile(rb"""(?:\b(?:src|srcset|poster|background|data|href)\s*=\s*["']?\s*"""
                             rb"""(?:https?:)?//|srcset\s*=\s*["'][^"']*//|url\(|@import)""", re.I)
_DOCUMENT = "<!DOCTYPE html><html><head></head><body>"


def is_internet(url: str) -> bool:
    """True for ``http:``, ``https:`` and protocol-relative (``//host``) URLs."""
    text = _CONTROL.sub("", url).lower()
    return text.startswith(("http:", "https:", "//"))


def is_script_url(url: str) -> bool:
    """True for ``javascript:`` (and ``vbscript:``) URLs, however they are spelled."""
    return _CONTROL.sub("", url).lower().startswith(_SCRIPT_SCHEMES)


URL_SCHEMES = ("http", "https", "mailto", "tel")
"""The schemes links and sources may use; besides them only relative URLs, ``#anchors``,
and ``data:image/...`` for pictures."""
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def bad_scheme(url: str, image: bool = False) -> str | None:
    """The scheme of *url* when :data:`URL_SCHEMES` does not allow it, else None.

    Args:
        url: an ``href``, ``src`` (or similar) value.
        image: the URL loads a picture, so ``data:image/...`` is allowed too.
    """
    text = _CONTROL.sub("", url).lower()
    match = _SCHEME.match(text)
    if match is None or len(match.group(1)) == 1:  # relative, '#', '//host' or a drive ('C:/')
        return None
    scheme = match.group(1)
    if scheme in URL_SCHEMES or (image and text.startswith("data:image/")):
        return None
    return scheme


def scheme_finding(url: str, image: bool) -> Finding | None:
    """The finding for a URL whose scheme is not on the allow-list (see :func:`bad_scheme`)."""
    scheme = bad_scheme(url, image)
    if scheme is None:
        return None
    allowed = "http:, https:, mailto:, tel:, a relative path or #anchor" + (", data:image/..." if image else "")
    return Finding(url.strip() or url, f"the address '{url.strip()[:40]}' uses '{scheme}:', which packages "
                   "do not allow", f"use {allowed}")


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` value (``a.png 1x, b.png 2x``)."""
    return [part.split()[0] for part in value.split(",") if part.split()]


@dataclass(frozen=True)
class Finding:
    """One broken rule in a piece of HTML; *needle* is text to locate it in the source."""

    needle: str
    message: str
    hint: str | None = None


def attribute_finding(tag: str, name: str, value: str, how: str = "raw HTML attribute") -> Finding | None:
    """Check one attribute against the allow-list.

    Used for raw HTML and for Markdown attribute lists (``{: key=value }``) alike.

    Args:
        tag: the element's name, lower case.
        name: the attribute's name.
        value: its value.
        how: how the attribute was written, for the message.

    Returns:
        The broken rule, or None when the attribute is allowed.
    """
    name = name.lower()
    if name.startswith("on"):
        return Finding(name, f"{how} '{name}' runs a script; packages run only the builder's runtime",
                       "remove the attribute")
    if name not in GLOBAL_ATTRS and name not in TAG_ATTRS.get(tag, ()) and not _ATTR_NAME.match(name):
        return Finding(name, f"{how} '{name}' is not allowed on <{tag}>",
                       "allowed everywhere: " + ", ".join(sorted(GLOBAL_ATTRS)) + ", aria-*, data-*")
    urls = srcset_urls(value) if name == "srcset" else [value] if name in URL_ATTRS else []
    if name == "style":
        urls = _CSS_ANY_URL.findall(value)
    # Only addresses that load a picture may be data:image/...
    image = (tag == "img" and name in ("src", "srcset")) or name in ("poster", "style") \
        or (tag == "source" and name == "srcset")
    for url in urls:
        if is_script_url(url):
            return Finding(value.strip() or name, f"'{value.strip()[:40]}' runs a script; packages run "
                           "only the builder's runtime", "link to a lesson, a file or a web page")
        finding = scheme_finding(url, image)
        if finding:
            return finding
    return None


def element_findings(tag: str, attrs: dict[str, str | None], where: str) -> list[Finding]:
    """The allow-list rules for one element: its name and every attribute."""
    if tag not in ALLOWED_TAGS:
        reason = "packages run only the builder's runtime" if tag in BANNED_TAGS else \
            "it is not on the list of elements lessons can use"
        return [Finding(f"<{tag}", f"raw HTML <{tag}> is not allowed in {where}; {reason}", _banned_hint(tag))]
    found = []
    for name, value in attrs.items():
        finding = attribute_finding(tag, name, value or "")
        if finding:
            found.append(finding)
    return found


def _parse(html: str) -> tuple[list[tuple[str, dict[str, str | None]]], list[Finding]]:
    """Parse *html* as the body of a page, as a browser does: ``(elements, findings)``.

    ``<html>`` and ``<body>`` start tags in the middle of a page add their attributes to
    the page's own ``<html>`` and ``<body>``; those are reported here.
    """
    tree = LexborHTMLParser(_DOCUMENT + html)
    found = []
    for node, tag in ((tree.root, "html"), (tree.body, "body")):
        if node is not None and node.attributes:
            found.append(Finding(f"<{tag}", f"raw HTML <{tag}> is not allowed in a page's text",
                                 "remove it; the theme writes the page around the text"))
    elements: list[tuple[str, dict[str, str | None]]] = []
    body: LexborNode | None = tree.body
    if body is not None:
        nodes = body.traverse(include_text=False)
        next(nodes, None)  # the body itself
        for node in nodes:
            if isinstance(node.tag, str) and not node.tag.startswith(("-", "!")):
                elements.append((node.tag.lower(), dict(node.attributes)))
    return elements, found


def check_raw_html(raw: str, where: str = "lessons") -> list[Finding]:
    """Check a piece of raw HTML written by an author.

    Args:
        raw: the HTML as written (a block, or one tag of inline HTML).
        where: the kind of file it is in, for messages ("lessons", "quizzes", ...).

    Returns:
        Every rule it breaks, in document order.
    """
    if "<" not in raw:
        return []  # entities such as &copy; are stashed too
    elements, found = _parse(raw)
    for tag, attrs in elements:
        rules = element_findings(tag, attrs, where)
        found += rules
        if not rules or rules[0].needle != f"<{tag}":
            found += _raw_rules(tag, attrs)
    return found


def check_page_text(html: str, where: str = "lessons") -> list[Finding]:
    """Apply the allow-list to the HTML of a whole converted text (a lesson, a quiz text).

    Raw HTML is stashed by Markdown in pieces; checking each piece alone would miss markup
    that only forms a tag once the pieces and the text between them are joined (an
    attribute quote opened in one piece and closed in the text after it). This check
    sees the joined result as the browser will.

    Args:
        html: the output of a Markdown conversion that had raw HTML in it.
        where: the kind of file it is in, for messages.

    Returns:
        Elements and attributes that are not allowed, and script URLs.
    """
    elements, found = _parse(html)
    for tag, attrs in elements:
        found += element_findings(tag, attrs, where)
    return found


def _raw_rules(tag: str, attrs: dict[str, str | None]) -> list[Finding]:
    """Rules for elements written as raw HTML: no internet, local files only through Markdown."""
    found: list[Finding] = []
    for url in _CSS_URL.findall(attrs.get("style") or ""):
        found.append(_internet(url))
    urls = [attrs.get(a) or "" for a in _LOADING_ATTRS if attrs.get(a)] + srcset_urls(attrs.get("srcset") or "")
    for url in urls:
        if is_internet(url):
            found.append(_internet(url))
        elif not is_script_url(url) and not url.lower().startswith("data:") and not url.startswith("#"):
            found.append(Finding(url, f"raw HTML <{tag}> uses '{url}', which is not put into the package",
                                 _local_hint(tag)))
    if tag == "img" and not (attrs.get("alt") or "").strip():
        found.append(Finding("<img", "raw HTML image has no alt text",
                             "use ![what it shows](path) instead of <img>"))
    href = attrs.get("href")
    if tag == "a" and href and not href.startswith("#") and not _has_scheme(href):
        found.append(Finding(href, f"raw HTML link to '{href}' is not checked or put into the package",
                             "use Markdown: [text](02-next-lesson.md) or [text](../files/handout.pdf)"))
    return found


def _has_scheme(url: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url.strip())) or url.strip().startswith("//")


def _internet(url: str) -> Finding:
    return Finding(url, f"'{url}' is loaded from the internet; put the file in the course folder",
                   "packages must not load anything from outside; refer to the file with a relative path")


def _banned_hint(tag: str) -> str:
    if tag in ("iframe", "frame", "object", "embed", "applet"):
        return "link to the page instead: [title](https://...), or put a video in '::: video ../media/file.mp4'"
    if tag in ("style", "link"):
        return "styles belong in the theme: templates/assets/ in the course folder"
    return "remove it; interactive parts come from the theme and its runtime"


def _local_hint(tag: str) -> str:
    if tag == "img":
        return "use Markdown image syntax ![alt](path) so the file is packaged"
    if tag in ("audio", "video", "source", "track"):
        return "use a '::: video path' or '::: audio path' block so the file is packaged"
    return "use Markdown syntax so the file is packaged: ![alt](path) or [text](path)"


def external_resources(page: bytes) -> list[str]:
    """URLs on the internet that a rendered page loads by itself (not links to click).

    Args:
        page: the page's HTML.

    Returns:
        The URLs in document order, each once.
    """
    # Every internet URL holds "//" (http://, https://, protocol-relative //host); most
    # pages have none, and this test is far cheaper than the regular expression.
    if b"//" not in page or not _MAYBE_EXTERNAL.search(page):
        return []
    try:
        doc = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return []
    urls: list[str] = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        candidates = [el.get(a, "") for a in _LOADING_ATTRS] + srcset_urls(el.get("srcset", ""))
        if tag in ("link", "image", "use"):
            candidates += [str(v) for k, v in el.attrib.items() if str(k).endswith("href")]
        candidates += _CSS_URL.findall(el.get("style", ""))
        if tag == "style":
            candidates += _CSS_URL.findall(el.text or "")
        for url in candidates:
            if url and is_internet(url) and url not in urls:
                urls.append(url)
    return urls
