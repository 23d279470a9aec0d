"""The instrument models: the single source of truth for what an instrument file may say.

Why pydantic models and a *generated* JSON Schema: a training program writes its own
instrument files by hand, so a mistake must come back as "items.3.subscale: 'bnd' is not a
declared subscale", not as a wrong score months later. The same models validate the shipped
files, workspace files and instruments built in Python, and ``instrument.schema.json`` is
generated from them (see ``_schema.py``), so the schema that editors use cannot drift from
the checks that the loader runs.

Conventions that every rating instrument follows:

* Higher is better. Items that are worded the other way round are marked ``reverse`` and
  scored ``min + max - answer``, so cut-offs, item thresholds and drops all read "low is a
  concern" without per-instrument exceptions.
* Item indexes are 0-based positions in the answer list (``answers[i]``); people see
  1-based numbers ("Item 3 (Bond)"). Field paths in error messages follow the file's
  0-based array positions (``items.2`` is the third item), like every JSON tool does.
* Licensed instruments carry structure only: their item text must be ``null``; wording
  comes at run time from a text pack that the user's own licence covers.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, model_validator

from supervision_workbook.instruments._parts import (
    _TOL,
    Choice,
    Cutoff,
    Item,
    Label,
    Licence,
    Norms,
    Note,
    ProblemList,
    ResolvedChoice,
    RuptureTypeChoice,
    Scale,
    SubscaleId,
    Text,
    _absent,
    _fmt,
    _Frozen,
)
from supervision_workbook.model import Id, Resolved, Respondent, RuptureType


class _Base(_Frozen):
    id: Id
    name: Label
    respondent: Respondent | list[Respondent] = Field(
        description="Who answers: one respondent, or a list when several people fill in the "
        'same form (the supervision check-in is ["supervisor", "supervisee"]).'
    )
    licence: Licence
    note: Note = ""
    structure_note: Note = Field(
        default="",
        exclude_if=_absent,
        description="What about this definition's structure (item map, form) could not be "
        "confirmed against the published source; shown by `supervision-workbook instruments`.",
    )

    @property
    def respondents(self) -> tuple[Respondent, ...]:
        """``respondent`` as a tuple, whether the file gave one value or a list."""
        if isinstance(self.respondent, list):
            return tuple(self.respondent)
        return (self.respondent,)

    @property
    def licensed(self) -> bool:
        return self.licence.type == "licensed"


class RatingInstrument(_Base):
    """Likert or visual-analogue items, scored as sums and means per subscale and in total.

    ``counterpart`` names the parallel form for the other respondent (client <-> therapist);
    the divergence rule compares only declared counterparts. ``threshold_sources`` cites the
    published source of ``item_threshold`` or ``drop_threshold``; a threshold without one
    is a project default, not normed, and alerts say so.
    """

    kind: Literal["rating"]
    scale: Scale
    items: tuple[Item, ...] = Field(min_length=1)
    subscale_labels: dict[SubscaleId, Label] = Field(
        min_length=1,
        description="Every subscale id that items use, with the label people see, in order.",
    )
    primary: Literal["sum", "mean"] = Field(
        description="The statistic of the total that cut-offs, drops and reliable change use."
    )
    cutoff: Cutoff | None = None
    item_threshold: float | None = Field(
        default=None, description="An item scored at or below this value is flagged."
    )
    drop_threshold: float | None = Field(
        default=None,
        gt=0,
        description="A fall from the previous session of at least this much (primary "
        "statistic) is flagged.",
    )
    norms: Norms | None = None
    dimensions: dict[SubscaleId, Id] = Field(
        default_factory=dict,
        description="Subscale id -> shared dimension (goal, task, bond), so that client and "
        "therapist forms can be compared on the same footing.",
    )
    counterpart: Id | None = Field(
        default=None,
        exclude_if=_absent,
        description="Id of the parallel form for the other respondent (same dimensions and "
        "anchors); divergence compares only declared counterparts.",
    )
    threshold_sources: dict[Literal["item_threshold", "drop_threshold"], Text] = Field(
        default_factory=dict,
        exclude_if=_absent,
        description="Published source of a threshold; thresholds not listed are project "
        "defaults, not normed.",
    )

    _pack_items: dict[str, str] = PrivateAttr(default_factory=dict)
    _pack_anchors: dict[str, str] = PrivateAttr(default_factory=dict)
    _pack_source: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _check(self) -> RatingInstrument:
        problems: list[tuple[str, str]] = []
        seen: set[str] = set()
        used: set[str] = set()
        for i, item in enumerate(self.items):
            if item.id in seen:
                problems.append((f"items.{i}.id", f"'{item.id}' is used by an earlier item"))
            seen.add(item.id)
            used.add(item.subscale)
            if item.subscale not in self.subscale_labels:
                declared = ", ".join(self.subscale_labels)
                problems.append(
                    (
                        f"items.{i}.subscale",
                        f"'{item.subscale}' is not a declared subscale (declared: {declared})",
                    )
                )
            if self.licensed and item.text is not None:
                problems.append(
                    (
                        f"items.{i}.text",
                        "must be null for a licensed instrument: its wording comes from a text "
                        "pack that your licence covers",
                    )
                )
            if not self.licensed and item.text is None:
                problems.append((f"items.{i}.text", "an open instrument needs its item text"))
        for sub in self.subscale_labels:
            if sub not in used:
                problems.append((f"subscale_labels.{sub}", "no item belongs to this subscale"))
        for sub in self.dimensions:
            if sub not in self.subscale_labels:
                problems.append((f"dimensions.{sub}", "is not a declared subscale"))
        if self.counterpart == self.id:
            problems.append(("counterpart", "must name the other respondent's form, not this one"))
        if self.licensed and not self.licence.citation:
            problems.append(("licence.citation", "a licensed instrument must cite its source"))
        lo, hi = self.primary_range
        if self.cutoff is not None and not lo <= self.cutoff.value <= hi:
            problems.append(
                (
                    "cutoff.value",
                    f"{_fmt(self.cutoff.value)} is outside the possible {self.primary} "
                    f"{_fmt(lo)} to {_fmt(hi)}",
                )
            )
        if self.item_threshold is not None and not self.scale.in_range(self.item_threshold):
            problems.append(
                (
                    "item_threshold",
                    f"{_fmt(self.item_threshold)} is outside {self.scale.describe()}",
                )
            )
        if self.drop_threshold is not None and self.drop_threshold > hi - lo:
            problems.append(
                (
                    "drop_threshold",
                    f"{_fmt(self.drop_threshold)} is larger than the whole range of the "
                    f"{self.primary} ({_fmt(lo)} to {_fmt(hi)})",
                )
            )
        if problems:
            raise ProblemList(problems)
        return self

    @property
    def primary_range(self) -> tuple[float, float]:
        """Lowest and highest possible value of the primary statistic of the total."""
        if self.primary == "mean":
            return self.scale.min, self.scale.max
        n = len(self.items)
        return self.scale.min * n, self.scale.max * n

    @property
    def subscales(self) -> dict[str, list[int]]:
        """Subscale id -> 0-based item indexes, in the order of ``subscale_labels``."""
        out: dict[str, list[int]] = {sub: [] for sub in self.subscale_labels}
        for i, item in enumerate(self.items):
            out[item.subscale].append(i)
        return out

    @property
    def text_pack(self) -> str | None:
        """The file the item wording came from, or None when no text pack was applied."""
        return self._pack_source

    def item_ref(self, i: int) -> str:
        """A neutral name for item ``i`` (0-based): ``"Item 3 (Bond)"``. Never any wording,
        so it is safe in alerts and saved summaries."""
        item = self.items[i]
        return f"Item {i + 1} ({self.subscale_labels[item.subscale]})"

    def item_label(self, i: int) -> str:
        """What people see for item ``i`` (0-based): text-pack wording, the file's own text,
        or the neutral ``"Item 3 (Bond)"`` when no wording is available."""
        item = self.items[i]
        return self._pack_items.get(item.id) or item.text or self.item_ref(i)

    def anchor_label(self, value: float) -> str | None:
        """The anchor for ``value``, preferring the text pack's wording."""
        for key, label in self._pack_anchors.items():
            if abs(float(key) - value) < _TOL:
                return label
        return self.scale.anchor(value)

    def with_text_pack(
        self, items: dict[str, str], anchors: dict[str, str], source: str
    ) -> RatingInstrument:
        """A copy that shows wording from a text pack (already validated by the loader).

        The wording lives beside the definition, not in it: ``model_dump`` of the copy still
        holds no licensed text, so it can never leak into a saved file by serialisation.
        """
        copy = self.model_copy()
        copy._pack_items = dict(items)
        copy._pack_anchors = dict(anchors)
        copy._pack_source = source
        return copy


