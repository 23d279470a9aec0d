"""Printable reports a training programme can file: PDF, built with reportlab.

Why reportlab: a maintained library that lays out tables, wraps text and embeds fonts, so
nothing here writes PDF syntax by hand, and it needs no browser or external program. It is
imported inside the functions that draw, never at module level, so neither the kernel nor
the command line pays for it until a report is asked for.

* :func:`hours_report_pdf` (pure: hours in, bytes out) and :func:`write_hours_report`
  (a trainee of a workspace, written atomically): supervision hours by format and modality,
  each rule's status with its numbers, client contact, the signed-off records with their
  supervisors, dates, key-signature statements, ids and content hashes, and the
  ``supervision-workbook validate`` command that checks them.

An evaluation report waits for competency evaluations, which do not exist yet.
"""

from __future__ import annotations

from ._hours_pdf import ReportContext, hours_report_pdf, write_hours_report

__all__ = ["ReportContext", "hours_report_pdf", "write_hours_report"]
