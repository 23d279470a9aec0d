"""The ``supervision-workbook`` command.

Why argparse: it ships with Python, starts in milliseconds, and keeps the command usable
where only the package is installed. Each subcommand imports what it needs inside its
handler, so ``--help`` and quick commands stay fast.

Exit codes: 0 success; 1 the command ran and found problems (``validate``); 2 the input was
wrong (bad arguments, out-of-range answers, a folder that is not a workspace).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .console import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UserError, progress_bar


# --- init ---------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    from .store import init_workspace

    path = init_workspace(Path(args.dir))
    print(f"Workspace ready at {path}. Edit {path / 'supervision-workbook.toml'} to configure it.")
    return EXIT_OK


# --- demo ---------------------------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import DemoSpec, expected_count, write_demo

    for name in ("trainees", "cases", "sessions"):
        if getattr(args, name) < 1:
            raise UserError(f"--{name} must be at least 1")
    spec = DemoSpec(
        trainees=args.trainees, cases=args.cases, sessions=args.sessions, seed=args.seed
    )
    with progress_bar(expected_count(spec), "writing demo reviews") as update:
        ws, count = write_demo(Path(args.dir), spec, progress=update)
    print(
        f"Wrote {count} synthetic reviews ({spec.trainees} trainees, {spec.cases} cases each, "
        f"{spec.sessions} sessions) to {ws.path}. Synthetic data only."
    )
    return EXIT_OK


# --- validate -----------------------------------------------------------------------------
def _artifact_paths(paths: Sequence[str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(
                f
                for f in sorted(p.rglob("*.ipynb"))
                if ".ipynb_checkpoints" not in f.parts and not f.name.startswith(".")
            )
        elif p.exists():
            found.append(p)
        else:
            raise UserError(f"{p}: no such file or folder")
    return found


def cmd_validate(args: argparse.Namespace) -> int:
    from .artifact import ArtifactError, load

    files = _artifact_paths(args.paths)
    if not files:
        raise UserError("no .ipynb files found in " + ", ".join(args.paths))
    bad = 0
    with progress_bar(len(files), "validating") as update:
        for f in files:
            try:
                loaded = load(f, strict=True)
            except ArtifactError as exc:
                bad += 1
                print(str(exc))
            except OSError as exc:
                bad += 1
                print(f"{f}: cannot read: {exc.strerror or exc}")
            else:
                for note in loaded.notes:
                    print(f"{f}: valid; note: {note}", file=sys.stderr)
            update(1)
    if bad:
        print(f"{bad} of {len(files)} files failed validation.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{len(files)} artifacts valid.", file=sys.stderr)
    return EXIT_OK


# --- score --------------------------------------------------------------------------------
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
    from .alerts import response_alerts
    from .config import load_config
    from .scoring import ScoringError, score

    workspace = Path(args.workspace) if args.workspace else None
    instruments = _instruments(workspace)
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
    try:
        result = score(inst, answers)
    except ScoringError as exc:
        raise UserError(str(exc)) from None
    alerts = response_alerts(inst, answers, load_config(workspace).alerts)
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


def _instruments(workspace: Path | None) -> dict:
    from .instruments import InstrumentError, load_instruments

    try:
        return load_instruments(workspace)
    except InstrumentError as exc:
        raise UserError(str(exc)) from None


# --- export -------------------------------------------------------------------------------
def cmd_export(args: argparse.Namespace) -> int:
    from .artifact import ArtifactError
    from .export import csv_text, review_rows, write_csv

    ws = _workspace(args.dir)
    rows: list[dict[str, str]] = []
    problems = 0
    files = list(ws.iter_artifacts())
    with progress_bar(len(files), "exporting") as update:
        for path in files:
            try:
                loaded = ws.load(path)
            except ArtifactError as exc:
                problems += 1
                print(f"skipped {exc}", file=sys.stderr)
            else:
                rows.extend(review_rows(loaded.review, ws.instruments, ws.config.alerts))
            update(1)
    if args.out:
        from .store import atomic_write_text

        atomic_write_text(Path(args.out), csv_text(rows))
        print(f"Wrote {len(rows)} rows to {args.out}.", file=sys.stderr)
    else:
        write_csv(rows, sys.stdout)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _workspace(path: str):
    from .store import Workspace, WorkspaceError

    try:
        ws = Workspace(Path(path))
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None
    _ = ws.config  # a broken configuration is reported now, before any work starts
    return ws


# --- instruments --------------------------------------------------------------------------
def cmd_instruments(args: argparse.Namespace) -> int:
    instruments = _instruments(Path(args.workspace) if args.workspace else None)
    for inst in sorted(instruments.values(), key=lambda i: i.id):
        licence = inst.licence.type
        detail = ""
        if inst.kind == "rating":
            has_text = all(item.text for item in inst.items)
            detail = f"{len(inst.items)} items, {inst.scale.min:g}-{inst.scale.max:g}"
            if licence == "licensed":
                detail += ", wording loaded" if has_text else ", no wording (load a text pack)"
        print(f"{inst.id:<28} {inst.kind:<12} {licence:<9} {detail}  {inst.name}")
        if inst.structure_note:
            print(f"{'':<28} note: {inst.structure_note}")
    return EXIT_OK


# --- index --------------------------------------------------------------------------------
def cmd_index(args: argparse.Namespace) -> int:
    ws = _workspace(args.dir)
    if args.rebuild:
        total = sum(1 for _ in ws.iter_artifacts())
        with progress_bar(total, "indexing") as update:
            problems = ws.index.rebuild(progress=lambda _path: update(1))
        for path, error in problems:
            print(f"{path}: {error}")
        print(f"Indexed {total - len(problems)} of {total} artifacts.", file=sys.stderr)
        if problems:
            return EXIT_PROBLEMS
    rows = ws.index.caseload()
    header = ("trainee", "case", "sessions", "client", "therapist", "flags", "minutes")
    print("{:<22} {:<8} {:>8} {:>7} {:>9} {:>5} {:>7}".format(*header))
    for r in rows:
        client = "-" if r.latest_client is None else f"{r.latest_client:.2f}"
        ther = "-" if r.latest_therapist is None else f"{r.latest_therapist:.2f}"
        print(
            f"{r.trainee_name[:22]:<22} {r.case_code:<8} {r.sessions:>8} {client:>7} {ther:>9} "
            f"{r.flag_count:>5} {r.minutes:>7}"
        )
    return EXIT_OK


# --- serve --------------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    _workspace(args.dir)  # a clear error before Voila starts
    return serve(Path(args.dir), port=args.port)


# --- parser -------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supervision-workbook",
        description="Structured clinical supervision case reviews: workspaces, instruments, "
        "artifacts and the Voila workbooks.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="create an empty workspace with a commented configuration file")
    p.add_argument("dir", help="folder to create; an existing workspace keeps its configuration")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser(
        "demo",
        help="write a deterministic synthetic caseload into a workspace",
        description="Write a deterministic synthetic caseload: session workbooks with "
        "client and therapist ratings, ruptures and reflections, and case reviews, "
        "some signed off. Synthetic data only.",
    )
    p.add_argument("dir", help="workspace folder (created if missing)")
    p.add_argument("--trainees", type=int, default=3, help="number of trainees (default 3)")
    p.add_argument("--cases", type=int, default=2, help="cases per trainee (default 2)")
    p.add_argument("--sessions", type=int, default=8, help="sessions per case (default 8)")
    p.add_argument("--seed", type=int, default=7, help="random seed; same seed, same caseload")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "validate",
        help="check artifacts; never changes a file",
        description="Validate review artifacts (files or folders). Exit 0 when all "
        "are valid; otherwise exit 1 with one line per bad file and its reason.",
    )
    p.add_argument("paths", nargs="+", help=".ipynb files or folders to search")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("score", help="score one set of answers for a rating instrument")
    p.add_argument("instrument", help="instrument id, e.g. wai-sr-client (see `instruments`)")
    p.add_argument(
        "--answers", required=True, help="comma-separated answers in item order, e.g. 4,5,3"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--workspace", help="workspace whose instruments and thresholds to use")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser(
        "export", help="export scores as CSV, one row per review, instrument, respondent and score"
    )
    p.add_argument("dir", help="workspace folder")
    p.add_argument("--format", choices=["csv"], default="csv", help="output format (csv)")
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("instruments", help="list the instruments available (shipped and workspace)")
    p.add_argument("--workspace", help="workspace with extra instruments and text packs")
    p.set_defaults(func=cmd_instruments)

    p = sub.add_parser(
        "index", help="show the caseload from the index, or rebuild it from the artifacts"
    )
    p.add_argument("dir", help="workspace folder")
    p.add_argument(
        "--rebuild", action="store_true", help="delete and rebuild the index from the artifacts"
    )
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("serve", help="serve the workbooks with Voila on 127.0.0.1 with a token")
    p.add_argument("dir", help="workspace folder (kept outside the served folder)")
    p.add_argument("--port", type=int, default=None, help="port (default: 8866, or a free one)")
    p.set_defaults(func=cmd_serve)

    from . import _cmd_alerts

    _cmd_alerts.register(sub)

    from .exchange.cli import add_subcommands

    add_subcommands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .config import ConfigError

    try:
        return int(args.func(args))
    except (UserError, ConfigError) as exc:
        # ConfigError surfaces lazily (a workspace reads its configuration when first
        # needed); it names the file and field, so it is the whole message.
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
