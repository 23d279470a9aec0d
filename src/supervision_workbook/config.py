"""Workspace configuration: alert thresholds, cut-off conventions, supervision hour targets.

Why TOML with a commented template: a program administrator edits this file by hand, so
``init`` writes every default with a comment that says what it means and where the number
comes from. Loading validates it with pydantic, so a typo names the field and the problem
instead of silently falling back to a default.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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


class HoursConfig(_Section):
    """Supervision hours a trainee must accumulate (licensure rules differ by jurisdiction)."""

    required_minutes: int = Field(default=100 * 60, ge=0)
    #: Group supervision often counts at a different rate towards licensure.
    group_weight: float = Field(default=1.0, ge=0, le=1)


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
# Supervision minutes each trainee needs (100 hours by default).
required_minutes = 6000
# Weight of group supervision minutes towards the requirement (1.0 = full).
group_weight = 1.0

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
