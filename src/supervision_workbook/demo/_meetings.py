"""The demo's supervision meetings: one case review per meeting, weekly or fortnightly.

Every meeting is signed off except the latest one of every other case, and a signed
meeting records the supervisor's response to any client risk concern it covers (only that
closes a risk flag). Action items have an owner and a due date.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from supervision_workbook.model import (
    ActionItem,
    Case,
    InstrumentResponse,
    Respondent,
    Review,
    ReviewKind,
    RiskLevel,
    SessionEntry,
    SignOff,
    Status,
    SupervisionCheckin,
    Trainee,
)

from ._course import SUPERVISORS, Ids, answers, at

if TYPE_CHECKING:
    from supervision_workbook.instruments import Instrument

_RISK_RESPONSE = (
    "Agreed: the trainee asks about safety at the start of the next session and follows "
    "the clinic's risk procedure if anything changes; supervisor available by phone."
)


def responded(session: SessionEntry, trainee: Trainee) -> SessionEntry:
    risk = session.risk
    if risk is None or risk.level is RiskLevel.none or risk.response:
        return session
    answered = risk.model_copy(
        update={"response": _RISK_RESPONSE, "responded_by": trainee.supervisor or SUPERVISORS[0]}
    )
    return session.model_copy(update={"risk": answered})


def case_review(
    ids: Ids,
    rng: random.Random,
    trainee: Trainee,
    case: Case,
    sessions: list[SessionEntry],
    sup_inst: Instrument | None,
    signed: bool,
) -> Review:
    """The supervision meeting two days after the latest session."""
    meeting = sessions[-1].date + timedelta(days=2)
    checkin = None
    if sup_inst is not None:
        profile = [rng.uniform(-0.1, 0.1) for _ in range(12)]
        checkin = SupervisionCheckin(
            id=ids("ci"),
            date=meeting,
            responses=[
                InstrumentResponse(
                    id=ids("rs"),
                    instrument_id=sup_inst.id,
                    respondent=who,
                    answers=answers(sup_inst, rng.uniform(0.65, 0.85), profile, rng),  # type: ignore[arg-type]
                )
                for who in (Respondent.supervisor, Respondent.supervisee)
            ],
        )
    review = Review(
        id=ids("rv"),
        kind=ReviewKind.case_review,
        status=Status.reviewed,
        trainee=trainee,
        case=case,
        created=at(meeting, 10),
        updated=at(meeting, 11),
        sessions=sessions,
        supervisor_notes="Reviewed the binocular view together; discussed the flagged sessions.",
        checkin=checkin,
        goals="Agree a shared focus with the client for the next four sessions.",
        tasks="Open each session by checking in on how the last one landed.",
        action_items=[
            ActionItem(
                id=ids("ai"),
                text="Invite feedback on the alliance at the end of each session.",
                owner="supervisee",
                due=meeting + timedelta(days=7),
            ),
            ActionItem(
                id=ids("ai"),
                text="Bring a recording segment of the next difficult moment.",
                owner="supervisee",
                due=meeting + timedelta(days=14),
            ),
        ],
    )
    if not signed:
        return review
    from supervision_workbook.artifact import integrity
    from supervision_workbook.signing import demo_key

    supervisor = trainee.supervisor or SUPERVISORS[0]
    return integrity.sign_off(
        review,
        SignOff(
            id=ids("so"),
            supervisor=supervisor,
            signed_at=at(meeting, 12),
            minutes=rng.choice((45, 50, 60)),
            format="individual" if rng.random() < 0.8 else "group",
            meeting_date=meeting,
        ),
        key=demo_key(supervisor),
    )
