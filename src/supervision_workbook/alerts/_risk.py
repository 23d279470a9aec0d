"""The ``risk_concern`` rule: the trainee recorded a client risk concern.

The words are the project's own and nothing here scores risk (suicide risk or any other):
the trainee says there is a concern (``noted``) or that it needs the supervisor now
(``urgent``), and the flag stays at the top of the case review and the dashboard until the
supervisor records the response agreed in the meeting (``RiskConcern.response``). Marking
it "discussed" or signing off never closes it, so it cannot be hidden by routine.
"""

from __future__ import annotations

from collections.abc import Sequence

from supervision_workbook.model import Respondent, RiskLevel, SessionEntry

from ._alert import Alert

_WORDS = {
    RiskLevel.noted: "a risk concern to talk through",
    RiskLevel.urgent: "an URGENT risk concern that needs the supervisor's response now",
}


def risk_concerns(order: Sequence[SessionEntry]) -> list[Alert]:
    alerts = []
    for session in order:
        risk = session.risk
        if risk is None or risk.level == RiskLevel.none:
            continue
        responded = bool(risk.response.strip())
        tail = (
            "The supervisor's response is recorded."
            if responded
            else "Open until the supervisor records the response agreed in the meeting."
        )
        alerts.append(
            Alert(
                rule="risk_concern",
                message=(
                    f"Client risk concern in session {session.number}: the trainee recorded "
                    f"{_WORDS[risk.level]}. {tail}"
                ),
                inputs={"level": risk.level.value, "responded": responded},
                session_number=session.number,
                instrument_id=None,
                respondent=Respondent.therapist.value,
            )
        )
    return alerts
