"""The printed editions: the trainer's handbook and the participant workbook (PDF).

The PDFs are read back the way a reader meets them: their text (poppler's ``pdftotext``),
their page count, bookmarks and metadata (pypdf), and their validity (``qpdf --check``).
tests/setup.sh installs poppler-utils and qpdf; without them these tests skip, except
under ``CI=true``.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from builder.build import build_course
from builder.cli import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "courses" / "migration-local-development"
MINIMAL = REPO / "tests" / "courses" / "minimal"
# Text of facilitator notes in the example course (lessons 1 and 5).
NOTE_1 = "Expect the return stage to stay almost empty"
NOTE_5 = "that is 24 per cent"


def tool(name: str) -> str:
    """The path of a command-line tool, or skip (fail under CI=true) when it is missing."""
    found = shutil.which(name)
    if found is None:
        reason = f"'{name}' is not installed (bash tests/setup.sh installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def pdf_pages_text(path: Path) -> list[str]:
    """The text of each page (pdftotext keeps pages apart with form feeds)."""
    out = subprocess.run([tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def flat(text: str) -> str:
    """Whitespace collapsed, TOC leaders removed, hyphenation left alone."""
    text = re.sub(r"(?:\s*\.){3,}", " ", text)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example course's handbook and workbook, built once for this file."""
    tool("pdftotext")
    out = tmp_path_factory.mktemp("dist")
    result = build_course(EXAMPLE, formats=("handbook", "workbook"), out=out)
    found = {p.format: p.path for p in result.packages}
    assert sorted(found) == ["handbook", "workbook"]
    assert found["handbook"].name == "migration-local-development-1.0.0-handbook.pdf"
    assert found["workbook"].name == "migration-local-development-1.0.0-workbook.pdf"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in found.values())
    return found


@pytest.fixture(scope="module")
def texts(editions: dict[str, Path]) -> dict[str, list[str]]:
    """Page texts of both editions."""
    return {name: pdf_pages_text(path) for name, path in editions.items()}


def test_both_editions_have_the_course_and_only_the_handbook_has_notes_and_answers(
        texts: dict[str, list[str]]) -> None:
    handbook, workbook = flat(" ".join(texts["handbook"])), flat(" ".join(texts["workbook"]))
    for text, edition in ((handbook, "TRAINER'S HANDBOOK"), (workbook, "PARTICIPANT WORKBOOK")):
        assert edition in text.upper()
        assert "Why migration is local" in text or "Why migration is a local matter" in text
        assert "The global and policy context" in text
        assert "Map your actors" in text                      # an activity
        assert "Every year, young people leave the mountain district" in text   # a quiz question
        assert "Version 1.0.0" in text and "CC BY 4.0" in text
    for needle in (NOTE_1, NOTE_5, "FOR THE FACILITATOR", "Session plan", "Answer key",
                   "Flip chart and markers in three colours"):
        assert needle in handbook, needle
        assert needle not in workbook, needle
    # Feedback from the quiz files: only in the handbook's answer key.
    assert "Feedback:" in handbook and "Feedback:" not in workbook


def test_the_answer_key_labels_feedback_on_right_and_wrong_answers(texts: dict[str, list[str]]) -> None:
    handbook = flat(" ".join(texts["handbook"]))
    # check-1, question 1: its feedback on a right answer, on a wrong one, and on each choice.
    assert "Feedback if correct: Well done. A single place is rarely only one thing." in handbook
    assert 'Feedback if incorrect: Look again at the section "One place, several roles"' in handbook \
        or "Feedback if incorrect: Look again at the section \u201cOne place, several roles\u201d" in handbook
    assert "Feedback: C: Right. Most places play several roles at once" in handbook
    assert handbook.count("Feedback if correct:") == handbook.count("Feedback if incorrect:") > 5


