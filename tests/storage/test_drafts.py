"""Drafts: content while pending, and a send that is claimed exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from storage import DraftState, Storage
from storage.db import Database
from storage.drafts import DraftRepo
from tests.support.storage import START, ManualClock

MOSCOW = timezone(timedelta(hours=3))


async def test_a_draft_to_typed_numbers(storage: Storage) -> None:
    when = datetime(2025, 3, 2, 12, 30, tzinfo=MOSCOW)
    draft = await storage.drafts.create(
        7, 70, text="Привет", phones=["380711234567", "71234567"], date_send=when
    )
    assert len(draft.id) == 32 and int(draft.id, 16) >= 0
    assert (draft.user_id, draft.chat_id, draft.book_id, draft.book_name) == (7, 70, None, None)
    assert draft.phones == ["380711234567", "71234567"]
    assert draft.text == "Привет"
    assert draft.date_send == when and draft.date_send is not None
    assert draft.date_send.utcoffset() == timedelta(0)  # read back in UTC
    assert draft.state is DraftState.PENDING and draft.dispatch_id is None
    assert draft.created_at == draft.updated_at == START
    assert await storage.drafts.get(draft.id) == draft


async def test_a_draft_to_a_book_sent_now(storage: Storage) -> None:
    draft = await storage.drafts.create(7, 70, text="Hi", book_id=3, book_name="Clients")
    assert (draft.book_id, draft.book_name, draft.phones, draft.date_send) == (
        3,
        "Clients",
        [],
        None,
    )
    assert await storage.drafts.get("missing") is None


async def test_a_draft_refuses_both_a_book_and_numbers_and_naive_times(storage: Storage) -> None:
    with pytest.raises(ValueError, match="not both"):
        await storage.drafts.create(7, 70, text="x", book_id=3, phones=["380711234567"])
    with pytest.raises(ValueError, match="naive"):
        await storage.drafts.create(7, 70, text="x", date_send=datetime(2025, 3, 2, 12, 0))


async def test_content_changes_only_while_pending(storage: Storage, clock: ManualClock) -> None:
    draft = await storage.drafts.create(7, 70, text="first", phones=["380711234567"])
    clock.advance(minutes=1)

    updated = await storage.drafts.update_content(
        draft.id, text="second", phones=[], book_id=4, book_name="Staff"
    )

    assert updated is not None
    assert (updated.text, updated.phones, updated.book_id, updated.book_name) == (
        "second",
        [],
        4,
        "Staff",
    )
    assert updated.updated_at == clock() and updated.created_at == START
    assert await storage.drafts.get(draft.id) == updated

    assert await storage.drafts.claim_for_sending(draft.id)
    assert await storage.drafts.update_content(draft.id, text="too late") is None
    stored = await storage.drafts.get(draft.id)
    assert stored is not None and stored.text == "second"
    assert await storage.drafts.update_content("missing", text="x") is None


async def test_a_change_that_would_give_a_draft_both_kinds_of_recipients_is_refused(
    storage: Storage,
) -> None:
    to_book = await storage.drafts.create(7, 70, text="x", book_id=3, book_name="Clients")
    to_numbers = await storage.drafts.create(7, 70, text="y", phones=["380711234567"])

    with pytest.raises(ValueError, match="not both"):
        await storage.drafts.update_content(to_book.id, phones=["380711234567"])
    with pytest.raises(ValueError, match="not both"):
        await storage.drafts.update_content(to_numbers.id, book_id=4)
    with pytest.raises(ValueError, match="not both"):
        await storage.drafts.update_content(to_numbers.id, book_id=4, phones=["380711234567"])
    with pytest.raises(ValueError, match="naive"):
        await storage.drafts.update_content(to_book.id, date_send=datetime(2025, 3, 2, 12, 0))
    assert await storage.drafts.get(to_book.id) == to_book
    assert await storage.drafts.get(to_numbers.id) == to_numbers

    # A sent draft is not changed, whatever is asked: None, as for any change.
    assert await storage.drafts.claim_for_sending(to_book.id)
    assert await storage.drafts.update_content(to_book.id, phones=["380711234567"]) is None


async def test_a_change_of_one_field_keeps_the_others(storage: Storage) -> None:
    when = datetime(2025, 3, 2, 12, 30, tzinfo=MOSCOW)
    draft = await storage.drafts.create(7, 70, text="x", book_id=3, book_name="Clients")

    timed = await storage.drafts.update_content(draft.id, date_send=when)
    assert timed is not None and timed.date_send == when
    assert (timed.text, timed.book_id, timed.book_name, timed.phones) == ("x", 3, "Clients", [])
    now = await storage.drafts.update_content(draft.id, date_send=None, text="z")
    assert now is not None and (now.date_send, now.text, now.book_id) == (None, "z", 3)


async def test_update_content_refuses_unknown_fields(storage: Storage) -> None:
    draft = await storage.drafts.create(7, 70, text="x")
    with pytest.raises(TypeError, match="state"):
        await storage.drafts.update_content(draft.id, state="sent")


async def test_a_send_goes_pending_sending_sent(storage: Storage) -> None:
    draft = await storage.drafts.create(7, 70, text="x", book_id=1, book_name="b")
    assert await storage.drafts.claim_for_sending(draft.id)
    assert not await storage.drafts.claim_for_sending(draft.id)
    assert await storage.drafts.mark_sent(draft.id, 501)
    stored = await storage.drafts.get(draft.id)
    assert stored is not None
    assert (stored.state, stored.dispatch_id) == (DraftState.SENT, 501)
    # Nothing moves a sent draft.
    assert not await storage.drafts.mark_unknown(draft.id)
    assert not await storage.drafts.release(draft.id)
    assert not await storage.drafts.abandon(draft.id)
    assert not await storage.drafts.mark_sent(draft.id, 502)


async def test_a_definite_failure_releases_the_draft_for_a_retry(storage: Storage) -> None:
    draft = await storage.drafts.create(7, 70, text="x")
    assert await storage.drafts.claim_for_sending(draft.id)
    assert await storage.drafts.release(draft.id)
    assert await storage.drafts.claim_for_sending(draft.id)  # the retry


@pytest.mark.parametrize(
    ("finish", "state"),
    [
        ("mark_unknown", DraftState.UNKNOWN),
        ("mark_failed", DraftState.FAILED),
    ],
)
async def test_unknown_and_failed_are_final(
    storage: Storage, finish: str, state: DraftState
) -> None:
    draft = await storage.drafts.create(7, 70, text="x")
    assert not await getattr(storage.drafts, finish)(draft.id)  # not while pending
    assert await storage.drafts.claim_for_sending(draft.id)
    assert await getattr(storage.drafts, finish)(draft.id)
    stored = await storage.drafts.get(draft.id)
    assert stored is not None and stored.state is state
    assert not await storage.drafts.claim_for_sending(draft.id)
    assert not await storage.drafts.release(draft.id)


async def test_abandon_only_before_sending(storage: Storage) -> None:
    kept = await storage.drafts.create(7, 70, text="x")
    sending = await storage.drafts.create(7, 70, text="y")
    assert await storage.drafts.claim_for_sending(sending.id)

    assert await storage.drafts.abandon(kept.id)
    assert not await storage.drafts.abandon(sending.id)
    assert not await storage.drafts.claim_for_sending(kept.id)
    stored = await storage.drafts.get(kept.id)
    assert stored is not None and stored.state is DraftState.ABANDONED


async def test_drafts_left_sending_are_found_at_start(storage: Storage) -> None:
    stuck = await storage.drafts.create(7, 70, text="stuck")
    other = await storage.drafts.create(8, 80, text="pending")
    await storage.drafts.claim_for_sending(stuck.id)
    assert [d.id for d in await storage.drafts.stuck_sending()] == [stuck.id]
    assert await storage.drafts.mark_unknown(stuck.id)
    assert await storage.drafts.stuck_sending() == []
    refreshed = await storage.drafts.get(other.id)
    assert refreshed is not None and refreshed.state is DraftState.PENDING


async def test_fifty_concurrent_claims_one_winner(storage: Storage) -> None:
    draft = await storage.drafts.create(7, 70, text="confirm tapped many times")
    results = await asyncio.gather(*(storage.drafts.claim_for_sending(draft.id) for _ in range(50)))
    assert results.count(True) == 1


async def test_fifty_concurrent_claims_across_two_connections_one_winner(tmp_path: Path) -> None:
    """Two Database instances on one file stand for two bot processes."""
    path = tmp_path / "bot.sqlite3"
    first, second = await Database.open(path), await Database.open(path)
    try:
        repos = [DraftRepo(first), DraftRepo(second)]
        for _ in range(3):  # a few rounds, so a lucky ordering cannot pass by chance
            draft = await repos[0].create(7, 70, text="race")
            results = await asyncio.gather(
                *(repos[i % 2].claim_for_sending(draft.id) for i in range(50))
            )
            assert results.count(True) == 1
            stored = await repos[1].get(draft.id)
            assert stored is not None and stored.state is DraftState.SENDING
    finally:
        await first.close()
        await second.close()


async def test_dates_keep_their_moment_whatever_the_zone(storage: Storage) -> None:
    moscow = datetime(2025, 6, 1, 9, 0, tzinfo=MOSCOW)
    draft = await storage.drafts.create(7, 70, text="x", date_send=moscow)
    assert draft.date_send == datetime(2025, 6, 1, 6, 0, tzinfo=UTC)


async def test_drafts_are_counted_by_state_with_every_state_named(storage: Storage) -> None:
    assert await storage.drafts.count_by_state() == dict.fromkeys(DraftState, 0)
    sent = await storage.drafts.create(7, 70, text="a", phones=["380711234567"])
    await storage.drafts.claim_for_sending(sent.id)
    await storage.drafts.mark_sent(sent.id, 12)
    abandoned = await storage.drafts.create(7, 70, text="b", phones=["380711234567"])
    await storage.drafts.abandon(abandoned.id)
    await storage.drafts.create(8, 80, text="c", phones=["380711234567"])
    await storage.drafts.create(9, 90, text="d", book_id=1, book_name="Clients")

    counts = await storage.drafts.count_by_state()

    assert counts[DraftState.PENDING] == 2
    assert counts[DraftState.SENT] == 1
    assert counts[DraftState.ABANDONED] == 1
    assert counts[DraftState.UNKNOWN] == counts[DraftState.SENDING] == 0
    assert set(counts) == set(DraftState)
