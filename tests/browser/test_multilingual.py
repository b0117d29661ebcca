"""The multilingual package in the test LMS (scorm-again): switching language keeps everything.

The package holds the minimal test course in English and in French (a copy with French
texts: the same ids, as a translation has). The learner picks French, reads a page,
switches to English on the assessment with answers given, switches back, submits and
exits; progress, answers and score survive every switch, and a relaunch reopens French
at the assessment.
"""
from __future__ import annotations

import re

import shutil
from pathlib import Path
from typing import Any

import pytest

from builder.build import load_checked
from builder.multilingual import assemble
from builder.package import write_folder
from builder.targets import get_target
from tests.browser.conftest import VERSIONS, Session
from tests.test_multilingual import MINIMAL, french_copy

BLOCKS = Path(__file__).resolve().parents[1] / "courses" / "blocks"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("multilingual")
    english = base / "en" / "minimal"
    shutil.copytree(MINIMAL, english)
    french = french_copy(MINIMAL, base / "fr" / "minimal")
    renderers = [load_checked(folder, parallel=False)[1] for folder in (english, french)]
    folders = {}
    for version, fmt in VERSIONS.items():
        folders[version] = base / f"pkg-{fmt}"
        write_folder(assemble(renderers, get_target(fmt)), folders[version])  # type: ignore[arg-type]
    return folders


def shown(frame: Any) -> tuple[str, str, str]:
    """(html lang, page id, h1 text) of what the learner sees."""
    return (frame.evaluate("document.documentElement.lang"), frame.evaluate("document.body.dataset.page"),
            frame.locator("main h1").first.inner_text())


def switch(session: Session, lang: str, page_id: str) -> None:
    session.frame.locator("select.language-switch").select_option(lang)
    session.frame.wait_for_function("a => document.documentElement.lang === a[0] && document.body.dataset.page === a[1]"
                                    " && document.activeElement && document.activeElement.tagName === 'H1'",
                                    arg=[lang, page_id])


def resume_cmi(cmi: dict[str, Any], version: str) -> dict[str, Any]:
    if version == "1.2":
        return {"core": {"entry": "resume", "lesson_location": cmi["core"]["lesson_location"],
                         "lesson_status": cmi["core"]["lesson_status"]}, "suspend_data": cmi["suspend_data"]}
    return {"entry": "resume", "location": cmi["location"], "suspend_data": cmi["suspend_data"],
            "completion_status": cmi["completion_status"]}


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_switching_language_mid_course_keeps_progress_answers_and_resumes_in_it(
        session: Session, packages: dict[str, Path], version: str) -> None:
    frame = session.launch(packages[version], version, f"ml-{version}")
    assert frame.locator("h1").inner_text() == "Choose your language / Choisissez votre langue"
    frame.get_by_role("link", name="Français").click()
    session.wait_page("index")
    assert shown(session.frame)[0] == "fr"
    session.frame.get_by_role("link", name="Suivant", exact=True).click()
    session.wait_page("01-welcome")
    assert shown(session.frame) == ("fr", "01-welcome", "Bienvenue")
    # pictures are loading="lazy": one on screen loads once the swapped page is laid out, so wait
    # for it (a lazy picture adopted from the fetched page loads like any other: it is not broken)
    session.frame.wait_for_function("() => { const img = document.querySelector('main img');"
                                    " return img && img.complete && img.naturalWidth > 0; }")
    progress = session.frame.locator(".progress-text").inner_text()

    switch(session, "en", "01-welcome")  # the same page, in English, nothing lost
    assert shown(session.frame) == ("en", "01-welcome", "Welcome")
    # the same count of pages viewed, whatever the wording of the language puts first
    assert re.findall(r"\d+", session.frame.locator(".progress-text").inner_text()) == re.findall(r"\d+", progress)
    assert session.frame.locator("select.language-switch").input_value() == "en"
    session.frame.get_by_role("link", name="Next", exact=True).click()
    session.wait_page("assessment")
    quiz = session.frame.locator("form.quiz")
    quiz.locator("fieldset.question").nth(0).locator("input[type=radio]").first.check()  # SCORM: right
    quiz.locator("fieldset.question").nth(1).locator("input[value=true]").check()

    switch(session, "fr", "assessment")  # answers given in English are there in French
    quiz = session.frame.locator("form.quiz")
    assert quiz.locator("fieldset.question").nth(0).locator("input[type=radio]").first.is_checked()
    assert quiz.locator("fieldset.question").nth(1).locator("input[value=true]").is_checked()
    assert shown(session.frame)[2] == "Contrôle final"
    session.frame.locator(".quiz-submit").click()
    session.frame.locator(".quiz-results").wait_for(state="visible")
    session.frame.locator(".exit-button").click()

    snap = session.snapshot()
    assert snap["terminated"] is True and session.failed_calls() == []
    cmi = snap["cmi"]
    if version == "1.2":
        assert (cmi["core"]["lesson_status"], cmi["core"]["score"]["raw"], cmi["core"]["lesson_location"]) == \
            ("passed", "100", "assessment")
    else:
        assert (cmi["success_status"], cmi["completion_status"], cmi["score"]["raw"], cmi["location"]) == \
            ("passed", "completed", "100", "assessment")
    assert cmi["suspend_data"].endswith("|fr")

    session.launch(packages[version], version, f"ml-{version}", cmi=resume_cmi(cmi, version))
    session.wait_page("assessment")  # straight back to the assessment, in French, without the picker
    assert shown(session.frame) == ("fr", "assessment", "Contrôle final")
    assert session.frame.locator(".quiz-results").is_visible()
    assert session.frame.locator("select.language-switch").input_value() == "fr"


