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


#: The commented configuration ``init`` writes: every setting with its default, the reasons and
#: the sources. Kept as a TOML file beside this module (``config_template.toml``) so that it
#: reads, and is reviewed, as the file a program director will edit.
DEFAULT_CONFIG_TEXT = (Path(__file__).parent / "config_template.toml").read_text(encoding="utf-8")


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
