"""Browser tests: headless Chromium against a real `supervision-workbook serve`."""
