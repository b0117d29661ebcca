"""Reading Moodle's HTML pages: forms, the ``M.cfg`` settings, file manager options, errors.

Everything here is pure: functions take page text and return values, so the client in
:mod:`builder.moodle` can be tested against a stand-in server and these helpers against
plain strings. Pages are parsed with ``lxml.html``; the only places that look inside
JavaScript are the two JSON literals Moodle prints for the page's client code
(``M.cfg = {...}`` and the options of ``M.form_filemanager.init``), and those are read with
a JSON decoder, not pattern matching.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.html
from lxml.html import FormElement, HtmlElement

_DECODER = json.JSONDecoder()


def parse_page(text: str, url: str) -> HtmlElement:
    """Parse an HTML page; links are made absolute against *url*."""
    doc = cast(HtmlElement, lxml.html.document_fromstring(text or "<html></html>", base_url=url))
    doc.make_links_absolute(url, resolve_base_href=True)
    return doc


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _json_after(text: str, *tokens: str) -> list[Any]:
    """Decode every JSON value that follows the *tokens* in *text*, spaces allowed between.

    ``_json_after(js, "M.cfg", "=")`` reads ``M.cfg = {...}`` and ``M.cfg={...}`` alike.
    """
    values: list[Any] = []
    start = text.find(tokens[0])
    while start != -1:
        pos = start + len(tokens[0])
        for token in tokens[1:]:
            pos = _skip_space(text, pos)
            if not text.startswith(token, pos):
                break
            pos += len(token)
        else:
            try:
                values.append(_DECODER.raw_decode(text, _skip_space(text, pos))[0])
            except ValueError:
                pass
        start = text.find(tokens[0], pos)
    return values


def _scripts(doc: HtmlElement) -> list[str]:
    return [script.text_content() for script in doc.iter("script")]


def read_mcfg(doc: HtmlElement) -> dict[str, Any]:
    """Return the page's ``M.cfg`` object (``wwwroot``, ``sesskey``, ``contextid``...) or {}."""
    for script in _scripts(doc):
        for value in _json_after(script, "M.cfg", "="):
            if isinstance(value, dict):
                return value
    return {}


def is_moodle_page(doc: HtmlElement) -> bool:
    """True if the page looks like one rendered by Moodle (it sets ``M.cfg.wwwroot``)."""
    return "wwwroot" in read_mcfg(doc)


def body_classes(doc: HtmlElement) -> set[str]:
    """Return the classes of ``<body>``; Moodle adds ``notloggedin`` for visitors."""
    body = doc.find(".//body")
    return set((body.get("class") or "").split()) if body is not None else set()


def find_form(doc: HtmlElement, field: str) -> FormElement | None:
    """Return the first form that has a control named *field*."""
    for form in doc.forms:
        if form.xpath(".//*[@name=$n]", n=field):
            return form
    return None


def login_form(doc: HtmlElement) -> FormElement | None:
    """Return the form with a password box (not the "log in as a guest" form's hidden one)."""
    for form in doc.forms:
        if form.xpath(".//input[translate(@type, 'PASWORD', 'pasword')='password']"):
            return form
    return None


