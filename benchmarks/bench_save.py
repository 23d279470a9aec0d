"""Save latency of a typical review, and the size of a 20-session case-review artifact.

Both use the demo generator (``supervision_workbook.demo.generate``), so the records are the
same shape a user's are: ratings from both sides, ruptures, a reflection with all prompts.

- **save**: one session review (what the supervisee saves after a session), saved once,
  then re-saved ``repeat`` times through ``Workspace.save`` with ``expected_hash`` chained,
  each time with a changed note, as an autosave does. Each save is the whole path: build the
  notebook, lock, verify the file on disk (conflict check), atomic write with fsync, index
  upsert. Timed with ``perf_counter`` around the call.
- **artifact size**: the demo's case reviews over 20 sessions, one per course archetype
  (improving, rupture and repair, unrepaired, over-rated), as written to disk; the largest
  counts.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from supervision_workbook.model import ReviewKind


def _generate(spec, ws):  # demo and store types, imported lazily
    from supervision_workbook.demo import generate

    cfg = ws.config
    return generate(
        spec,
        ws.instruments,
        cfg.client_instrument,
        cfg.therapist_instrument,
        cfg.supervision_instrument,
    )


def save_latencies(repeat: int) -> tuple[list[float], int]:
    """``repeat`` re-saves of one session review, in ms; and the saved file's size."""
    from supervision_workbook.demo import DemoSpec
    from supervision_workbook.store import Workspace, init_workspace

    with tempfile.TemporaryDirectory(prefix="swb-bench-save-") as tmp:
        ws = Workspace(init_workspace(Path(tmp) / "ws"))
        review = next(
            r
            for r in _generate(DemoSpec(trainees=1, cases=1, sessions=8, seed=11), ws)
            if r.kind is ReviewKind.session
        )
        ref = ws.save(review)  # first save: creates folders, index, lock dir
        samples: list[float] = []
        for i in range(repeat):
            review.sessions[0].notes = f"Autosave {i}: a few more words about the session."
            start = time.perf_counter()
            ref = ws.save(review, expected_hash=ref.content_hash)
            samples.append((time.perf_counter() - start) * 1000)
        return samples, ref.path.stat().st_size


def case_review_sizes(sessions: int = 20) -> dict[str, int]:
    """Bytes on disk of each archetype's case review over ``sessions`` sessions."""
    from supervision_workbook.demo import ARCHETYPES, DemoSpec
    from supervision_workbook.store import Workspace, init_workspace

    with tempfile.TemporaryDirectory(prefix="swb-bench-artifact-") as tmp:
        ws = Workspace(init_workspace(Path(tmp) / "ws"))
        spec = DemoSpec(trainees=1, cases=len(ARCHETYPES), sessions=sessions, seed=5)
        sizes: dict[str, int] = {}
        case_index = 0
        for review in _generate(spec, ws):
            if review.kind is not ReviewKind.case_review:
                continue
            ref = ws.save(review, update_index=False)
            sizes[f"{ARCHETYPES[case_index % len(ARCHETYPES)]}"] = ref.path.stat().st_size
            case_index += 1
        return sizes
