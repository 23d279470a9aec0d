"""The demo's cases: sessions with ratings, ruptures, follow-ups and reflections.

The numbers come from ``_course`` and the meetings from ``_meetings``. Here:

* A rupture's story matches its type, the strong countertransference theme follows the
  case (confrontation: criticized / mistreated; withdrawal: helpless or disengaged;
  overrated: positive or special / overinvolved), and after a salience 4-5 rupture the
  reflection is about the strain.
* Supervision is weekly for some trainees and fortnightly for others; every meeting is a
  case review, signed off except the latest one of every other case.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from supervision_workbook.model import (
    Case,
    InstrumentResponse,
    Reflection,
    Resolved,
    Respondent,
    Review,
    ReviewKind,
    RiskConcern,
    RiskLevel,
    Rupture,
    RuptureFollowUp,
    RuptureType,
    SessionEntry,
    Status,
    Trainee,
)

from . import _text
from ._course import SUPERVISORS, Ids, answers, at, cadence, course, meetings
from ._meetings import case_review, responded

if TYPE_CHECKING:
    from supervision_workbook.instruments import Instrument

    from . import DemoSpec

ARCHETYPES = ("improving", "rupture_repair", "unrepaired", "overrated")

_FIRST = ("Avery", "Jordan", "Riley", "Morgan", "Quinn", "Rowan", "Sasha", "Taylor", "Kai", "Noor")
_LAST = ("Demo", "Sample", "Example", "Fictive", "Placeholder")

_RISK_NOTE = "Client said the week felt hopeless; asked directly, no plan or intent."


def strong_theme(archetype: str, kind: RuptureType, rng: random.Random) -> str | None:
    if archetype == "overrated":
        return rng.choice(("positive", "special-overinvolved"))
    if archetype in ("rupture_repair", "unrepaired"):
        if kind is RuptureType.confrontation:
            return "criticized-mistreated"
        return rng.choice(("helpless-inadequate", "disengaged"))
    return None


def rupture(
    kind: RuptureType,
    salience: int,
    resolved: Resolved,
    ids: Ids,
    rng: random.Random,
    log: Instrument | None,
) -> Rupture:
    markers: list[str] = []
    strategies: list[str] = []
    if log is not None:
        pool = [m.id for m in getattr(log, f"{kind.value}_markers", [])]
        markers = sorted(rng.sample(pool, k=min(2, len(pool)))) if pool else []
        spool = [s.id for s in getattr(log, "strategies", [])]
        strategies = sorted(rng.sample(spool, k=min(2, len(spool)))) if spool else []
    return Rupture(
        id=ids("ru"),
        type=kind,
        markers=markers,
        salience=salience,
        strategies=strategies if resolved is not Resolved.no else strategies[:1],
        resolved=resolved,
        description=rng.choice(_text.RUPTURE_NOTES[kind]),
    )


def reflection(
    ids: Ids, rng: random.Random, inst: Instrument | None, strong: str | None, strained: bool
) -> Reflection:
    """Theme intensities (the strong theme at 3-4 when given) and prompts that fit them."""
    themes: dict[str, int] = {}
    prompts: dict[str, str] = {}
    felt = _text.FELT_AFTER_RUPTURE if strained else _text.FELT.get(strong, _text.FELT[None])
    if inst is not None:
        for theme in getattr(inst, "themes", []):
            themes[theme.id] = rng.choice((0, 0, 0, 1, 1, 2))
        if strong and strong in themes:
            themes[strong] = rng.choice((3, 4))
        bank = (felt, _text.WHEN, _text.MEANING, _text.BRING)
        for i, prompt in enumerate(getattr(inst, "prompts", [])):
            prompts[prompt.id] = rng.choice(bank[i % len(bank)])
    return Reflection(id=ids("rf"), themes=themes, prompts=prompts, free_text=rng.choice(felt))


def trainee_for(t: int, ids: Ids) -> Trainee:
    suffix = f" {t // (len(_FIRST) * len(_LAST)) + 1}" if t >= len(_FIRST) * len(_LAST) else ""
    return Trainee(
        id=ids("tr"),
        name=f"{_FIRST[t % len(_FIRST)]} {_LAST[(t // len(_FIRST)) % len(_LAST)]}{suffix}",
        supervisor=SUPERVISORS[t % len(SUPERVISORS)],
    )


def generate(
    spec: DemoSpec,
    instruments: dict[str, Instrument],
    config_client: str,
    config_therapist: str,
    config_supervision: str,
) -> Iterator[Review]:
    """Yield every review of the synthetic caseload, in a stable order: each session's
    workbook, and after it the case review of the meeting that follows it, if any."""
    rng = random.Random(spec.seed)  # noqa: S311 - synthetic data must be reproducible, not secret
    ids = Ids(rng)
    forms = (instruments[config_client], instruments[config_therapist])
    sup_inst = instruments.get(config_supervision)
    log = instruments.get("rupture-log")
    ct = instruments.get("countertransference")
    for t in range(spec.trainees):
        trainee = trainee_for(t, ids)
        for c in range(spec.cases):
            archetype = ARCHETYPES[(t * spec.cases + c) % len(ARCHETYPES)]
            case = Case(
                id=ids("cs"),
                code=f"C-{100 + t * spec.cases + c + 1:03d}",
                trainee_id=trainee.id,
                opened=spec.start + timedelta(days=c),
            )
            yield from _case(
                spec, t, c, archetype, trainee, case, forms, sup_inst, log, ct, ids, rng
            )


def _case(
    spec: DemoSpec,
    t: int,
    c: int,
    archetype: str,
    trainee: Trainee,
    case: Case,
    forms: tuple[Instrument, Instrument],
    sup_inst: Instrument | None,
    log: Instrument | None,
    ct: Instrument | None,
    ids: Ids,
    rng: random.Random,
) -> Iterator[Review]:
    client_inst, therapist_inst = forms
    client_lv, ther_lv, rupture_at = course(archetype, spec.sessions, rng)
    kind = rng.choice((RuptureType.withdrawal, RuptureType.confrontation))
    theme = strong_theme(archetype, kind, rng)
    theme_from = rupture_at if archetype != "overrated" else 2
    profiles = {
        who: [rng.uniform(-0.1, 0.1) for _ in range(12)]
        for who in (Respondent.client, Respondent.therapist)
    }
    meeting_after = meetings(spec.sessions, cadence(t))
    main_rupture: Rupture | None = None
    sessions: list[SessionEntry] = []
    for i in range(1, spec.sessions + 1):
        day = (case.opened or spec.start) + timedelta(days=7 * (i - 1))
        ruptures: list[Rupture] = []
        follow_ups: list[RuptureFollowUp] = []
        if archetype in ("rupture_repair", "unrepaired") and i == rupture_at:
            salience = 4 if archetype == "rupture_repair" else 5
            main_rupture = rupture(
                kind,
                salience,
                Resolved.partly if archetype == "rupture_repair" else Resolved.no,
                ids,
                rng,
                log,
            )
            ruptures.append(main_rupture)
        elif main_rupture is not None and i == rupture_at + 1:
            resolved = Resolved.yes if archetype == "rupture_repair" else Resolved.partly
            follow_ups.append(
                RuptureFollowUp(
                    id=ids("fu"),
                    rupture_id=main_rupture.id,
                    resolved=resolved,
                    note=_text.FOLLOW_UP_NOTES[resolved.value],
                )
            )
        elif rng.random() < 0.1:
            ruptures.append(rupture(RuptureType.withdrawal, 2, Resolved.yes, ids, rng, log))
        strained = any(r.salience >= 4 for r in ruptures)
        strong = theme if theme and i >= theme_from and rng.random() < 0.8 else None
        risk = None
        if archetype == "unrepaired" and i == rupture_at + 2:
            risk = RiskConcern(level=RiskLevel.noted, note=_RISK_NOTE)
        responses = [
            InstrumentResponse(
                id=ids("rs"),
                instrument_id=inst.id,
                respondent=who,
                answers=answers(inst, level[i - 1], profiles[who], rng),  # type: ignore[arg-type]
            )
            for inst, who, level in (
                (client_inst, Respondent.client, client_lv),
                (therapist_inst, Respondent.therapist, ther_lv),
            )
        ]
        session = SessionEntry(
            id=ids("se"),
            number=i,
            date=day,
            responses=responses,
            ruptures=ruptures,
            follow_ups=follow_ups,
            reflection=reflection(ids, rng, ct, strong, strained),
            bring_to_supervision=rng.choice(_text.BRING),
            risk=risk,
        )
        sessions.append(session)
        yield Review(
            id=ids("rv"),
            kind=ReviewKind.session,
            status=Status.submitted,
            trainee=trainee,
            case=case,
            created=at(day, 17),
            updated=at(day, 18),
            sessions=[session],
        )
        if i in meeting_after:
            last = i == meeting_after[-1]
            signed = not (last and c % 2 == 1)
            if signed:  # the meeting records the response to a risk concern
                sessions = [responded(s, trainee) for s in sessions]
            yield case_review(ids, rng, trainee, case, list(sessions), sup_inst, signed)
