"""A burst of final states to one group, as ``python -m bench.group_burst`` measures it:
a few messages within seconds instead of one each over minutes, and never a 429."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.group_burst import measure, one_message_each
from testbed.standin import FloodLimits


def test_one_message_each_waits_a_minute_for_every_twenty() -> None:
    limits = FloodLimits()
    assert one_message_each(1, limits) == 0
    assert one_message_each(20, limits) == 19
    assert one_message_each(21, limits) == 60
    assert one_message_each(100, limits) == 4 * 60 + 19


@pytest.mark.slow  # a load: a hundred dispatches through the emulator and the stand-in
async def test_a_hundred_final_states_reach_a_group_in_a_few_messages_within_seconds(
    tmp_path: Path,
) -> None:
    result = await measure(tmp_path, burst=100)
    assert result.told == 100
    assert result.messages <= 5 and result.most_in_a_minute <= 20
    assert result.seconds < 10 < result.baseline_seconds
    assert result.rate_limited == 0
