"""Idle RSS: the bot's resident memory once it has started and settled, beside the bare
echo bot's (importing aiogram alone takes most of both)."""

from __future__ import annotations

import asyncio

from bench.processes import MIB
from bench.rig import Rig

SETTLE_SECONDS = 1.0


async def measure(rig: Rig) -> float:
    """MiB resident after a short settle (start-up work, such as the first poller cycle,
    is over by then)."""
    await asyncio.sleep(SETTLE_SECONDS)
    return rig.process.rss_bytes() / MIB
