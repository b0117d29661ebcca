"""Printed editions of a course: the trainer's handbook and the participant workbook (PDF).

* :mod:`builder.printed.document`: course model + converted lessons → one HTML document
  (``render_print_html``), using the theme's ``print/`` templates and ``print/print.css``.
* :mod:`builder.printed.sheets`: quizzes as question sheets and the answer key.
* :mod:`builder.printed.pdf`: that document → a tagged PDF with WeasyPrint (``render_pdf``).
* :mod:`builder.printed.edition`: ``render_edition``, what the ``handbook`` and
  ``workbook`` targets (:class:`builder.targets.PrintTarget`) call; the build writes the
  PDF with its other outputs.
"""
from __future__ import annotations
