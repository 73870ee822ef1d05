"""Many managers send at once while the SMS API fails: the short version of the load
test (the full one, 500 users, runs from ``python -m bench``). The bot runs as
``python -m bot`` in its own process, logging at DEBUG."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.conversation import Outcome
from bench.load_faults import FAULTS, run_load

pytestmark = pytest.mark.slow  # the load test, python -m bot in its own process

USERS = 48


async def test_48_managers_send_at_once_while_the_sms_api_fails_and_nothing_goes_twice(
    tmp_path: Path,
):
    # More lost creates than in the full run, so that a short run surely has some.
    faults = {**FAULTS, "lose_create_rate": 0.15, "hang_seconds": 0.5}
    report = await run_load(USERS, tmp_path, faults)

    assert report.problems() == []
    assert sum(report.outcomes.values()) == USERS
    # The faults did hit: 5xx, timeouts and lost creates, each shown as its outcome.
    assert report.faults["error"] > 0 and report.faults["timeout"] > 0
    assert report.faults["lose_create"] > 0
    assert report.outcomes[str(Outcome.UNKNOWN)] >= report.faults["lose_create"]
    assert report.outcomes[str(Outcome.SENT)] > 0
    # Every created dispatch is one a user was told about (sent) or may exist (unknown).
    assert (
        report.created <= report.outcomes[str(Outcome.SENT)] + report.outcomes[str(Outcome.UNKNOWN)]
    )
