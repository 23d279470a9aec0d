"""Page-level widgets: the workbook's shared style sheet and the address-bar state.

:class:`StyleSheet` brings ``widgets/workbook.css`` (layout of steps, notices, cards, the
stacked labels) onto the page through anywidget, so the styles ship in the wheel with the
other front-end files instead of living in Python strings; :class:`CaseReviewStyleSheet`
adds ``widgets/case_review.css`` on the case review, and the caseload and landing pages
have theirs. No ``<style>`` string lives in Python: colours are CSS custom properties
(``--swb-blue`` ...) named once in ``workbook.css``.

:class:`UrlState` writes ``?trainee=...&case=...`` into the address bar when the person
chooses them, so a reload reopens the same case and its draft (see ``widgets/urlstate.js``).
Only well-formed ids are ever written.
"""

from __future__ import annotations

import re

import anywidget
import traitlets

from supervision_workbook.ui.components._assets import widget_source

_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class StyleSheet(anywidget.AnyWidget):
    """An empty, hidden element whose only job is to load ``workbook.css``."""

    _esm = widget_source("workbook.js")
    _css = widget_source("workbook.css")


class CaseReviewStyleSheet(StyleSheet):
    """Loads ``case_review.css`` (the case review's tables, flags and charts).

    A class of its own, not a second instance: anywidget keys a style sheet on the page by
    the widget's class name, so two instances of one class would replace each other's CSS.
    """

    _css = widget_source("case_review.css")


class CaseloadStyleSheet(StyleSheet):
    """Loads ``caseload.css`` (the dashboard's table, flags and hours bars)."""

    _css = widget_source("caseload.css")


class LandingStyleSheet(StyleSheet):
    """Loads ``landing.css`` (the landing page's workbook cards)."""

    _css = widget_source("landing.css")


class UrlState(anywidget.AnyWidget):
    """Mirror a few query parameters into the page address (``history.replaceState``)."""

    _esm = widget_source("urlstate.js")

    params = traitlets.Dict().tag(sync=True)

    def set(self, **values: str | None) -> None:
        """Set (or with None / "" remove) query parameters; malformed values are dropped."""
        params = dict(self.params)
        for key, value in values.items():
            params[key] = value if value and _VALUE.match(value) else ""
        self.params = params
