"""Every rule over one response or one case's sessions.

Incomplete responses are shown with their partial scores elsewhere, but only the item rule
reads them here: a cut-off or a drop computed from some of the items would look exactly
like a real one. :func:`case_alerts` skips responses it cannot use: instruments that are
not in ``instruments`` (a program's own instrument missing on this machine) and answers
that :func:`~supervision_workbook.scoring.score` refuses. One bad response must not hide
every other alert of a case; the views that show scores report the reason.
:func:`response_alerts`, given one response in hand, raises ``ScoringError`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from supervision_workbook.config import AlertConfig
from supervision_workbook.instruments import Instrument, RatingInstrument
from supervision_workbook.model import Respondent, SessionEntry
from supervision_workbook.scoring import Score, ScoringError, primary, score

from ._alert import RULES, Alert, merge, respondent_value
from ._divergence import divergence
from ._response import from_score
from ._risk import risk_concerns
from ._ruptures import unrepaired_ruptures
from ._series import drops, reliable_changes
from ._themes import recurring_themes


def response_alerts(
    instrument: Instrument,
    answers: Sequence[float | None],
    config: AlertConfig,
    session_number: int | None = None,
    *,
    respondent: Respondent | str | None = None,
) -> list[Alert]:
    """Alerts that one response raises on its own: cut-off and item threshold.

    Non-rating instruments raise none. Answers that cannot be scored raise
    :class:`~supervision_workbook.scoring.ScoringError`.
    """
    if not isinstance(instrument, RatingInstrument):
        return []
    return from_score(
        instrument,
        answers,
        score(instrument, answers),
        config,
        session_number,
        respondent_value(respondent),
    )


Series = dict[tuple[str, str], list[tuple[int, float]]]


def complete_series(
    sessions: Sequence[SessionEntry], instruments: Mapping[str, Instrument]
) -> Series:
    """(instrument id, respondent) -> [(session, primary value)] of complete responses."""
    series: Series = {}
    for session in sorted(sessions, key=lambda s: s.number):
        for response in session.responses:
            instrument = instruments.get(response.instrument_id)
            if not isinstance(instrument, RatingInstrument):
                continue
            try:
                result = score(instrument, response.answers)
            except ScoringError:
                continue
            if result.complete:
                key = (instrument.id, response.respondent.value)
                points = series.setdefault(key, [])
                if points and points[-1][0] == session.number:
                    points.pop()  # the later response of one session counts
                points.append((session.number, primary(instrument, result.total)))
    return series


def case_alerts(
    sessions: Sequence[SessionEntry],
    instruments: Mapping[str, Instrument],
    config: AlertConfig,
) -> list[Alert]:
    """Every session rule over a case's sessions: one alert per session per rule, ordered
    by session number and then by rule (most urgent first)."""
    order = sorted(sessions, key=lambda s: s.number)
    alerts: list[Alert] = []
    for session in order:
        scored: list[tuple[RatingInstrument, str, Score]] = []
        for response in session.responses:
            instrument = instruments.get(response.instrument_id)
            if not isinstance(instrument, RatingInstrument):
                continue
            who = response.respondent.value
            try:
                result = score(instrument, response.answers)
            except ScoringError:
                continue  # shown, with the reason, wherever the score is displayed
            alerts += from_score(instrument, response.answers, result, config, session.number, who)
            if result.complete:
                scored.append((instrument, who, result))
        alerts += divergence(session.number, scored, config)
    for (instrument_id, who), points in complete_series(order, instruments).items():
        instrument = instruments[instrument_id]
        assert isinstance(instrument, RatingInstrument)
        alerts += drops(instrument, who, points, config)
        alerts += reliable_changes(instrument, who, points, config)
    alerts += unrepaired_ruptures(order)
    alerts += recurring_themes(order, instruments, config)
    alerts += risk_concerns(order)
    groups: dict[tuple[int, str], list[Alert]] = {}
    for alert in alerts:
        groups.setdefault((alert.session_number or 0, alert.rule), []).append(alert)
    return [merge(groups[key]) for key in sorted(groups, key=lambda k: (k[0], RULES.index(k[1])))]
