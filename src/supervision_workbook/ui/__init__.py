"""The ipywidget views (Voila apps) and their building blocks.

Nothing is imported here on purpose: a workbook imports the one view it shows
(``from supervision_workbook.ui.supervisee import app``), and the view imports the building
blocks it uses, so no page pays for another page's widgets. The reusable blocks are:

* ``steps.StepFlow`` / ``steps.Step`` - step-by-step flow with progress and validation;
* ``rating.RatingForm`` - a rating instrument as a questionnaire (``scales`` holds the
  Likert and visual-analogue anywidgets);
* ``ruptures.RuptureEditor``, ``reflection.ReflectionEditor``;
* ``text`` - safe text display, ``Notice``, ``IdentifierWarnings``;
* ``autosave.Autosave`` / ``autosave.SaveBar``; ``files.Download`` / ``files.Upload``;
* ``chart_panel.ChartPanel``; ``page.StyleSheet`` / ``page.CaseReviewStyleSheet`` /
  ``page.UrlState``; ``banner`` - the Binder banner every page starts with;
* ``handover.Handover`` - where a submitted session went (the exchange after Submit);
  ``receive.ReceivePanel`` - "Collect submissions" and "Upload a trainee's workbook";
* ``casework`` - trainees, cases, history and drafts of a workspace (no widgets).

The workbooks: ``supervisee`` (entry) / ``supervisee_workbook`` with ``session_basics``,
``session_case``, ``session_parts`` and ``session_review``; ``case_review`` (entry) /
``review_workbook`` with its ``review_*`` parts; ``caseload``; ``landing``.
"""
