"""The building blocks of an instrument file: answer scales, items, licence, cut-offs, norms
and named choices, with the field types they share.

Why a module of their own: the three instrument kinds (``_models.py``) are assembled from
these parts, and the checks of a part (a scale whose step does not divide its range, an
anchor off the scale) belong with the part, so a kind's validator only checks how the parts
fit together. Conventions are described in ``_models.py``.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from supervision_workbook.formatting import number
from supervision_workbook.model import Id, Resolved, RuptureType

_TOL = 1e-9

ItemId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")]
"""An item id such as ``"3"``: short, and the key that text packs use."""

SubscaleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
Label = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=1_000)]
Note = Annotated[str, StringConstraints(max_length=4_000)]


class ProblemList(ValueError):
    """Cross-field problems found by a model validator, each with its own field path.

    Raised inside validators so that constructing a model in Python is checked exactly like
    loading a file; the loader unpacks ``problems`` to name each field precisely.
    """

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {problem}" for path, problem in problems))
        self.problems = problems


def _is_whole(x: float) -> bool:
    return math.isfinite(x) and abs(x - round(x)) < _TOL


def _fmt(x: float) -> str:
    """A number as people write it: ``3.5``, ``36``, ``3.67`` (``formatting.number``)."""
    return number(x)


class _Frozen(BaseModel):
    """Definitions are shared (and cached), so nobody may change one in place."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _absent(value: object) -> bool:
    """True for the default of a field added after 0.1. Such a field is left out of the
    dump while it holds its default: an artifact stores the sha256 of each definition's
    dump, so a definition written before the field existed keeps the hash it was saved
    with."""
    return value is None or value == "" or value == {} or value == "<"


class Licence(_Frozen):
    """Who may use the wording. ``licensed`` files ship structure only, never item text."""

    type: Literal["open", "licensed"]
    citation: Annotated[str, StringConstraints(max_length=1_000)] = ""
    note: Note = ""


class Scale(_Frozen):
    """The answer scale: points ``min, min + step, ..., max``; anchors keyed by value."""

    min: float
    max: float
    step: float = Field(gt=0)
    type: Literal["likert", "vas"] = Field(
        description="likert: labelled points; vas: a visual-analogue line read to the step."
    )
    anchors: dict[str, Label] = Field(
        default_factory=dict,
        description='Labels keyed by the scale value they name, e.g. {"1": "Seldom"}.',
    )

    @model_validator(mode="after")
    def _check(self) -> Scale:
        problems: list[tuple[str, str]] = []
        if not (math.isfinite(self.min) and math.isfinite(self.max)) or self.max <= self.min:
            problems.append(("max", f"must be greater than min ({_fmt(self.min)})"))
        elif not _is_whole((self.max - self.min) / self.step):
            problems.append(
                (
                    "step",
                    f"{_fmt(self.step)} does not divide the range {_fmt(self.min)} to "
                    f"{_fmt(self.max)} into whole steps",
                )
            )
        else:
            for key in self.anchors:
                try:
                    value = float(key)
                except ValueError:
                    problems.append((f"anchors.{key}", "anchor keys must be scale values"))
                    continue
                if not self.contains(value):
                    problems.append((f"anchors.{key}", f"is not a point on {self.describe()}"))
        if problems:
            raise ProblemList(problems)
        return self

    def describe(self) -> str:
        """The scale in words, for messages: ``1 to 5 in steps of 1``."""
        return f"the scale {_fmt(self.min)} to {_fmt(self.max)} in steps of {_fmt(self.step)}"

    def in_range(self, value: float) -> bool:
        return self.min - _TOL <= value <= self.max + _TOL

    def on_step(self, value: float) -> bool:
        return _is_whole((value - self.min) / self.step)

    def contains(self, value: float) -> bool:
        """True when ``value`` is an answer this scale allows (in range and on a step)."""
        return self.in_range(value) and self.on_step(value)

    def is_integral(self) -> bool:
        """Whole-number points only (rupture salience and theme intensity are stored as int)."""
        return _is_whole(self.min) and _is_whole(self.step)

    def anchor(self, value: float) -> str | None:
        """The anchor label of ``value``, if the file names one."""
        for key, label in self.anchors.items():
            if abs(float(key) - value) < _TOL:
                return label
        return None


class Item(_Frozen):
    id: ItemId
    subscale: SubscaleId
    reverse: bool = Field(
        default=False, description="Scored min + max - answer, so that higher is better."
    )
    text: Text | None = Field(
        default=None, description="Our own wording; null for licensed instruments."
    )


class Cutoff(_Frozen):
    """A cut-off on the instrument's primary statistic of the total (sum or mean).

    ``comparison`` belongs to the instrument, because conventions differ per instrument
    (sources use both "< 36" and "<= 36" for the SRS); a workspace may override it per
    instrument in ``[alerts.cutoff_comparison]``.
    """

    value: float
    note: Note = Field(default="", description="What falling below it means, and its source.")
    comparison: Literal["<", "<="] = Field(
        default="<",
        exclude_if=_absent,
        description='"<": flag values below the cut-off; "<=": at or below it.',
    )
    source: Annotated[str, StringConstraints(max_length=1_000)] = Field(
        default="",
        exclude_if=_absent,
        description="Published source of the value; empty: a project default, not normed.",
    )


class Norms(_Frozen):
    """Published figures for the primary statistic. Shown for reference only: reliable change
    alerts use the norms the user puts in the workspace configuration, on purpose, so that
    nobody gets a "reliable" verdict computed from figures they did not choose."""

    sd: float = Field(gt=0)
    reliability: float = Field(gt=0, lt=1)
    source: Annotated[str, StringConstraints(max_length=1_000)] = ""


class Choice(_Frozen):
    """A named category with a one-line description in the project's own words."""

    id: Id
    label: Label
    description: Text


class RuptureTypeChoice(Choice):
    """A rupture family; the ids are fixed by the record (``model.RuptureType``)."""

    id: RuptureType  # type: ignore[assignment]


class ResolvedChoice(Choice):
    """How far a rupture was repaired; the ids are fixed by the record (``model.Resolved``)."""

    id: Resolved  # type: ignore[assignment]
