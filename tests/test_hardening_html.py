"""Issue 10: no script rides in on author HTML, wherever the author can write it.

Each case breaks a fresh starter course the way an attacker (or a careless copy and
paste) could, and checks that ``builder check`` refuses it at the author's line and that
``builder build`` refuses it without writing anything.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import cli
from builder.content import MarkdownRenderer
from builder.html_rules import check_page_text, check_raw_html
from tests.test_check import edit, find, line_no, problems_of

SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/>"
PAYLOAD = '<p title="</{tag}><img src=x onerror=alert(1)>"></p>'


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build_fails(course: Path, needle: str) -> None:
    """``builder build`` exits 1 naming *needle*, without a traceback and without a dist/."""
    dist = course.parent / "dist"
    result = CliRunner().invoke(cli, ["build", str(course), "--out", str(dist)])
    assert result.exit_code == 1, result.output
    assert needle in result.output and "Traceback" not in result.output
    assert not dist.exists()


@pytest.mark.parametrize("tag", ["noscript", "noembed", "xmp", "noframes", "title"])
def test_raw_text_wrapping_tricks_are_refused(starter: Path, tag: str) -> None:
    lesson = starter / "lessons/02-next-steps.md"
    block = f"<{tag}>" + PAYLOAD.format(tag=tag) + f"</{tag}>"
    edit(lesson, "The knowledge check below", f"Before.\n\n{block}\n\nThe knowledge check below")
    problems = problems_of(starter)
    find(problems, lesson, line_no(lesson, block[:12]), f"raw HTML <{tag}> is not allowed in lessons")
    build_fails(starter, f"<{tag}>")


def test_the_same_trick_inline_in_a_paragraph(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\nText <noscript><p title=\"</noscript>"
         "<img src=x onerror=alert(1)>\"></noscript> more.")
    find(problems_of(starter), lesson, line_no(lesson, "Text <noscript>"), "raw HTML <noscript> is not allowed")


def test_a_tag_that_only_forms_once_markdown_joins_the_pieces() -> None:
    # The inline piece '<img alt="a>' alone is harmless; joined with the text after it,
    # the browser reads an <img> with an onerror handler.
    joined = '<p><img alt="a> b" onerror="alert(1)" src="x"></p>'
    assert [f.needle for f in check_page_text(joined)] == ["onerror"]
    assert check_raw_html('<img alt="a>') == []  # why the joined check is needed


def test_joined_markdown_output_is_checked(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", '## A section\n\nSee <img alt="a> b" onerror="alert(1)" src="x"> here.')
    find(problems_of(starter), lesson, line_no(lesson, "onerror"), "'onerror' runs a script")


@pytest.mark.parametrize("markdown, needle", [
    ('![A dot](../media/pic.svg){: onload="alert(1)" }', "onload"),
    ('![A dot](../media/pic.svg){: ONLOAD="alert(1)" }', "onload"),
    ('A paragraph.\n{: OnFocus="alert(1)" tabindex="0" }', "onfocus"),
    ('[next](02-next-steps.md){: onmouseover="alert(1)" }', "onmouseover"),
    ('Some *text*{: onclick="alert(1)" } here.', "onclick"),
    ('A paragraph.\n{: onfocus="alert(1)" tabindex="0" }', "onfocus"),
    ('## Heading {: onclick="alert(1)" }', "onclick"),
    ('![A dot](../media/pic.svg){: srcdoc="x" }', "srcdoc"),
    ('[x](02-next-steps.md){: formaction="javascript:alert(1)" }', "formaction"),
    ('![A dot](../media/pic.svg){: style="background:url(javascript:alert(1))" }', "runs a script"),
])
def test_attribute_lists_in_lessons_are_checked(starter: Path, markdown: str, needle: str) -> None:
    write(starter / "media/pic.svg", SVG)
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", f"## A section\n\n{markdown}")
    problems = problems_of(starter)
    line = line_no(lesson, markdown.split("\n")[-1])
    assert any(p.location.path == lesson and p.location.line == line and needle in p.message and p.is_error
               for p in problems), "\n".join(p.format() for p in problems)
    build_fails(starter, needle)


def test_allowed_attribute_lists_still_work(starter: Path) -> None:
    write(starter / "media/pic.svg", SVG)
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", '## A section\n\n![A dot](../media/pic.svg){: .wide width="40" }\n\n'
         'A paragraph.\n{: #intro .lead lang="fr" data-kind="x" aria-describedby="intro" }')
    assert problems_of(starter) == []


@pytest.mark.parametrize("file, old, new", [
    ("quizzes/final.yml", "prompt: Which file lists the lessons of the course?",
     "prompt: 'Which file? ![A dot](../media/pic.svg){: onload=\"alert(1)\" }'"),
    ("quizzes/final.yml", "feedback: Yes. Its modules list the lesson files in order.",
     "feedback: 'Yes. **Right**{: onmouseover=\"alert(1)\" }'"),
    ("quizzes/check.yml", "correct: Right. Each lesson is one Markdown file.",
     "correct: 'Right *now*{: onclick=\"alert(1)\" }'"),
    ("quizzes/final.yml", "- text: index.html", "- text: 'index *html*{: onclick=\"alert(1)\" }'"),
    ("course.yml", "  One or two sentences that tell learners what this course is about.",
     "  One *sentence*{: onmouseover=\"alert(1)\" } about it."),
    ("course.yml", "  - Say what learners will be able to do after the course.",
     "  - 'Do *this*{: onclick=\"alert(1)\" }'"),
])
def test_attribute_lists_in_quizzes_and_course_yml_are_refused(starter: Path, file: str, old: str,
                                                                 new: str) -> None:
    write(starter / "media/pic.svg", SVG)
    path = starter / file
    edit(path, old, new)
    problems = problems_of(starter)
    hits = [p for p in problems if p.location.path == path and " runs a script" in p.message and p.is_error]
    assert hits, "\n".join(p.format() for p in problems)
    build_fails(starter, "runs a script")


def test_noscript_trick_in_quiz_feedback_is_refused(starter: Path) -> None:
    check = starter / "quizzes/check.yml"
    edit(check, "correct: Right. Each lesson is one Markdown file.",
         "correct: '<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>'")
    find(problems_of(starter), check, line_no(check, "<noscript>"), "raw HTML <noscript> is not allowed in quizzes")


@pytest.mark.parametrize("html", ["<svg><script>alert(1)</script></svg>", "<math><mi>x</mi></math>",
                                  "<textarea>x</textarea>", "<button>x</button>", "<input value=x>",
                                  "<template><img src=x onerror=alert(1)></template>", "<plaintext>x",
                                  "<body onload=alert(1)>", "<marquee>x</marquee>"])
def test_elements_off_the_list_are_refused(html: str) -> None:
    findings = check_raw_html(html)
    assert findings and "is not allowed" in findings[0].message, findings


def test_existing_refusals_keep_their_messages() -> None:
    for html, message in [("<script>1</script>", "raw HTML <script> is not allowed in lessons; packages run only"),
                          ("<a href='JaVaScRiPt:alert(1)'>x</a>", "runs a script"),
                          ("<a href='&#106;avascript:alert(1)'>x</a>", "runs a script"),
                          ("<form></form>", "raw HTML <form> is not allowed"),
                          ("<meta http-equiv=refresh content='0;url=x'>", "raw HTML <meta> is not allowed"),
                          ("<base href=x>", "raw HTML <base> is not allowed"),
                          ("<object data=x></object>", "raw HTML <object> is not allowed")]:
        assert any(message in f.message for f in check_raw_html(html)), (html, check_raw_html(html))


def test_fallback_conversion_never_passes_html_or_handlers() -> None:
    # Text that no check saw (a template applying 'markdown' to any field) is escaped.
    renderer = MarkdownRenderer()
    out = renderer.inline('<img src=x onerror=alert(1)> *a*{: onclick="alert(1)" }')
    assert "<img" not in out and "onclick" not in out and "<em" in out
    assert "<script" not in renderer.block("<script>alert(1)</script>")


@pytest.mark.parametrize("markdown, scheme", [
    ("[Open](data:text/html,<script>alert(1)</script>)", "data:"),
    ("[Open](file:///etc/passwd)", "file:"),
    ("[Open](ftp://example.org/x.pdf)", "ftp:"),
    ("[Open](blob:https://example.org/1)", "blob:"),
    ('[Open](02-next-steps.md){: href="data:text/html,hi" }', "data:"),
    ('<a href="ms-settings:privacy">Open</a>', "ms-settings:"),
    ('<video src="data:video/mp4,AAAA" controls></video>', "data:"),
])
def test_links_and_sources_use_only_allowed_schemes(starter: Path, markdown: str, scheme: str) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", f"## A section\n\n{markdown}")
    p = find(problems_of(starter), lesson, line_no(lesson, markdown), f"uses '{scheme}'")
    assert "http:, https:, mailto:, tel:" in (p.hint or "")
    build_fails(starter, scheme)


def test_allowed_schemes_still_work(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    edit(lesson, "## A section", "## A section\n\n[Web](https://example.org) [Mail](mailto:a@example.org) "
         f"[Call](tel:+441234) [Here](#a-section) [Next](02-next-steps.md)\n\n![A dot]({pixel})\n\n"
         f'<img alt="A dot" src="{pixel}">')
    assert problems_of(starter) == []
