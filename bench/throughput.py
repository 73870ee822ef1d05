"""Throughput: 200 simulated users each doing the whole send conversation at once (the
bot), or each sending as many messages one after another (the echo bot): updates handled
per second, from the first update queued to the last answer."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bench.conversation import Outcome, ScriptedManager
from bench.rig import Rig

FIRST_USER = 100_000
ECHO_MESSAGES = 5  # updates per send conversation: /send, book, text, now, confirm
WAIT = 120.0


@dataclass(frozen=True)
class Throughput:
    users: int
    updates: int
    seconds: float
    sent: int  # dispatches the users saw created (the echo bot: answers received)
    created: int  # dispatches the emulator holds from this run
    rejected: int  # Bot API calls the stand-in refused

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds


def user_ids(users: int) -> list[int]:
    return list(range(FIRST_USER, FIRST_USER + users))


async def measure(rig: Rig, users: int) -> Throughput:
    updates = rig.standin.state.updates
    before = set(updates.queued_at)
    dispatches_before = set(rig.emulator.state.dispatches)
    people = [rig.standin.user(uid, f"U{uid}", language_code="en") for uid in user_ids(users)]
    if rig.kind == "bot":
        runs = [ScriptedManager(user, "en", WAIT).send(f"Offer {user.user_id}", book="name1")
                for user in people]  # fmt: skip
        results = await asyncio.gather(*runs)
        sent = sum(1 for run in results if run.outcome is Outcome.SENT)
    else:
        sent = sum(await asyncio.gather(*(_echo_user(user) for user in people)))
    finished = time.time()
    times = [at for update_id, at in updates.queued_at.items() if update_id not in before]
    started, queued = min(times), len(times)
    created = len(set(rig.emulator.state.dispatches) - dispatches_before)
    return Throughput(users, queued, finished - started, sent, created, len(rig.rejected_calls()))


async def _echo_user(user) -> int:
    answered = 0
    for n in range(ECHO_MESSAGES):
        await user.send_text(f"message {n}")
        await user.wait_for_reply(timeout=WAIT)
        answered += 1
    return answered // ECHO_MESSAGES
