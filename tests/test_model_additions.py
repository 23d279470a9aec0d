"""What the meeting can now record, and why old files still verify.

The story: a program upgraded mid-year. Case reviews signed last term must still load
(their hashes were computed before follow-ups, risk concerns, action-item owners and flag
marks existed), while this term's reviews carry the new parts through a save and a reload.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError
from tests.fixtures.reviews import case_review, signoff

from supervision_workbook.artifact import TamperedArtifact, dumps, loads, sign_off
from supervision_workbook.artifact.integrity import canonical_json, content_hash
from supervision_workbook.config import AlertConfig
from supervision_workbook.model import (
    ActionItem,
    FlagMark,
    Resolved,
    Review,
    RiskConcern,
    RiskLevel,
    RuptureFollowUp,
)

DEFAULT = AlertConfig()
NEW_KEYS = {"follow_ups", "risk", "owner", "due", "flag_marks"}


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_a_record_without_the_new_parts_hashes_as_it_did_before_they_existed():
    review = sign_off(case_review(), signoff())
    stored = json.loads(canonical_json(review))
    assert not (_keys(stored) & NEW_KEYS)  # nothing new is written while unused
    reread = Review.model_validate(stored)
    assert content_hash(reread) == content_hash(review)


def test_follow_ups_risk_owners_and_marks_survive_a_save_and_a_reload():
    review = case_review()
    first = review.sessions[0]
    review.sessions[0] = first.model_copy(
        update={
            "follow_ups": [
                RuptureFollowUp(id="fu-0001", rupture_id="ru-0001", resolved=Resolved.yes)
            ],
            "risk": RiskConcern(
                level=RiskLevel.urgent, note="Raised at the end.", response="Plan agreed."
            ),
        }
    )
    review.action_items = [
        ActionItem(
            id="ai-0001", text="Ask about safety first.", owner="supervisee", due=date(2026, 3, 9)
        )
    ]
    review.flag_marks = [FlagMark(flag="cutoff:3", mark="action_agreed")]
    loaded = loads(dumps(review), "test.ipynb")
    assert loaded.review == review
    assert loaded.review.sessions[0].risk.level is RiskLevel.urgent
    assert loaded.review.action_items[0].owner == "supervisee"


def test_a_flag_mark_must_be_one_of_the_three_meeting_marks():
    with pytest.raises(ValidationError):
        FlagMark(flag="cutoff:3", mark="ignored")


def _edited(text: str, legacy_settings: bool) -> str:
    nb = json.loads(text)
    if legacy_settings:  # 0.1 wrote one global comparison
        nb["metadata"]["supervision_workbook"]["settings"]["alerts"]["cutoff_comparison"] = "<"
    summary = next(c for c in nb["cells"] if c["id"] == "summary")
    summary["source"] = "".join(summary["source"]).replace(
        "Rupture left unrepaired in session 4", "Rupture left unrepaired (old wording)"
    )
    return json.dumps(nb, indent=1)


def test_a_file_that_only_claims_the_earlier_alert_rules_is_still_compared_cell_by_cell():
    """Claiming the 0.1 settings in a file written today skips nothing (see
    tests/test_written_by_0_1.py for the files 0.1 really wrote)."""
    text = dumps(case_review())
    with pytest.raises(TamperedArtifact):
        loads(_edited(text, legacy_settings=True), "old.ipynb")
    with pytest.raises(TamperedArtifact):
        loads(_edited(text, legacy_settings=False), "new.ipynb")


def test_the_replay_cell_carries_follow_ups_and_risk_but_never_their_words():
    from supervision_workbook.alerts import case_alerts
    from supervision_workbook.artifact._chart_inputs import decode, encode
    from supervision_workbook.instruments import shipped_instruments

    review = case_review()
    review.sessions[4] = review.sessions[4].model_copy(
        update={
            "follow_ups": [
                RuptureFollowUp(
                    id="fu-0001", rupture_id=review.sessions[3].ruptures[0].id,
                    resolved=Resolved.yes, note="Talked it through with the client.",
                )
            ],
            "risk": RiskConcern(
                level=RiskLevel.noted, note="Hopeless this week.", response="Asked directly."
            ),
        }
    )  # fmt: skip
    inputs = json.dumps(encode(review))
    for words in ("Talked it through", "Hopeless", "Asked directly"):
        assert words not in inputs
    replayed = Review.model_validate(decode(json.loads(inputs)))
    instruments = shipped_instruments()
    as_recorded = [(a.rule, a.message) for a in case_alerts(review.sessions, instruments, DEFAULT)]
    as_replayed = [
        (a.rule, a.message) for a in case_alerts(replayed.sessions, instruments, DEFAULT)
    ]
    assert as_replayed == as_recorded
    assert "taken up and repaired in session 5" in " ".join(m for _, m in as_recorded)
    # A file without the new parts keeps the six-part sessions of 0.1.
    assert all(len(s) == 6 for s in encode(case_review())["sessions"])
