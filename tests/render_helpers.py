"""Rendering a whole course in tests, as the targets do (``Renderer.render_all``)."""
from __future__ import annotations

from builder.course import Course
from builder.render import Renderer
from builder.targets import target_for_scorm


def render_files(course: Course, scorm: str | None) -> dict[str, bytes]:
    """Every package file of *course* but the manifest, for the target of SCORM version *scorm*.

    Args:
        course: the loaded course (its lessons are converted on the way).
        scorm: ``"1.2"``, ``"2004"`` or None (the web target).
    """
    return Renderer(course).render_all(scorm, target_for_scorm(scorm).adapter)