def test_feedback_labels_exist_in_every_language() -> None:
    import yaml

    strings = yaml.safe_load((REPO / "templates" / "strings.yml").read_text(encoding="utf-8"))
    for language in ("en", "fr", "es"):
        labels = strings[language]
        correct, incorrect = labels["print_feedback_correct"], labels["print_feedback_incorrect"]
        assert correct and incorrect and correct != incorrect != labels["print_feedback"], language


def test_the_session_plan_totals_its_lessons_and_the_rest_of_the_session(texts: dict[str, list[str]]) -> None:
    from builder.course import load_course

    module = next(m for m in load_course(EXAMPLE).modules if m.session is not None)
    assert module.session is not None and module.session.minutes
    planned = sum(lesson.minutes or 0 for lesson in module.lessons)
    assert 0 < planned < module.session.minutes
    plan = flat(next(page for page in texts["handbook"] if "Session plan" in page))
    assert f"Duration: {module.session.minutes} minutes" in plan
    assert f"Total {planned}" in plan
    assert f"Rest of the session {module.session.minutes - planned}" in plan
    assert "Minutes " + str(planned) not in plan  # the total row is not labelled like the column


def test_a_session_shorter_than_its_lessons_says_by_how_much(tmp_path: Path) -> None:
    from builder.check import check_and_prepare
    from builder.printed.document import convert_lessons, render_print_html

    course_dir = _course_copy(tmp_path)
    config = course_dir / "course.yml"
    config.write_text(config.read_text().replace(
        "      - lessons/01-welcome.md\n", "      - lessons/01-welcome.md\n    session:\n      duration: 1\n"))
    course, content, _problems = check_and_prepare(course_dir, render=False)
    assert course is not None and content is not None
    planned = sum(lesson.minutes or 0 for lesson in course.modules[0].lessons)
    html = render_print_html(course, content, "handbook", convert_lessons(content, True))
    assert planned > 1
    assert re.search(rf"Beyond the session&#39;s duration</th><td class=\"number\">{planned - 1}<", html) or \
        re.search(rf"Beyond the session's duration</th><td class=\"number\">{planned - 1}<", html), html
    assert "Rest of the session" not in html


def test_print_html_of_each_edition() -> None:
    from builder.check import check_and_prepare
    from builder.printed.document import convert_lessons, render_print_html

    course, content, problems = check_and_prepare(EXAMPLE, render=False)
    assert course is not None and content is not None and not [p for p in problems if p.is_error]
    workbook = render_print_html(course, content, "workbook")
    handbook = render_print_html(course, content, "handbook", convert_lessons(content, True))
    sources = "".join(lesson.body for lesson in course.lessons)
    writing = sources.count("::: activity") + sources.count("::: reflection")
    assert writing > 5
    assert workbook.count('class="write-space"') == writing
    assert 'class="write-space"' not in handbook
    assert handbook.count('class="facilitator"') == sources.count("::: facilitator") == 8
    assert 'class="facilitator' not in workbook
    assert 'class="answer-key"' in handbook and 'class="answer-key"' not in workbook
    for html in (handbook, workbook):
        assert '<html lang="en" dir="ltr">' in html
        assert 'href="05-from-data-to-plan.html' not in html  # links between lessons stay inside
        assert 'href="#page-05-from-data-to-plan"' in html


def test_a_right_to_left_course_prints_right_to_left(tmp_path: Path) -> None:
    from builder.check import check_and_prepare
    from builder.printed.document import render_print_html

    course_dir = _course_copy(tmp_path)
    config = course_dir / "course.yml"
    config.write_text(config.read_text().replace("language: en", "language: ar"))
    course, content, _problems = check_and_prepare(course_dir, render=False)
    assert course is not None and content is not None
    assert '<html lang="ar" dir="rtl">' in render_print_html(course, content, "workbook")


