"""Data and pages of the stand-in Moodle: courses, activities, the page shell, the SCORM form.

See :mod:`tests.moodle_standin` for what the stand-in is and is not.
"""
from __future__ import annotations

import html
import io
import json
import zipfile
from dataclasses import dataclass, field

from lxml import etree

UPLOAD_REPO_ID = 5
SCORM_2004 = ("2004 3rd Edition", "2004 4th Edition", "CAM 1.3", "1.3")


@dataclass
class Activity:
    cmid: int
    course: int
    section: int
    name: str
    idnumber: str
    package: bytes
    filename: str
    version: str
    settings: dict[str, str] = field(default_factory=dict)
    locked: bool = False   # a role override takes "manage activities" away here


@dataclass
class Course:
    id: int
    fullname: str
    enrolled: set[str]
    managers: set[str]
    context: int


def read_version(package: bytes) -> str | None:
    """Return SCORM_1.2 / SCORM_1.3 as Moodle decides from ``<schemaversion>``, None if invalid."""
    try:
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            manifest = archive.read("imsmanifest.xml")
    except (zipfile.BadZipFile, KeyError):
        return None
    root = etree.fromstring(manifest)
    versions = [el.text.strip() for el in root.iter() if isinstance(el.tag, str)
                and etree.QName(el).localname == "schemaversion" and el.text]
    return "SCORM_1.3" if versions and versions[0] in SCORM_2004 else "SCORM_1.2"


PAGE = """<!DOCTYPE html>
<html dir="ltr" lang="en"><head><title>{title}</title>
<script>
//<![CDATA[
var M = {{}}; M.yui = {{}};
M.cfg = {cfg};
//]]>
</script></head>
<body id="{bodyid}" class="{bodyclass} lang-en">
<div id="page"><div role="main">{main}</div></div>
{footer}
</body></html>"""


# Defaults of the SCORM form as Moodle 4.5 renders them (a subset of the real form).
FORM_DEFAULTS = {
    "introeditor[format]": "1", "showdescription": "0", "scormtype": "local",
    "updatefreq": "0", "popup": "0", "width": "100", "height": "500",
    "displayattemptstatus": "1", "displaycoursestructure": "0", "skipview": "0",
    "hidebrowse": "0", "hidetoc": "0", "nav": "1", "grademethod": "1", "maxgrade": "100",
    "maxattempt": "0", "whatgrade": "0", "forcenewattempt": "0", "lastattemptlock": "0",
    "forcecompleted": "0", "auto": "0", "autocommit": "0", "masteryoverride": "1",
    "visible": "1", "groupmode": "0", "_qf__mod_scorm_mod_form": "1",
    "gradecat": "4", "gradepass": "", "availabilityconditionsjson": "", "completion": "0",
    "tags": "_qf__force_multiselect_submission", "completionexpected[day]": "1",
    "completionexpected[month]": "12", "completionexpected[year]": "2026",
}
SELECTS = {"scormtype": ["local", "localsync", "external", "aiccurl"],
           "updatefreq": ["0", "1", "2", "3"], "popup": ["0", "1"],
           "displayattemptstatus": ["0", "1", "2", "3"], "skipview": ["0", "1", "2"],
           "hidetoc": ["0", "1", "2", "3"], "nav": ["0", "1", "2"],
           "grademethod": ["0", "1", "2", "3"], "maxgrade": [str(i) for i in range(100, -1, -1)],
           "maxattempt": [str(i) for i in range(0, 7)], "whatgrade": ["0", "1", "2", "3"],
           "forcenewattempt": ["0", "1", "2"], "visible": ["1", "0"], "groupmode": ["0", "1", "2"],
           "gradecat": ["4", "9"], "completionexpected[day]": [str(d) for d in range(1, 32)],
           "completionexpected[month]": [str(m) for m in range(1, 13)],
           "completionexpected[year]": [str(y) for y in range(2024, 2029)]}
CHECKBOXES = ("showdescription", "displaycoursestructure", "hidebrowse", "lastattemptlock",
              "forcecompleted", "auto", "autocommit", "masteryoverride")


