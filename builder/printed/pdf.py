"""HTML → PDF with WeasyPrint: tagged (PDF/UA-1), deterministic, written atomically.

WeasyPrint lays out HTML and CSS paged media in Python (Pango for text), so the printed
editions need no browser. Only files inside the course folder and the theme can be
loaded: a document never reaches the network.
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from builder import package
from builder.errors import PackageError
from builder.printed.document import pin_page_numbers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfInfo:
    """A PDF written by :func:`write_pdf`."""

    path: Path
    pages: int
    size: int


def _fetcher(allowed: list[Path], swap: dict[Path, Path] | None = None) -> Any:
    """A WeasyPrint URL fetcher that serves local files below *allowed* folders only.

    *swap* maps course files to the files served in their place (a translation's
    localised media, see :mod:`builder.i18n.media`).
    """
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    roots = [folder.resolve() for folder in allowed]
    swaps = {source.resolve(): copy.resolve() for source, copy in (swap or {}).items()}

    class LocalFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
        """Refuses every URL but ``file:`` (inside the course or theme) and ``data:``."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not any(path == root or root in path.parents for root in roots):
                    raise ValueError(f"not a file of the course: {url}")
                if path in swaps:
                    url = swaps[path].as_uri()
            elif parts.scheme != "data":
                raise ValueError(f"printed editions load nothing from outside: {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"}, timeout=5)


def render_pdf(html: str, base: Path, allowed: list[Path], identifier: str,
               swap: dict[Path, Path] | None = None) -> tuple[bytes, int]:
    """Lay out *html* on pages and return the PDF bytes and the page count.

    Args:
        html: the document (see :func:`builder.printed.document.render_print_html`).
        base: the folder relative URLs (images) are resolved against: the course folder.
        allowed: folders whose files the document may load.
        identifier: a stable text the PDF's identifier is derived from (no random ids,
            so two builds are byte-identical).
        swap: files loaded in place of course files (a translation's localised media).

    Returns:
        ``(pdf, pages)``.
    """
    import weasyprint  # type: ignore[import-untyped]

    def layout(text: str) -> Any:
        return weasyprint.HTML(string=text, base_url=base.resolve().as_uri() + "/",
                               url_fetcher=_fetcher(allowed, swap)).render()

    document = layout(html)
    for _attempt in range(3):
        stale = stale_references(document)
        if not stale:
            break
        log.debug("page references to %s were off; laying out again with the numbers written in",
                  ", ".join(sorted(stale)))
        document = layout(pin_page_numbers(html, anchor_pages(document)))
    else:
        log.warning("some page numbers in the contents may be off by a page: %s", ", ".join(sorted(stale)))
    with _page_references_cached():
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True,
                                 pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode())
    return bytes(pdf), len(document.pages)


@contextmanager
def _page_references_cached() -> Iterator[None]:
    """Make ``pydyf.PDF.page_references`` cheap while a PDF is written.

    pydyf builds the tuple of every page reference on each access, and WeasyPrint's
    tagging reads it once per tagged box: quadratic in pages (4.6 s of the 8 s spent
    writing a 422-page handbook). While the block runs, the tuple is kept until a page is
    added (pages are only ever appended). The property is restored afterwards.
    """
    import pydyf  # type: ignore[import-untyped]

    original = pydyf.PDF.page_references

    def cached(pdf: Any) -> Any:
        kids = len(pdf.pages["Kids"])
        memo = pdf.__dict__.get("_builder_page_references")
        if memo is None or memo[0] != kids:
            memo = (kids, original.fget(pdf))
            pdf.__dict__["_builder_page_references"] = memo
        return memo[1]

    pydyf.PDF.page_references = property(cached)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


def anchor_pages(document: Any) -> dict[str, int]:
    """The page number (from 1) of every anchor (element id) of a laid-out document."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def stale_references(document: Any) -> set[str]:
    """Anchors whose printed page number (contents, cross-references) is not their page."""
    pages = anchor_pages(document)
    printed: dict[Any, list[str]] = {}
    for page in document.pages:
        for box in page._page_box.descendants():  # WeasyPrint has no public API for this
            if getattr(box, "element_tag", None) == "a::after" and getattr(box, "text", None):
                printed.setdefault(box.element, []).append(box.text)
    stale = set()
    for element, parts in printed.items():
        href = element.get("href") or ""
        numbers = re.findall(r"\d+", "".join(parts))
        if href.startswith("#") and numbers and pages.get(href[1:]) not in (None, int(numbers[-1])):
            stale.add(href[1:])
    return stale


def write_pdf(data: bytes, dest: Path, pages: int) -> PdfInfo:
    """Write a PDF atomically (temporary file + rename).

    Args:
        data: the PDF.
        dest: the file to create or replace.
        pages: its page count, for the result.

    Returns:
        Where it went, its pages and its size.

    Raises:
        PackageError: the file could not be written (the old one, if any, is kept).
    """
    try:
        package.write_file(dest, data)
    except OSError as exc:
        raise PackageError(f"cannot write {dest}: {exc.strerror or exc}") from exc
    return PdfInfo(path=dest, pages=pages, size=len(data))
