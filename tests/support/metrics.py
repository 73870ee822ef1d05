"""Reading a running bot's metrics (``BotApp.metrics``) in tests."""

from __future__ import annotations

import asyncio

from tests.support.harness import BotUnderTest


def sample(bot: BotUnderTest, name: str, **labels: str) -> float:
    """``phoenix_<name>`` with exactly these labels; 0 when there is no such series."""
    assert bot.app is not None, "the bot is not running"
    return bot.app.metrics.registry.get_sample_value(f"phoenix_{name}", labels) or 0.0


def updates_handled(bot: BotUnderTest) -> float:
    """Every update the dispatcher is through with, whichever handler (or none) had it."""
    assert bot.app is not None, "the bot is not running"
    return sum(
        found.value
        for family in bot.app.metrics.registry.collect()
        if family.name == "phoenix_updates_handled"
        for found in family.samples
        if found.name.endswith("_total")
    )


async def until_handled(bot: BotUnderTest, updates: int, seconds: float = 5.0) -> None:
    """Until the dispatcher is through with ``updates`` updates: the reply a user sees
    goes out before the handler (and the middleware around it) returns."""
    for _ in range(int(seconds / 0.01)):
        if updates_handled(bot) >= updates:
            return
        await asyncio.sleep(0.01)
    raise TimeoutError(f"{updates_handled(bot):g} of {updates} updates handled")