def test_page_count_and_bookmarks(editions: dict[str, Path], texts: dict[str, list[str]]) -> None:
    import pypdf

    reader = pypdf.PdfReader(editions["handbook"])
    assert len(reader.pages) == len(texts["handbook"]) > 20
    outline = reader.outline
    top = [item.title for item in outline if not isinstance(item, list)]
    assert top[0] == "Contents"
    assert "Core module: managing the link between migration and local development" in top
    assert top[-2:] == ["Final assessment", "Answer key"]
    nested = [entry for item in outline if isinstance(item, list) for entry in _flatten(item)]
    titles = [entry.title for entry in nested]
    assert "Why migration is a local matter" in titles
    assert "Putting it into practice" in titles
    assert "Session plan" in titles
    workbook_top = [i.title for i in pypdf.PdfReader(editions["workbook"]).outline if not isinstance(i, list)]
    assert "Answer key" not in workbook_top


def _flatten(items: list[Any]) -> list[Any]:
    found = []
    for item in items:
        found.extend(_flatten(item) if isinstance(item, list) else [item])
    return found


def test_contents_page_numbers_match_the_headings(editions: dict[str, Path],
                                                  texts: dict[str, list[str]]) -> None:
    import pypdf

    for edition in ("handbook", "workbook"):
        pages = texts[edition]
        toc_index = next(i for i, page in enumerate(pages) if re.search(r"^\s*Contents\s*$", page, re.M))
        toc = flat(pages[toc_index])
        reader = pypdf.PdfReader(editions[edition])
        bookmarks: dict[str, int] = {}
        for item in _flatten(reader.outline):  # the first of equal titles (the key repeats quiz titles)
            bookmarks.setdefault(item.title, reader.get_destination_page_number(item) + 1)
        checked = 0
        for title in ("About this course", "Why migration is a local matter", "The global and policy context",
                      "From data to plan: mainstreaming migration", "Putting it into practice",
                      "Final assessment"):
            match = re.search(re.escape(title) + r" (\d+)\b", toc)
            assert match, f"{title} not in the contents of the {edition}"
            number = int(match.group(1))
            assert title in flat(pages[number - 1]), f"{title} is not on page {number} of the {edition}"
            assert bookmarks[title] == number
            checked += 1
        assert checked == 6


@pytest.mark.parametrize("edition", ["handbook", "workbook"])
def test_every_page_runs_the_title_of_its_chapter(editions: dict[str, Path], texts: dict[str, list[str]],
                                                  edition: str) -> None:
    import pypdf

    reader = pypdf.PdfReader(editions[edition])
    chapters = [(reader.get_destination_page_number(item) + 1, item.title) for item in reader.outline
                if not isinstance(item, list) and item.title != "Contents"]
    assert "Core module: managing the link between migration and local development" in [t for _, t in chapters]
    pages = texts[edition]
    checked = 0
    for number in range(chapters[0][0], len(pages) + 1):
        title = [t for start, t in chapters if start <= number][-1]
        head = flat(" ".join(line for line in pages[number - 1].splitlines() if line.strip())).strip()
        assert head.startswith(title), f"page {number} of the {edition} runs {head[:80]!r}, not {title!r}"
        checked += 1
    assert checked > 30  # left- and right-hand pages alike


@pytest.mark.parametrize("edition", ["handbook", "workbook"])
def test_the_sdg_table_repeats_its_header_row_on_the_next_page(texts: dict[str, list[str]], edition: str) -> None:
    pages = [flat(page) for page in texts[edition]]
    header = re.compile(r"Target Goal What it asks for, in short Local\b")
    first = [n for n, page in enumerate(pages) if "8.8 Decent work" in page]
    last = [n for n, page in enumerate(pages) if "17.18 Partnerships" in page]
    assert len(first) == len(last) == 1, (first, last)
    assert last[0] == first[0] + 1, "the SDG table (lesson 2) runs over a page break in this layout"
    for n, row in ((first[0], "8.8 Decent work"), (last[0], "17.18 Partnerships")):
        match = header.search(pages[n])
        assert match, f"no header row on page {n + 1} of the {edition}"
        assert match.start() < pages[n].index(row), f"the header row is not above the rows on page {n + 1}"


