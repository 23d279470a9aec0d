"""Scores: pure functions of the answers and the instrument definition.

This module is the one place where a number on screen is computed, so each rule is
spelled out here:

* Reverse-scored items count as ``min + max - answer`` (on a 1-5 scale, 5 counts as 1).
* Each subscale and the total get a sum and a mean of the (reverse-scored) item values.
* An unanswered item (``None``) is left out: the stats cover answered items only and the
  score says ``complete=False``. Nothing is imputed or pro-rated, because a guessed number
  would look exactly like a real one.
* The instrument's ``primary`` statistic (sum or mean of the total) is what cut-offs,
  drops and reliable change compare; :func:`primary` picks it.
* Results are rounded to 9 decimals so that visual-analogue answers in steps of 0.1 add
  up to the number a person would write (36.1 - 35.1 is a drop of exactly 1, not
  0.9999999999999964).

Answers are checked before anything is added up; a :class:`ScoringError` says what to fix
("wai-sr-client expects 12 answers, got 11").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from supervision_workbook.formatting import number
from supervision_workbook.instruments import RatingInstrument, Scale

_DIGITS = 9


class ScoringError(ValueError):
    """Answers that cannot be scored with this instrument; the message says what to fix."""


@dataclass(frozen=True)
class Stat:
    """Sum and mean of the answered items of a subscale (or of all items).

    ``mean`` is None when no item is answered. ``answered`` of ``items`` were answered.
    """

    sum: float
    mean: float | None
    answered: int
    items: int

    @property
    def complete(self) -> bool:
        return self.answered == self.items


@dataclass(frozen=True)
class Score:
    """One response, scored. ``items`` are the item values after reverse scoring."""

    instrument_id: str
    subscales: dict[str, Stat]
    total: Stat
    complete: bool
    items: tuple[float | None, ...]


@dataclass(frozen=True)
class ReliableChange:
    """Jacobson & Truax (1991) reliable change between two values of one measure.

    ``se = sd * sqrt(1 - r)``, ``s_diff = sqrt(2) * se``, ``rc = (after - before) / s_diff``;
    the change is reliable when ``|rc| > 1.96``. ``direction`` assumes higher is better,
    which every rating instrument here is made to be (see ``instruments``).
    """

    before: float
    after: float
    sd: float
    reliability: float
    se: float
    s_diff: float
    rc: float
    reliable: bool
    direction: str  # "improvement", "deterioration" or "no reliable change"


def format_number(x: float) -> str:
    """A number as people write it in messages: ``3.5``, ``36``, ``3.67`` (``formatting``)."""
    return number(x)


def _r(x: float) -> float:
    return round(x, _DIGITS) + 0.0  # + 0.0 turns -0.0 into 0.0


def _stat(values: Sequence[float | None]) -> Stat:
    answered = [v for v in values if v is not None]
    total = _r(math.fsum(answered))
    mean = _r(math.fsum(answered) / len(answered)) if answered else None
    return Stat(sum=total, mean=mean, answered=len(answered), items=len(values))


def _check(instrument: RatingInstrument, answers: Sequence[float | None]) -> None:
    if not isinstance(instrument, RatingInstrument):
        kind = getattr(instrument, "kind", type(instrument).__name__)
        ident = getattr(instrument, "id", "this instrument")
        raise ScoringError(f"{ident} is a {kind} instrument; only rating instruments have scores")
    expected = len(instrument.items)
    if len(answers) != expected:
        raise ScoringError(
            f"{instrument.id} expects {expected} answers, got {len(answers)}"
            " (use None for an item that was not answered)"
        )
    scale = instrument.scale
    for i, value in enumerate(answers):
        if value is None:
            continue
        problem = _answer_problem(value, scale)
        if problem is not None:
            # The item is named only when something is wrong: every chart, alert and cell
            # scores every response, and building "wai-sr-client, Item 3 (Bond)" for each
            # answer cost more than checking it.
            raise ScoringError(f"{instrument.id}, {instrument.item_ref(i)}: {problem}")


def _answer_problem(value: object, scale: Scale) -> str | None:
    """What is wrong with one answer on ``scale``, in words, or None when it fits."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{value!r} is not a number"
    if math.isnan(value):
        return "the answer is not a number (NaN); leave the item unanswered (None) instead"
    if not scale.in_range(value):
        return f"{format_number(value)} is outside {scale.describe()}"
    if not scale.on_step(value):
        return f"{value!r} is not a point on {scale.describe()}"
    return None


def score(instrument: RatingInstrument, answers: Sequence[float | None]) -> Score:
    """Score one response; raises :class:`ScoringError` for answers that do not fit."""
    _check(instrument, answers)
    lo, hi = instrument.scale.min, instrument.scale.max
    scored: list[float | None] = [
        None if value is None else _r(lo + hi - value) if item.reverse else float(value)
        for item, value in zip(instrument.items, answers, strict=True)
    ]
    subscales = {
        sub: _stat([scored[i] for i in indexes]) for sub, indexes in instrument.subscales.items()
    }
    total = _stat(scored)
    return Score(
        instrument_id=instrument.id,
        subscales=subscales,
        total=total,
        complete=total.complete,
        items=tuple(scored),
    )


def primary(instrument: RatingInstrument, stat: Stat) -> float:
    """The statistic that cut-offs, drops and reliable change compare (sum or mean).

    Raises :class:`ScoringError` when the mean is asked for and no item was answered.
    For an incomplete response a sum covers the answered items only; compare complete
    scores (the alert rules do).
    """
    if instrument.primary == "sum":
        return stat.sum
    if stat.mean is None:
        raise ScoringError(f"{instrument.id}: no item is answered, so there is no mean")
    return stat.mean


def dimension_stats(instrument: RatingInstrument, result: Score) -> dict[str, Stat]:
    """Stats per shared dimension (goal, task, bond), pooling the items of every subscale
    that the instrument's ``dimensions`` map sends there. Means are in item points, so a
    client form and a therapist form on the same scale can be compared directly."""
    pooled: dict[str, list[float | None]] = {}
    for sub, indexes in instrument.subscales.items():
        dim = instrument.dimensions.get(sub)
        if dim is not None:
            pooled.setdefault(dim, []).extend(result.items[i] for i in indexes)
    return {dim: _stat(values) for dim, values in pooled.items()}


def reliable_change(before: float, after: float, sd: float, reliability: float) -> ReliableChange:
    """Jacobson & Truax reliable change from ``before`` to ``after`` (same units as ``sd``)."""
    if not sd > 0 or not 0 < reliability < 1:
        raise ScoringError("reliable change needs an SD above 0 and a reliability between 0 and 1")
    se = sd * math.sqrt(1 - reliability)
    s_diff = math.sqrt(2) * se
    rc = (after - before) / s_diff
    reliable = abs(rc) > 1.96
    direction = "no reliable change"
    if reliable:
        direction = "improvement" if rc > 0 else "deterioration"
    return ReliableChange(
        before=before,
        after=after,
        sd=sd,
        reliability=reliability,
        se=_r(se),
        s_diff=_r(s_diff),
        rc=_r(rc),
        reliable=reliable,
        direction=direction,
    )
