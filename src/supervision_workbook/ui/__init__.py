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
* ``chart_panel.ChartPanel``; ``page.StyleSheet`` / ``page.UrlState``;
* ``casework`` - trainees, cases, history and drafts of a workspace (no widgets).
"""
