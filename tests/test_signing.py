"""Signatures a trainee cannot forge, told as a supervisor's and a program's story.

A supervisor creates a key in their workspace; sign-offs and amendments made with it are
signed; `validate` names the signer, or says the record is not signed, or that its signature
does not match; and only sign-offs the workspace can vouch for count as supervision hours.
"""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest

from fixtures.reviews import WHEN, case_review, signoff
from supervision_workbook.artifact import TamperedArtifact, amend, dumps, loads, sign_off
from supervision_workbook.artifact.integrity import content_hash, data_hash
from supervision_workbook.cli import main as cli
from supervision_workbook.exchange import DownloadExchange
from supervision_workbook.model import Review, SignOff
from supervision_workbook.signing import (
    SigningError,
    SigningKey,
    key_for,
    sign,
    signature_matches,
    trusted_keys,
    verdict,
)
from supervision_workbook.store import Workspace, init_workspace

KAY = "Dr. Ruth Kay"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A supervisor's workspace with Dr. Kay's key; no exchange or roster configured."""
    for name in ("SUPERVISION_WORKBOOK_EXCHANGE", "SUPERVISION_WORKBOOK_ROSTER"):
        monkeypatch.delenv(name, raising=False)
    workspace = Workspace(init_workspace(tmp_path / "ws"))
    assert cli(["keys", "create", str(workspace.path), "--signer", KAY]) == 0
    return workspace


def kay(ws: Workspace) -> SigningKey:
    key = key_for(ws.path, KAY)
    assert key is not None
    return key


def signed_review(ws: Workspace) -> Review:
    return sign_off(case_review(), signoff(), key=kay(ws))


def hours(ws: Workspace) -> dict[str, int]:
    return {
        r.trainee_id: r.individual_minutes + r.group_minutes for r in ws.index.supervision_minutes()
    }


def validate(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli(["validate", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out, err


# --- keys -----------------------------------------------------------------------------------
def test_a_new_key_is_readable_by_its_owner_only_and_trusted_by_its_workspace(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = ws.path / "keys"
    key_files = list(folder.glob("*.key"))
    assert len(key_files) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(key_files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "trusted.json").stat().st_mode) == 0o600
    key = kay(ws)
    assert [(k.key_id, k.signer) for k in trusted_keys(ws.path)] == [(key.key_id, KAY)]
    capsys.readouterr()
    assert cli(["keys", "list", str(ws.path)]) == 0
    listed = capsys.readouterr().out
    assert key.key_id in listed and KAY in listed and key.public_b64 in listed
    assert "private" not in json.dumps(json.loads((folder / "trusted.json").read_text()))


def test_a_second_key_for_the_same_person_is_refused_and_the_first_is_kept(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    before = kay(ws).key_id
    capsys.readouterr()
    assert cli(["keys", "create", str(ws.path), "--signer", "dr. ruth  KAY"]) == 2
    assert "already has a key" in capsys.readouterr().err
    assert kay(ws).key_id == before


def test_a_key_file_others_can_read_is_refused_with_the_fix(ws: Workspace) -> None:
    key_file = next((ws.path / "keys").glob("*.key"))
    key_file.chmod(0o644)
    with pytest.raises(SigningError, match=r"chmod 600"):
        key_for(ws.path, KAY)


def test_trusting_something_that_is_not_a_public_key_says_so_in_one_line(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert cli(["keys", "trust", str(ws.path), "not-a-key", "--signer", "Dr. Ada Okafor"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "'public_key' is not base64" in err
    assert err.count("\n") == 1
    assert [k.signer for k in trusted_keys(ws.path)] == [KAY]


def test_keys_cannot_be_created_outside_a_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["keys", "create", str(tmp_path), "--signer", KAY]) == 2
    assert "not a supervision-workbook workspace" in capsys.readouterr().err
    assert not (tmp_path / "keys").exists()


# --- validate says who signed, or that nobody did, or that the signature does not match ----
def test_validate_names_the_signer_of_a_signed_sign_off(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ws.save(signed_review(ws)).path
    code, out, err = validate(capsys, path)
    assert code == 0, out
    assert f"sign-off signed by {KAY} (key {kay(ws).key_id[:16]})" in err


def test_a_workspace_without_keys_works_as_before_and_says_not_signed_with_a_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUPERVISION_WORKBOOK_ROSTER", raising=False)
    monkeypatch.delenv("SUPERVISION_WORKBOOK_EXCHANGE", raising=False)
    plain = Workspace(init_workspace(tmp_path / "plain"))
    path = plain.save(sign_off(case_review(), signoff())).path
    code, _, err = validate(capsys, path)
    assert code == 0
    assert f"signed off as '{KAY}', not signed with a key" in err
    assert hours(plain) == {"tr-ana": 60}  # hours as today: nothing to verify against


def test_a_record_edited_and_re_hashed_after_signing_fails_everywhere(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    genuine = signed_review(ws)
    forged = genuine.model_copy(update={"supervisor_notes": "Nothing of concern."}, deep=True)
    forged.signoff.minutes = 1440  # type: ignore[union-attr]
    forged.signoff.data_hash = data_hash(forged)  # type: ignore[union-attr]
    text = dumps(forged, ws.instruments, ws.config)  # every hash and cell rebuilt
    with pytest.raises(TamperedArtifact, match="signature on the sign-off does not match"):
        loads(text)
    path = tmp_path / "forged.ipynb"
    path.write_text(text, encoding="utf-8")
    code, out, _ = validate(capsys, path)
    assert code == 1 and "does not match the record" in out


def test_a_sign_off_signed_with_a_key_nobody_trusts_fails_validation(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    stranger = SigningKey.generate("Dr. Nobody")
    path = ws.save(sign_off(case_review(), signoff(), key=stranger)).path
    code, out, _ = validate(capsys, path)
    assert code == 1
    assert "not in the roster or this workspace's trusted keys" in out
    assert "'Dr. Nobody', which proves nothing" in out


def test_a_signature_lifted_onto_another_record_does_not_match(ws: Workspace) -> None:
    one = signed_review(ws)
    other = sign_off(case_review().model_copy(update={"id": "rv-other-0001"}), signoff())
    other.signoff.signature = one.signoff.signature  # type: ignore[union-attr]
    with pytest.raises(TamperedArtifact, match="does not match"):
        loads(dumps(other, ws.instruments, ws.config))


def test_an_unsigned_amendment_after_a_signed_sign_off_fails_and_its_hours_do_not_count(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    # Appended elsewhere, with the Python API and no key, and handed back as a file.
    review = amend(signed_review(ws), KAY, "Met longer.", {"signoff.minutes": 1440})
    upload = DownloadExchange()
    upload.receive("amended.ipynb", dumps(review, ws.instruments, ws.config))
    (path,) = upload.collect(ws).imported
    code, out, _ = validate(capsys, path)
    assert code == 1 and "amendment 1" in out and "without a signed amendment" in out
    assert hours(ws) == {"tr-ana": 0}


def test_a_sign_off_made_in_the_workspace_is_signed_with_its_key_when_saved(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    made_here = sign_off(case_review(), signoff())  # as the case review's Sign off button does
    assert made_here.signoff.signature is None  # type: ignore[union-attr]
    path = ws.save(made_here).path
    saved = loads(path.read_text(encoding="utf-8")).review
    assert saved.signoff.signature.key_id == kay(ws).key_id  # type: ignore[union-attr]
    code, _, err = validate(capsys, path)
    assert code == 0 and f"sign-off signed by {KAY}" in err
    assert hours(ws) == {"tr-ana": 60}
    later = amend(saved, KAY, "Met longer.", {"signoff.minutes": 75}, at=WHEN)
    path = ws.save(later, expected_hash=content_hash(saved)).path
    code, _, err = validate(capsys, path)
    assert code == 0 and f"amendment 1 ({later.amendments[0].id}) signed by {KAY}" in err
    assert hours(ws) == {"tr-ana": 75}


def test_a_signed_amendment_is_named_and_its_hours_count(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    review = amend(
        signed_review(ws), KAY, "Met longer.", {"signoff.minutes": 90}, at=WHEN, key=kay(ws)
    )
    path = ws.save(review).path
    code, _, err = validate(capsys, path)
    assert code == 0
    assert (
        f"sign-off signed by {KAY}" in err
        and f"amendment 1 ({review.amendments[0].id}) signed by {KAY}" in err
    )
    assert hours(ws) == {"tr-ana": 90}


# --- issue 13: a fabricated or re-hashed sign-off from outside adds no hours ----------------
def test_a_forged_or_made_up_sign_off_handed_in_from_outside_adds_no_hours(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    genuine = signed_review(ws)
    ws.save(genuine)
    assert hours(ws) == {"tr-ana": 60}

    # The trainee edits the notes and the signed minutes, recomputes signoff.data_hash and
    # rebuilds the notebook, and uploads it: refused, and the hours do not move.
    forged = genuine.model_copy(update={"supervisor_notes": "All fine."}, deep=True)
    forged.signoff.minutes = 1440  # type: ignore[union-attr]
    forged.signoff.data_hash = data_hash(forged)  # type: ignore[union-attr]
    upload = DownloadExchange()
    with pytest.raises(TamperedArtifact, match="does not match"):
        upload.receive("forged.ipynb", dumps(forged, ws.instruments, ws.config))
    assert upload.collect(ws).imported == []
    assert hours(ws) == {"tr-ana": 60}

    # A made-up signed review, with or without a key of its own: imported, but no hours.
    nobody = SignOff(id="so-nobody1", supervisor="Dr. Nobody", signed_at=WHEN, minutes=1440,
                     format="individual")  # fmt: skip
    made_up = case_review().model_copy(update={"id": "rv-made-up-01"})
    stranger = SigningKey.generate("Dr. Nobody")
    keyed = case_review().model_copy(update={"id": "rv-made-up-02"})
    for name, review in (
        ("nobody.ipynb", sign_off(made_up, nobody)),
        ("nobody-keyed.ipynb", sign_off(keyed, nobody, key=stranger)),
    ):
        upload.receive(name, dumps(review, ws.instruments, ws.config))
    report = upload.collect(ws)
    assert len(report.imported) == 2
    ws.index.refresh()
    assert hours(ws) == {"tr-ana": 60}
    code, out, err = validate(capsys, *report.imported)
    assert code == 1 and "Dr. Nobody" in out  # the keyed one: a key nobody trusts
    assert "not signed with a key" in err  # the unkeyed one says so plainly

    # Trusting a key is what makes its sign-offs count: the figures follow at once.
    assert cli(["keys", "trust", str(ws.path), stranger.public_b64, "--signer", "Dr. Nobody"]) == 0
    assert hours(ws) == {"tr-ana": 60 + 1440}


def test_the_programs_roster_makes_a_colleagues_key_trusted(
    ws: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    okafor = SigningKey.generate("Dr. Ada Okafor")
    roster = tmp_path / "roster.json"
    roster.write_text(
        json.dumps(
            {
                "version": 1,
                "trainees": {"ana": {"supervisors": ["okafor"], "trainee_ids": ["tr-ana"]}},
                "supervisors": {"okafor": {"name": "Dr. Ada Okafor", "keys": [okafor.public_b64]}},
            }
        )
    )
    roster.chmod(0o644)
    monkeypatch.setenv("SUPERVISION_WORKBOOK_ROSTER", str(roster))
    path = ws.save(sign_off(case_review(), signoff(), key=okafor)).path
    code, _, err = validate(capsys, path)
    assert code == 0 and "signed by Dr. Ada Okafor" in err and f"names '{KAY}'" in err
    assert hours(ws) == {"tr-ana": 60}

    roster.chmod(0o666)  # a roster anyone can edit is not believed
    code, out, _ = validate(capsys, path)
    assert code == 1 and "writable by other accounts" in out
    assert hours(ws) == {"tr-ana": 0}


# --- the meeting date ------------------------------------------------------------------------
def test_hours_count_on_the_meeting_date_and_old_sign_offs_on_their_signing_day() -> None:
    met = signoff().model_copy(update={"meeting_date": date(2026, 2, 27)})
    assert met.hours_date == date(2026, 2, 27)
    assert signoff().hours_date == WHEN.date()
    with pytest.raises(
        ValueError, match="meeting date 2026-03-09 is after the day of signing 2026-03-02"
    ):
        SignOff.model_validate({**signoff().model_dump(), "meeting_date": date(2026, 3, 9)})


def test_records_from_before_keys_and_meeting_dates_keep_their_bytes_and_hashes() -> None:
    review = sign_off(case_review(), signoff())
    record = review.model_dump(mode="json")
    assert "signature" not in record["signoff"] and "meeting_date" not in record["signoff"]
    keyed = sign_off(case_review(), signoff(), key=SigningKey.generate(KAY))
    assert keyed.signoff.data_hash == review.signoff.data_hash  # type: ignore[union-attr]
    assert content_hash(keyed) != content_hash(review)  # the signature is in the record


# --- one API for any record with a hash chain --------------------------------------------
def test_any_record_kind_can_sign_and_check_a_link_of_its_chain() -> None:
    key = SigningKey.generate(KAY)
    chain = "ab" * 32
    signature = sign(key, "contract", "ct-0001", chain)
    assert signature_matches(signature, "contract", "ct-0001", chain)
    assert not signature_matches(signature, "evaluation", "ct-0001", chain)
    assert not signature_matches(signature, "contract", "ct-0002", chain)
    assert not signature_matches(signature, "contract", "ct-0001", "cd" * 32)


def test_a_demo_workspace_is_signed_and_validate_names_its_supervisors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from supervision_workbook.demo import DemoSpec, write_demo

    demo, _ = write_demo(tmp_path / "demo", DemoSpec(trainees=2, cases=2, sessions=2))
    code, _, err = validate(capsys, demo.path)
    assert code == 0
    assert "sign-off signed by Dr. Demo Supervisor" in err
    assert "sign-off signed by Dr. Sample Supervisor" in err
    assert sum(r.individual_minutes + r.group_minutes for r in demo.index.supervision_minutes()) > 0
    signed = [
        loads(p.read_text(encoding="utf-8")).review
        for p in (demo.path / "reviews").rglob("*case_review*")
    ]
    for review in signed:
        if review.signoff is not None:
            assert review.signoff.meeting_date is not None
            assert verdict(review, trusted_keys(demo.path)).state == "signed"


def test_on_a_hub_the_roster_decides_whose_sign_offs_count_when_collected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dr. Kay's key lives in the program's roster only; her trainee Ana submits a copy of
    the genuine signed review, a re-hashed one with more minutes, and a made-up one."""
    from supervision_workbook.exchange import FolderExchange
    from supervision_workbook.exchange._setup import setup_exchange

    key = SigningKey.generate(KAY)
    root = tmp_path / "exchange"
    root.mkdir()
    roster = root / "roster.json"
    roster.write_text(
        json.dumps(
            {
                "version": 1,
                "trainees": {"ana": {"supervisors": ["kay"], "trainee_ids": ["tr-ana"]}},
                "supervisors": {"kay": {"name": KAY, "keys": [key.public_b64]}},
            }
        )
    )
    roster.chmod(0o644)
    assert not setup_exchange(root, shared_account=True).problems
    monkeypatch.setenv("SUPERVISION_WORKBOOK_EXCHANGE", str(root))
    monkeypatch.delenv("SUPERVISION_WORKBOOK_ROSTER", raising=False)
    ws = Workspace(init_workspace(tmp_path / "kay-workspace"))  # no key of its own
    ana = FolderExchange(root, user="ana")

    genuine = sign_off(case_review(), signoff(), key=key)
    text = dumps(genuine, ws.instruments, ws.config)
    ana.submit(text)
    forged = genuine.model_copy(update={"supervisor_notes": "All fine."}, deep=True)
    forged.signoff.minutes = 1440  # type: ignore[union-attr]
    forged.signoff.data_hash = data_hash(forged)  # type: ignore[union-attr]
    with pytest.raises(TamperedArtifact, match="does not match"):
        ana.submit(dumps(forged, ws.instruments, ws.config))
    made_up = sign_off(
        case_review().model_copy(update={"id": "rv-made-up-03"}),
        signoff().model_copy(update={"supervisor": "Dr. Nobody", "minutes": 1440}),
    )
    ana.submit(dumps(made_up, ws.instruments, ws.config))

    report = FolderExchange(root, user="kay").collect(ws)
    assert len(report.imported) == 2 and report.refused == []
    assert hours(ws) == {"tr-ana": 60}
    code, _, err = validate(capsys, *report.imported)
    assert code == 0
    assert f"sign-off signed by {KAY}" in err and "'Dr. Nobody', not signed with a key" in err
