"""Output targets: the one list of output formats, and how each turns rendered pages into files.

A target takes the rendered course (a :class:`~builder.render.Renderer` over the converted
course and its plan) and returns ``{archive path: bytes}``; :mod:`builder.build` writes that
as a zip (and, for targets with ``folder``, also as an unpacked folder). The CLI's
``--format`` choices, the check of ``packaging.formats``, the preview's formats and the
docs all read :data:`TARGETS`. To add a target, write a class with the attributes and the
``assemble`` method of :class:`Target` and add an instance to :data:`TARGETS`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

from builder.errors import ConfigError, PackageError
from builder.paths import is_junk

if TYPE_CHECKING:
    from builder.render import Renderer
    from builder.scorm import ScormVersion


class Target(Protocol):
    """What every output format provides (read-only attributes and one method)."""

    @property
    def name(self) -> str:
        """Format name: ``--format``, ``packaging.formats`` and the file name suffix."""

    @property
    def label(self) -> str:
        """For people: ``SCORM 1.2``."""

    @property
    def adapter(self) -> str:
        """The runtime's tracking adapter, and the bundle ``assets/runtime-<adapter>.js``."""

    @property
    def scorm(self) -> str | None:
        """The SCORM version templates and ``assets/course.js`` see (``1.2``, ``2004``, None)."""

    @property
    def folder(self) -> bool:
        """Also written as an unpacked folder next to the zip."""

    @property
    def suffix(self) -> str:
        """The written file's extension: ``.zip`` (the files of :meth:`assemble` zipped) or
        ``.pdf`` (:meth:`assemble` returns one file, written as it is)."""

    def assemble(self, renderer: Renderer, schemas: Path | None = None) -> dict[str, bytes]:
        """Every file of the package, by archive path."""
        ...


def _rendered(renderer: Renderer, target: Target) -> dict[str, bytes]:
    """The rendered pages, assets and course files of *target*, archive paths checked."""
    from builder import package

    rendered = renderer.render_all(target.scorm, target.adapter)
    for name in rendered:
        package.check_archive_path(name)
    return package.without_junk(rendered)


@dataclass(frozen=True)
class ScormTarget:
    """A SCORM package: the pages, a manifest and optionally the schema files."""

    name: str
    label: str
    adapter: str
    scorm: str
    folder: bool = False
    suffix: str = ".zip"

    @property
    def version(self) -> ScormVersion:
        """The version table of :mod:`builder.scorm` (all version differences live there)."""
        from builder.scorm import get_version

        return get_version(self.name)

    def assemble(self, renderer: Renderer, schemas: Path | None = None) -> dict[str, bytes]:
        """Render the package in memory: course files, manifest and any schema files.

        Args:
            renderer: the course's renderer.
            schemas: a folder with ``scorm12/`` and ``scorm2004_4th/`` control files to
                put at the package root (not listed in the manifest), or None.

        Raises:
            PackageError: a course file collides with a control file, or a bad archive path.
            ConfigError: the schema folder has no XSD files for this version.
            TemplateError: a theme template failed.
        """
        from builder.manifest import MANIFEST_NAME, build_manifest

        files = _rendered(renderer, self)
        control = read_schema_files(schemas, self.version) if schemas is not None else {}
        clashes = sorted(set(files) & set(control))
        if clashes:
            raise PackageError(f"the course file '{clashes[0]}' has the name of a schema file; rename it")
        result = dict(control)
        result.update(files)
        units = renderer.content.plan.units  # one SCO (the package root) or one per unit
        result[MANIFEST_NAME] = build_manifest(renderer.course, files, self.name, units[0].launch, units=units)
        return result


@dataclass(frozen=True)
class WebTarget:
    """A static website: the same pages with no manifest; progress stays in the browser."""

    name: str = "web"
    label: str = "website"
    adapter: str = "web"
    scorm: None = None
    folder: bool = True
    suffix: str = ".zip"

    def assemble(self, renderer: Renderer, schemas: Path | None = None) -> dict[str, bytes]:
        """Render the site in memory (schema files are for SCORM and are not used)."""
        return _rendered(renderer, self)


