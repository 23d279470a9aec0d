"""``python -m supervision_workbook.cli``: the same command as ``supervision-workbook``."""

from __future__ import annotations

import sys

from . import main

sys.exit(main())
