"""The ``recurring_theme`` rule: a countertransference theme that keeps coming back.

A theme at or above ``theme_strong_at`` in at least ``theme_recur_count`` of the last
``theme_window`` sessions is flagged at each session where it is strong again (all three
are project defaults, not normed). Several recurring themes in one session make one alert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from supervision_workbook.config import AlertConfig
from supervision_workbook.instruments import Instrument, reflection_instrument
from supervision_workbook.model import Respondent, SessionEntry

from ._alert import PROJECT_DEFAULT, Alert


def recurring_themes(
    order: Sequence[SessionEntry], instruments: Mapping[str, Instrument], config: AlertConfig
) -> list[Alert]:
    reflection = reflection_instrument(instruments)
    strong = config.theme_strong_at
    alerts = []
    for k, session in enumerate(order):
        if session.reflection is None:
            continue
        window = order[max(0, k - config.theme_window + 1) : k + 1]
        for theme, intensity in session.reflection.themes.items():
            if intensity < strong:
                continue
            hits = [
                s.number
                for s in window
                if s.reflection is not None and s.reflection.themes.get(theme, strong - 1) >= strong
            ]
            if len(hits) < config.theme_recur_count:
                continue
            label = reflection.theme_label(theme) if reflection else theme
            listed = ", ".join(str(n) for n in hits)
            alerts.append(
                Alert(
                    rule="recurring_theme",
                    message=(
                        f"Recurring countertransference theme: '{label}' was strong (intensity "
                        f"{strong} or more) in {len(hits)} of the last {len(window)} sessions "
                        f"(sessions {listed}), including this one at {intensity} "
                        f"({PROJECT_DEFAULT})."
                    ),
                    inputs={
                        "theme": theme,
                        "theme_label": label,
                        "intensity": intensity,
                        "strong_at": strong,
                        "sessions": hits,
                        "count": len(hits),
                        "recur_count": config.theme_recur_count,
                        "window": config.theme_window,
                    },
                    session_number=session.number,
                    instrument_id=reflection.id if reflection else None,
                    respondent=Respondent.therapist.value,
                )
            )
    return alerts
