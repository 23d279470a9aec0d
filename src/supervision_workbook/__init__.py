"""supervision-workbook: structured clinical supervision case reviews as Voila apps.

The package is layered (see docs/ARCHITECTURE.md). Importing it is cheap on purpose: it
imports nothing heavy, so a Voila kernel's first cell stays fast.
"""

__version__ = "0.2.0"
