"""Helpers for the send path's tests: the admins' settings written as /settings writes
them, a second admin, the stop list, and the approval requests' messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.send_settings import Limit, write_limit, write_price
from storage import ApprovalRequest, Role
from testbed.standin import SimUser, StandinMessage
from tests.support.harness import BotUnderTest
from tests.support.send import RU, prompt_with
from tests.support.texts import CUT, head

SECOND_ADMIN_ID = 1001


async def set_limits(
    bot: BotUnderTest,
    *,
    recipients: int | None = None,
    parts: int | None = None,
    cost: Decimal | None = None,
    price: Decimal | None = None,
) -> None:
    await write_limit(bot.store, Limit.RECIPIENTS, recipients)
    await write_limit(bot.store, Limit.PARTS, parts)
    await write_limit(bot.store, Limit.COST, cost)
    await write_price(bot.store, price)


async def stored_admin(bot: BotUnderTest, user_id: int = SECOND_ADMIN_ID) -> SimUser:
    """An admin by the role stored in /users (not one of ADMIN_IDS)."""
    sim = bot.standin.user(user_id, first_name="Boris", language_code="ru")
    await bot.store.users.upsert_seen(user_id, "Boris", None, "ru")
    await bot.store.users.set_role(user_id, Role.ADMIN)
    return sim


def request_head(t: Any = RU) -> str:
    return head(t("approval.title", id=CUT))


async def request_message(admin: SimUser, t: Any = RU) -> StandinMessage:
    """The next approval request an admin gets, with its buttons."""
    return await prompt_with(admin, request_head(t))


def button_data(message: StandinMessage, text: str) -> str:
    found = message.find_button(text)
    assert found is not None, f"no {text!r} on {message.button_texts()}"
    return str(found["callback_data"])


async def latest_request(bot: BotUnderTest, requester_id: int) -> ApprovalRequest:
    row = await bot.store.db.fetchone(
        "SELECT id FROM approval_requests WHERE requester_id = ? ORDER BY id DESC LIMIT 1",
        (requester_id,),
    )
    assert row is not None, "no approval request"
    request = await bot.store.approvals.get(int(row["id"]))
    assert request is not None
    return request


async def audit_actions(bot: BotUnderTest, limit: int = 30) -> list[tuple[int | None, str]]:
    return [(entry.actor_id, entry.action) for entry in await bot.store.audit.recent(limit)]
