"""``score`` and ``instruments``: the instruments, and one set of answers scored."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from supervision_workbook.console import EXIT_OK, UserError, open_workspace, plural

if TYPE_CHECKING:
    from supervision_workbook.instruments import Instrument


def shipped() -> dict[str, Instrument]:
    from supervision_workbook.instruments import load_instruments

    return load_instruments(None)


def _parse_answers(text: str) -> list[float]:
    values: list[float] = []
    for i, part in enumerate(text.split(","), start=1):
        part = part.strip()
        try:
            values.append(float(part))
        except ValueError:
            raise UserError(f"answer {i} is not a number: {part!r}") from None
    return values


def _num(value: float) -> float | int:
    value = round(value, 4)
    return int(value) if float(value).is_integer() else value


def cmd_score(args: argparse.Namespace) -> int:
    from supervision_workbook.alerts import response_alerts
    from supervision_workbook.config import load_config
    from supervision_workbook.scoring import score

    ws = open_workspace(args.workspace) if args.workspace else None
    instruments = ws.instruments if ws is not None else shipped()
    inst = instruments.get(args.instrument)
    if inst is None:
        raise UserError(
            f"unknown instrument {args.instrument!r}; known: {', '.join(sorted(instruments))}"
        )
    if inst.kind != "rating":
        raise UserError(
            f"{inst.id} is a {inst.kind} instrument; only rating instruments are scored"
        )
    answers = _parse_answers(args.answers)
    result = score(inst, answers)  # a ScoringError names the answer that is wrong
    config = ws.config if ws is not None else load_config(None)
    alerts = response_alerts(inst, answers, config.alerts)
    payload = {
        "instrument": inst.id,
        "subscales": {
            k: {"sum": _num(v.sum), "mean": _num(v.mean)} for k, v in result.subscales.items()
        },
        "total": {"sum": _num(result.total.sum), "mean": _num(result.total.mean)},
        "alerts": [a.model_dump(mode="json") for a in alerts],
    }
    if args.json:
        print(json.dumps(payload, indent=2))
        return EXIT_OK
    print(f"{inst.name} ({inst.id})")
    width = max(len(k) for k in [*payload["subscales"], "total"])
    for name, stat in [*payload["subscales"].items(), ("total", payload["total"])]:
        print(f"  {name:<{width}}  sum {stat['sum']:>6}  mean {stat['mean']:>6}")
    for alert in alerts:
        print(f"  ALERT [{alert.rule}] {alert.message}")
    if not alerts:
        print("  no alerts")
    return EXIT_OK


def cmd_instruments(args: argparse.Namespace) -> int:
    ws = open_workspace(args.workspace) if args.workspace else None
    instruments = ws.instruments if ws is not None else shipped()
    for inst in sorted(instruments.values(), key=lambda i: i.id):
        licence = inst.licence.type
        detail = ""
        if inst.kind == "rating":
            has_text = all(item.text for item in inst.items)
            detail = f"{plural(len(inst.items), 'item')}, {inst.scale.min:g}-{inst.scale.max:g}"
            if licence == "licensed":
                detail += ", wording loaded" if has_text else ", no wording (load a text pack)"
        print(f"{inst.id:<28} {inst.kind:<12} {licence:<9} {detail}  {inst.name}")
        if inst.structure_note:
            print(f"{'':<28} note: {inst.structure_note}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="score one set of answers for a rating instrument")
    p.add_argument("instrument", help="instrument id, e.g. wai-sr-client (see `instruments`)")
    p.add_argument(
        "--answers", required=True, help="comma-separated answers in item order, e.g. 4,5,3"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--workspace", help="workspace whose instruments and thresholds to use")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("instruments", help="list the instruments available (shipped and workspace)")
    p.add_argument("--workspace", help="workspace with extra instruments and text packs")
    p.set_defaults(func=cmd_instruments)
