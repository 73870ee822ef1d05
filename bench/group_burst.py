"""A burst to one group: 100 dispatches reach their final state in one poller cycle, and a
group bound as an alert channel hears every one of them. The stand-in enforces Telegram's
limits, 20 messages a minute in a group among them.

Measured: how many messages the group got, the time from the start of the cycle that saw
the dispatches closed to the last message, the most messages in any 60 s, and the 429s.
The baseline is a message per final state at the group's limit: 20 go in the first 19 s,
then 20 more each minute, so the hundredth leaves after 4 minutes and 19 seconds.

    .venv/bin/python -m bench.group_burst
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bench.poller_rig import PHONE, open_poller_rig
from testbed.standin import FloodLimits

GROUP_ID = -4242
MEMBER_ID = 4242
MINUTE = 60.0


@dataclass(frozen=True)
class GroupBurst:
    final_states: int
    messages: int
    seconds: float  # the cycle's start -> the last message in the group
    most_in_a_minute: int
    rate_limited: int  # 429 answers
    told: int  # final states the group's messages name
    baseline_messages: int
    baseline_seconds: float


def one_message_each(count: int, limits: FloodLimits) -> float:
    """When the last of ``count`` messages could leave, one a second and ``per minute``
    in any minute."""
    per_minute = limits.per_group_per_minute
    full_minutes, rest = divmod(count - 1, per_minute)
    return full_minutes * MINUTE + rest


async def measure(folder: Path, burst: int = 100) -> GroupBurst:
    limits = FloodLimits()
    async with open_poller_rig(folder, limits) as rig:
        member = rig.standin.user(MEMBER_ID, first_name="Alla", language_code="ru")
        team = rig.standin.group(GROUP_ID, "Команда", [member])
        await team.add_bot(by=member)
        await rig.store.group_alerts.bind(GROUP_ID, "group", "Команда", MEMBER_ID, "ru")
        await rig.store.group_alerts.update(GROUP_ID, final_states=True)
        rig.emulator.state.set_balance(Decimal(100_000))
        ids = []
        for _ in range(burst):
            dispatch_id = await rig.sms.create_dispatch("Bench", [PHONE], None)
            await rig.store.dispatches.track(dispatch_id, None, "1 number", "Bench", None)
            ids.append(dispatch_id)
        poller = rig.poller()
        await poller.run_cycle()  # in the queue: nothing to tell yet
        rig.emulator.clock.advance(600)  # every one of them closes
        started = time.time()
        await poller.run_cycle()  # returns once every group message is delivered
        sent = [
            call
            for call in rig.standin.calls_to("sendMessage")
            if call.ok and call.params.get("chat_id") == GROUP_ID
        ]
        times = [call.time for call in sent]
        shown = "\n".join(message.text or "" for message in team.bot_messages())
        return GroupBurst(
            final_states=burst,
            messages=len(sent),
            seconds=(max(times) - started) if times else float("nan"),
            most_in_a_minute=max(
                (sum(1 for t in times if s <= t < s + MINUTE) for s in times), default=0
            ),
            rate_limited=rig.standin.rate_limited_count,
            told=sum(1 for dispatch_id in ids if f"№{dispatch_id} " in shown),
            baseline_messages=burst,
            baseline_seconds=one_message_each(burst, limits),
        )


async def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        result = await measure(Path(folder))
    print(f"{result.final_states} final states in one cycle to one group (20 messages a minute):")
    print(
        f"  {result.messages} messages, the last {result.seconds:.2f} s after the cycle began; "
        f"at most {result.most_in_a_minute} in any minute; {result.rate_limited} answered 429; "
        f"{result.told} of {result.final_states} final states named"
    )
    print(
        f"  one message each (baseline): {result.baseline_messages} messages, the last after "
        f"{result.baseline_seconds:.0f} s at the least"
    )


if __name__ == "__main__":
    asyncio.run(main())
