"""A lesson edited while ``builder serve`` runs: the server reports what ``builder check`` reports."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from builder.serve_site import PreviewSite
from tests.serve_helpers import copy_example, running_server


def _status(server: str) -> dict[str, object]:
    with urllib.request.urlopen(f"{server}/__status__", timeout=10) as response:
        return dict(json.load(response)["courses"]["migration-local-development"])


def test_edit_while_serving_reports_exactly_what_check_reports(tmp_path: Path) -> None:
    course = copy_example(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    with running_server(course, work) as server:
        assert _status(server)["ok"] is True
        lesson = course / "lessons" / "02-policy-context.md"
        lesson.write_text(lesson.read_text(encoding="utf-8")
                          + "\n\n[see](#no-such-section)\n\n# A second heading\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        status = _status(server)
        while status["ok"] and time.monotonic() < deadline:  # the watcher debounces saves
            time.sleep(0.2)
            status = _status(server)
    checked = subprocess.run([sys.executable, "-m", "builder", "check", "--lang", "en", str(course)], cwd=work,
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 1
    listed = checked.stderr.rstrip("\n").splitlines()[:-1]  # the last line is the summary
    assert status["ok"] is False
    problems = status["problems"]
    assert isinstance(problems, list) and "\n".join(problems).splitlines() == listed
    assert any("error[section-link]" in line for line in listed)
    assert any("warning: heading 'A second heading' is a level-1 heading" in line for line in listed)


def test_a_broken_template_in_the_preview_reads_as_in_check(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # both list paths relative to the same folder
    course = copy_example(tmp_path)
    site = PreviewSite(course, tmp_path / "live")
    site.active.update({"scorm12", "none"})
    assert site.build(None).ok
    templates = course / "templates"
    templates.mkdir(exist_ok=True)
    page = templates / "lesson.html"
    page.write_text('{% extends "base.html" %}\n{% block main %}\n<h1>{{ page.title }}</h1>\n'
                    "{{ no_such_var.x }}\n{% endblock %}\n", encoding="utf-8")
    report = site.build({page})
    checked = subprocess.run([sys.executable, "-m", "builder", "check", "--lang", "en", str(course)], cwd=tmp_path,
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 1
    listed = checked.stderr.rstrip("\n").splitlines()[:-1]  # the last line is the summary
    assert any("error[template-error]" in line and "other page(s))" in line for line in listed)
    assert report.ok is False
    assert "\n".join(report.problems).splitlines() == listed
    # Fixing the template brings the preview back.
    page.unlink()
    assert site.build({page}).ok
