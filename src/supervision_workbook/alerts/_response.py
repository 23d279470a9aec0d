"""Rules one response raises on its own: ``cutoff`` and ``item_threshold``.

Why the cut-off comparison is per instrument: conventions differ by instrument (sources use
both "< 36" and "<= 36" for the SRS), so each file declares its own (``cutoff.comparison``)
and a workspace may override it for one instrument (``[alerts.cutoff_comparison]``)
without moving any other instrument's cut-off.

Why one ``item_threshold`` alert per response: a low form usually has several low items,
and a flag per item buried the one signal a supervisor needs ("these items were low").
"""

from __future__ import annotations

from collections.abc import Sequence

from supervision_workbook.config import AlertConfig
from supervision_workbook.instruments import RatingInstrument
from supervision_workbook.scoring import Score, primary

from ._alert import PROJECT_DEFAULT, Alert, n, source_key, statistic, threshold_words, who


def comparison(instrument: RatingInstrument, config: AlertConfig) -> str:
    """The cut-off comparison in force for ``instrument``: configuration, else the file."""
    if instrument.cutoff is None:
        return "<"
    return config.cutoff_comparison.get(instrument.id, instrument.cutoff.comparison)


def below_cutoff(instrument: RatingInstrument, value: float, config: AlertConfig) -> bool:
    """The cut-off rule itself, shared by the session flag and the case-level state."""
    if instrument.cutoff is None:
        return False
    cut = instrument.cutoff.value
    return value < cut if comparison(instrument, config) == "<" else value <= cut


def cutoff_source(instrument: RatingInstrument) -> str:
    assert instrument.cutoff is not None
    return f"published: {instrument.cutoff.source}" if instrument.cutoff.source else PROJECT_DEFAULT


def from_score(
    instrument: RatingInstrument,
    answers: Sequence[float | None],
    result: Score,
    config: AlertConfig,
    session_number: int | None,
    respondent: str | None,
) -> list[Alert]:
    alerts: list[Alert] = []
    common = {
        "session_number": session_number,
        "instrument_id": instrument.id,
        "respondent": respondent,
    }
    name = who(instrument, respondent)
    if instrument.cutoff is not None and result.complete:
        value = primary(instrument, result.total)
        if below_cutoff(instrument, value, config):
            cut = instrument.cutoff.value
            rel = comparison(instrument, config)
            words = "below" if rel == "<" else "at or below"
            configured = instrument.id in config.cutoff_comparison
            alerts.append(
                Alert(
                    rule="cutoff",
                    message=(
                        f"Below the cut-off: {name} {statistic(instrument)} is {n(value)}, "
                        f"{words} the cut-off of {n(cut)} ({cutoff_source(instrument)}"
                        f"{'; comparison set in supervision-workbook.toml' if configured else ''})."
                    ),
                    inputs={
                        "value": value,
                        "statistic": instrument.primary,
                        "cutoff": cut,
                        "comparison": rel,
                        "comparison_source": "config" if configured else "instrument",
                        "cutoff_source": instrument.cutoff.source or "project_default",
                    },
                    **common,
                )
            )
    configured = instrument.id in config.item_threshold
    threshold = config.item_threshold.get(instrument.id, instrument.item_threshold)
    if threshold is None:
        return alerts
    low: list[dict[str, object]] = []
    described: list[str] = []
    for i, value in enumerate(result.items):
        if value is None or value > threshold:
            continue
        item = instrument.items[i]
        answered = answers[i]
        reverse = (
            f" (reverse-scored: answered {n(answered)})"
            if item.reverse and answered is not None
            else ""
        )
        described.append(f"{instrument.item_ref(i)} scored {n(value)}{reverse}")
        low.append(
            {
                "item_index": i,
                "item_id": item.id,
                "answer": answered,
                "scored": value,
                "reverse": item.reverse,
            }
        )
    if low:
        plural = "s" if len(low) > 1 else ""
        alerts.append(
            Alert(
                rule="item_threshold",
                message=(
                    f"Low item{plural}: {name}, {'; '.join(described)}; at or below the item "
                    f"threshold of {n(threshold)} "
                    f"({threshold_words(instrument, 'item_threshold', configured)})."
                ),
                inputs={
                    "items": low,  # type: ignore[dict-item]
                    "threshold": threshold,
                    "threshold_source": source_key(instrument, "item_threshold", configured),
                },
                **common,
            )
        )
    return alerts
