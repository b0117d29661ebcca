"""Issue 10: active files (SVG, HTML), file names Windows cannot hold, Windows paths."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import cli
from builder.file_rules import check_svg, windows_name_problem
from builder.package import check_archive_path
from builder.errors import PackageError
from tests.test_check import edit, find, line_no, problems_of

NS = "xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'"
GOOD = f"<svg {NS} viewBox='0 0 10 10'>\n<defs><linearGradient id='g'/></defs>\n" \
       "<rect width='10' height='10' fill='url(#g)' style='fill: url(#g)'/>\n<use href='#g'/>\n</svg>\n"


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def use_picture(course: Path, name: str, data: str | bytes) -> Path:
    svg = course / "media" / name
    write(svg, data)
    edit(course / "lessons/01-welcome.md", "## A section", f"## A section\n\n![A picture](../media/{name})")
    return svg


@pytest.mark.parametrize("body, message", [
    ("<script>alert(1)</script>", "<script> runs a script"),
    ("<rect onload='alert(1)' width='1' height='1'/>", "'onload' runs a script"),
    ("<image href='https://example.org/x.png'/>", "refers to 'https://example.org/x.png' on the internet"),
    ("<image xlink:href='//example.org/x.png'/>", "on the internet"),
    ("<a xlink:href='javascript:alert(1)'><text>x</text></a>", "runs a script"),
    ("<foreignObject><div xmlns='http://www.w3.org/1999/xhtml'>x</div></foreignObject>", "holds HTML"),
    ("<use href='other.svg#a'/>", "refers to another file"),
    ("<style>@import url(https://example.org/a.css);</style>", "@import"),
    ("<rect style='fill: url(https://example.org/p.svg#x)'/>", "loads 'https://example.org/p.svg#x'"),
    ("<a><set attributeName='href' to='javascript:alert(1)'/></a>", "runs a script"),
    ("<iframe/>", "loads a document"),
])
def test_active_svg_is_refused_at_its_line(starter: Path, body: str, message: str) -> None:
    svg = use_picture(starter, "chart.svg", f"<svg {NS}>\n<g>\n{body}\n</g>\n</svg>\n")
    p = find(problems_of(starter), svg, 3, message)
    assert p.is_error and p.rule == "active-svg"
    dist = starter.parent / "dist"
    result = CliRunner().invoke(cli, ["build", str(starter), "--out", str(dist)])
    assert result.exit_code == 1 and "chart.svg:3: error[active-svg]:" in result.output and "Traceback" not in result.output
    assert not dist.exists()


def test_processing_instruction_and_entities_are_refused(tmp_path: Path) -> None:
    pi = tmp_path / "pi.svg"
    pi.write_text(f"<?xml-stylesheet href='https://example.org/x.css'?>\n<svg {NS}/>")
    assert [p.location.line for p in check_svg(pi)] == [1]
    bomb = tmp_path / "bomb.svg"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "aaaaaaaaaa">\n'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n' f"<svg {NS}><text>&b;</text></svg>")
    problems = check_svg(bomb)
    assert [(p.location.line, p.message) for p in problems] == [(3, "the SVG file declares XML entities")]
    broken = tmp_path / "broken.svg"
    broken.write_text(f"<svg {NS}>\n<g>\n</svg>")
    assert check_svg(broken)[0].message.startswith("the SVG file is not valid XML")
    assert [p.rule for p in check_svg(broken) + problems] == ["unreadable-svg", "active-svg"]


def test_passive_svg_and_compressed_svg(starter: Path, tmp_path: Path) -> None:
    use_picture(starter, "good.svg", GOOD)
    assert problems_of(starter) == []
    evil = gzip.compress(f"<svg {NS}>\n<script>alert(1)</script></svg>".encode())
    svgz = use_picture(starter, "evil.svgz", evil)
    find(problems_of(starter), svgz, 2, "runs a script")


@pytest.mark.parametrize("name", ["page.html", "page.HTM", "page.xhtml"])
def test_html_downloads_are_refused_at_the_link(starter: Path, name: str) -> None:
    write(starter / "files" / name, "<script>alert(document.cookie)</script>")
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", f"## A section\n\n[The page](../files/{name})")
    find(problems_of(starter), lesson, line_no(lesson, "[The page]"), "is an HTML file")


@pytest.mark.parametrize("name", ["data.xml", "style.XSL", "style.xslt"])
def test_xml_downloads_are_refused_at_the_link(starter: Path, name: str) -> None:
    write(starter / "files" / name, "<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>")
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", f"## A section\n\nSee [the data](../files/{name}).")
    p = find(problems_of(starter), lesson, line_no(lesson, "[the data]"), "is an XML file")
    assert "packages do not carry" in p.message


@pytest.mark.parametrize("name, message", [
    ("chart:v2*.svg", "contains ':' '*'"), ("aux.pdf", "reserved device name"), ("CON", "reserved device name"),
    ("com1.txt", "reserved device name"), ("notes.", "ends with a dot or a space"),
    ("notes ", "ends with a dot or a space"), ('a"b<c>.pdf', "which Windows does not allow"),
    ("what?.pdf", "'?'"), ("pipe|x.pdf", "'|'"),
])
def test_windows_unsafe_file_names_are_refused(starter: Path, name: str, message: str) -> None:
    write(starter / "files" / name, "x")
    lesson = starter / "lessons/01-welcome.md"
    ref = name.replace(" ", "%20").replace('"', "%22").replace("<", "%3C").replace(">", "%3E") \
        .replace("?", "%3F").replace("|", "%7C")
    edit(lesson, "## A section", f"## A section\n\n[The file](<../files/{ref}>)")
    problems = problems_of(starter)
    find(problems, lesson, line_no(lesson, "[The file]"), message)
    with pytest.raises(PackageError):
        check_archive_path(f"files/{name}")


def test_safe_names_pass() -> None:
    for rel in ["media/chart-v2.svg", "files/auxiliary.pdf", "files/console.txt", "files/com10.txt", "a/b.c.d"]:
        assert windows_name_problem(rel) is None, rel


def test_windows_drive_paths_are_not_called_internet(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n![A map](C:/Users/me/map.png)\n\n[Handout](D:\\docs\\h.pdf)")
    problems = problems_of(starter)
    p = find(problems, lesson, line_no(lesson, "![A map]"), "is an absolute Windows path")
    assert "relative to the file that names them" in (p.hint or "")
    find(problems, lesson, line_no(lesson, "[Handout]"), "is an absolute Windows path")
    assert not [q for q in problems if "internet" in q.message], [q.format() for q in problems]


def test_missing_file_hint_says_paths_are_relative_to_the_file(starter: Path) -> None:
    lesson = starter / "lessons/01-welcome.md"
    edit(lesson, "## A section", "## A section\n\n![A map](media/map.png)")
    p = find(problems_of(starter), lesson, line_no(lesson, "![A map]"), "not found")
    assert "relative to the file that names them" in (p.hint or "")
