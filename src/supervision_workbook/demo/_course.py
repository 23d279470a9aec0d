"""The demo's numbers: ids, supervision cadence, alliance courses and answers.

Why these numbers: the demo teaches, so it must not teach wrong things.

* Answers vary by item (each case has its own item profile) and by session (noise), so no
  client answers the same on every item for eight sessions.
* Therapists rate the alliance a little *below* their clients on average, and sometimes
  above, as meta-analyses find (Tryon, Blackwell & Hammel, 2007; Lev Ari et al., 2025).
  The ``overrated`` case is the exception a supervisor should notice: a therapist about one
  item point above the client, a gap that crosses the divergence threshold on some
  dimensions in some sessions, not a wall of flags.
* Supervision is weekly for some trainees and fortnightly for others.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from supervision_workbook.instruments import RatingInstrument

SUPERVISORS = ("Dr. Demo Supervisor", "Dr. Sample Supervisor")


class Ids:
    """Deterministic ids in the same shape as :func:`model.new_id`."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def __call__(self, prefix: str) -> str:
        return f"{prefix}-{self._rng.getrandbits(40):010x}"


def cadence(trainee_index: int) -> int:
    """Sessions between supervision meetings: weekly (1) or fortnightly (2)."""
    return 1 if trainee_index % 3 == 1 else 2


def meetings(sessions: int, every: int) -> list[int]:
    """The sessions after which supervision meets (always after the latest one)."""
    return [i for i in range(1, sessions + 1) if i % every == 0 or i == sessions]


def _snap(value: float, inst: RatingInstrument) -> float:
    lo, hi, step = inst.scale.min, inst.scale.max, inst.scale.step
    snapped = min(hi, max(lo, round(round((value - lo) / step) * step + lo, 6)))
    return int(snapped) if float(snapped).is_integer() and step >= 1 else snapped


def answers(
    inst: RatingInstrument, level: float, profile: list[float], rng: random.Random
) -> list[float | None]:
    """Answers whose scored values sit near ``level`` (0..1 of the scale), shifted per item
    by the case's ``profile`` and by this session's noise."""
    lo, hi = inst.scale.min, inst.scale.max
    out: list[float | None] = []
    for i, item in enumerate(inst.items):
        shift = profile[i % len(profile)] + rng.gauss(0, 0.08)
        target = lo + (hi - lo) * min(1.0, max(0.0, level + shift))
        out.append(_snap(lo + hi - target if item.reverse else target, inst))
    return out


def course(archetype: str, n: int, rng: random.Random) -> tuple[list[float], list[float], int]:
    """Client and therapist alliance levels (0..1) per session, and the rupture session."""
    rupture_at = max(2, min(n, n // 2 + rng.choice((-1, 0, 1))))
    client: list[float] = []
    for i in range(1, n + 1):
        t = (i - 1) / max(1, n - 1)
        if archetype == "improving":
            level = 0.52 + 0.3 * t
        elif archetype == "rupture_repair":
            level = (
                0.72 + 0.08 * t - (0.3 if i == rupture_at else 0.1 if i == rupture_at + 1 else 0)
            )
        elif archetype == "unrepaired":
            level = 0.75 if i < rupture_at else 0.5 - 0.025 * (i - rupture_at)
        else:  # overrated
            level = 0.6 + 0.05 * t
        client.append(level)
    if archetype == "overrated":
        therapist = [min(0.98, c + rng.uniform(0.18, 0.26)) for c in client]
    else:
        therapist = [min(0.95, max(0.05, c + rng.gauss(-0.04, 0.06))) for c in client]
    return client, therapist, rupture_at


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)
