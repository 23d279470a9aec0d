"""Fixtures every test module may use; shared fakes and builders live in ``tests/fixtures/``.

Test modules never import from one another: what two of them need is a fixture here or a
builder in ``fixtures`` (``fixtures.clock.FakeClock``, ``fixtures.reviews``,
``fixtures.workbooks``, ``fixtures.nbval``).
"""

from __future__ import annotations

import pytest

from fixtures.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    """The one fake clock: timers run when the test advances it (or runs what is due)."""
    return FakeClock()
