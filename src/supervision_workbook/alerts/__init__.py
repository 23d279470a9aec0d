"""Alerts: the rules that draw a supervisor's attention to a case, as pure functions.

Every :class:`Alert` carries the rule that fired (``rule``), the numbers it used
(``inputs``, machine-readable) and a ``message`` that states both in words, so a trainee
can check the arithmetic instead of trusting a red dot. One flag per session per rule;
thresholds that are project defaults say "project default, not normed". The rules, tuned
by :class:`~supervision_workbook.config.AlertConfig` and the instrument files:

``risk_concern``      the trainee recorded a client risk concern (``_risk``)
``cutoff``            a complete response below the instrument's cut-off (``_response``)
``item_threshold``    items at or below the item threshold, listed in one flag
``drop``              a fall from the previous complete response (``_series``)
``reliable_change``   a Jacobson & Truax reliable fall from the first, with user norms
``divergence``        parallel client and therapist forms apart on dimensions, either way
``unrepaired_rupture`` a rupture not or partly repaired, in its own session (``_ruptures``)
``recurring_theme``   a countertransference theme strong again and again (``_themes``)

and two case-level states that outlast a sign-off, ``still_below_cutoff`` and
``still_unrepaired`` (``_status``). :func:`case_flags` says which flags are open; the
dashboard, the case review, the ``alerts`` command and the export all call it.
"""

from __future__ import annotations

from ._alert import NOT_NORMED, PROJECT_DEFAULT, RULES, STATE_RULES, Alert, Rule
from ._case import case_alerts, response_alerts
from ._export import review_flag_rows
from ._ruptures import RuptureState, open_ruptures, rupture_states
from ._status import Flag, case_flags, case_states, flag_record, open_flags

__all__ = [
    "NOT_NORMED",
    "PROJECT_DEFAULT",
    "RULES",
    "STATE_RULES",
    "Alert",
    "Flag",
    "Rule",
    "RuptureState",
    "case_alerts",
    "case_flags",
    "case_states",
    "flag_record",
    "open_flags",
    "open_ruptures",
    "response_alerts",
    "review_flag_rows",
    "rupture_states",
]
