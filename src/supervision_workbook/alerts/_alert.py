"""The :class:`Alert` record and the words every rule shares.

Why shared wording lives here: a supervisor compares flags across rules in the first
minutes of a meeting, so "project default, not normed", the respondent's name and the
statistic must read the same in every message.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, JsonValue

from supervision_workbook.instruments import RatingInstrument
from supervision_workbook.model import Respondent
from supervision_workbook.scoring import format_number

Rule = Literal[
    "risk_concern",
    "cutoff",
    "item_threshold",
    "drop",
    "reliable_change",
    "divergence",
    "unrepaired_rupture",
    "recurring_theme",
    "still_below_cutoff",
    "still_unrepaired",
]
"""Session rules, most urgent first, then the two case-level states (``session_number``
None) that stay visible after the session flags behind them were discussed."""

RULES: tuple[str, ...] = get_args(Rule)
STATE_RULES: tuple[str, ...] = ("still_below_cutoff", "still_unrepaired")

NOT_NORMED = "computed from the norms you supplied, not normed"
PROJECT_DEFAULT = "project default, not normed"
CONFIGURED = "set in supervision-workbook.toml"

n = format_number


class Alert(BaseModel):
    """One fired rule. Serialises to plain JSON (``model_dump(mode="json")``).

    ``message`` and ``inputs`` hold numbers, ids and the project's own labels only: never
    free text the trainee typed and never licensed item wording (items are named
    "Item 3 (Bond)"), so an alert can be stored in an artifact's summary as it is. It is
    still escaped wherever it is shown, like any text.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: Rule
    message: str
    inputs: dict[str, JsonValue]
    session_number: int | None = None
    instrument_id: str | None = None
    respondent: str | None = None

    @property
    def key(self) -> str:
        """Stable name of the flag within its case (``model.FlagMark.flag``): one flag per
        session per rule, one per case for a state."""
        return f"{self.rule}:{self.session_number if self.session_number is not None else 'case'}"


def respondent_value(value: Respondent | str | None) -> str | None:
    return value.value if isinstance(value, Respondent) else value


def who(instrument: RatingInstrument, respondent: str | None) -> str:
    if respondent and len(instrument.respondents) > 1:
        return f"{instrument.name} (rated by the {respondent})"
    return instrument.name


def statistic(instrument: RatingInstrument) -> str:
    return "mean item score" if instrument.primary == "mean" else "total"


def threshold_words(instrument: RatingInstrument, field: str, configured: bool) -> str:
    """Where a threshold comes from, in the words every message uses."""
    if configured:
        return CONFIGURED
    source = instrument.threshold_sources.get(field)  # type: ignore[call-overload]
    return f"published: {source}" if source else PROJECT_DEFAULT


def source_key(instrument: RatingInstrument, field: str, configured: bool) -> str:
    """The same, for ``inputs``: ``config``, ``published`` or ``project_default``."""
    if configured:
        return "config"
    return "published" if instrument.threshold_sources.get(field) else "project_default"  # type: ignore[call-overload]


def is_alliance(instrument: RatingInstrument) -> bool:
    """Alliance measures map their subscales to goal / task / bond; outcome measures don't.
    The wording differs: an alliance rating *falls*, outcome *deteriorates*."""
    return bool(instrument.dimensions)


def merge(alerts: list[Alert]) -> Alert:
    """One flag per session per rule: several alerts of one rule in one session (low items
    of two forms, two recurring themes) become one alert that lists them."""
    if len(alerts) == 1:
        return alerts[0]
    first = alerts[0]
    instruments = {a.instrument_id for a in alerts}
    respondents = {a.respondent for a in alerts}
    parts: list[JsonValue] = [
        {**a.inputs, "instrument_id": a.instrument_id, "respondent": a.respondent} for a in alerts
    ]
    return Alert(
        rule=first.rule,
        message=" ".join(a.message for a in alerts),
        inputs={"parts": parts},
        session_number=first.session_number,
        instrument_id=instruments.pop() if len(instruments) == 1 else None,
        respondent=respondents.pop() if len(respondents) == 1 else None,
    )
