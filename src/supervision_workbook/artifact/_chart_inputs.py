"""The chart inputs that an artifact's replay cell carries, in a compact positional form.

Why the replay cell carries its own copy of anything: it re-creates the chart outputs in a
kernel, and a kernel cannot read the notebook's metadata (it does not know the file's
path), so what the charts are drawn from must be in the cell's source. Why only the chart
inputs: the whole record is already in the metadata, and a second copy of it was the
largest part of a case review's file (27 kB of 180 kB over 20 sessions), mostly free text
that no chart shows. Why positional: without its free text the record still took 14.6 kB,
most of it field names, form and theme ids repeated in every session, and ``4.0`` for
``4``; this form takes under 6 kB.

What is carried is exactly the record without its free text and without the meeting's
and the sign-off's parts (:func:`chart_record`); :func:`decode` gives it back in the
record's own JSON shape, which the review model then validates like any untrusted input.
Nothing is made up: every id, date and number is the record's own. Layout (JSON)::

    {"review":   [id, kind, status, created, updated,
                  [trainee id, trainee name], [case id, code, trainee id, opened]],
     "forms":    [instrument id, ...],                  sorted
     "themes":   [theme id, ...],                       sorted
     "sessions": [[id, number, date, [response...], [rupture...], reflection, later?], ...],
     "checkin":  null | [id, date, [response...]]}
    response   = [id, index in "forms", respondent, [answer...]]
    rupture    = [id, type, salience, resolved, [marker id...], [strategy id...]]
    reflection = null | [id, [intensity or null for each of "themes"]]
    later      = {"f": [[id, rupture id, resolved]...], "r": [level, responded]}, only
                 when a session has rupture follow-ups or a risk concern (both added after
                 0.1, so files without them keep their replay cell byte for byte)

A risk concern carries its level and whether the supervisor's response is recorded, never
the words of the note or the response (free text): a recorded response comes back as
:data:`RESPONDED`, which is all the alert rules read.

Answers that are whole numbers are written as integers (``4``, not ``4.0``); the model reads
them back as the same floats. Sessions and responses keep the record's order, and theme
intensities come back in sorted order, the order of a record read from its file (the alert
rules list recurring themes in that order).
"""

from __future__ import annotations

import math
from typing import Any

from ..model import Review

__all__ = ["chart_record", "decode", "encode"]

#: The response a replayed risk concern carries when the record has one (its words stay
#: in the metadata's record).
RESPONDED = "(recorded)"

#: What :func:`chart_record` leaves out of the record: the free text and the meeting's and
#: sign-off's parts. No chart and no alert rule reads them (the charts draw scores, ruptures
#: by type, salience and repair, theme intensities and the check-in); the tests hold the
#: charts replayed from the rest equal to the charts of the whole record.
NOT_REPLAYED: dict[str, Any] = {
    "supervisor_notes": True,
    "goals": True,
    "tasks": True,
    "action_items": True,
    "signoff": True,
    "amendments": True,
    "trainee": {"supervisor"},
    "sessions": {
        "__all__": {
            "bring_to_supervision": True,
            "notes": True,
            "ruptures": {"__all__": {"description"}},
            "reflection": {"prompts", "free_text"},
            "follow_ups": {"__all__": {"note"}},
            "risk": {"note", "responded_by"},
        }
    },
}


def chart_record(review: Review) -> Review:
    """``review`` without what :data:`NOT_REPLAYED` names (those fields at their defaults):
    the review that a replay cell re-creates."""
    return Review.model_validate(review.model_dump(mode="json", exclude=NOT_REPLAYED))


def _number(value: float | None) -> float | int | None:
    """A whole answer as an int (shorter JSON), anything else as it is. ``-0.0`` stays a
    float (an int would lose its sign), and so do values past 2**53."""
    if value is None or not value.is_integer() or abs(value) >= 2**53:
        return value
    if value == 0 and math.copysign(1.0, value) < 0:
        return value
    return int(value)


