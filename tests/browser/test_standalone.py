"""Without an LMS the course works fully and keeps progress in localStorage."""
from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import Session, page_ids
from tests.browser.learner import RIGHT, answer_final, go_next, submit


def test_standalone_course_works_and_remembers(session: Session, quiz_packages: dict[str, Path]) -> None:
    package = quiz_packages["2004"]
    page = session.open_standalone(package, "standalone")
    assert page.get_by_role("button", name="Exit course").count() == 0  # nothing to exit from
    for page_id in page_ids(package)[1:]:
        go_next(session, page_id)
    assert page.url.endswith("/assessment.html")  # the address follows the page
    answer_final(page, RIGHT, only=("single", "fillin"))
    page.reload()
    page.wait_for_function("() => document.documentElement.classList.contains('js')")
    assert page.get_by_role("radio", name="Green").is_checked()
    assert page.get_by_role("textbox", name="Your answer", exact=True).input_value() == "four"
    answer_final(page, RIGHT)
    assert "Your score: 100%" in submit(page)
    page.go_back()
    session.wait_page("numbers")
    # a new visit starts at the start page and offers to resume
    session.open_standalone(package, "standalone", "index.html")
    resume = page.get_by_role("link", name="Resume where you left off")
    assert resume.is_visible()
    assert "3 of 3 pages viewed" in page.locator(".progress-text").inner_text()
    resume.click()
    session.wait_page("numbers")
    page.get_by_role("link", name="Final test").first.click()
    session.wait_page("assessment")
    assert "Your score: 100%" in page.get_by_role("region", name="Your result").inner_text()
    assert page.get_by_role("button", name="Check answers").is_hidden()


def test_pages_work_without_javascript(browser: object, server: object, quiz_packages: dict[str, Path]) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        base = server.mount("nojs", quiz_packages["1.2"])  # type: ignore[attr-defined]
        page.goto(base + "index.html")
        page.get_by_role("link", name="Next", exact=True).click()
        page.wait_for_url("**/intro.html")
        assert page.get_by_role("heading", level=1).inner_text() == "Introduction"
        assert page.get_by_role("navigation", name="Course menu").is_visible()
        page.get_by_role("link", name="Next", exact=True).click()
        page.wait_for_url("**/numbers.html")
    finally:
        context.close()


def test_print_view_keeps_the_content_and_drops_the_controls(
        session: Session, example_packages: dict[str, Path]) -> None:
    page = session.open_standalone(example_packages["1.2"], "print", "05-from-data-to-plan.html")
    page.emulate_media(media="print")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator(".callout").first.is_visible()
    for hidden in ("navigation", "banner"):
        for element in page.get_by_role(hidden).all():
            assert element.is_hidden()
    assert page.get_by_role("link", name="Next", exact=True).is_hidden()
    assert page.get_by_role("button", name="Check answers").is_hidden()


def test_labels_follow_the_course_language(tmp_path: Path) -> None:
    import shutil

    from tests.browser.conftest import ALL_TYPES, build_and_unzip
    course = tmp_path / "fr-course"
    shutil.copytree(ALL_TYPES, course)
    yml = course / "course.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("language: en", "language: fr-CA"), encoding="utf-8")
    package = build_and_unzip(course, tmp_path / "out")["2004"]
    html = (package / "assessment.html").read_text(encoding="utf-8")
    assert '<html lang="fr-CA" dir="ltr">' in html
    for label in ("Aller au contenu", "Précédent", "Vérifier les réponses", "Réponse associée à : ",
                  "Position de : ", "Votre réponse (un nombre)", "Vrai", "Faux"):
        assert label in html, label


def test_opened_from_disk_pages_are_plain_links(session: Session, quiz_packages: dict[str, Path]) -> None:
    """On file:// (no fetch) the runtime follows links normally and still remembers answers."""
    package = quiz_packages["1.2"]
    page = session.page
    page.goto((package / "index.html").as_uri())
    page.get_by_role("link", name="Next", exact=True).click()
    page.wait_for_url("**/intro.html")
    page.wait_for_function("() => document.documentElement.classList.contains('js')")
    page.get_by_role("radio", name="Blue").check()
    assert "1 of 1 correct" in submit(page)  # the ungraded knowledge check
    page.get_by_role("link", name="Next", exact=True).click()
    page.wait_for_url("**/numbers.html")
    page.wait_for_function("() => document.documentElement.classList.contains('js')")
    page.get_by_role("link", name="Previous", exact=True).click()
    page.wait_for_url("**/intro.html")
    page.wait_for_function("() => document.documentElement.classList.contains('js')")
    assert page.get_by_role("radio", name="Blue").is_checked()
    assert page.get_by_role("region", name="Your result").is_visible()
