"""Fan-out: one status change of a dispatch followed by 300 people, the stand-in
enforcing Telegram's limits (30 messages a second overall, one a second per chat): the
time from the start of the poller's cycle to the last delivery, and the 429s received.

The baseline is the floor those limits set: after the burst of 30, one message per
1/30 s, so (300 - 30) / 30 = 9 s; the issue rounds it to 10 s.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from bench.poller_rig import PHONE, open_poller_rig
from storage import Role
from testbed.standin import FloodLimits

FIRST_USER = 10_000


@dataclass(frozen=True)
class Fanout:
    people: int
    delivered: int
    seconds: float  # cycle start -> last delivery
    rate_limited: int  # 429 answers
    floor_seconds: float


def floor_seconds(people: int, limits: FloodLimits) -> float:
    return max(people - limits.overall_burst, 0) / limits.overall_per_second


async def measure(folder: Path, people: int = 300) -> Fanout:
    limits = FloodLimits()
    async with open_poller_rig(folder, limits) as rig:
        dispatch_id = await rig.sms.create_dispatch("Bench", [PHONE], None)
        await rig.store.dispatches.track(dispatch_id, None, "1 number", "Bench", None)
        for n in range(people):
            user_id = FIRST_USER + n
            rig.standin.user(user_id, first_name=f"U{n}", language_code="en")
            await rig.store.users.upsert_seen(user_id, f"U{n}", None, "en")
            await rig.store.users.set_role(user_id, Role.OBSERVER)
            await rig.store.subscriptions.subscribe(dispatch_id, user_id)
        poller = rig.poller()
        await poller.run_cycle()  # tariffing: nothing to tell yet
        rig.emulator.clock.advance(10)  # sending
        calls_before = len(rig.standin.calls)
        started = time.time()
        await poller.run_cycle()
        sent = [c for c in rig.standin.calls[calls_before:] if c.method == "sendMessage" and c.ok]
        return Fanout(
            people=people,
            delivered=len(sent),
            seconds=(max(c.time for c in sent) - started) if sent else float("nan"),
            rate_limited=rig.standin.rate_limited_count,
            floor_seconds=floor_seconds(people, limits),
        )