def form_fields(form: FormElement) -> list[tuple[str, str]]:
    """Return the pairs a browser would submit for *form*, without any submit button.

    Hidden, text and other inputs keep their value (an input without one sends an empty
    string), checkboxes and radios only when checked, selects their selected options (the
    first option when none is selected), textareas their text. Disabled controls and file
    inputs are left out, as a browser does. Order is kept: Moodle's "advcheckbox" relies on
    the checkbox coming after its hidden twin.
    """
    pairs: list[tuple[str, str]] = []
    for el in form.inputs:
        name = el.get("name")
        if not name or el.get("disabled") is not None:
            continue
        if el.tag == "textarea":
            # A browser's parser drops one newline right after <textarea>; libxml2 keeps it,
            # and sending it back would grow the text by a line on each publish.
            text = el.value or ""
            pairs.append((name, text[2:] if text.startswith("\r\n") else
                          text[1:] if text.startswith("\n") else text))
        elif el.tag == "select":
            if el.multiple:
                pairs.extend((name, str(v)) for v in el.value)
            elif el.value is not None:
                pairs.append((name, str(el.value)))
        elif el.tag == "input":
            kind = (el.get("type") or "text").lower()
            if kind in ("submit", "image", "reset", "button", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if el.get("checked") is None:
                    continue
                pairs.append((name, el.get("value", "on")))
            else:
                pairs.append((name, el.get("value", "")))
    return pairs


def submit_buttons(form: FormElement) -> dict[str, str]:
    """Return ``{name: value}`` of the form's submit buttons (inputs and buttons)."""
    buttons: dict[str, str] = {}
    for el in form.xpath(".//input[@type='submit'][@name] | .//button[@name]"):
        if el.tag == "button" and (el.get("type") or "submit").lower() != "submit":
            continue
        buttons[el.get("name")] = el.get("value", "")
    return buttons


def form_action(form: FormElement, page_url: str) -> str:
    """Return the absolute URL the form posts to."""
    return str(urljoin(page_url, form.get("action") or page_url))


@dataclass(frozen=True)
class UploadTarget:
    """Where the file picker of a file manager element sends uploads."""

    itemid: int
    repo_id: int | None
    ctx_id: int | None
    client_id: str | None


def filemanager_target(doc: HtmlElement, itemid: int) -> UploadTarget:
    """Find the upload repository and context of the file manager with draft *itemid*.

    Moodle prints each file manager's options as the argument of
    ``M.form_filemanager.init(Y, {...})``: the draft ``itemid``, the ``client_id`` and a
    ``filepicker`` object whose ``repositories`` map ids to ``{"id", "type", ...}`` and whose
    ``context`` has the ``id`` the picker sends as ``ctx_id``. The page's ``M.cfg.contextid``
    is the fallback for the context.
    """
    managers = [options for script in _scripts(doc)
                for options in _json_after(script, "M.form_filemanager.init", "(", "Y", ",")
                if isinstance(options, dict)]
    # The file manager of this draft area; failing that, any one (the page has one upload
    # repository for all of them).
    mine = [m for m in managers if str(m.get("itemid")) == str(itemid)] or managers
    repo_id: int | None = None
    ctx_id: int | None = None
    client_id: str | None = None
    for options in mine:
        picker = options.get("filepicker") or {}
        repos = picker.get("repositories") or options.get("repositories") or {}
        if isinstance(repos, list):
            repos = {str(i): r for i, r in enumerate(repos)}
        uploads = [r for r in repos.values() if isinstance(r, dict) and r.get("type") == "upload"]
        context = options.get("context") or picker.get("context") or {}
        if uploads and repo_id is None:
            repo_id = int(uploads[0]["id"])
            client_id = options.get("client_id")
        if isinstance(context, dict) and context.get("id") is not None and ctx_id is None:
            ctx_id = int(context["id"])
    if ctx_id is None and read_mcfg(doc).get("contextid") is not None:
        ctx_id = int(read_mcfg(doc)["contextid"])
    return UploadTarget(itemid=itemid, repo_id=repo_id, ctx_id=ctx_id, client_id=client_id)


def _text(el: HtmlElement) -> str:
    return " ".join(el.text_content().split())


def error_page_message(doc: HtmlElement) -> tuple[str, str] | None:
    """Return ``(message, errorcode)`` of a Moodle error page, or None for other pages.

    Moodle's fatal error page has ``<p class="errormessage">`` and, in
    ``<p class="errorcode">``, a "More information" link ending in ``/error/<component>/<code>``.
    """
    found = doc.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' errormessage ')]")
    if not found:
        return None
    code = ""
    for link in doc.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), "
                          "' errorcode ')]//a/@href"):
        code = str(link).rstrip("/").rsplit("/", 1)[-1]
    return _text(found[0]), code


