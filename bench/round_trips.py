"""The cost of a tap in SQLite: round trips to aiosqlite's thread per step of the send
conversation, counted in the bot process (``bench.counting_bot``) from the update to the
end of its handler, the background loops asleep. The baseline is /balance in the same
run: one read of the person's state, the least an update of this bot can cost.

    .venv/bin/python -m bench.round_trips
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.conversation import TEXTS, holds, prompt_holding
from bench.rig import open_rig
from testbed.standin import SimUser

FIRST_USER = 300_000
USERS = 3  # the least of three conversations: a background pass cannot inflate all three
STEPS = ("/send", "book tap", "typed text", "time tap", "Confirm")
QUIET_SECONDS = 0.3  # no trip for this long: the step's handler has finished
WAIT = 30.0


class TripCounter:
    def __init__(self, path: Path) -> None:
        self.path = path

    def total(self) -> int:
        try:
            return int(self.path.read_text() or 0)
        except FileNotFoundError:
            return 0

    async def settled(self) -> int:
        """The total once it has stopped moving."""
        last, since = self.total(), time.monotonic()
        while time.monotonic() - since < QUIET_SECONDS:
            await asyncio.sleep(0.05)
            now = self.total()
            if now != last:
                last, since = now, time.monotonic()
        return last

    async def cost(self, step: Callable[[], Awaitable[object]]) -> int:
        before = await self.settled()
        await step()
        return await self.settled() - before


async def _conversation(user: SimUser, trips: TripCounter) -> dict[str, int]:
    x = TEXTS["en"]
    costs: dict[str, int] = {}
    shown: dict[str, object] = {}

    async def start() -> None:
        await user.send_text("/send")
        shown["prompt"] = await user.wait_for_reply(prompt_holding(x.recipients), WAIT)

    async def book() -> None:
        await user.tap("name1", shown["prompt"])  # type: ignore[arg-type]
        await user.wait_for_reply(prompt_holding(x.text_prompt), WAIT)

    async def text() -> None:
        await user.send_text(f"Offer {user.user_id}")
        shown["prompt"] = await user.wait_for_reply(prompt_holding(x.time_prompt), WAIT)

    async def time_tap() -> None:
        await user.tap(x.t("send.button_now"), shown["prompt"])  # type: ignore[arg-type]
        shown["summary"] = await user.wait_for_reply(prompt_holding(x.summary), WAIT)

    async def confirm() -> None:
        await user.tap(x.t("send.button_confirm"), shown["summary"])  # type: ignore[arg-type]
        await user.wait_for_reply(holds(x.card), WAIT)

    for name, step in zip(STEPS, (start, book, text, time_tap, confirm), strict=True):
        costs[name] = await trips.cost(step)
    return costs


async def measure(folder: Path) -> dict[str, int]:
    """Round trips per step (the least of ``USERS`` conversations), and /balance's."""
    ids = list(range(FIRST_USER, FIRST_USER + USERS))
    trips = TripCounter(folder / "trips.txt")
    environment = {"POLL_INTERVAL": "3600", "TRIPS_FILE": str(trips.path)}
    async with open_rig(
        "bot", folder, managers=ids, env=environment, module="bench.counting_bot"
    ) as rig:
        people = [rig.standin.user(uid, f"U{uid}", language_code="en") for uid in ids]
        balance = []
        for user in people:  # first: a person's first update also writes their profile

            async def ask(user: SimUser = user) -> None:
                await user.send_text("/balance")
                await user.wait_for_reply(holds(TEXTS["en"].balance), WAIT)

            await ask()
            balance.append(await trips.cost(ask))
        runs = [await _conversation(user, trips) for user in people]
    least = {step: min(run[step] for run in runs) for step in STEPS}
    return least | {"/balance": min(balance)}


def report(costs: dict[str, int]) -> str:
    steps = ", ".join(f"{step} {costs[step]}" for step in STEPS)
    return f"SQLite round trips per step: {steps}; /balance (baseline) {costs['/balance']}"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        print(report(asyncio.run(measure(Path(folder)))))


if __name__ == "__main__":
    main()
