"""Workspace configuration: alert thresholds, cut-off conventions, supervision hour targets.

Why TOML with a commented template: a program administrator edits this file by hand, so
``init`` writes every default with a comment that says what it means and where the number
comes from. Loading validates it with pydantic, so a typo names the field and the problem
instead of silently falling back to a default.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_NAME = "supervision-workbook.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReliableChangeNorms(_Section):
    """User-supplied norms for Jacobson & Truax reliable change. Never shipped as defaults.

    ``reliability`` should be a test-retest coefficient: Jacobson & Truax (1991) use the
    measure's reliability to estimate the error of a score measured twice, which is what a
    retest coefficient describes. Internal consistency (alpha) describes items within one
    occasion and, for short scales whose items are near-duplicates, overstates it.
    """

    sd: float = Field(gt=0)
    reliability: float = Field(gt=0, lt=1)


class AlertConfig(_Section):
    """Thresholds for every alert rule (see ``alerts``)."""

    #: Per-instrument override of the cut-off comparison that each instrument file declares
    #: ("<" strictly below; "<=" at or below). One instrument's convention never moves another's.
    cutoff_comparison: dict[str, Literal["<", "<="]] = Field(default_factory=dict)
    #: Per-instrument drop (previous minus current, in the instrument's primary statistic)
    #: that fires the drop alert. Instruments not listed use their own file's default.
    drop: dict[str, float] = Field(default_factory=dict)
    #: Per-instrument item threshold: an item at or below this value fires an alert.
    item_threshold: dict[str, float] = Field(default_factory=dict)
    #: Therapist minus client, in mean item points on the same dimension, that fires
    #: the divergence alert.
    divergence: float = Field(default=1.0, ge=0)
    #: Reliable change is computed only for instruments listed here.
    reliable_change: dict[str, ReliableChangeNorms] = Field(default_factory=dict)
    #: A countertransference theme is "strong" at or above this intensity...
    theme_strong_at: int = Field(default=3, ge=0)
    #: ...and "recurring" when strong in at least this many of the last `theme_window` sessions.
    theme_recur_count: int = Field(default=3, ge=2)
    theme_window: int = Field(default=5, ge=2)

    @field_validator("cutoff_comparison", mode="before")
    @classmethod
    def _one_setting_before_0_2(cls, value: object) -> object:
        """Files and artifacts written before 0.2 hold one global string. "<" was the
        default for every instrument, so it changes nothing; "<=" was offered for the SRS
        convention ("<= 36"), so it now applies to the SRS only."""
        if value == "<":
            return {}
        if value == "<=":
            return {"srs": "<="}
        return value


#: Supervision formats (``model.SignOff.format``), repeated here so configuration does not
#: import the model; ``tests/test_hours.py`` holds the two lists equal.
SupervisionFormat = Literal[
    "individual", "triadic", "group", "live_observation", "recording_review"
]


class _Rule(_Section):
    #: How the rule is shown in reports and on the dashboard; a default is derived.
    name: str = Field(default="", max_length=120)


class TotalRule(_Rule):
    """At least ``hours`` of supervision in all (or only the listed ``formats``)."""

    kind: Literal["total"]
    hours: float = Field(gt=0)
    formats: list[SupervisionFormat] = Field(default_factory=list)
    #: Group minutes count at this weight (the older ``group_weight``).
    group_weight: float = Field(default=1.0, ge=0, le=1)
    #: At most this share of the counted minutes may be by video (telesupervision);
    #: minutes beyond it do not count. Unset: video counts in full.
    max_video_share: float | None = Field(default=None, ge=0, le=1)


class FormatRule(_Rule):
    """At least ``hours`` of one supervision format."""

    kind: Literal["format"]
    format: SupervisionFormat
    hours: float = Field(gt=0)


class WeeklyRule(_Rule):
    """At least ``hours`` of supervision (of the listed ``formats``) in every calendar week
    (Monday to Sunday) from the programme's start, or from the first recorded supervision."""

    kind: Literal["weekly"]
    hours: float = Field(gt=0)
    formats: list[SupervisionFormat] = Field(default_factory=list)
    #: Weeks short of the minimum that the programme allows (holidays, illness).
    allowed_short_weeks: int = Field(default=0, ge=0)


class DirectRule(_Rule):
    """At least ``hours`` of direct client contact (the recorded length of sessions)."""

    kind: Literal["direct"]
    hours: float = Field(gt=0)


