"""Hours as a training programme counts them, told as a programme director's term.

Ana is supervised weekly; the director writes the programme's rules into the workspace TOML
and reads, rule by rule, whether Ana has met each one, is on track, or is behind.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import typing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from supervision_workbook import artifact, config, model
from supervision_workbook.artifact import integrity
from supervision_workbook.config import CONFIG_NAME, DEFAULT_CONFIG_TEXT, ConfigError, parse_config
from supervision_workbook.hours import evaluate, trainee_hours
from supervision_workbook.model import (
    Case,
    IndirectEntry,
    Review,
    ReviewKind,
    SessionEntry,
    SignOff,
    Status,
    Trainee,
)
from supervision_workbook.store import (
    Workspace,
    WorkspaceError,
    add_indirect,
    init_workspace,
    read_indirect,
    remove_indirect,
)

DATA = Path(__file__).parent / "data" / "hours"
ANA = Trainee(id="tr-ana", name="Ana Lima", supervisor="Dr. Ruth Kay")
CASE = Case(id="cs-0014", code="C-014", trainee_id="tr-ana")
MONDAY = date(2026, 9, 7)  # the programme's first full week

DATED = """
[hours]
start = 2026-09-07
end = 2027-03-07
"""


def write_config(ws: Workspace, text: str) -> None:
    (ws.path / CONFIG_NAME).write_text(text, encoding="utf-8")


def meet(
    ws: Workspace,
    number: int,
    day: date,
    minutes: int,
    fmt: str = "individual",
    modality: str = "in_person",
    *,
    session_minutes: int | None = 50,
    signed: bool = True,
) -> Review:
    """A case review of session ``number`` on ``day``, signed off for ``minutes`` of ``fmt``."""
    at = datetime(day.year, day.month, day.day, 17, tzinfo=timezone.utc)
    review = Review(
        id=f"rv-meet-{number:04d}",
        kind=ReviewKind.case_review,
        status=Status.reviewed,
        trainee=ANA,
        case=CASE,
        created=at,
        updated=at,
        sessions=[
            SessionEntry(id=f"se-{number:04d}", number=number, date=day, minutes=session_minutes)
        ],
    )
    if signed:
        review = integrity.sign_off(
            review,
            SignOff(
                id=f"so-{number:04d}",
                supervisor="Dr. Ruth Kay",
                signed_at=at,
                minutes=minutes,
                format=fmt,
                modality=modality,
            ),
        )
    ws.save(review)
    return review


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(init_workspace(tmp_path / "ws"))


def statuses(ws: Workspace, today: date) -> dict[str, tuple[str, float, float, str]]:
    result = trainee_hours(Workspace(ws.path), ANA.id, today=today)
    return {s.name: (s.status, s.actual, s.target, s.detail) for s in result.statuses}
