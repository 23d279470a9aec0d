"""``supervision-workbook keys create|list|trust``: signing keys and trusted keys.

A module of its own so that the main command only registers it (``register``); the
handlers import the signing package when they run, so ``--help`` stays fast.
See docs/signatures.md for the whole story; the files are described in ``signing._files``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from supervision_workbook.console import EXIT_OK, UserError


def _workspace_dir(raw: str) -> Path:
    from supervision_workbook.store import Workspace, WorkspaceError

    try:
        return Workspace(Path(raw)).path
    except WorkspaceError as exc:
        raise UserError(str(exc)) from None


def cmd_create(args: argparse.Namespace) -> int:
    from supervision_workbook.signing import SigningError, create_key

    ws = _workspace_dir(args.dir)
    try:
        key, path = create_key(ws, args.signer)
    except SigningError as exc:
        raise UserError(str(exc)) from None
    print(f"Created a signing key for {key.signer}: key {key.key_id}")
    print(f"  private key: {path} (readable by you only; never share it)")
    print(f"  public key:  {key.public_b64}")
    print(
        "Sign-offs and amendments made in this workspace are now signed with it when they "
        "are saved, and this workspace trusts it. Give the public key (not the file) to "
        "your program, for the roster's 'supervisors' entry."
    )
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from supervision_workbook.signing import SigningError, own_keys, trusted_keys

    ws = _workspace_dir(args.dir)
    try:
        own = {key.key_id for key in own_keys(ws)}
    except SigningError as exc:
        raise UserError(str(exc)) from None
    trusted = trusted_keys(ws, roster=Path(args.roster) if args.roster else None)
    for problem in trusted.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if not trusted:
        print(
            "No trusted keys: this workspace counts every sign-off whose hash chain holds, "
            "and anyone can recompute a hash chain. Create a key with: "
            f"supervision-workbook keys create {args.dir} --signer NAME"
        )
        return EXIT_OK
    for key in trusted:
        where = f"trusted by {key.source}"
        if key.key_id in own:
            where += "; its private key is kept here and signs sign-offs made here"
        print(f"{key.key_id}  {key.signer}  ({where})")
        print(f"    public key: {key.public_key}")
        if key.note:
            print(f"    note: {key.note}")
    return EXIT_OK


def cmd_trust(args: argparse.Namespace) -> int:
    from supervision_workbook.signing import SigningError, add_trusted

    ws = _workspace_dir(args.dir)
    try:
        key = add_trusted(ws, args.public_key, args.signer, args.note or "trusted by hand")
    except SigningError as exc:
        raise UserError(str(exc)) from None
    print(f"This workspace now trusts key {key.key_id} as {key.signer}'s.")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``keys`` and its subcommands to the main command's parser."""
    keys = subparsers.add_parser(
        "keys",
        help="signing keys: create your own, list and trust others' public keys",
        description="Signing keys for sign-offs and amendments (Ed25519). A key is kept in "
        "the workspace's keys/ folder, readable by its owner only; the workspace trusts the "
        "public keys in keys/trusted.json and in the program's roster. See docs/signatures.md.",
    )
    sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")

    p = sub.add_parser("create", help="create a signing key for a supervisor in a workspace")
    p.add_argument("dir", help="workspace folder")
    p.add_argument("--signer", required=True, help="the name the records show, e.g. 'Dr. Ruth Kay'")
    p.set_defaults(func=cmd_create)

    p = sub.add_parser("list", help="list the keys a workspace trusts, with their public keys")
    p.add_argument("dir", help="workspace folder")
    p.add_argument(
        "--roster", help="roster file (default: $SUPERVISION_WORKBOOK_ROSTER or the exchange's)"
    )
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("trust", help="trust another supervisor's public key in a workspace")
    p.add_argument("dir", help="workspace folder")
    p.add_argument("public_key", help="the public key `keys list` prints (base64)")
    p.add_argument("--signer", required=True, help="whose key it is, as the records name them")
    p.add_argument("--note", help="where the key came from (kept beside it)")
    p.set_defaults(func=cmd_trust)
