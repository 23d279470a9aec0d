"""The demo's cases: courses, answers, ruptures, reflections and supervision meetings.

Why these numbers: the demo teaches, so it must not teach wrong things.

* Answers vary by item (each case has its own item profile) and by session (noise), so no
  client answers the same on every item for eight sessions.
* Therapists rate the alliance a little *below* their clients on average, and sometimes
  above, as meta-analyses find (Tryon, Blackwell & Hammel, 2007; Lev Ari et al., 2025).
  The ``overrated`` case is the exception a supervisor should notice: a therapist about one
  item point above the client, a gap that crosses the divergence threshold on some
  dimensions in some sessions, not a wall of flags.
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
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from supervision_workbook.model import (
    ActionItem,
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
    SignOff,
    Status,
    SupervisionCheckin,
    Trainee,
)

from . import _text

if TYPE_CHECKING:
    from supervision_workbook.instruments import Instrument, RatingInstrument

    from . import DemoSpec

ARCHETYPES = ("improving", "rupture_repair", "unrepaired", "overrated")

_FIRST = ("Avery", "Jordan", "Riley", "Morgan", "Quinn", "Rowan", "Sasha", "Taylor", "Kai", "Noor")
_LAST = ("Demo", "Sample", "Example", "Fictive", "Placeholder")
_SUPERVISORS = ("Dr. Demo Supervisor", "Dr. Sample Supervisor")

_RISK_NOTE = "Client said the week felt hopeless; asked directly, no plan or intent."
_RISK_RESPONSE = (
    "Agreed: the trainee asks about safety at the start of the next session and follows "
    "the clinic's risk procedure if anything changes; supervisor available by phone."
)


class Ids:
    """Deterministic ids in the same shape as :func:`model.new_id`."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def __call__(self, prefix: str) -> str:
        return f"{prefix}-{self._rng.getrandbits(40):010x}"


def cadence(trainee_index: int) -> int:
    """Sessions between supervision meetings: weekly (1) or fortnightly (2)."""
    return 1 if trainee_index % 3 == 1 else 2


def meetings(sessions: int, every: int) -> list[int]:
    """The sessions after which supervision meets (always after the latest one)."""
    return [i for i in range(1, sessions + 1) if i % every == 0 or i == sessions]


def _snap(value: float, inst: RatingInstrument) -> float:
    lo, hi, step = inst.scale.min, inst.scale.max, inst.scale.step
    snapped = min(hi, max(lo, round(round((value - lo) / step) * step + lo, 6)))
    return int(snapped) if float(snapped).is_integer() and step >= 1 else snapped


def answers(
    inst: RatingInstrument, level: float, profile: list[float], rng: random.Random
) -> list[float | None]:
    """Answers whose scored values sit near ``level`` (0..1 of the scale), shifted per item
    by the case's ``profile`` and by this session's noise."""
    lo, hi = inst.scale.min, inst.scale.max
    out: list[float | None] = []
    for i, item in enumerate(inst.items):
        shift = profile[i % len(profile)] + rng.gauss(0, 0.08)
        target = lo + (hi - lo) * min(1.0, max(0.0, level + shift))
        out.append(_snap(lo + hi - target if item.reverse else target, inst))
    return out


def course(archetype: str, n: int, rng: random.Random) -> tuple[list[float], list[float], int]:
    """Client and therapist alliance levels (0..1) per session, and the rupture session."""
    rupture_at = max(2, min(n, n // 2 + rng.choice((-1, 0, 1))))
    client: list[float] = []
    for i in range(1, n + 1):
        t = (i - 1) / max(1, n - 1)
        if archetype == "improving":
            level = 0.52 + 0.3 * t
        elif archetype == "rupture_repair":
            level = (
                0.72 + 0.08 * t - (0.3 if i == rupture_at else 0.1 if i == rupture_at + 1 else 0)
            )
        elif archetype == "unrepaired":
            level = 0.75 if i < rupture_at else 0.5 - 0.025 * (i - rupture_at)
        else:  # overrated
            level = 0.6 + 0.05 * t
        client.append(level)
    if archetype == "overrated":
        therapist = [min(0.98, c + rng.uniform(0.18, 0.26)) for c in client]
    else:
        therapist = [min(0.95, max(0.05, c + rng.gauss(-0.04, 0.06))) for c in client]
    return client, therapist, rupture_at


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


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)


def trainee_for(t: int, ids: Ids) -> Trainee:
    suffix = f" {t // (len(_FIRST) * len(_LAST)) + 1}" if t >= len(_FIRST) * len(_LAST) else ""
    return Trainee(
        id=ids("tr"),
        name=f"{_FIRST[t % len(_FIRST)]} {_LAST[(t // len(_FIRST)) % len(_LAST)]}{suffix}",
        supervisor=_SUPERVISORS[t % len(_SUPERVISORS)],
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
                sessions = [_responded(s, trainee) for s in sessions]
            yield _case_review(ids, rng, trainee, case, list(sessions), sup_inst, signed)


def _responded(session: SessionEntry, trainee: Trainee) -> SessionEntry:
    risk = session.risk
    if risk is None or risk.level is RiskLevel.none or risk.response:
        return session
    answered = risk.model_copy(
        update={"response": _RISK_RESPONSE, "responded_by": trainee.supervisor or _SUPERVISORS[0]}
    )
    return session.model_copy(update={"risk": answered})


def _case_review(
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

    return integrity.sign_off(
        review,
        SignOff(
            id=ids("so"),
            supervisor=trainee.supervisor or _SUPERVISORS[0],
            signed_at=at(meeting, 12),
            minutes=rng.choice((45, 50, 60)),
            format="individual" if rng.random() < 0.8 else "group",
        ),
    )
