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

from pydantic import BaseModel, ConfigDict, Field, ValidationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_NAME = "supervision-workbook.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReliableChangeNorms(_Section):
    """User-supplied norms for Jacobson & Truax reliable change. Never shipped as defaults."""

    sd: float = Field(gt=0)
    reliability: float = Field(gt=0, lt=1)


class AlertConfig(_Section):
    """Thresholds for every alert rule (see ``alerts``)."""

    #: "<" flags totals strictly below the cut-off (SRS default); "<=" includes it.
    cutoff_comparison: Literal["<", "<="] = "<"
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


class HoursConfig(_Section):
    """Supervision hours a trainee must accumulate (licensure rules differ by jurisdiction)."""

    required_minutes: int = Field(default=100 * 60, ge=0)
    #: Group supervision often counts at a different rate towards licensure.
    group_weight: float = Field(default=1.0, ge=0, le=1)


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
# Sources differ on whether the SRS cut-off of 36 flags "< 36" or "<= 36".
cutoff_comparison = "<"
# Therapist minus client, in mean item points on the same dimension (goal, task, bond).
divergence = 1.0
# A countertransference theme at or above this intensity (0-4) counts as strong...
theme_strong_at = 3
# ...and recurring when strong in this many of the last `theme_window` sessions.
theme_recur_count = 3
theme_window = 5

# Drop from the previous session that fires an alert, per instrument (primary statistic).
# Instruments not listed use the default in their own definition file.
[alerts.drop]
# srs = 1.0

# An item at or below this value fires an alert, per instrument.
[alerts.item_threshold]
# srs = 5.0

# Reliable change (Jacobson & Truax) is computed only where you supply published or local
# norms; results are labelled as computed, not normed.
[alerts.reliable_change]
# ors = { sd = 7.7, reliability = 0.93 }

[hours]
# Supervision minutes each trainee needs (100 hours by default).
required_minutes = 6000
# Weight of group supervision minutes towards the requirement (1.0 = full).
group_weight = 1.0
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
