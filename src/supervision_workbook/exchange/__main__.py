"""``python -m supervision_workbook.exchange``: the exchange subcommands on their own."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
