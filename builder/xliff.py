"""XLIFF 1.2 and 2.0 for translation agencies: PO messages written as XLIFF units and read back.

Pure and free of course knowledge: :func:`write_xliff` turns :class:`Unit` lists (one list per
catalog file) into an XLIFF document, and :func:`read_xliff` turns an XLIFF document back into
the same units with the line each one sits on. :mod:`builder.translate_io` connects them to the
PO catalogs of a course.

What a PO message carries and where it goes:

======================  ===================================  ====================================
PO                      XLIFF 1.2                            XLIFF 2.0
======================  ===================================  ====================================
``msgctxt``             ``trans-unit/@resname``              ``unit/@name``
``msgid`` / ``msgstr``  ``source`` / ``target``              ``segment/source`` / ``target``
fuzzy                   ``approved="no"``, ``state=          ``segment/@state="initial"`` with
                        "needs-review-translation"``         a target
``#.`` comments         ``note from="developer"``            ``note category="developer"``
``#`` comments          ``note from="translator"``           ``note category="translator"``
``#:`` references       ``context-group purpose="location"`` ``note category="location"``
``#|`` previous msgid   ``alt-trans alttranstype=            ``note category="x-po-previous-msgid"``
                        "previous-version"``
other ``#,`` flags      ``context-group name="x-po-flags"``  ``note category="x-po-flags"``
======================  ===================================  ====================================
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from lxml import etree

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
FORMATS = ("xliff", "xliff2")
"""``--format`` values: XLIFF 1.2 and XLIFF 2.0."""

_FUZZY_STATES_12 = {"new", "needs-translation", "needs-adaptation", "needs-l10n",
                    "needs-review-translation", "needs-review-adaptation", "needs-review-l10n"}


class XliffError(ValueError):
    """An XLIFF document that cannot be read: the message, and the line it is about."""

    def __init__(self, line: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


@dataclass
class Unit:
    """One translatable message, as a PO entry and an XLIFF unit both hold it."""

    id: str
    source: str
    target: str = ""
    context: str | None = None
    fuzzy: bool = False
    flags: list[str] = field(default_factory=list)
    locations: list[tuple[str, int | None]] = field(default_factory=list)
    auto_comments: list[str] = field(default_factory=list)
    user_comments: list[str] = field(default_factory=list)
    previous_id: str | None = None
    line: int = 0  # where the unit starts in the XLIFF file it was read from


@dataclass
class FileUnits:
    """The units of one catalog: its path inside the course (``original``) and languages."""

    original: str
    source_language: str
    target_language: str
    units: list[Unit]
    line: int = 0


def unit_id(context: str | None, source: str) -> str:
    """The unit id of a message: from its gettext key (context and source), an XML name token.

    Contexts name a file and a kind of block, shared by many messages, so the source text is
    part of the key, as in gettext: a source changed after the export gives another id.
    """
    key = source if context is None else f"{context}\x04{source}"
    return "m" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def write_xliff(files: list[FileUnits], fmt: str, product: str) -> bytes:
    """The XLIFF document (*fmt* ``xliff`` = 1.2, ``xliff2`` = 2.0) holding *files*."""
    if fmt == "xliff2":
        return _write_20(files, product)
    root = etree.Element(f"{{{NS12}}}xliff", nsmap={None: NS12},  # type: ignore[dict-item]
                         version="1.2")
    for item in files:
        el = etree.SubElement(root, f"{{{NS12}}}file", original=item.original, datatype="po",
                              attrib={"source-language": item.source_language,
                                      "target-language": item.target_language,
                                      "product-name": product})
        body = etree.SubElement(el, f"{{{NS12}}}body")
        for unit in item.units:
            _unit_12(body, unit)
    return _serialise(root)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrib)
    if text is not None:
        el.text = text
    return el


def _unit_12(body: etree._Element, unit: Unit) -> None:
    n = f"{{{NS12}}}"
    tu = _sub(body, n + "trans-unit", id=unit.id, approved="no" if unit.fuzzy or not unit.target else "yes")
    tu.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    if unit.context is not None:
        tu.set("resname", unit.context)
    _sub(tu, n + "source", unit.source)
    state = "needs-review-translation" if unit.fuzzy else "translated" if unit.target else "new"
    _sub(tu, n + "target", unit.target, state=state)
    if unit.previous_id is not None:
        alt = _sub(tu, n + "alt-trans", alttranstype="previous-version")
        _sub(alt, n + "source", unit.previous_id)
        _sub(alt, n + "target", unit.target)
    for path, line in unit.locations:
        group = _sub(tu, n + "context-group", name="x-po-reference", purpose="location")
        _sub(group, n + "context", path, **{"context-type": "sourcefile"})
        if line is not None:
            _sub(group, n + "context", str(line), **{"context-type": "linenumber"})
    if unit.flags:
        group = _sub(tu, n + "context-group", name="x-po-flags")
        for flag in unit.flags:
            _sub(group, n + "context", flag, **{"context-type": "x-po-flag"})
    for text in unit.auto_comments:
        _sub(tu, n + "note", text, **{"from": "developer"})
    for text in unit.user_comments:
        _sub(tu, n + "note", text, **{"from": "translator"})


def _write_20(files: list[FileUnits], product: str) -> bytes:
    n = f"{{{NS20}}}"
    first = files[0] if files else None
    root = etree.Element(n + "xliff", nsmap={None: NS20},  # type: ignore[dict-item]
                         version="2.0",
                         srcLang=first.source_language if first else "und")
    if first:
        root.set("trgLang", first.target_language)
    for number, item in enumerate(files, 1):
        el = _sub(root, n + "file", id=f"f{number}", original=item.original)
        el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        _sub(_sub(el, n + "notes"), n + "note", product, category="x-product")
        for unit in item.units:
            u = _sub(el, n + "unit", id=unit.id)
            if unit.context is not None:
                u.set("name", unit.context)
            notes = [("developer", t) for t in unit.auto_comments] + [
                ("translator", t) for t in unit.user_comments] + [
                ("location", f"{p}:{line}" if line is not None else p) for p, line in unit.locations] + [
                ("x-po-flags", f) for f in unit.flags]
            if unit.previous_id is not None:
                notes.append(("x-po-previous-msgid", unit.previous_id))
            if notes:
                holder = _sub(u, n + "notes")
                for category, text in notes:
                    _sub(holder, n + "note", text, category=category)
            state = "initial" if unit.fuzzy or not unit.target else "translated"
            seg = _sub(u, n + "segment", state=state)
            _sub(seg, n + "source", unit.source)
            if unit.target:
                _sub(seg, n + "target", unit.target)
    return _serialise(root)


def _serialise(root: etree._Element) -> bytes:
    etree.indent(root, space="  ")
    # indent() adds whitespace only between elements; texts of source/target stay as they are
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def read_xliff(data: bytes) -> list[FileUnits]:
    """The files and units of an XLIFF 1.2 or 2.0 document.

    Raises:
        XliffError: malformed XML, or not an XLIFF document this reads (with the line).
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XliffError(exc.lineno if isinstance(exc.lineno, int) else 1, f"not well-formed XML: {exc.msg}") from None
    if root.tag == f"{{{NS12}}}xliff":
        return [_file_12(el) for el in root.iterchildren(f"{{{NS12}}}file")]
    if root.tag == f"{{{NS20}}}xliff":
        src, trg = root.get("srcLang", ""), root.get("trgLang", "")
        return [_file_20(el, src, trg) for el in root.iterchildren(f"{{{NS20}}}file")]
    raise XliffError(_line(root), f"the root element is <{etree.QName(root).localname}>, "
                     "not an XLIFF 1.2 or 2.0 <xliff>",
                     hint="import a file made by 'builder translate export' and translated")


