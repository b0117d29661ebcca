"""Course files that a browser would run: SVG checks, HTML refused, Windows-safe names.

A package is unzipped inside the LMS, and on Moodle its files are served from the LMS's
own origin: a learner who opens a packaged SVG or HTML file runs what it holds with the
learner's LMS session. SVG pictures are therefore checked (nothing that runs, nothing
loaded from elsewhere), HTML files are refused, and every file name must be one that
Windows can hold, so that a learner or an LMS on Windows can unzip the package.

SVG files are parsed with lxml with a safe parser: no network, no DTD loading, no entity
expansion, no huge trees. A document that declares entities is refused outright.
"""
from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

from lxml import etree

from builder.errors import Location, Problem
from builder.html_rules import is_internet, is_script_url
from builder.rules import problem

XML_SUFFIXES = frozenset((".xml", ".xsl", ".xslt"))
"""XML files: a browser shows them as a page and runs the XHTML ``<script>`` in them."""
ACTIVE_SUFFIXES = frozenset((".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml")) | XML_SUFFIXES
"""Files that a browser runs as a page when a learner opens them."""

_SVG_ACTIVE = frozenset(("script", "foreignobject", "handler", "listener", "iframe", "embed", "object"))
_HREF_OK = re.compile(r"^\s*(#|data:image/(png|jpeg|gif|webp|avif);)", re.I)
_CSS_REF = re.compile(r"""url\(\s*["']?\s*([^"')\s]*)|@import""", re.I)
_WINDOWS_BAD = re.compile(r'[<>:"|?*\x00-\x1f]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.I)
_HINT = "SVG pictures in a package must be self-contained and passive: remove it"


def windows_name_problem(rel: str) -> str | None:
    """Why the course-relative path *rel* cannot be unzipped on Windows, or None."""
    for part in rel.split("/"):
        bad = list(dict.fromkeys(_WINDOWS_BAD.findall(part)))
        if bad:
            shown = " ".join(repr(c) if c.isprintable() else f"\\x{ord(c):02x}" for c in bad)
            return f"the file name '{part}' contains {shown}, which Windows does not allow"
        if _WINDOWS_RESERVED.match(part):
            return f"'{part}' is a reserved device name on Windows"
        if part.endswith((".", " ")):
            return f"the file name '{part}' ends with a dot or a space, which Windows drops"
    return None


def check_svg(path: Path, data: bytes | None = None) -> list[Problem]:
    """Check an SVG picture: no scripts, event handlers, foreign HTML or outside references.

    Args:
        path: the SVG file (read when *data* is None).
        data: its bytes.

    Returns:
        One problem per finding, located at the SVG's line.
    """
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        return [problem("unreadable-svg", Location(path), f"the SVG file cannot be read ({exc.strerror or exc})")]
    declared = re.search(rb"<!ENTITY", data)
    if declared:
        return [problem("active-svg", Location(path, data.count(b"\n", 0, declared.start()) + 1),
                        "the SVG file declares XML entities",
                        "remove the <!DOCTYPE ...> block; an SVG needs none")]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        first: int = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else 1
        return [problem("unreadable-svg", Location(path, first), f"the SVG file is not valid XML ({exc.msg})",
                        "save it again from your drawing program")]
    problems: list[Problem] = []
    outside = list(root.itersiblings(preceding=True)) + list(root.itersiblings())
    for node in outside + list(root.iter()):
        line: int | None = node.sourceline if isinstance(node.sourceline, int) else None
        if isinstance(node, etree._ProcessingInstruction):
            problems.append(problem("active-svg", Location(path, line), f"the SVG file has a processing instruction "
                                    f"'<?{node.target!s}'", _HINT))
            continue
        if not isinstance(node.tag, str):
            continue
        problems += _element_problems(path, node, line)
    return problems


def _element_problems(path: Path, el: etree._Element, line: int | None) -> list[Problem]:
    where = Location(path, line)
    name = etree.QName(el).localname.lower()
    if name in _SVG_ACTIVE:
        what = "holds HTML" if name == "foreignobject" else "runs a script" if name in ("script", "handler",
                                                                                        "listener") else "loads a document"
        return [problem("active-svg", where, f"the SVG element <{etree.QName(el).localname}> {what}", _HINT)]
    problems = []
    for key, raw in el.attrib.items():
        value = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")  # lxml gives str
        attr = etree.QName(key).localname.lower()
        if attr.startswith("on"):
            problems.append(problem("active-svg", where, f"the SVG attribute '{attr}' runs a script", _HINT))
        elif attr == "href" and not _HREF_OK.match(value):
            problems.append(problem("active-svg", where, _href_message(value), _HINT))
        elif attr == "style":
            problems += _css_problems(where, value)
        elif attr in ("to", "from", "values", "by") and is_script_url(value):
            problems.append(problem("active-svg", where, f"the SVG animation sets '{value[:40]}', which runs a script", _HINT))
        elif attr == "attributename" and (value.lower().startswith("on") or value.lower().endswith("href")):
            problems.append(problem("active-svg", where, f"the SVG animation changes '{value}'", _HINT))
    if name == "style":
        problems += _css_problems(where, el.text or "")
    return problems


def _href_message(value: str) -> str:
    if is_script_url(value):
        return f"the SVG link '{value.strip()[:40]}' runs a script"
    if is_internet(value):
        return f"the SVG file refers to '{value.strip()[:60]}' on the internet"
    return f"the SVG file refers to another file, '{value.strip()[:60]}'"


def _css_problems(where: Location, css: str) -> list[Problem]:
    problems = []
    for match in _CSS_REF.finditer(css):
        target = match.group(1)
        if target is None:
            problems.append(problem("active-svg", where, "the SVG style imports another style sheet (@import)", _HINT))
        elif not target.startswith("#") and not _HREF_OK.match(target):
            problems.append(problem("active-svg", where, f"the SVG style loads '{target[:60]}'", _HINT))
    return problems


def _check_svgz(path: Path) -> list[Problem]:
    """Check a gzip-compressed SVG, refusing one that inflates beyond 20 MB (a zip bomb)."""
    try:
        inflater = zlib.decompressobj(wbits=31)
        data = inflater.decompress(path.read_bytes(), 20 * 1024 * 1024)
        if inflater.unconsumed_tail:
            return [problem("unreadable-svg", Location(path), "the compressed SVG file inflates to more than 20 MB")]
    except (OSError, zlib.error, gzip.BadGzipFile) as exc:
        return [problem("unreadable-svg", Location(path), f"the compressed SVG file cannot be read ({exc})")]
    return check_svg(path, data)


def check_course_files(files: dict[str, Path]) -> list[Problem]:
    """Check every file going into a package that a browser could run (SVG pictures).

    Args:
        files: archive path → file in the course folder.

    Returns:
        The problems, located in the files themselves.
    """
    problems: list[Problem] = []
    for rel, path in sorted(files.items()):
        if rel.lower().endswith(".svg"):
            problems += check_svg(path)
        elif rel.lower().endswith(".svgz"):
            problems += _check_svgz(path)
    return problems