def test_links_between_lessons_are_page_references(texts: dict[str, list[str]]) -> None:
    text = flat(" ".join(texts["handbook"]))
    refs = re.findall(r"lesson 5 \(page (\d+)\)", text)
    assert refs, "a link to lesson 5 shows its page"
    start = next(i for i, page in enumerate(texts["handbook"])
                 if "From data to plan: mainstreaming migration" in flat(page) and "Contents" not in page)
    assert {int(n) for n in refs} == {start + 1}


def _print_html(edition: str) -> str:
    """The example course's print HTML for *edition*, as the build makes it."""
    from builder.check import check_and_prepare
    from builder.printed.document import convert_lessons, render_print_html

    course, content, _problems = check_and_prepare(EXAMPLE, render=False)
    assert course is not None and content is not None
    lessons = convert_lessons(content, True) if edition == "handbook" else None
    return render_print_html(course, content, edition, lessons)


def _footnotes(html: str) -> list[tuple[str, str]]:
    """(the word that carries the call, the note's text) of each footnote, in document order."""
    import lxml.html

    root = lxml.html.fromstring(html)
    notes = []
    for n, span in enumerate(root.xpath("//span[contains(concat(' ', @class, ' '), ' footnote ')]")):
        notes.append(flat(span.text_content()).strip())
        for child in list(span):
            span.remove(child)
        span.text = f"@@note{n}@@"
    text = flat(root.text_content())
    words = [re.search(rf"(\S+)@@note{n}@@", text) for n in range(len(notes))]
    assert all(words), "every call follows a word"
    return [(word.group(1), note) for word, note in zip(words, notes) if word]


@pytest.mark.parametrize("edition", ["handbook", "workbook"])
def test_footnotes_are_at_the_foot_of_their_page(texts: dict[str, list[str]], edition: str) -> None:
    notes = _footnotes(_print_html(edition))
    assert len(notes) == 6  # lessons 2 (three), 4 (one) and 6 (two)
    pages = [flat(page) for page in texts[edition]]
    for number, (word, note) in enumerate(notes, 1):
        printed = f"{number}. {note}"
        where = [i + 1 for i, page in enumerate(pages) for _ in range(page.count(printed))]
        assert len(where) == 1, f"note {number} of the {edition} is printed on pages {where}: {printed}"
        calls = [i + 1 for i, page in enumerate(pages) if re.search(re.escape(word + str(number)) + r"(?!\d)", page)]
        assert calls == where, f"note {number} of the {edition} is called on pages {calls}, printed on {where}"
        foot = [line for line in texts[edition][where[0] - 1].strip().splitlines() if line.strip()][-12:]
        assert note.split()[0] in " ".join(foot), f"note {number} is not at the foot of page {where[0]}"


def test_each_space_to_write_shares_a_page_with_its_question(editions: dict[str, Path]) -> None:
    import pypdf

    reader = pypdf.PdfReader(editions["workbook"])
    pages = {name: reader.get_destination_page_number(dest) + 1
             for name, dest in reader.named_destinations.items()}
    spaces = sorted(name for name in pages if name.endswith("-space"))
    assert len(spaces) == _print_html("workbook").count('class="write-space"') > 5
    apart = {space: (pages[space.removesuffix("-space")], pages[space]) for space in spaces
             if pages[space.removesuffix("-space")] != pages[space]}
    assert not apart, f"(title page, space page) of spaces away from their question: {apart}"


@pytest.mark.parametrize("edition", ["handbook", "workbook"])
def test_a_term_stays_on_the_page_of_its_definition(texts: dict[str, list[str]], edition: str) -> None:
    import lxml.html

    root = lxml.html.fromstring(_print_html(edition))
    pairs = [(flat(dt.text_content()).strip(), " ".join(flat(dd.text_content()).split()[:4]))
             for dt in root.iter("dt") for dd in [dt.getnext()] if dd is not None and dd.tag == "dd"
             and not dt.xpath("ancestor::dl[contains(@class, 'cover-facts')]")]
    assert len(pairs) > 10
    pages = [flat(page) for page in texts[edition]]
    apart = [term for term, start in pairs if not any(f"{term} {start}" in page for page in pages)]
    assert not apart, f"terms printed on another page than their definition in the {edition}: {apart}"


