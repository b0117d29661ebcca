"""Where the tests find the shared SCORM schema folder, and a helper to run its validator.

The folder is ``$BUILDER_SHARED/scorm-schemas`` (default: ``<repo>/../shared``). It is not
part of the repository (the XSD files are third-party documents). When it is missing the
tests that need it are skipped, except under ``CI=true``, where a missing folder is a
failure rather than a silent skip.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """Return the shared folder, or skip (fail under ``CI=true``) when it is missing.

    Returns:
        The folder named by ``BUILDER_SHARED``, default ``<repo>/../shared``.
    """
    folder = Path(os.environ.get("BUILDER_SHARED") or REPO.parent / "shared")
    if not (folder / "scorm-schemas" / "validate_manifest.py").is_file():
        reason = (f"the shared SCORM schemas are not in {folder}/scorm-schemas "
                  "(set BUILDER_SHARED to the folder that holds scorm-schemas/)")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return folder


def schemas_dir() -> Path:
    """Return the scorm-schemas folder (holds ``scorm12/``, ``scorm2004_4th/`` and the validator)."""
    return shared_dir() / "scorm-schemas"


def run_validator(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``validate_manifest.py`` on a zip, a manifest or a folder.

    Args:
        path: what to validate.
        args: extra validator options.

    Returns:
        The finished process (exit status 0 valid, 1 invalid, 2 usage or I/O problem).
    """
    script = schemas_dir() / "validate_manifest.py"
    return subprocess.run([sys.executable, str(script), str(path), *args],
                          capture_output=True, text=True, timeout=120, check=False)


def validate_zip(path: Path) -> str:
    """Assert that the official validator accepts a package; return its report.

    Args:
        path: a SCORM zip (or a folder with an imsmanifest.xml).

    Returns:
        The validator's output.
    """
    done = run_validator(path)
    report = done.stdout + done.stderr
    assert done.returncode == 0, f"validator rejected {path}:\n{report}"
    assert "VALID" in report
    return report