def _required(el: etree._Element, name: str) -> str:
    value = el.get(name)
    if not value:
        raise XliffError(_line(el), f"<{etree.QName(el).localname}> has no {name} attribute")
    return value


def _text(el: etree._Element | None) -> str:
    """The whole text of *el*, inline elements included (an agency tool may add none, but
    should it wrap text, the words are kept)."""
    return "" if el is None else "".join(str(t) for t in el.itertext())


def _line(el: etree._Element) -> int:
    line = el.sourceline
    return line if isinstance(line, int) else 1


def _file_12(el: etree._Element) -> FileUnits:
    n = f"{{{NS12}}}"
    item = FileUnits(_required(el, "original"), el.get("source-language", ""), el.get("target-language", ""),
                     [], _line(el))
    for tu in el.iter(n + "trans-unit"):
        target = tu.find(n + "target")
        text = _text(target)
        state = target.get("state", "") if target is not None else ""
        fuzzy = bool(text) and (tu.get("approved") != "yes" and state in _FUZZY_STATES_12)
        unit = Unit(_required(tu, "id"), _text(tu.find(n + "source")), text, tu.get("resname"), fuzzy,
                    line=_line(tu))
        alt = tu.find(f"{n}alt-trans[@alttranstype='previous-version']")
        if alt is not None:
            unit.previous_id = _text(alt.find(n + "source"))
        for group in tu.iterchildren(n + "context-group"):
            contexts = {c.get("context-type"): c.text or "" for c in group.iterchildren(n + "context")}
            if group.get("purpose") == "location" and "sourcefile" in contexts:
                line = contexts.get("linenumber")
                unit.locations.append((contexts["sourcefile"], int(line) if line and line.isdigit() else None))
            elif group.get("name") == "x-po-flags":
                unit.flags = [c.text or "" for c in group.iterchildren(n + "context")]
        for note in tu.iterchildren(n + "note"):
            (unit.user_comments if note.get("from") == "translator" else unit.auto_comments).append(_text(note))
        item.units.append(unit)
    return item


def _file_20(el: etree._Element, src: str, trg: str) -> FileUnits:
    n = f"{{{NS20}}}"
    item = FileUnits(_required(el, "original"), src, trg, [], _line(el))
    for u in el.iter(n + "unit"):
        segments = list(u.iter(n + "segment"))
        source = "".join(_text(s.find(n + "source")) for s in segments)
        target = "".join(_text(s.find(n + "target")) for s in segments)
        states = {s.get("state", "initial") for s in segments}
        unit = Unit(_required(u, "id"), source, target, u.get("name"),
                    bool(target) and "initial" in states, line=_line(u))
        for note in u.iter(n + "note"):
            category, text = note.get("category", ""), _text(note)
            if category == "translator":
                unit.user_comments.append(text)
            elif category == "location":
                path, _, line = text.rpartition(":")
                unit.locations.append((path, int(line)) if line.isdigit() and path else (text, None))
            elif category == "x-po-flags":
                unit.flags.append(text)
            elif category == "x-po-previous-msgid":
                unit.previous_id = text
            else:
                unit.auto_comments.append(text)
        item.units.append(unit)
    return item
