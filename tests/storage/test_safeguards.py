"""Group chats the bot is in, the admins' boards, one-time confirmation tokens and the
admins' permissions."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage import Permission, Storage
from tests.support.storage import ManualClock

GROUP = -100123


async def test_a_group_is_noticed_once_while_remembered(storage: Storage) -> None:
    claims = await asyncio.gather(
        *(storage.group_chats.claim_notice(GROUP, "supergroup", "Sales") for _ in range(5))
    )
    assert claims.count(True) == 1  # five messages at once: one notice
    assert not await storage.group_chats.claim_notice(GROUP, "supergroup", "Sales")
    group = await storage.group_chats.get(GROUP)
    assert group is not None and group.noticed_at is not None and group.added_by is None

    assert await storage.group_chats.forget(GROUP)
    assert not await storage.group_chats.forget(GROUP)
    assert await storage.group_chats.claim_notice(GROUP, "supergroup", "Sales")  # back: anew


async def test_a_group_added_by_an_admin_is_recorded_and_noticed_later_once(
    storage: Storage,
) -> None:
    recorded = await storage.group_chats.record(GROUP, "group", "Team", 1000)
    assert (recorded.chat_type, recorded.title, recorded.added_by) == ("group", "Team", 1000)
    assert recorded.noticed_at is None
    assert await storage.group_chats.claim_notice(GROUP, "group", "Team")
    again = await storage.group_chats.record(GROUP, "supergroup", "Team 2", 1001)
    assert (again.chat_type, again.added_by) == ("supergroup", 1001)
    assert again.noticed_at is not None  # re-recording does not make it say so again
    assert await storage.group_chats.count() == 1


async def test_boards_remember_one_message_per_admin(storage: Storage) -> None:
    assert await storage.access_boards.message_id(1000) is None
    await storage.access_boards.set(1000, 5)
    await storage.access_boards.set(1000, 9)
    await storage.access_boards.set(1001, 3)
    assert await storage.access_boards.message_id(1000) == 9
    assert await storage.access_boards.forget(1000)
    assert await storage.access_boards.message_id(1000) is None
    assert await storage.access_boards.message_id(1001) == 3


async def test_a_token_is_good_once_for_its_person_purpose_and_subject(storage: Storage) -> None:
    token = await storage.confirmations.issue(7, "dispatch.cancel", 12, timedelta(minutes=10))
    assert len(token) == 8 and ":" not in token
    confirmations = storage.confirmations
    assert not await confirmations.consume(token, 8, "dispatch.cancel", 12)  # someone else
    assert not await confirmations.consume(token, 7, "dispatch.run", 12)  # another action
    assert not await confirmations.consume(token, 7, "dispatch.cancel", 13)  # another dispatch
    assert not await confirmations.consume("made-up", 7, "dispatch.cancel", 12)
    uses = await asyncio.gather(
        *(confirmations.consume(token, 7, "dispatch.cancel", 12) for _ in range(3))
    )
    assert uses.count(True) == 1  # two taps at once: one goes through
    assert not await confirmations.consume(token, 7, "dispatch.cancel", 12)  # replayed


async def test_a_token_expires(storage: Storage, clock: ManualClock) -> None:
    token = await storage.confirmations.issue(7, "dispatch.run", 12, timedelta(minutes=10))
    clock.advance(minutes=10)
    assert not await storage.confirmations.consume(token, 7, "dispatch.run", 12)
    # Issuing drops what expired.
    await storage.confirmations.issue(7, "dispatch.run", 12, timedelta(minutes=10))
    rows = await storage.db.fetchall("SELECT token FROM confirmations")
    assert token not in {row["token"] for row in rows} and len(rows) == 1


async def test_permissions_are_off_by_default_and_say_when_they_change(storage: Storage) -> None:
    others = Permission.OTHERS_DISPATCHES
    assert not await storage.permissions.allowed(others)
    assert not await storage.permissions.set(others, False, 1000)  # already so
    assert await storage.permissions.set(others, True, 1000)
    assert await storage.permissions.allowed(others)
    assert not await storage.permissions.set(others, True, 1001)
    assert await storage.permissions.set(others, False, 1001)
    assert not await storage.permissions.allowed(others)
