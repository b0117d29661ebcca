"""Reading Moodle pages: forms as a browser submits them, M.cfg, file manager options, errors."""
from __future__ import annotations

import json

from builder import moodle_html as html

URL = "https://moodle.example.org/course/modedit.php?add=scorm&course=2"


def page(body: str, cfg: dict[str, object] | None = None, footer: str = "") -> str:
    cfg = cfg if cfg is not None else {"wwwroot": "https://moodle.example.org", "sesskey": "k1",
                                       "contextid": 31}
    return (f"<html><head><script>\n//<![CDATA[\nvar M = {{}};\nM.cfg = {json.dumps(cfg)};\n"
            f"//]]>\n</script></head><body class='pagelayout-admin'>{body}{footer}</body></html>")


FORM = """<form action="modedit.php" method="post" id="mform1">
<input type="hidden" name="sesskey" value="k1">
<input type="text" name="name" value="A &amp; B">
<input type="text" name="noval">
<input type="hidden" name="flag" value="0"><input type="checkbox" name="flag" value="1" checked>
<input type="hidden" name="off" value="0"><input type="checkbox" name="off" value="1">
<input type="checkbox" name="plain" checked>
<input type="radio" name="completion" value="0">
<input type="radio" name="completion" value="2" checked>
<select name="first"><option value="a">A</option><option value="b">B</option></select>
<select name="chosen"><option value="a">A</option><option value="b" selected>B</option></select>
<select name="tags[]" multiple><option value="x" selected>x</option><option value="y">y</option>
<option value="z" selected>z</option></select>
<textarea name="introeditor[text]">
&lt;p&gt;Hi&lt;/p&gt;
</textarea>
<input type="text" name="gone" value="1" disabled>
<input type="file" name="upload">
<input type="submit" name="submitbutton2" value="Save and return to course">
<input type="submit" name="submitbutton" value="Save and display">
<button type="button" name="helper">?</button>
</form>"""


def test_form_fields_are_what_a_browser_sends() -> None:
    doc = html.parse_page(page(FORM), URL)
    form = html.find_form(doc, "sesskey")
    assert form is not None
    assert html.form_fields(form) == [
        ("sesskey", "k1"), ("name", "A & B"), ("noval", ""), ("flag", "0"), ("flag", "1"),
        ("off", "0"), ("plain", "on"), ("completion", "2"), ("first", "a"), ("chosen", "b"),
        ("tags[]", "x"), ("tags[]", "z"), ("introeditor[text]", "<p>Hi</p>\n")]
    assert html.submit_buttons(form) == {"submitbutton2": "Save and return to course",
                                         "submitbutton": "Save and display"}
    assert html.form_action(form, URL) == "https://moodle.example.org/course/modedit.php"


def test_mcfg_and_login_state() -> None:
    doc = html.parse_page(page("", {"wwwroot": "https://m.example", "sesskey": "abc"}), URL)
    assert html.read_mcfg(doc)["sesskey"] == "abc"
    assert html.is_moodle_page(doc)
    assert "notloggedin" not in html.body_classes(doc)
    other = html.parse_page("<html><body><p>M.cfg is not here</p></body></html>", URL)
    assert not html.is_moodle_page(other)


def _filemanager(itemid: int, repos: dict[str, dict[str, object]], context: int | None) -> str:
    options: dict[str, object] = {"itemid": itemid, "client_id": "c1",
                                  "filepicker": {"repositories": repos}}
    if context is not None:
        options["context"] = {"id": context}
    return ("<script>YUI().use('node', function(Y) { Y.on('domready', function() { "
            f"M.form_filemanager.init(Y, {json.dumps(options)}); }}); }});</script>")


def test_filemanager_target_reads_repositories_and_context() -> None:
    repos = {"1": {"id": "1", "type": "local"}, "7": {"id": "7", "type": "upload"}}
    footer = _filemanager(99, {"1": {"id": "1", "type": "local"}}, 5) + _filemanager(123, repos, 44)
    target = html.filemanager_target(html.parse_page(page("", footer=footer), URL), 123)
    assert (target.itemid, target.repo_id, target.ctx_id, target.client_id) == (123, 7, 44, "c1")


def test_filemanager_target_falls_back_to_page_context() -> None:
    footer = _filemanager(123, {"7": {"id": "7", "type": "upload"}}, None)
    target = html.filemanager_target(html.parse_page(page("", footer=footer), URL), 123)
    assert (target.repo_id, target.ctx_id) == (7, 31)


def test_filemanager_target_without_upload_repository() -> None:
    footer = _filemanager(123, {"1": {"id": "1", "type": "local"}}, 3)
    target = html.filemanager_target(html.parse_page(page("", footer=footer), URL), 123)
    assert target.repo_id is None


def test_error_page() -> None:
    body = ('<div class="box errorbox alert alert-danger" data-rel="fatalerror">'
            '<p class="errormessage">Can\'t find data record in database table course.</p>'
            '<p class="errorcode"><a href="https://docs.moodle.org/405/en/error/moodle/'
            'invalidrecord">More information about this error</a></p></div>')
    doc = html.parse_page(page(body), URL)
    assert html.error_page_message(doc) == \
        ("Can't find data record in database table course.", "invalidrecord")
    assert html.error_page_message(html.parse_page(page(FORM), URL)) is None


