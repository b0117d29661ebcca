"""A French package (tests/courses/bilingual, translated through its catalogs) under scorm-again.

The learner walks it by the French accessible names of its controls: right answers pass,
wrong ones fail, and a suspended attempt resumes where it was left.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from builder.labels import load_strings
from builder.theme import default_theme_dir
from tests.browser.conftest import Session, build_and_unzip
from tests.browser.learner import answer_from_payload, interactions
from tests.i18n_helpers import BILINGUAL

VERSIONS = ["1.2", "2004"]
FR = load_strings([default_theme_dir()], "fr")


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The French packages of the bilingual course, unzipped, by SCORM version."""
    return build_and_unzip(BILINGUAL, tmp_path_factory.mktemp("french"), ("fr",))


def _next(session: Session, page_id: str) -> None:
    session.frame.get_by_role("link", name=FR["next"], exact=True).click()
    session.wait_page(page_id)


def _take_final(session: Session, package: Path, version: str, name: str, right: bool) -> str:
    session.launch(package, version, name)
    assert session.frame.evaluate("document.documentElement.lang") == "fr"
    for page in ("01-sources", "02-saving", "assessment"):
        _next(session, page)
    assert answer_from_payload(session.frame, right) == 3
    session.frame.get_by_role("button", name=FR["check"]).click()
    results = session.frame.get_by_role("region", name=FR["results"])
    results.wait_for(state="visible")
    return str(results.inner_text())


def _outcome(cmi: dict[str, Any], version: str) -> tuple[str, str]:
    if version == "1.2":
        return cmi["core"]["lesson_status"], cmi["core"]["score"]["raw"]
    return cmi["success_status"], cmi["score"]["raw"]


@pytest.mark.parametrize("version", VERSIONS)
def test_right_answers_in_french_pass(session: Session, french: dict[str, Path], version: str) -> None:
    text = _take_final(session, french[version], version, f"fr-right-{version}", right=True)
    assert FR["passed"] in text
    session.frame.get_by_role("button", name=FR["exit"]).click()
    cmi = session.snapshot()["cmi"]
    assert _outcome(cmi, version) == ("passed", "100")
    # The interaction ids are the source's question ids: reports of all languages can be merged.
    assert [i["id"] for i in interactions(cmi)] == ["final_sources", "final_store", "final_litres"]
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_wrong_answers_in_french_fail(session: Session, french: dict[str, Path], version: str) -> None:
    text = _take_final(session, french[version], version, f"fr-wrong-{version}", right=False)
    assert FR["failed"] in text
    cmi = session.snapshot()["cmi"]
    assert _outcome(cmi, version) == ("failed", "0")
    assert session.failed_calls() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_a_suspended_french_attempt_resumes_where_it_was_left(session: Session, french: dict[str, Path],
                                                               version: str) -> None:
    package = french[version]
    session.launch(package, version, f"fr-resume-{version}")
    _next(session, "01-sources")
    _next(session, "02-saving")
    session.frame.get_by_role("button", name=FR["exit"]).click()
    cmi = session.snapshot()["cmi"]
    if version == "1.2":
        assert (cmi["core"]["exit"], cmi["core"]["lesson_location"]) == ("suspend", "02-saving")
        resume = {"core": {"entry": "resume", "lesson_location": "02-saving",
                           "lesson_status": cmi["core"]["lesson_status"]}, "suspend_data": cmi["suspend_data"]}
    else:
        assert (cmi["exit"], cmi["location"]) == ("suspend", "02-saving")
        resume = {"entry": "resume", "location": "02-saving", "suspend_data": cmi["suspend_data"],
                  "completion_status": cmi["completion_status"]}
    session.launch(package, version, f"fr-resume-{version}", cmi=resume)
    session.wait_page("02-saving")
    assert session.frame.get_by_role("heading", level=1).inner_text() == "Économiser l'eau"
    assert session.failed_calls() == []