@dataclass(frozen=True)
class PrintTarget:
    """A printed edition as one PDF (WeasyPrint): the trainer's handbook or the participant's workbook.

    Facilitator notes, session plans and the answer key go only into the handbook; the
    workbook has space to write under activities and reflections. No runtime, no LMS.
    """

    name: str
    label: str
    adapter: str = "web"  # unused: a PDF carries no runtime
    scorm: None = None
    folder: bool = False
    suffix: str = ".pdf"

    def assemble(self, renderer: Renderer, schemas: Path | None = None) -> dict[str, bytes]:
        """Lay out the edition in memory: ``{"<name>.pdf": bytes}``.

        Raises:
            ContentError: a link or image inside a facilitator note is broken.
        """
        from builder.printed.edition import render_edition

        data, _pages = render_edition(renderer.content, self.name)
        return {f"{self.name}.pdf": data}


TARGETS: Mapping[str, Target] = MappingProxyType({
    "scorm12": ScormTarget(name="scorm12", label="SCORM 1.2", adapter="scorm12", scorm="1.2"),
    "scorm2004": ScormTarget(name="scorm2004", label="SCORM 2004 4th Edition", adapter="scorm2004",
                             scorm="2004"),
    "web": WebTarget(),
    "handbook": PrintTarget(name="handbook", label="trainer's handbook, PDF"),
    "workbook": PrintTarget(name="workbook", label="participant workbook, PDF"),
})
"""Every output format by name, in build order: the only list of formats."""

DEFAULT_FORMATS: tuple[str, ...] = ("scorm12", "scorm2004")
"""What ``packaging.formats`` is when course.yml does not say: the two LMS packages."""

PREVIEW_FORMATS: Mapping[str, str] = MappingProxyType({
    **{name: name for name, target in TARGETS.items() if target.scorm is not None}, "none": "web"})
"""The preview's simulated-LMS formats and the target each one serves (``none``: no LMS)."""


def get_target(name: str) -> Target:
    """The target called *name* (a SCORM target also answers to its version, ``1.2``).

    Raises:
        ConfigError: no such target (the message lists the known ones).
    """
    if name in TARGETS:
        return TARGETS[name]
    for target in TARGETS.values():
        if target.scorm is not None and target.scorm == name:
            return target
    raise ConfigError(f"unknown format '{name}'; use one of {', '.join(TARGETS)}")


def target_for_scorm(scorm: str | None) -> Target:
    """The target whose templates see *scorm* (``1.2``, ``2004``, or None: the website)."""
    for target in TARGETS.values():
        if target.scorm == scorm:
            return target
    raise ConfigError(f"unknown SCORM version {scorm!r}")


def read_schema_files(schemas: Path, version: ScormVersion) -> dict[str, bytes]:
    """Read the XML control files (XSD/DTD) of one SCORM version from a schema folder.

    Args:
        schemas: a folder holding ``scorm12/`` and ``scorm2004_4th/`` (the layout of the
            shared scorm-schemas folder).
        version: the version whose set is wanted.

    Returns:
        Archive path (relative to the set folder, sub-folders kept) → bytes.

    Raises:
        ConfigError: the set folder is missing or holds no ``.xsd`` file.
    """
    base = schemas / version.schema_set
    files: dict[str, bytes] = {}
    if base.is_dir():
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base).as_posix()
            if path.is_file() and not is_junk(rel):
                files[rel] = path.read_bytes()
    if not any(name.endswith(".xsd") for name in files):
        raise ConfigError(f"{base} holds no XSD files for {version.label}; --schemas needs a "
                          "folder with scorm12/, scorm2004_4th/ sub-folders")
    return files