class IndirectRule(_Rule):
    """At least ``hours`` in the indirect-hours log (notes, consultation, preparation)."""

    kind: Literal["indirect"]
    hours: float = Field(gt=0)


class ObservedRule(_Rule):
    """At least ``sessions`` supervisions by live observation or review of a recording."""

    kind: Literal["observed"]
    sessions: int = Field(gt=0)


HoursRule = Annotated[
    TotalRule | FormatRule | WeeklyRule | DirectRule | IndirectRule | ObservedRule,
    Field(discriminator="kind"),
]


class HoursConfig(_Section):
    """Supervision and client-contact hours a trainee must show, as rules (``hours.rules``).

    Each rule is checked and reported on its own (``supervision_workbook.hours``). The older
    single requirement, ``required_minutes`` with ``group_weight``, still works: without
    ``[[hours.rules]]`` it is read as one ``total`` rule. With rules, the first ``total`` rule
    also fills ``required_minutes`` and ``group_weight``, so views that show one number show
    that rule's; setting both in one file is refused, with the line to write instead.
    """

    required_minutes: int = Field(default=100 * 60, ge=0)
    #: Group supervision often counts at a different rate towards licensure.
    group_weight: float = Field(default=1.0, ge=0, le=1)
    #: The programme's first and last day. With both, a rule not yet met is "on track" or
    #: "behind" against a straight line from start to end; without them, "not yet met".
    start: date | None = None
    end: date | None = None
    rules: list[HoursRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rules_and_legacy(self) -> HoursConfig:
        if self.start and self.end and self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        if not self.rules:
            return self
        legacy = {"required_minutes", "group_weight"} & self.model_fields_set
        if legacy:
            hours = self.required_minutes / 60
            are, them = ("are", "them") if len(legacy) > 1 else ("is", "it")
            raise ValueError(
                f"{' and '.join(sorted(legacy))} {are} the older single requirement; with "
                f"[[hours.rules]] remove {them} and write a rule instead (one key per line): "
                f'[[hours.rules]] kind = "total" hours = {hours:g} '
                f"group_weight = {self.group_weight:g}"
            )
        total = next((r for r in self.rules if isinstance(r, TotalRule)), None)
        if total is not None:  # the one-number views show the first total rule
            object.__setattr__(self, "required_minutes", round(total.hours * 60))
            object.__setattr__(self, "group_weight", total.group_weight)
        return self

    def effective_rules(self) -> list[HoursRule]:
        """The rules to check: the configured ones, or the older single requirement."""
        if self.rules:
            return list(self.rules)
        return [
            TotalRule(
                kind="total",
                name="Supervision hours",
                hours=self.required_minutes / 60,
                group_weight=self.group_weight,
            )
        ]


class PrivacyConfig(_Section):
    """Countries whose phone, postcode and national id formats the identifier check knows."""

    #: ISO 3166-1 codes ("UK" is read as "GB"); the first decides how 03/04/2015 is read.
    regions: list[str] = Field(default_factory=lambda: ["US"], min_length=1)

    @field_validator("regions")
    @classmethod
    def _country_codes(cls, regions: list[str]) -> list[str]:
        codes = []
        for region in regions:
            code = region.strip().upper()
            if not (len(code) == 2 and code.isalpha()):
                raise ValueError(f"{region!r} is not a two-letter country code such as GB or US")
            codes.append("GB" if code == "UK" else code)
        return codes


class WorkspaceConfig(_Section):
    """The whole configuration file."""

    #: Instruments that the supervisee workbook asks for, by respondent.
    client_instrument: str = "alliance-checkin-client"
    therapist_instrument: str = "alliance-checkin-therapist"
    supervision_instrument: str = "supervision-checkin"
    #: "auto" detects Binder from the environment; true/false force the banner on or off.
    binder_mode: Literal["auto", "on", "off"] = "auto"
    alerts: AlertConfig = Field(default_factory=AlertConfig)
    hours: HoursConfig = Field(default_factory=HoursConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and field."""


DEFAULT_CONFIG_TEXT = """\
# supervision-workbook workspace configuration.
# Every value below is the default; change what your program needs and keep the rest.

# Instruments the supervisee workbook asks for. Licensed ones (wai-sr-client, srs, ...)
# need a text pack with your licensed wording in textpacks/ before their items show text.
client_instrument = "alliance-checkin-client"
therapist_instrument = "alliance-checkin-therapist"
supervision_instrument = "supervision-checkin"

# "auto" shows the Binder banner when running on mybinder.org; "on" / "off" force it.
binder_mode = "auto"

[alerts]
# Difference between the client's and the therapist's parallel forms, in mean item points
# on one dimension (goal, task, bond), either way round. Project default, not normed.
divergence = 1.0
# A countertransference theme at or above this intensity (0-4) counts as strong...
theme_strong_at = 3
# ...and recurring when strong in this many of the last `theme_window` sessions.
theme_recur_count = 3
theme_window = 5
# (theme_strong_at, theme_recur_count and theme_window are project defaults, not normed.)

# Each instrument file declares whether its cut-off flags "<" (below) or "<=" (at or below).
# Override it here per instrument; sources differ on whether the SRS cut-off of 36 counts.
[alerts.cutoff_comparison]
# srs = "<="

# Drop from the previous session that fires an alert, per instrument (primary statistic).
# Instruments not listed use the default in their own definition file.
[alerts.drop]
# srs = 1.0

# An item at or below this value fires an alert, per instrument.
[alerts.item_threshold]
# srs = 5.0

# Reliable change (Jacobson & Truax, 1991) is computed only where you supply the SD and the
# reliability, from a published source or your own clinic's data; results are labelled as
# computed from your norms, not normed. Use a test-retest reliability: the formula needs the
# error of a score measured twice, which internal consistency (alpha) does not describe.
# No example numbers are given here on purpose: take them from your source.
[alerts.reliable_change]
# instrument-id = { sd = ..., reliability = ... }

[hours]
# Supervision minutes each trainee needs (100 hours by default), with group minutes counted
# at `group_weight` (1.0 = full). This is the older single requirement, used when there are
# no [[hours.rules]] below. When you write rules, delete these two lines and give the total
# as a "total" rule (the file is refused with both, so one number cannot silently win).
required_minutes = 6000
group_weight = 1.0
# The programme's first and last day. With both, a rule not yet met is "on track" when the
# hours so far are at least the straight-line share of the target for the time elapsed, and
# "behind" otherwise; without them a rule is only "met" or "not yet met".
# start = 2026-09-01
# end = 2027-06-30

# Rules: each is checked and reported on its own. The examples below only show the form;
# none of them is any accrediting body's or licensing board's rule: copy your own.
# Formats: individual, triadic, group, live_observation, recording_review.
#
# [[hours.rules]]
# kind = "total"              # all supervision (or only `formats = [...]`)
# name = "Supervision hours"
# hours = 100
# group_weight = 1.0          # group minutes count at this weight
# max_video_share = 0.5       # at most this share may be by video (telesupervision)
#
# [[hours.rules]]
# kind = "format"             # a minimum of one format
# format = "individual"
# hours = 50
#
# [[hours.rules]]
# kind = "weekly"             # every week, Monday to Sunday
# hours = 4
# allowed_short_weeks = 2
#
# [[hours.rules]]
# kind = "weekly"
# name = "Individual each week"
# formats = ["individual"]
# hours = 2
#
# [[hours.rules]]
# kind = "direct"             # client contact: the recorded length of sessions
# hours = 400
#
# [[hours.rules]]
# kind = "indirect"           # the indirect-hours log: notes, consultation, preparation
# hours = 100
#
# [[hours.rules]]
# kind = "observed"           # supervisions by live observation or review of a recording
# sessions = 4

[privacy]
# Countries your clients live in, as two-letter codes: the identifier check looks for their
# phone numbers, postcodes and national id numbers (formats known for US, GB, CA, AU, DE,
# FR, NL, IE and NZ). The first one decides how a date like 03/04/2015 is read.
regions = ["US"]
"""


def parse_config(text: str, source: str = CONFIG_NAME) -> WorkspaceConfig:
    """Parse and validate configuration text; errors name ``source``, the field and problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    try:
        return WorkspaceConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in err['loc'])}': {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{source}: {problems}") from exc


def load_config(workspace: Path | None) -> WorkspaceConfig:
    """The workspace's configuration, or the defaults when there is no file."""
    if workspace is None:
        return WorkspaceConfig()
    path = Path(workspace) / CONFIG_NAME
    if not path.exists():
        return WorkspaceConfig()
    return parse_config(path.read_text(encoding="utf-8"), str(path))
