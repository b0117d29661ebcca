"""HTML that a package must not carry.

Two checks share these rules: the raw HTML an author writes inside Markdown (lessons, quiz
texts, course.yml), and the final pages, which a course's template overrides can change.
A package runs only the builder's runtime and loads nothing from the internet: LMSs often
forbid it, learners are often offline or on slow connections, and an outside script sees
everything the learner does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

BANNED_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "link", "style",
               "form", "base", "meta")
"""Tags that run code, load other documents or change how the page behaves."""

MEDIA_TAGS = ("img", "audio", "video", "source", "track")
# Attributes whose value is fetched by the browser when the page loads.
_LOADING_ATTRS = ("src", "poster", "data", "background")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")
_CONTROL = re.compile(r"[\x00-\x20]+")
_CSS_URL = re.compile(r"""(?:url\(\s*|@import\s+)["']?\s*((?:https?:)?//[^"')\s]*)""", re.I)
# Cheap test before parsing a rendered page: only pages with an absolute URL in an
# attribute (or in CSS) can load something from outside.
_MAYBE_EXTERNAL = re.compile(rb"""(?:\b(?:src|srcset|poster|background|data|href)\s*=\s*["']?\s*"""
                             rb"""(?:https?:)?//|srcset\s*=\s*["'][^"']*//|url\(|@import)""", re.I)


def is_internet(url: str) -> bool:
    """True for ``http:``, ``https:`` and protocol-relative (``//host``) URLs."""
    text = _CONTROL.sub("", url).lower()
    return text.startswith(("http:", "https:", "//"))


def is_script_url(url: str) -> bool:
    """True for ``javascript:`` (and ``vbscript:``) URLs, however they are spelled."""
    return _CONTROL.sub("", url).lower().startswith(_SCRIPT_SCHEMES)


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` value (``a.png 1x, b.png 2x``)."""
    return [part.split()[0] for part in value.split(",") if part.split()]


@dataclass(frozen=True)
class Finding:
    """One broken rule in a piece of HTML; *needle* is text to locate it in the source."""

    needle: str
    message: str
    hint: str | None = None


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
    try:
        wrapper = lxml.html.fragment_fromstring(raw, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    found: list[Finding] = []
    for el in wrapper.iter():
        if el is wrapper or not isinstance(el.tag, str):
            continue
        found += _check_element(el, el.tag.lower(), where)
    return found


def _check_element(el: lxml.html.HtmlElement, tag: str, where: str) -> list[Finding]:
    found: list[Finding] = []
    if tag in BANNED_TAGS:
        found.append(Finding(f"<{tag}", f"raw HTML <{tag}> is not allowed in {where}; packages run only "
                             "the builder's runtime", _banned_hint(tag)))
    for name, value in el.attrib.items():
        name = name.lower()
        if name.startswith("on"):
            found.append(Finding(name, f"raw HTML attribute '{name}' runs a script; packages run only "
                                 "the builder's runtime", "remove the attribute"))
        elif is_script_url(value):
            found.append(Finding(value.strip() or name, f"'{value.strip()[:40]}' runs a script; packages run "
                                 "only the builder's runtime", "link to a lesson, a file or a web page"))
        elif name == "style":
            for url in _CSS_URL.findall(value):
                found.append(_internet(url))
    if tag in BANNED_TAGS:
        return found
    urls = [el.get(a, "") for a in _LOADING_ATTRS if el.get(a)] + srcset_urls(el.get("srcset", ""))
    if tag in ("image", "use"):
        urls += [str(v) for k, v in el.attrib.items() if str(k).endswith("href")]
    for url in urls:
        if is_internet(url):
            found.append(_internet(url))
        elif not is_script_url(url) and not url.lower().startswith("data:") and not url.startswith("#"):
            found.append(Finding(url, f"raw HTML <{tag}> uses '{url}', which is not put into the package",
                                 _local_hint(tag)))
    if tag == "img" and not (el.get("alt") or "").strip():
        found.append(Finding("<img", "raw HTML image has no alt text",
                             "use ![what it shows](path) instead of <img>"))
    href = el.get("href")
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
        return "link to the page instead: [title](https://...), or put a video in '::: video media/file.mp4'"
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
