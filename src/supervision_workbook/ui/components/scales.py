"""The project's answer widgets: Likert rows and visual-analogue lines (anywidgets).

Why one widget per *instrument* rather than one per item: every anywidget instance carries
its own copy of the ES module in its state, so twelve items as twelve widgets would send
the module twelve times. One widget renders all rows, each an accessible ``<fieldset>``
(see ``widgets/rating.js`` and ``widgets/vas.js``).

The page is not trusted: a value that arrives from the browser is checked against the
scale before it is accepted. An answer that is not a point of the scale (a tampered
message, a rounding slip) is refused, the previous answer is kept and sent back to the
page, and :attr:`ScaleWidget.rejected` says why in words for the view to show.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import anywidget
import traitlets

from supervision_workbook.ui.components._assets import widget_source

_TOL = 1e-9


def scale_points(lo: float, hi: float, step: float) -> list[float]:
    """The points ``lo, lo + step, ..., hi`` without floating-point drift (0.1 steps stay
    0.1, 0.2, 0.3...)."""
    count = round((hi - lo) / step)
    places = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return [round(lo + k * step, places + 6) + 0.0 for k in range(count + 1)]


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value):
        return None
    return float(value)


class ScaleWidget(anywidget.AnyWidget):
    """What both answer widgets share: items, values, invalid marks, read-only mode."""

    label = traitlets.Unicode("").tag(sync=True)
    items = traitlets.List(traitlets.Dict()).tag(sync=True)
    values = traitlets.List().tag(sync=True)
    invalid = traitlets.List(traitlets.Int()).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    #: Why the last value from the page was refused ("" when it was accepted). Not synced.
    rejected = traitlets.Unicode("")

    def __init__(self, *, label: str, items: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        payload = [{"label": str(text), "hint": str(hint)} for text, hint in items]
        values = kwargs.pop("values", None)
        super().__init__(label=str(label), items=payload, **kwargs)
        self.values = list(values) if values is not None else [None] * len(payload)

    def _accepts(self, value: float) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def _describe(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    @traitlets.validate("values")
    def _validate_values(self, proposal: dict[str, Any]) -> list[float | None]:
        proposed = proposal["value"]
        previous = list(self.values) if self.values else [None] * len(self.items)
        if not isinstance(proposed, (list, tuple)) or len(proposed) != len(self.items):
            self.rejected = (
                f"{self.label}: expected {len(self.items)} answers, got "
                f"{len(proposed) if isinstance(proposed, (list, tuple)) else 'something else'}"
            )
            return previous
        cleaned: list[float | None] = []
        problems: list[str] = []
        for i, raw in enumerate(proposed):
            if raw is None:
                cleaned.append(None)
                continue
            value = _number(raw)
            if value is None or not self._accepts(value):
                problems.append(f"item {i + 1}: {raw!r} is not on {self._describe()}")
                cleaned.append(previous[i] if i < len(previous) else None)
            else:
                cleaned.append(value)
        self.rejected = f"{self.label}: " + "; ".join(problems) if problems else ""
        return cleaned


class LikertScale(ScaleWidget):
    """Likert rows: a radio group per item over labelled scale points.

    ``points`` is a list of ``(value, anchor)``; ``items`` a list of ``(label, hint)``.
    """

    _esm = widget_source("rating.js")
    _css = widget_source("rating.css")

    points = traitlets.List(traitlets.Dict()).tag(sync=True)

    def __init__(
        self,
        *,
        label: str,
        items: Sequence[tuple[str, str]],
        points: Sequence[tuple[float, str]],
        **kwargs: Any,
    ) -> None:
        self._allowed = [float(v) for v, _ in points]
        super().__init__(
            label=label,
            items=items,
            points=[{"value": float(v), "anchor": str(a or "")} for v, a in points],
            **kwargs,
        )

    def _accepts(self, value: float) -> bool:
        return any(abs(value - allowed) < _TOL for allowed in self._allowed)

    def _describe(self) -> str:
        return "the scale's points (" + ", ".join(f"{v:g}" for v in self._allowed) + ")"


class VisualAnalogueScale(ScaleWidget):
    """Visual-analogue lines from ``min`` to ``max``, read to ``step``, with end anchors."""

    _esm = widget_source("vas.js")
    _css = widget_source("vas.css")

    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(10.0).tag(sync=True)
    step = traitlets.Float(0.1).tag(sync=True)
    low_anchor = traitlets.Unicode("").tag(sync=True)
    high_anchor = traitlets.Unicode("").tag(sync=True)

    def _accepts(self, value: float) -> bool:
        if not self.min - _TOL <= value <= self.max + _TOL:
            return False
        steps = (value - self.min) / self.step
        return abs(steps - round(steps)) < 1e-6

    def _describe(self) -> str:
        return f"the line from {self.min:g} to {self.max:g} in steps of {self.step:g}"
