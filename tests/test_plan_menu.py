"""The menu each page lists (``Plan.menu``): everything in small courses, a bounded window in big ones."""
from __future__ import annotations

from pathlib import Path

from builder.model import Course, Lesson, Module, Packaging
from builder.plan import MENU_FULL, MENU_LESSONS, MENU_MODULES, Plan, plan_course


def course_of(sizes: list[int]) -> Course:
    """A course whose modules hold *sizes* lessons (no files behind it: the plan needs none)."""
    modules, number = [], 0
    for m, size in enumerate(sizes):
        lessons = []
        for _ in range(size):
            number += 1
            lessons.append(Lesson(id=f"l{number}", title=f"Lesson {number}", source=Path(f"l{number}.md"),
                                  body="", body_line=1, module_id=f"m{m}"))
        modules.append(Module(id=f"m{m}", title=f"Module {m}", lessons=tuple(lessons)))
    return Course(root=Path("c"), id="c", title="C", language="en", version="1", modules=tuple(modules),
                  packaging=Packaging())


def listed(plan: Plan, page_id: str) -> tuple[list[str], list[str]]:
    """Module titles and lesson ids the menu of *page_id* shows."""
    page = plan.page(page_id)
    assert page is not None
    groups = plan.menu(page)
    return [g.module.id for g in groups], [p.id for g in groups for p in g.pages]


def test_a_small_course_lists_every_lesson_on_every_page() -> None:
    plan = plan_course(course_of([20, 20, 20]))
    assert len(plan.pages) <= MENU_FULL
    for page_id in ("index", "l1", "l60"):
        modules, lessons = listed(plan, page_id)
        assert modules == ["m0", "m1", "m2"] and lessons == [f"l{n}" for n in range(1, 61)]


def test_one_big_module_lists_the_run_of_lessons_around_the_page() -> None:
    plan = plan_course(course_of([2000]))
    assert listed(plan, "l1") == (["m0"], [f"l{n}" for n in range(1, MENU_LESSONS + 2)])
    # lesson 120 is in the run 101-150; the lessons either side of the run come too
    assert listed(plan, "l120")[1] == [f"l{n}" for n in range(100, 152)]
    assert listed(plan, "l2000")[1] == [f"l{n}" for n in range(1950, 2001)]
    assert listed(plan, "index") == (["m0"], [])  # the start page lists the module as one link


def test_many_modules_list_a_window_of_modules_and_the_current_ones_lessons() -> None:
    plan = plan_course(course_of([25] * 80))
    modules, lessons = listed(plan, "l1001")  # first lesson of module 40
    assert modules == [f"m{m}" for m in range(40 - MENU_MODULES, 40 + MENU_MODULES + 1)]
    assert lessons == [f"l{n}" for n in range(1001, 1026)]
    assert listed(plan, "l1")[0] == [f"m{m}" for m in range(2 * MENU_MODULES + 1)]
    assert listed(plan, "l2000")[0] == [f"m{m}" for m in range(79 - 2 * MENU_MODULES, 80)]
    for group in plan.menu(plan.pages[1]):  # modules other than the current one link to their start
        assert group.pages or group.first.id == f"l{int(group.module.id[1:]) * 25 + 1}"


def test_no_menu_grows_with_the_course() -> None:
    most = 2 * MENU_MODULES + 1 + MENU_LESSONS + 2
    for sizes in ([3000], [25] * 120, [7, 300, 1, 90] * 10):
        plan = plan_course(course_of(sizes))
        sizes_seen = {len(g) + sum(len(x.pages) for x in g) for g in map(plan.menu, plan.pages)}
        assert max(sizes_seen) <= most


def test_rendered_pages_of_one_big_module_carry_a_bounded_menu(tmp_path: Path) -> None:
    """120 lessons in one module: each page's menu holds at most 52 lessons, the start page all."""
    import re

    from builder.course import read_course
    from builder.render import Renderer
    from builder.scaffold import create_course

    course_dir = create_course(tmp_path, "big")
    lessons = [f"lessons/{n:03d}.md" for n in range(120)]
    for n, rel in enumerate(lessons):
        (course_dir / rel).write_text(f"---\ntitle: Lesson {n}\n---\nText {n}.\n", encoding="utf-8")
    course_yml = course_dir / "course.yml"
    text = course_yml.read_text(encoding="utf-8")
    listing = "".join(f"      - {rel}\n" for rel in lessons)
    course_yml.write_text(text.replace("      - lessons/01-welcome.md\n      - lessons/02-next-steps.md\n", listing),
                          encoding="utf-8")
    course, problems = read_course(course_dir)
    assert course is not None and not problems and len(course.modules) == 1
    renderer = Renderer(course)
    files = renderer.render_all("1.2", "scorm12")
    lesson_urls = [p.url for p in renderer.pages if p.kind == "lesson"]

    def menu_links(page_html: bytes) -> list[str]:
        nav = re.search(rb'<nav id="course-menu".*?</nav>', page_html, re.S)
        assert nav is not None
        return re.findall(r'href="([^"]+)"', nav.group(0).decode())

    for url in (lesson_urls[0], lesson_urls[75], lesson_urls[-1]):
        links = menu_links(files[url])
        assert links[0] == "index.html" and url in links
        assert len([link for link in links if link in lesson_urls]) <= MENU_LESSONS + 2
    assert f'href="{lesson_urls[75]}" data-page="{renderer.pages[76].id}" aria-current="page"' in \
        files[lesson_urls[75]].decode()
    start = files["index.html"].decode()
    assert all(f'href="{url}"' in start for url in lesson_urls)  # the contents list names every lesson
