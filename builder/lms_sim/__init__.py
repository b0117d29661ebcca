"""The simulated LMS page of ``builder serve`` (static files: lms.html, lms.js, lms.css)."""
from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent
"""Folder holding the LMS page and its scripts."""
