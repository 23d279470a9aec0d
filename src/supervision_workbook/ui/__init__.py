"""The ipywidget views (Voila apps): views, not rules (docs/ARCHITECTURE.md).

Nothing is imported here on purpose: a workbook imports the one view it shows
(``from supervision_workbook.ui.supervisee import app``), and the view imports the building
blocks it uses, so no page pays for another page's widgets. From the bottom up:

* ``render`` - pure functions from records to escaped HTML (no widgets);
* ``components`` - blocks every page shares: steps, timers, saving, files, the chart panel,
  scales, the page's style sheets and address bar, the Binder banner, user text, the list
  editor, the case picker, the last "review" step, and ``shell`` (``WorkbookShell`` and
  ``run_page``, the one entry behind every ``app()``);
* ``forms`` - rating, ruptures, reflection, action items, sign-off;
* ``handover`` - a submission reaching the supervisor (``submit``) and arriving (``receive``);
* ``casework`` and ``context`` - what a workbook reads from its workspace and page;
* the workbooks: ``landing``, ``supervisee``, ``case_review``, ``caseload`` (each package's
  ``__init__`` holds the ``app()`` its notebook imports).
"""
