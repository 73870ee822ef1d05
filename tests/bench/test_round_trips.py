"""bench.round_trips counts in the real bot process what tests/bot/test_update_cost.py
counts in the test harness: the two must agree on the goal."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import round_trips

pytestmark = pytest.mark.slow


async def test_each_step_of_a_conversation_in_the_bot_process_stays_within_eight_trips(
    tmp_path: Path,
) -> None:
    costs = await round_trips.measure(tmp_path)
    assert set(costs) == {*round_trips.STEPS, "/balance"}
    assert all(0 < costs[step] <= 8 for step in round_trips.STEPS[:-1]), costs
    assert 0 < costs["Confirm"] <= 20, costs
    assert costs["/balance"] <= 2, costs
    assert f"Confirm {costs['Confirm']};" in round_trips.report(costs)