def form_html(url: str, course: Course, values: dict[str, str],
              errors: dict[str, str], sesskey: str) -> str:
    """Render the SCORM form: hidden state, fields with current values, error blocks."""
    v = dict(FORM_DEFAULTS)
    v.update(values)
    e = html.escape
    hidden = {"course": str(course.id), "coursemodule": v.get("coursemodule", ""),
              "section": v.get("section", "0"), "module": "19", "modulename": "scorm",
              "instance": "", "add": v.get("add", ""), "update": v.get("update", "0"),
              "return": "0", "sr": "0", "beforemod": "0", "showonly": "", "sesskey": sesskey,
              "_qf__mod_scorm_mod_form": "1", "mform_isexpanded_id_general": "1",
              "mform_isexpanded_id_packagehdr": "1",
              "introeditor[format]": v["introeditor[format]"],
              "introeditor[itemid]": "777", "packagefile": v["packagefile"]}
    out = [f'<form autocomplete="off" action="{url}/course/modedit.php" method="post" '
           f'accept-charset="utf-8" id="mform1_Xq3" class="mform full-width-labels" '
           f'data-boost-form-errors-enhanced="1">']
    out += [f'<input name="{e(k)}" type="hidden" value="{e(val)}">' for k, val in hidden.items()]

    def err(name: str) -> str:
        return (f'<div class="form-control-feedback invalid-feedback" id="id_error_{name}">'
                f' {e(errors.get(name, ""))}</div>')

    out.append(f'<input type="text" class="form-control" name="name" id="id_name" '
               f'value="{e(v.get("name", ""))}" size="48">{err("name")}')
    out.append('<textarea id="id_introeditor" name="introeditor[text]" rows="10" cols="80">'
               '</textarea>')
    out.append(f'<div class="filemanager"></div>{err("packagefile")}')
    for name, options in SELECTS.items():
        opts = "".join(f'<option value="{o}"{" selected" if o == v[name] else ""}>{o}</option>'
                       for o in options)
        out.append(f'<select class="custom-select" name="{name}" id="id_{name}">{opts}</select>'
                   f'{err(name)}')
    for name in CHECKBOXES:
        checked = " checked" if v.get(name) == "1" else ""
        out.append(f'<input type="hidden" name="{name}" value="0"><input type="checkbox" '
                   f'name="{name}" class="form-check-input" value="1" id="id_{name}"{checked}>')
    out.append(f'<input type="text" name="width" value="{e(v["width"])}">'
               f'<input type="text" name="height" value="{e(v["height"])}">'
               f'<input type="text" name="gradepass" value="{e(v["gradepass"])}">')
    # The parts a browser's scripts fill in or that only send something when chosen.
    out.append(f'<textarea name="availabilityconditionsjson" id="id_availabilityconditionsjson">'
               f'\n{e(v["availabilityconditionsjson"])}</textarea>')
    out.append(f'<input type="hidden" name="tags" value="{e(v["tags"])}">'
               '<select multiple name="tags[]" id="id_tags"></select>')
    out.append("".join(f'<input type="radio" name="completion" value="{n}"'
                       f'{" checked" if v["completion"] == n else ""}>' for n in "012"))
    out.append('<input type="checkbox" name="completionexpected[enabled]" value="1">')
    out.append(f'<input type="text" class="form-control" name="cmidnumber" id="id_cmidnumber" '
               f'value="{e(v.get("cmidnumber", ""))}">{err("cmidnumber")}')
    out.append('<input type="submit" class="btn btn-primary" name="submitbutton2" '
               'id="id_submitbutton2" value="Save and return to course">'
               '<input type="submit" class="btn btn-primary" name="submitbutton" '
               'id="id_submitbutton" value="Save and display">'
               '<input type="submit" class="btn btn-secondary" name="cancel" id="id_cancel" '
               'value="Cancel" data-skip-validation="1" formnovalidate="formnovalidate">')
    out.append("</form>")
    return "\n".join(out)


def filemanager_script(course: Course, itemid: int) -> str:
    """The footer script with the file manager options, as the page's JS gets them."""
    options = {
        "mainfile": "", "maxbytes": 0, "maxfiles": 1, "subdirs": 0, "areamaxbytes": -1,
        "client_id": "65a1b2c3d4e5f", "itemid": itemid, "author": "Teacher",
        "accepted_types": [".zip", ".xml"], "return_types": 2, "context": {"id": course.context},
        "filepicker": {
            "defaultlicense": "unknown", "author": "Teacher", "externallink": False,
            "context": {"id": course.context, "contextlevel": 50, "instanceid": course.id},
            "repositories": {
                "1": {"id": "1", "name": "Server files", "type": "local", "sortorder": 1},
                "3": {"id": "3", "name": "Recent files", "type": "recent", "sortorder": 2},
                str(UPLOAD_REPO_ID): {"id": str(UPLOAD_REPO_ID), "name": "Upload a file",
                                      "type": "upload", "sortorder": 3},
            },
            "accepted_types": [".zip", ".xml"], "return_types": 2,
        },
    }
    return ('<script>\n//<![CDATA[\nYUI().use("node", function(Y) {\n'
            f'M.form_filemanager.init(Y, {json.dumps(options)});\n'
            '});\n//]]>\n</script>')
