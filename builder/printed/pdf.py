"""HTML → PDF with WeasyPrint: tagged (PDF/UA-1), deterministic, written atomically.

WeasyPrint lays out HTML and CSS paged media in Python (Pango for text), so the printed
editions need no browser. Only files inside the course folder and the theme can be
loaded: a document never reaches the network.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from builder import package
from builder.errors import PackageError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfInfo:
    """A PDF written by :func:`write_pdf`."""

    path: Path
    pages: int
    size: int


def _fetcher(allowed: list[Path]) -> Any:
    """A WeasyPrint URL fetcher that serves local files below *allowed* folders only."""
    from weasyprint.urls import URLFetcher

    roots = [folder.resolve() for folder in allowed]

    class LocalFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
        """Refuses every URL but ``file:`` (inside the course or theme) and ``data:``."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not any(path == root or root in path.parents for root in roots):
                    raise ValueError(f"not a file of the course: {url}")
            elif parts.scheme != "data":
                raise ValueError(f"printed editions load nothing from outside: {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"}, timeout=5)


def render_pdf(html: str, base: Path, allowed: list[Path], identifier: str) -> tuple[bytes, int]:
    """Lay out *html* on pages and return the PDF bytes and the page count.

    Args:
        html: the document (see :func:`builder.printed.document.render_print_html`).
        base: the folder relative URLs (images) are resolved against: the course folder.
        allowed: folders whose files the document may load.
        identifier: a stable text the PDF's identifier is derived from (no random ids,
            so two builds are byte-identical).

    Returns:
        ``(pdf, pages)``.
    """
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=base.resolve().as_uri() + "/",
                               url_fetcher=_fetcher(allowed)).render()
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True,
                             pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode())
    return bytes(pdf), len(document.pages)


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
