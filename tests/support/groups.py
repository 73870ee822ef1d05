"""Helpers for the tests of groups bound as alert channels: a team's group with the bot in
it, its binding, and what the bot wrote there."""

from __future__ import annotations

from typing import Any

from storage import GroupAlerts
from testbed.standin import BotApiStandin, SimGroup, SimUser, StandinMessage
from tests.support.harness import BotUnderTest
from tests.support.waiting import eventually

TEAM_ID = -7001
MINUTE = 60.0


async def team_with_the_bot(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser, *members: SimUser
) -> SimGroup:
    """The team's group with these members, the bot added by the admin (and heard)."""
    team = standin.group(TEAM_ID, "Команда", [admin, *members])
    await team.add_bot(by=admin)

    async def recorded() -> bool:
        return await bot.store.group_chats.get(TEAM_ID) is not None

    await eventually(recorded)
    return team


async def bind(bot: BotUnderTest, chat_id: int = TEAM_ID, **kinds: Any) -> GroupAlerts:
    """The group bound as /alerts would bind it, hearing ``kinds``."""
    await bot.store.group_alerts.bind(chat_id, "group", "Команда", 1000, "ru")
    alerts = await bot.store.group_alerts.update(chat_id, **kinds)
    assert alerts is not None
    return alerts


def sends_into(standin: BotApiStandin, chat_id: int) -> list[Any]:
    """sendMessage calls into this chat that Telegram took, in order."""
    return [
        call
        for call in standin.calls_to("sendMessage")
        if call.ok and call.params.get("chat_id") == chat_id
    ]


def calls_into(standin: BotApiStandin, chat_id: int) -> list[Any]:
    """Every message-making call into this chat (sends and edits), answered or not."""
    methods = {"sendmessage", "editmessagetext", "editmessagereplymarkup"}
    return [
        call
        for call in standin.calls
        if call.method.lower() in methods and call.params.get("chat_id") == chat_id
    ]


def most_in_a_minute(times: list[float]) -> int:
    """The most calls in any 60 seconds."""
    return max((sum(1 for t in times if start <= t < start + MINUTE) for start in times), default=0)


def texts(messages: list[StandinMessage]) -> list[str]:
    return [message.text or "" for message in messages]