class RuptureLogInstrument(_Base):
    """The rupture-and-repair log. Categories follow the Rupture Resolution Rating System
    (Eubanks, Muran & Safran), described in this project's own words."""

    kind: Literal["rupture-log"]
    rupture_types: tuple[RuptureTypeChoice, ...] = Field(min_length=1)
    withdrawal_markers: tuple[Choice, ...] = Field(min_length=1)
    confrontation_markers: tuple[Choice, ...] = Field(min_length=1)
    salience: Scale
    strategies: tuple[Choice, ...] = Field(min_length=1)
    resolved_options: tuple[ResolvedChoice, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> RuptureLogInstrument:
        problems: list[tuple[str, str]] = []
        problems += _same_ids("rupture_types", self.rupture_types, [t.value for t in RuptureType])
        problems += _same_ids(
            "resolved_options", self.resolved_options, [r.value for r in Resolved]
        )
        problems += _unique_ids(
            [
                ("withdrawal_markers", self.withdrawal_markers),
                ("confrontation_markers", self.confrontation_markers),
            ]
        )
        problems += _unique_ids([("strategies", self.strategies)])
        # The record (model.Rupture) stores salience as an int from 1 to 5.
        if not self.salience.is_integral() or self.salience.min < 1 or self.salience.max > 5:
            problems.append(("salience", "must be whole points within 1 to 5"))
        if problems:
            raise ProblemList(problems)
        return self


class Theme(Choice):
    """A countertransference theme (one of the Therapist Response Questionnaire factors)."""


class Prompt(_Frozen):
    id: Id
    text: Text


class ReflectionInstrument(_Base):
    """A guided countertransference reflection: theme intensities plus written prompts."""

    kind: Literal["reflection"]
    themes: tuple[Theme, ...] = Field(min_length=1)
    intensity: Scale
    prompts: tuple[Prompt, ...] = Field(default=())

    @model_validator(mode="after")
    def _check(self) -> ReflectionInstrument:
        problems = _unique_ids([("themes", self.themes)]) + _unique_ids([("prompts", self.prompts)])
        # The record (model.Reflection) stores intensities as non-negative ints.
        if not self.intensity.is_integral() or self.intensity.min < 0:
            problems.append(("intensity", "must be whole points starting at 0 or above"))
        if problems:
            raise ProblemList(problems)
        return self

    def theme_label(self, theme_id: str) -> str:
        return next((t.label for t in self.themes if t.id == theme_id), theme_id)


def _same_ids(
    field: str, choices: tuple[Choice, ...], expected: list[str]
) -> list[tuple[str, str]]:
    """The record's enums fix these ids; a file may describe them but not invent new ones."""
    ids = [str(getattr(c.id, "value", c.id)) for c in choices]
    if sorted(ids) == sorted(expected):
        return []
    return [(field, f"ids must be exactly {', '.join(expected)} (found: {', '.join(ids)})")]


def _unique_ids(
    groups: list[tuple[str, tuple[Choice, ...] | tuple[Prompt, ...]]],
) -> list[tuple[str, str]]:
    seen: set[str] = set()
    problems = []
    for field, choices in groups:
        for i, choice in enumerate(choices):
            if choice.id in seen:
                problems.append((f"{field}.{i}.id", f"'{choice.id}' is used more than once"))
            seen.add(choice.id)
    return problems


Instrument = Annotated[
    RatingInstrument | RuptureLogInstrument | ReflectionInstrument,
    Field(discriminator="kind"),
]
"""Any instrument definition; ``kind`` says which."""

KINDS = ("rating", "rupture-log", "reflection")