def test_pdf_is_valid_tagged_and_carries_title_and_language(editions: dict[str, Path]) -> None:
    import pypdf

    qpdf = tool("qpdf")
    for path in editions.values():
        check = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True, timeout=120)
        assert check.returncode == 0, check.stdout + check.stderr
        reader = pypdf.PdfReader(path)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en"
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
        assert reader.metadata is not None and reader.metadata.title is not None
        assert reader.metadata.title.startswith("Migration and local development")
        assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # declared PDF/UA


def test_images_keep_their_alt_text_in_the_structure(editions: dict[str, Path]) -> None:
    data = editions["handbook"].read_bytes()
    # Figures are tagged with their alt text (uncompressed in the structure tree or not,
    # pypdf reads it): look it up through the structure elements.
    import pypdf

    reader = pypdf.PdfReader(editions["handbook"])
    alts = []
    seen = set()

    def walk(node: Any) -> None:
        node = node.get_object()
        if id(node) in seen or not isinstance(node, dict):
            return
        seen.add(id(node))
        if node.get("/S") == "/Figure" and "/Alt" in node:
            alts.append(str(node["/Alt"]))
        kids = node.get("/K")
        if isinstance(kids, list):
            for kid in kids:
                if isinstance(kid, pypdf.generic.IndirectObject) or isinstance(kid, dict):
                    walk(kid)
        elif isinstance(kids, (pypdf.generic.IndirectObject, dict)):
            walk(kids)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert data.startswith(b"%PDF-")
    assert any("migration cycle" in alt.lower() for alt in alts), alts[:5]


def test_svg_figures_stay_vectors(editions: dict[str, Path]) -> None:
    import pypdf

    assert {p.suffix for p in (EXAMPLE / "media").iterdir()} == {".svg"}
    reader = pypdf.PdfReader(editions["handbook"])
    images = [image.name for page in reader.pages for image in page.images]
    assert images == []  # drawn as paths, not turned into pictures
    text = flat(" ".join(pdf_pages_text(editions["handbook"])))
    assert "Monitoring feeds the next profile" in text  # text inside an SVG (from-data-to-plan) stays text


def test_facilitator_notes_never_reach_the_e_learning(tmp_path: Path) -> None:
    # The web target is also what the preview serves without an LMS (same session, same targets).
    result = build_course(EXAMPLE, formats=("scorm12", "scorm2004", "web"), out=tmp_path / "dist")
    assert len(result.packages) == 3
    for package in result.packages:
        with zipfile.ZipFile(package.path) as archive:
            for name in archive.namelist():
                body = archive.read(name)
                assert NOTE_1.encode() not in body and NOTE_5.encode() not in body, name
                assert b'class="facilitator' not in body, name


def _course_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "minimal"
    shutil.copytree(MINIMAL, folder)
    return folder


def test_a_default_build_makes_the_editions_the_course_asks_for(tmp_path: Path) -> None:
    tool("pdftotext")
    course = _course_copy(tmp_path)
    config = course / "course.yml"
    config.write_text(config.read_text().replace("formats: [scorm12, scorm2004]", "formats: [scorm12, workbook]"))
    result = build_course(course, out=tmp_path / "dist")
    assert sorted(p.path.name for p in result.packages) == ["minimal-1.0.0-scorm12.zip", "minimal-1.0.0-workbook.pdf"]
    text = flat(" ".join(pdf_pages_text(tmp_path / "dist" / "minimal-1.0.0-workbook.pdf")))
    assert 'A minimal course & its "quirks"' in text