def test_form_errors_skip_empty_blocks() -> None:
    body = ('<div class="invalid-feedback" id="id_error_name"> </div>'
            '<div class="invalid-feedback" id="id_error_packagefile">'
            ' Incorrect file package - missing imsmanifest.xml or AICC structure</div>')
    assert html.form_errors(html.parse_page(page(body), URL)) == {
        "packagefile": "Incorrect file package - missing imsmanifest.xml or AICC structure"}


def test_refresh_page_and_links() -> None:
    body = ('<meta http-equiv="refresh" content="0; url=https://m.example/mod/scorm/view.php?id=9">'
            '<a href="view.php?id=4">One</a><a href="/mod/scorm/view.php?id=5">Two</a>'
            '<a href="/mod/page/view.php?id=6">Page</a>')
    doc = html.parse_page(page(body), "https://m.example/mod/scorm/index.php?id=2")
    assert html.refresh_target(doc) == "https://m.example/mod/scorm/view.php?id=9"
    assert html.links_with(doc, "/mod/scorm/view.php") == [
        "https://m.example/mod/scorm/view.php?id=4", "https://m.example/mod/scorm/view.php?id=5"]


def test_login_alerts() -> None:
    body = ('<a href="#" id="loginerrormessage" class="sr-only">Invalid login, please try again</a>'
            '<div class="alert alert-danger" role="alert">Invalid login, please try again</div>')
    assert html.page_alerts(html.parse_page(page(body), URL)) == ["Invalid login, please try again"]


def test_login_form_is_the_one_with_a_password_box() -> None:
    body = ('<form id="guestlogin" action="/login/index.php" method="post">'
            '<input type="hidden" name="username" value="guest">'
            '<input type="hidden" name="password" value="guest"></form>'
            '<form id="login" action="/login/index.php" method="post">'
            '<input type="hidden" name="logintoken" value="t">'
            '<input type="text" name="username"><input type="password" name="password"></form>')
    form = html.login_form(html.parse_page(page(body), URL))
    assert form is not None and form.get("id") == "login"
    assert html.login_form(html.parse_page(page(FORM), URL)) is None


def test_json_literals_are_found_with_any_spacing() -> None:
    text = ('<html><head><script>M.cfg={"wwwroot":"https://m.example","sesskey":"z"};</script>'
            '</head><body><script>M.form_filemanager.init( Y , {"itemid": 5, "filepicker": '
            '{"repositories": {"2": {"id": "2", "type": "upload"}}}});</script></body></html>')
    doc = html.parse_page(text, URL)
    assert html.read_mcfg(doc)["sesskey"] == "z"
    assert html.filemanager_target(doc, 5).repo_id == 2


# The shapes below are those of Moodle 4.5.6's pages (course page, SCORM basic report and
# the file manager options of an update form), cut down to what the client reads.
COURSE_PAGE = """<ul class="topics">
<li id="section-0" class="section course-section main  clearfix" data-sectionid="0"
    data-number="0"><div class="course-section-header"><h3 class="h4 sectionname">
    <a href="#">General</a></h3></div></li>
<li id="section-1" class="section course-section main  clearfix" data-sectionid="1"
    data-number="1"><h3 class="h4 sectionname">
    New section</h3></li>
<li class="activity" data-number="9"></li></ul>"""

USERREPORT = "https://m.example/mod/scorm/report/userreport.php?id=2&amp;user={}&amp;attempt={}"
REPORT = "<table id='attempts'><tbody>" + "".join(
    f"<tr><td>{name}</td><td><a href='{USERREPORT.format(user, attempt)}&amp;mode=basic'>"
    f"{attempt}</a></td></tr>" for name, user, attempt in
    (("Test S1", 3, 1), ("Test S1", 3, 2), ("Test S2", 7, 1))
) + "<tr class='emptyrow'><td></td></tr></tbody></table>"


def test_course_sections_by_number_with_names() -> None:
    doc = html.parse_page(page(COURSE_PAGE), "https://m.example/course/view.php?id=2")
    assert html.course_sections(doc) == {0: "General", 1: "New section"}


def test_learners_with_attempts_counts_users_not_attempts() -> None:
    doc = html.parse_page(page(REPORT), "https://m.example/mod/scorm/report.php?id=2")
    assert html.learners_with_attempts(doc) == {"3", "7"}
    assert html.learners_with_attempts(html.parse_page(page("<p>Nothing to display</p>"),
                                                       URL)) == set()


def test_draft_files_of_the_package_file_manager() -> None:
    options = {"itemid": 611385546, "client_id": "c1", "list": [
        {"filename": "course-scorm12.zip", "size": "70313",
         "url": "https://m.example/draftfile.php/5/user/draft/611385546/course-scorm12.zip"}]}
    other = {"itemid": 5, "list": [{"filename": "intro.png", "url": "https://m.example/x.png"}]}
    script = (f"<script>M.form_filemanager.init(Y, {json.dumps(other)});\n"
              f"M.form_filemanager.init(Y, {json.dumps(options)});</script>")
    doc = html.parse_page(page(script), URL)
    [found] = html.draft_files(doc, 611385546)
    assert found["filename"] == "course-scorm12.zip"
    assert html.draft_files(doc, 42) == []
