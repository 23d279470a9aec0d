"""Between a session review and the workbook's editors: checking and splitting a record.

A review that comes from disk or from an upload is checked *before* any editor changes, so
that a file the workbook cannot show is refused with its reason and changes nothing:

* it must be a ``session`` review holding at most one session, whose case belongs to its
  trainee;
* every answer must fit its instrument's scale (via ``scoring``, the one place that knows);
* every theme intensity must be a point of the reflection instrument's scale.

Responses to instruments other than the two the workbook asks for (the configuration may
have changed since the file was written) are kept aside and saved again unchanged, so
opening and saving an older workbook never drops data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from supervision_workbook.model import InstrumentResponse, Respondent, Review, ReviewKind

if TYPE_CHECKING:
    from supervision_workbook.instruments import Instrument, ReflectionInstrument
    from supervision_workbook.model import SessionEntry


@dataclass
class SplitResponses:
    """A session's responses: the client form's, the therapist form's, and the rest."""

    client: InstrumentResponse | None = None
    therapist: InstrumentResponse | None = None
    other: list[InstrumentResponse] = field(default_factory=list)


def split_responses(
    session: SessionEntry, client_instrument: str, therapist_instrument: str
) -> SplitResponses:
    out = SplitResponses()
    for response in session.responses:
        if (
            out.client is None
            and response.instrument_id == client_instrument
            and response.respondent == Respondent.client
        ):
            out.client = response
        elif (
            out.therapist is None
            and response.instrument_id == therapist_instrument
            and response.respondent == Respondent.therapist
        ):
            out.therapist = response
        else:
            out.other.append(response)
    return out


def check_session_review(
    review: Review,
    instruments: Mapping[str, Instrument],
    reflection: ReflectionInstrument,
) -> None:
    """Raise ``ValueError`` (in words) if the session workbook cannot show ``review``."""
    from supervision_workbook.instruments import RatingInstrument
    from supervision_workbook.scoring import score

    if review.kind != ReviewKind.session:
        raise ValueError(
            "this file is a case review, not a session workbook; open it in the case review "
            "workbook"
        )
    if len(review.sessions) > 1:
        raise ValueError(
            f"a session workbook holds one session; this file holds {len(review.sessions)}"
        )
    if review.case.trainee_id != review.trainee.id:
        raise ValueError("the file's case belongs to a different trainee than the file")
    for session in review.sessions:
        for response in session.responses:
            inst = instruments.get(response.instrument_id)
            if isinstance(inst, RatingInstrument):
                score(inst, response.answers)  # ScoringError is a ValueError, in words
        if session.reflection is not None:
            for theme, value in session.reflection.themes.items():
                if not reflection.intensity.contains(value):
                    raise ValueError(
                        f"the reflection rates theme '{theme}' {value}, which is not on "
                        f"{reflection.intensity.describe()}"
                    )
