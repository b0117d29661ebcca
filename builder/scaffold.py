"""``builder new``: a starter course that builds and passes ``builder check``."""
from __future__ import annotations

import datetime
import os
import re
from collections.abc import Mapping
from pathlib import Path

from builder.errors import ConfigError

_SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{0,63}$")

_COURSE = """\
# The course definition. Every key is explained in the README ("Course format").
id: {slug}
title: {title}
description: >
  One or two sentences that tell learners what this course is about.
language: en
version: 0.1.0
date: {date}
authors:
  - Your Name
licence: CC BY 4.0
minutes: 20
objectives:
  - Say what learners will be able to do after the course.
modules:
  - id: module-1
    title: First module
    lessons:
      - lessons/01-welcome.md
      - lessons/02-next-steps.md
assessment: quizzes/final.yml
packaging:
  formats: [scorm12, scorm2004]
  passing_score: 80
  completion: both        # pages, quiz or both
"""

_LESSON_1 = """\
---
title: Welcome
minutes: 5
objectives:
  - Find your way around a lesson.
---
Write the lesson in Markdown. The title above becomes the page heading, so sections
start at `##`.

## A section

- Lists, **bold** and *italic* text, tables and footnotes[^1] work as usual.
- Link to another lesson like this: [next steps](02-next-steps.md).

::: key-point "Remember"
Callout blocks start with `:::` and a kind: case-study, key-point, activity,
reflection or note.
:::

[^1]: A footnote appears at the end of the lesson.
"""

_LESSON_2 = """\
---
title: Next steps
minutes: 10
quiz: ../quizzes/check.yml
---
## Try it

::: activity "Your turn"
Add a lesson file to `lessons/` and list it under `lessons:` in `course.yml`.
:::

The knowledge check below comes from the `quiz:` line of this lesson's front matter.
"""

_CHECK = """\
title: Knowledge check
graded: false
questions:
  - type: true-false
    prompt: Lessons are written in Markdown.
    answer: true
    feedback:
      correct: Right. Each lesson is one Markdown file.
      incorrect: Each lesson is one Markdown file with front matter.
"""

_FINAL = """\
title: Final assessment
attempts: 0
questions:
  - type: single
    prompt: Which file lists the lessons of the course?
    choices:
      - text: course.yml
        correct: true
        feedback: Yes. Its modules list the lesson files in order.
      - text: index.html
        feedback: No. index.html is made by the builder.
  - type: fill-in
    prompt: Lesson files use the ____ format.
    answers: [Markdown, md]
    feedback:
      correct: Right.
      incorrect: They are Markdown files.
"""


def today(environ: Mapping[str, str] | None = None) -> str:
    """Today's date (UTC) as ``YYYY-MM-DD``, or the day of ``SOURCE_DATE_EPOCH`` when set.

    Raises:
        ConfigError: ``SOURCE_DATE_EPOCH`` is not a number of seconds.
    """
    raw = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if raw:
        try:
            moment = datetime.datetime.fromtimestamp(int(raw), datetime.UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise ConfigError(f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds") from exc
    else:
        moment = datetime.datetime.now(datetime.UTC)
    return moment.date().isoformat()


def create_course(parent: Path, slug: str, title: str | None = None, date: str | None = None) -> Path:
    """Write a starter course into ``parent/slug``.

    Args:
        parent: the folder that holds courses (created if missing).
        slug: the course folder name and id.
        title: the course title; made from the slug when None.
        date: the course date (zip timestamps); default :func:`today`.

    Returns:
        The new course folder.

    Raises:
        ConfigError: the slug is not usable, the folder exists or cannot be written.
    """
    if len(slug) > 64:
        raise ConfigError(f"'{slug[:20]}...' is too long for a course name ({len(slug)} characters): "
                          "use at most 64")
    if not _SLUG_RE.match(slug):
        raise ConfigError(f"'{slug}' is not a usable course name: use lower-case letters, digits and '-', "
                          "starting with a letter (e.g. migration-basics)")
    folder = parent / slug
    if folder.exists():
        raise ConfigError(f"{folder} already exists; choose another name or remove it first")
    try:
        _write_files(folder, slug, title, date or today())
    except OSError as exc:
        where = exc.filename or folder
        raise ConfigError(f"cannot create the course in {where}: {exc.strerror or exc}") from exc
    return folder


def _write_files(folder: Path, slug: str, title: str | None, date: str) -> None:
    title = title or slug.replace("-", " ").capitalize()
    files = {
        "course.yml": _COURSE.format(slug=slug, title=_yaml_text(title), date=date),
        "lessons/01-welcome.md": _LESSON_1,
        "lessons/02-next-steps.md": _LESSON_2,
        "quizzes/check.yml": _CHECK,
        "quizzes/final.yml": _FINAL,
    }
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "media").mkdir()


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
