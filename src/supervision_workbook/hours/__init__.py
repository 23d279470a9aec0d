"""Hours as training programmes count them, each requirement checked on its own.

* :mod:`._ledger`: a trainee's records (signed-off supervision by format and modality,
  client sessions with their length, the indirect-hours log), read from the index.
* :mod:`._rules`: :func:`evaluate` checks each configured rule (``[hours]`` in the workspace
  TOML, see ``config.HoursConfig``) and says met / on track / behind / not yet met, with
  the numbers. Pure: views and reports call it; none of them recomputes a rule.

For a dashboard or a trainee's page: :func:`trainee_hours` (one trainee) or
:func:`workspace_hours` (everyone in the index) give :class:`TraineeHours`, whose
``statuses`` are ready to show (``RuleStatus.label``, ``.detail``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ._ledger import (
    FORMATS,
    MODALITIES,
    OBSERVED_FORMATS,
    ClientSession,
    Ledger,
    Supervision,
    trainee_ledger,
)
from ._rules import STATUS_LABELS, RuleStatus, evaluate

if TYPE_CHECKING:
    from supervision_workbook.store import Workspace


@dataclass(frozen=True)
class TraineeHours:
    """One trainee's ledger and the status of every rule. ``ledger`` holds the records
    that count (dated inside the programme, where it has dates); ``outside`` is how many
    records were left out for their date."""

    ledger: Ledger
    statuses: tuple[RuleStatus, ...]
    outside: int = 0

    @property
    def trainee_id(self) -> str:
        return self.ledger.trainee_id

    @property
    def trainee_name(self) -> str:
        return self.ledger.trainee_name


def trainee_hours(
    ws: Workspace, trainee_id: str, trainee_name: str = "", *, today: date | None = None
) -> TraineeHours:
    """The hours and rule statuses of one trainee (``today`` defaults to the local date)."""
    hours = ws.config.hours
    ledger = trainee_ledger(ws, trainee_id, trainee_name)
    statuses = evaluate(hours.effective_rules(), ledger, hours, today or date.today())
    counted, outside = ledger.within(hours.start, hours.end)
    return TraineeHours(counted, tuple(statuses), outside)


def trainees(ws: Workspace) -> list[tuple[str, str]]:
    """``(trainee_id, trainee_name)`` of every trainee in the index, by name."""
    names = {row.trainee_id: row.trainee_name for row in ws.index.caseload()}
    return sorted(names.items(), key=lambda kv: (kv[1].casefold(), kv[0]))


def workspace_hours(ws: Workspace, *, today: date | None = None) -> list[TraineeHours]:
    """Every indexed trainee's hours and rule statuses, by name."""
    return [trainee_hours(ws, tid, name, today=today) for tid, name in trainees(ws)]


__all__ = [
    "FORMATS",
    "MODALITIES",
    "OBSERVED_FORMATS",
    "STATUS_LABELS",
    "ClientSession",
    "Ledger",
    "RuleStatus",
    "Supervision",
    "TraineeHours",
    "evaluate",
    "trainee_hours",
    "trainee_ledger",
    "trainees",
    "workspace_hours",
]