def form_errors(doc: HtmlElement) -> dict[str, str]:
    """Return Moodle's validation messages of a re-displayed form, by field name.

    Each form element has a ``<div class="... invalid-feedback" id="id_error_FIELD">`` that
    is empty unless validation failed for that field.
    """
    errors: dict[str, str] = {}
    for div in doc.xpath("//*[starts-with(@id, 'id_error_')]"):
        message = _text(div)
        if message:
            errors[div.get("id")[len("id_error_"):]] = message
    return errors


def page_alerts(doc: HtmlElement) -> list[str]:
    """Return the texts of the page's danger alerts and notifications (login errors...)."""
    found = doc.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' alert-danger ')]"
                      " | //*[@id='loginerrormessage']")
    texts: list[str] = []
    for el in found:
        message = _text(el)
        if message and message not in texts:
            texts.append(message)
    return texts


def refresh_target(doc: HtmlElement) -> str | None:
    """Return the target of a ``<meta http-equiv="refresh">`` redirect page, if any.

    Moodle falls back to such a page (instead of an HTTP redirect) when output was already
    sent, e.g. with debugging messages on.
    """
    for meta in doc.xpath("//meta[translate(@http-equiv, 'REFSH', 'refsh')='refresh']"):
        content = meta.get("content") or ""
        _, _, rest = content.partition(";")
        rest = rest.strip()
        if rest.lower().startswith("url="):
            return rest[4:].strip().strip("'\"")
    return None


def links_with(doc: HtmlElement, path: str) -> list[str]:
    """Return the absolute hrefs of links whose path ends with *path*, in page order."""
    hrefs = []
    for href in doc.xpath("//a/@href"):
        href = str(href)
        if href.split("?", 1)[0].endswith(path) and href not in hrefs:
            hrefs.append(href)
    return hrefs


@dataclass
class ModForm:
    """An activity settings form as Moodle rendered it."""

    url: str
    doc: HtmlElement
    form: FormElement
    fields: list[tuple[str, str]] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        """Return the first submitted value of *name*."""
        return next((v for k, v in self.fields if k == name), None)

    def set(self, name: str, value: str) -> None:
        """Replace every value of *name* with one (or add it at the end)."""
        at = next((i for i, (k, _) in enumerate(self.fields) if k == name), len(self.fields))
        self.fields = [(k, v) for k, v in self.fields if k != name]
        self.fields.insert(min(at, len(self.fields)), (name, value))


def course_sections(doc: HtmlElement) -> dict[int, str]:
    """Return ``{number: name}`` of the sections on a course page (``li.course-section``)."""
    sections: dict[int, str] = {}
    for item in doc.xpath("//li[@data-number][contains(concat(' ', normalize-space(@class), ' '),"
                          " ' course-section ')]"):
        number = str(item.get("data-number"))
        if number.isdigit() and int(number) not in sections:
            names = item.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '),"
                               " ' sectionname ')]")
            sections[int(number)] = _text(names[0]) if names else ""
    return sections


def learners_with_attempts(doc: HtmlElement) -> set[str]:
    """Return the user ids listed with an attempt on a SCORM report page.

    The basic report (``/mod/scorm/report.php?id=N&mode=basic&attemptsmode=1``) links each
    attempt to ``/mod/scorm/report/userreport.php?...&user=ID&attempt=N``.
    """
    users: set[str] = set()
    for href in links_with(doc, "/mod/scorm/report/userreport.php"):
        users.update(parse_qs(urlsplit(href).query).get("user", []))
    return users


def draft_files(doc: HtmlElement, itemid: int) -> list[dict[str, Any]]:
    """Return the files Moodle lists in the file manager of draft area *itemid*.

    The options of ``M.form_filemanager.init`` carry ``list`` (or ``{"list": [...]}``) with
    each file's ``filename``, ``size`` and download ``url``.
    """
    for script in _scripts(doc):
        for options in _json_after(script, "M.form_filemanager.init", "(", "Y", ","):
            if not isinstance(options, dict) or str(options.get("itemid")) != str(itemid):
                continue
            listing = options.get("list")
            if isinstance(listing, dict):
                listing = listing.get("list")
            return [f for f in listing or [] if isinstance(f, dict) and f.get("url")]
    return []
