"""Checking a course: every problem an author can fix, found in one pass."""
from __future__ import annotations

from pathlib import Path

from builder.course import Course, read_course
from builder.errors import Location, Problem, sort_problems
from builder.render import CourseContent, load_strings, render_content, theme_dirs

LARGE_FILE = 20 * 1024 * 1024  # learners are often on slow connections


def check_and_prepare(course_dir: Path, parallel: bool = False
                      ) -> tuple[Course | None, CourseContent | None, list[Problem]]:
    """Load *course_dir*, convert its lessons and collect every problem.

    Args:
        course_dir: the course folder.
        parallel: convert the lessons of a big course in worker processes (see
            :func:`builder.render.render_content`).

    Returns:
        ``(course, content, problems)``; course and content are None when loading failed.
    """
    course, problems = read_course(course_dir)
    if course is None:
        return None, None, sort_problems(problems)
    content = render_content(course, load_strings(theme_dirs(course), course.language), parallel)
    problems = problems + content.problems
    for rel, path in sorted(content.files.items()):
        size = path.stat().st_size
        if size > LARGE_FILE:
            problems.append(Problem(Location(path), f"'{rel}' is {size // (1024 * 1024)} MB",
                                    "learners on slow connections will wait; make the file smaller",
                                    "warning"))
    if not course.description:
        problems.append(Problem(Location(course.root / "course.yml", 1), "the course has no description",
                                "add 'description: ...'; the LMS shows it", "warning"))
    return course, content, sort_problems(problems)


def check_course(course_dir: Path) -> tuple[Course | None, list[Problem]]:
    """Load and check *course_dir*; return the course (None on errors) and all problems."""
    course, _content, problems = check_and_prepare(course_dir)
    if any(p.is_error for p in problems):
        return None, problems
    return course, problems
