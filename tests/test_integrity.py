"""Sign-off and amendments: after sign-off, a record changes only by appended amendments."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

import pytest

from fixtures.reviews import case_review, signoff
from supervision_workbook.artifact import (
    TamperedArtifact,
    amend,
    canonical_json,
    content_hash,
    dumps,
    loads,
    sign_off,
    verify,
)
from supervision_workbook.artifact.integrity import ZERO_HASH, IntegrityError, data_hash
from supervision_workbook.model import Status

LATER = datetime(2026, 3, 9, 9, 30, tzinfo=timezone.utc)


def signed():
    return sign_off(case_review(), signoff())


def amended_twice():
    once = amend(
        signed(), "Dr. Ruth Kay", "Minutes were 90, not 60.", {"signoff.minutes": 90}, at=LATER
    )
    return amend(
        once,
        "Dr. Ruth Kay",
        "Goal reworded with the trainee.",
        {"goals": "Agree a shared focus for four sessions.", "sessions.2.notes": ""},
        at=LATER,
    )


def test_the_canonical_json_sorts_keys_drops_whitespace_and_keeps_unicode():
    review = case_review().model_copy(update={"goals": "Zoë ✓"})
    text = canonical_json(review)
    assert text == json.dumps(
        json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert "Zoë ✓" in text
    assert content_hash(review) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_signing_off_records_the_status_and_the_hash_of_the_signed_data():
    review = signed()
    assert review.status is Status.signed_off
    assert review.signoff is not None
    assert review.signoff.data_hash == data_hash(review) != ZERO_HASH
    verify(review)  # does not raise


def test_a_review_cannot_be_signed_off_twice():
    with pytest.raises(IntegrityError, match="already signed off"):
        sign_off(signed(), signoff())


def test_an_amendment_applies_its_changes_and_chains_to_the_signature():
    review = amended_twice()
    assert review.signoff is not None and review.signoff.minutes == 90
    assert review.goals == "Agree a shared focus for four sessions."
    assert review.sessions[2].notes == ""
    first, second = review.amendments
    assert first.changes == {"signoff.minutes": 90}
    assert second.author == "Dr. Ruth Kay" and second.at == LATER
    assert second.data_hash == data_hash(review)
    assert first.chain_hash != second.chain_hash
    verify(review)


def test_amending_leaves_the_original_untouched():
    original = signed()
    amend(original, "Dr. Ruth Kay", "typo", {"goals": "x"}, at=LATER)
    assert original.goals == "Agree a shared focus." and original.amendments == []


def test_a_review_that_is_not_signed_off_is_edited_directly_not_amended():
    with pytest.raises(IntegrityError, match="not signed off"):
        amend(case_review(), "Dr. Ruth Kay", "why", {"goals": "x"})


@pytest.mark.parametrize("path", ["status", "id", "amendments", "signoff.data_hash", "kind"])
def test_identity_lifecycle_and_integrity_fields_cannot_be_amended(path: str):
    with pytest.raises(IntegrityError, match="cannot be amended"):
        amend(signed(), "Dr. Ruth Kay", "why", {path: "x"})


def test_an_amendment_that_would_make_the_record_invalid_is_refused_with_its_field():
    with pytest.raises(IntegrityError, match=r"sessions\.0\.number"):
        amend(signed(), "Dr. Ruth Kay", "why", {"sessions.0.number": 0})


def test_an_amendment_to_a_field_that_does_not_exist_is_refused():
    with pytest.raises(IntegrityError, match=r"sessions\.99"):
        amend(signed(), "Dr. Ruth Kay", "why", {"sessions.99.notes": "x"})
    with pytest.raises(IntegrityError, match="not valid"):
        amend(signed(), "Dr. Ruth Kay", "why", {"nickname": "x"})


def test_a_hand_edit_after_sign_off_is_detected():
    review = signed()
    review.goals = "Something the supervisor never signed."
    with pytest.raises(TamperedArtifact, match="changed after its sign-off"):
        verify(review, source="review.ipynb")


def test_a_hand_edit_after_an_amendment_is_detected():
    review = amended_twice()
    review.sessions[0].notes = "added later"
    with pytest.raises(TamperedArtifact, match="after its amendment 2"):
        verify(review)


def test_rewording_an_earlier_amendment_breaks_the_chain():
    review = amended_twice()
    review.amendments[0].why = "A better-sounding reason."
    with pytest.raises(TamperedArtifact, match="amendment 1"):
        verify(review)


def test_dropping_the_last_amendment_is_detected():
    review = amended_twice()
    review.amendments = review.amendments[:1]
    with pytest.raises(TamperedArtifact, match="after its amendment 1"):
        verify(review)


def test_reordering_amendments_is_detected():
    review = amended_twice()
    review.amendments = list(reversed(review.amendments))
    with pytest.raises(TamperedArtifact, match="chain hash"):
        verify(review)


def test_flipping_a_signed_review_back_to_draft_is_detected():
    review = signed()
    review.status = Status.draft
    with pytest.raises(TamperedArtifact, match="status is 'draft'"):
        verify(review)


def test_a_sign_off_pasted_in_without_sign_off_is_refused():
    review = case_review().model_copy(update={"status": Status.signed_off, "signoff": signoff()})
    with pytest.raises(TamperedArtifact, match="no data hash"):
        verify(review)


def test_an_unsigned_review_has_nothing_to_verify():
    verify(case_review())


def test_a_hand_edit_of_a_signed_artifact_is_refused_even_with_a_recomputed_content_hash():
    text = dumps(amended_twice())
    notebook = json.loads(text)
    block = notebook["metadata"]["supervision_workbook"]
    block["record"]["signoff"]["minutes"] = 600
    block["content_hash"] = hashlib.sha256(
        json.dumps(
            block["record"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    ).hexdigest()
    with pytest.raises(TamperedArtifact) as caught:
        loads(json.dumps(notebook), "C-014_case_review.ipynb")
    assert str(caught.value).startswith("C-014_case_review.ipynb: the record was changed after")


def test_an_amended_artifact_round_trips_and_verifies():
    review = amended_twice()
    assert loads(dumps(review)).review == review


# --- signatures on the chain ----------------------------------------------------------------
def _key():
    from supervision_workbook.signing import SigningKey

    return SigningKey.generate("Dr. Ruth Kay")


def test_a_signature_covers_the_chain_without_changing_any_hash_of_it():
    key = _key()
    unkeyed, keyed = signed(), sign_off(case_review(), signoff(), key=key)
    assert keyed.signoff.data_hash == unkeyed.signoff.data_hash
    assert keyed.signoff.signature.key_id == key.key_id
    again = amend(
        keyed, "Dr. Ruth Kay", "Minutes were 90.", {"signoff.minutes": 90}, at=LATER, key=key
    )
    bare = amend(unkeyed, "Dr. Ruth Kay", "Minutes were 90.", {"signoff.minutes": 90}, at=LATER)
    assert again.amendments[0].data_hash == bare.amendments[0].data_hash
    assert again.signoff.signature == keyed.signoff.signature  # the sign-off keeps its own
    verify(again)


def test_a_signature_cannot_be_amended_and_a_damaged_one_is_refused():
    key = _key()
    review = sign_off(case_review(), signoff(), key=key)
    with pytest.raises(IntegrityError, match="cannot be amended"):
        amend(review, "Dr. Ruth Kay", "why", {"signoff.signature": None})
    value = review.signoff.signature.value
    damaged = review.model_copy(deep=True)
    damaged.signoff.signature.value = ("B" if value[0] == "A" else "A") + value[1:]
    with pytest.raises(TamperedArtifact, match="signature on the sign-off does not match"):
        verify(damaged)


def test_stripping_a_signature_leaves_a_record_that_says_it_is_not_signed():
    """What a chain cannot prevent, said plainly: without the signature the record is an
    unkeyed sign-off again, which validate reports and the hours of a keyed workspace ignore."""
    from supervision_workbook.signing import TrustedKeys, verdict

    review = sign_off(case_review(), signoff(), key=_key())
    stripped = review.model_copy(deep=True)
    stripped.signoff.signature = None
    verify(stripped)
    assert verdict(stripped, TrustedKeys()).text.endswith("not signed with a key")