def test_cli_format_handbook_and_two_builds_are_identical(tmp_path: Path) -> None:
    course = _course_copy(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["build", str(course), "-f", "handbook", "-o", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, ["build", str(course), "-f", "handbook", "-o", str(tmp_path / "b")])
    assert second.exit_code == 0, second.output
    a, b = tmp_path / "a" / "minimal-1.0.0-handbook.pdf", tmp_path / "b" / "minimal-1.0.0-handbook.pdf"
    assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [a.name]


@pytest.mark.parametrize("block, needle, message", [
    ("::: facilitator\n:::\n", "::: facilitator", "the '::: facilitator' block is empty"),
    ('::: facilitator "Outer"\nTiming: ten minutes.\n\n::: facilitator "Inner"\nInner.\n:::\n:::\n',
     '::: facilitator "Inner"', "a '::: facilitator' block cannot be inside another one"),
    ("::: facilitator\nNever closed.\n", "::: facilitator", "the '::: facilitator' block is not closed"),
    ("::: facilitatr\nTypo.\n:::\n", "::: facilitatr", "did you mean 'facilitator'?"),
])
def test_check_reports_a_malformed_facilitator_block(tmp_path: Path, block: str, needle: str, message: str) -> None:
    course = _course_copy(tmp_path)
    lesson = course / "lessons" / "01-welcome.md"
    text = lesson.read_text().rstrip("\n") + "\n\n" + block
    lesson.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row == needle)
    result = CliRunner().invoke(cli, ["check", str(course)])
    assert result.exit_code == 1
    assert f"01-welcome.md:{line}: error: {message}" in result.output or (
        f"01-welcome.md:{line}: error:" in result.output and message in result.output), result.output


def test_a_broken_link_in_a_facilitator_note_stops_the_handbook(tmp_path: Path) -> None:
    course = _course_copy(tmp_path)
    lesson = course / "lessons" / "01-welcome.md"
    text = lesson.read_text().rstrip("\n") + "\n\n::: facilitator\nHand out [the sheet](../files/missing.pdf).\n:::\n"
    lesson.write_text(text)
    line = len(text.splitlines()) - 1
    assert CliRunner().invoke(cli, ["check", str(course)]).exit_code == 0  # not part of any page
    result = CliRunner().invoke(cli, ["build", str(course), "-f", "handbook", "-o", str(tmp_path / "dist")])
    assert result.exit_code == 1
    assert f"01-welcome.md:{line}: error:" in result.output, result.output
    assert "missing.pdf" in result.output
    assert not (tmp_path / "dist").exists()
    workbook = CliRunner().invoke(cli, ["build", str(course), "-f", "workbook", "-o", str(tmp_path / "dist")])
    assert workbook.exit_code == 0, workbook.output


@pytest.mark.parametrize("session, needle, message", [
    ("    session:\n      duration: soon\n", "duration: soon", "'duration' must be a whole number"),
    ("    session:\n      duration: 0\n", "duration: 0", "duration must be more than 0 minutes"),
    ("    session:\n      materiels: [paper]\n", "materiels:", "unknown key 'materiels' in the session of module 'core'"),
    ("    session: a day\n", "session: a day", "'session' must be a mapping"),
    ("    session:\n      materials: [paper, true]\n", "materials:", "each entry of 'materials' must be text"),
])
def test_check_reports_bad_session_data(tmp_path: Path, session: str, needle: str, message: str) -> None:
    course = _course_copy(tmp_path)
    config = course / "course.yml"
    text = config.read_text().replace("      - lessons/01-welcome.md\n", "      - lessons/01-welcome.md\n" + session)
    config.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if needle in row)
    result = CliRunner().invoke(cli, ["check", str(course)])
    assert result.exit_code == 1
    assert f"course.yml:{line}: error: {message}" in result.output, result.output


def test_session_data_reaches_the_model(tmp_path: Path) -> None:
    from builder.course import load_course

    course = _course_copy(tmp_path)
    config = course / "course.yml"
    config.write_text(config.read_text().replace(
        "      - lessons/01-welcome.md\n",
        "      - lessons/01-welcome.md\n    session:\n      duration: 90\n      format: workshop\n"
        "      materials: [flip chart]\n"))
    module = load_course(course).modules[0]
    assert module.session is not None
    assert (module.session.minutes, module.session.format, module.session.materials) == (90, "workshop", ("flip chart",))
