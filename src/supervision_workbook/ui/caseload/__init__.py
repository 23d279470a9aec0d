"""The caseload dashboard workbook (``workbooks/caseload.ipynb``): all cases at a glance.

The notebook imports :func:`app` from here; the view lives in :mod:`.dashboard`.
"""

from __future__ import annotations

from supervision_workbook.ui.caseload.dashboard import app

__all__ = ["app"]