def encode(review: Review) -> dict[str, Any]:
    """The chart inputs of ``review`` in the positional layout of the module docstring."""
    data = review.model_dump(mode="json", exclude=NOT_REPLAYED)
    checkin = data["checkin"]
    forms = sorted(
        {r["instrument_id"] for s in data["sessions"] for r in s["responses"]}
        | {r["instrument_id"] for r in (checkin["responses"] if checkin else [])}
    )
    themes = sorted(
        {t for s in data["sessions"] if s["reflection"] for t in s["reflection"]["themes"]}
    )
    index = {form: i for i, form in enumerate(forms)}

    def responses(items: list[dict[str, Any]]) -> list[list[Any]]:
        return [
            [
                r["id"],
                index[r["instrument_id"]],
                r["respondent"],
                [_number(a) for a in r["answers"]],
            ]
            for r in items
        ]

    sessions = []
    for s in data["sessions"]:
        reflection = s["reflection"]
        sessions.append(
            [
                s["id"],
                s["number"],
                s["date"],
                responses(s["responses"]),
                [
                    [
                        u["id"],
                        u["type"],
                        u["salience"],
                        u["resolved"],
                        u["markers"],
                        u["strategies"],
                    ]
                    for u in s["ruptures"]
                ],
                None
                if reflection is None
                else [reflection["id"], [reflection["themes"].get(t) for t in themes]],
            ]
        )
        later: dict[str, Any] = {}
        if s.get("follow_ups"):
            later["f"] = [[f["id"], f["rupture_id"], f["resolved"]] for f in s["follow_ups"]]
        if s.get("risk"):
            later["r"] = [s["risk"]["level"], bool(s["risk"].get("response", "").strip())]
        if later:
            sessions[-1].append(later)
    trainee, case = data["trainee"], data["case"]
    return {
        "review": [
            data["id"],
            data["kind"],
            data["status"],
            data["created"],
            data["updated"],
            [trainee["id"], trainee["name"]],
            [case["id"], case["code"], case["trainee_id"], case["opened"]],
        ],
        "forms": forms,
        "themes": themes,
        "sessions": sessions,
        "checkin": None
        if checkin is None
        else [checkin["id"], checkin["date"], responses(checkin["responses"])],
    }


def decode(data: object) -> dict[str, Any]:
    """The record (its JSON shape, to be validated by the review model) of encoded chart
    inputs. Raises ``ValueError`` naming the part that does not fit the layout."""
    try:
        return _decode(data)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"replay inputs do not fit their layout ({exc!r})") from exc


def _decode(data: Any) -> dict[str, Any]:
    forms, themes = list(data["forms"]), list(data["themes"])

    def responses(items: list[list[Any]]) -> list[dict[str, Any]]:
        return [
            {"id": rid, "instrument_id": forms[form], "respondent": who, "answers": answers}
            for rid, form, who, answers in items
        ]

    sessions = []
    for sid, number, day, items, ruptures, reflection, *rest in data["sessions"]:
        if len(rest) > 1:
            raise ValueError("a session has more parts than its layout")
        entry: dict[str, Any] = {
            "id": sid,
            "number": number,
            "date": day,
            "responses": responses(items),
            "ruptures": [
                {
                    "id": uid,
                    "type": kind,
                    "salience": salience,
                    "resolved": resolved,
                    "markers": markers,
                    "strategies": strategies,
                }
                for uid, kind, salience, resolved, markers, strategies in ruptures
            ],
            "reflection": None,
        }
        if reflection is not None:
            reflection_id, values = reflection
            if len(values) != len(themes):
                raise ValueError("a reflection's intensities do not match the theme list")
            entry["reflection"] = {
                "id": reflection_id,
                "themes": {t: v for t, v in zip(themes, values, strict=True) if v is not None},
            }
        later = rest[0] if rest else {}
        if "f" in later:
            entry["follow_ups"] = [
                {"id": fid, "rupture_id": rid, "resolved": resolved}
                for fid, rid, resolved in later["f"]
            ]
        if "r" in later:
            level, responded = later["r"]
            entry["risk"] = {"level": level, "response": RESPONDED if responded else ""}
        sessions.append(entry)
    review_id, review_kind, status, created, updated, trainee, case = data["review"]
    checkin = data["checkin"]
    return {
        "id": review_id,
        "kind": review_kind,
        "status": status,
        "created": created,
        "updated": updated,
        "trainee": {"id": trainee[0], "name": trainee[1]},
        "case": {"id": case[0], "code": case[1], "trainee_id": case[2], "opened": case[3]},
        "sessions": sessions,
        "checkin": None
        if checkin is None
        else {"id": checkin[0], "date": checkin[1], "responses": responses(checkin[2])},
    }