@pytest.fixture(scope="module")
def block_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A multilingual package (English, French) of the block test course, with required blocks."""
    base = tmp_path_factory.mktemp("multilingual-blocks")
    folders = [base / lang / "blocks" for lang in ("en", "fr")]
    for folder in folders:
        shutil.copytree(BLOCKS, folder)
    config = folders[1] / "course.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: fr"), encoding="utf-8")
    renderers = [load_checked(folder, parallel=False)[1] for folder in folders]
    packages = {}
    for version, fmt in VERSIONS.items():
        packages[version] = base / f"pkg-{fmt}"
        write_folder(assemble(renderers, get_target(fmt)), packages[version])  # type: ignore[arg-type]
    return packages


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_pending_blocks_and_the_language_share_the_suspend_data(
        session: Session, block_packages: dict[str, Path], version: str) -> None:
    """The fifth part (pages with required blocks to open) and the sixth (the language) coexist."""
    frame = session.launch(block_packages[version], version, f"mlb-{version}")
    frame.get_by_role("link", name="Français").click()
    session.wait_page("index")
    for page_id in ("01-every-block", "02-required"):
        session.frame.get_by_role("link", name="Suivant", exact=True).click()
        session.wait_page(page_id)
    assert session.frame.locator(".blocks-pending").is_visible()
    session.frame.locator(".exit-button").click()
    cmi = session.snapshot()["cmi"]
    parts = cmi["suspend_data"].split("|")
    assert (len(parts), parts[4], parts[5]) == (6, "4", "fr")  # page 3 of 4 (02-required) still waiting

    session.launch(block_packages[version], version, f"mlb-{version}", cmi=resume_cmi(cmi, version))
    session.wait_page("02-required")  # in French, the required blocks still to open
    frame = session.frame
    assert shown(frame)[0] == "fr" and frame.locator(".blocks-pending").is_visible()
    frame.get_by_role("tab", name="Second").click()
    frame.get_by_text("One", exact=True).click()
    frame.get_by_text("Two", exact=True).click()
    frame.wait_for_function("() => !document.querySelector('.blocks-pending')")
    parts = session.snapshot()["cmi"]["suspend_data"].split("|")
    assert (len(parts), parts[4], parts[5]) == (6, "", "fr")  # nothing waiting; still French
    assert session.failed_calls() == []
