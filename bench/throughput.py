"""Throughput: 200 simulated users each doing the whole send conversation at once (the
bot), or each sending as many messages one after another (the echo bot): updates handled
per second, from the first update queued to the last answer.

    .venv/bin/python -m bench.throughput [--runs 3]   # this row alone, about 25 s a run
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.conversation import Outcome, ScriptedManager
from bench.rig import Kind, Rig, open_rig

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


async def runs(count: int, users: int, folder: Path) -> dict[Kind, list[Throughput]]:
    """``count`` runs of the echo bot and the bot, one after the other, as ``python -m
    bench`` makes them (without its other measurements in the same rig)."""
    got: dict[Kind, list[Throughput]] = {"echo": [], "bot": []}
    for run in range(count):
        for kind in got:
            async with open_rig(kind, folder / f"{kind}-{run}", managers=user_ids(users)) as rig:
                got[kind].append(await measure(rig, users))
    return got


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as folder:
        got = asyncio.run(runs(args.runs, args.users, Path(folder)))
    for kind, measured in got.items():
        rates = ", ".join(f"{one.per_second:.0f}" for one in measured)
        print(f"{kind}: {rates} updates/s (created {[one.created for one in measured]}, "
              f"rejected {[one.rejected for one in measured]})")  # fmt: skip
    bot = statistics.median(one.per_second for one in got["bot"])
    echo = statistics.median(one.per_second for one in got["echo"])
    print(f"median: bot {bot:.0f}, echo bot {echo:.0f} updates/s, {bot / echo:.2f}x")


if __name__ == "__main__":
    main()
