"""core.sending against the real emulator and a real SQLite file: one dispatch per
draft whatever races, and the right outcome for every way the service can fail."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.clock import Clock
from core.sending import (
    AccessRejected,
    AlreadyHandled,
    Incomplete,
    NoRecipients,
    OutcomeUnknown,
    Refused,
    SendTimePassed,
    Sent,
    ServiceDown,
    recover_stuck_drafts,
    send_draft,
)
from core.sms import InvalidDispatchDate, SmsApiClient
from storage import DraftState, Storage
from testbed.emulator import RunningEmulator

MOSCOW = ZoneInfo("Europe/Moscow")
USER = 7


def numbers(count: int) -> str:
    return f"{count} numbers"


def creates(emulator: RunningEmulator) -> list[dict]:
    return [
        entry
        for entry in emulator.state.requests.entries()
        if entry["method"] == "POST" and entry["path"] == "/sms-api/dispatches"
    ]


async def send(store: Storage, sms: SmsApiClient, draft_id: str, clock: Clock | None = None):
    return await send_draft(
        store, sms, draft_id, actor_id=USER, describe_numbers=numbers, clock=clock or Clock()
    )


async def book_draft(store: Storage, book_id: int = 1, **content):
    return await store.drafts.create(
        USER, USER, text="Hello", book_id=book_id, book_name=f"book {book_id}", **content
    )


async def test_twenty_concurrent_confirms_create_one_dispatch(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    draft = await book_draft(store)
    outcomes = await asyncio.gather(*(send(store, sms, draft.id) for _ in range(20)))
    sent = [outcome for outcome in outcomes if isinstance(outcome, Sent)]
    assert len(sent) == 1
    assert all(isinstance(o, AlreadyHandled) for o in outcomes if o is not sent[0])
    assert len(creates(emulator)) == 1
    assert creates(emulator)[0]["body"]["phonesList"] == ["380710000000", "380719999999"]

    again = await send(store, sms, draft.id)
    assert again == AlreadyHandled(DraftState.SENT, sent[0].dispatch_id)
    tracked = await store.dispatches.get(sent[0].dispatch_id)
    assert tracked is not None and tracked.recipients_desc == "book 1"


async def test_two_processes_racing_create_one_dispatch(
    tmp_path: Path, sms: SmsApiClient, emulator: RunningEmulator
):
    path = tmp_path / "shared.sqlite3"
    first, second = await Storage.open(path), await Storage.open(path)
    try:
        draft = await first.drafts.create(USER, USER, text="Race", phones=["380711112233"])
        outcomes = await asyncio.gather(
            *(send(store, sms, draft.id) for store in [first, second] * 5)
        )
        assert sum(isinstance(outcome, Sent) for outcome in outcomes) == 1
        assert len(creates(emulator)) == 1
    finally:
        await first.close()
        await second.close()


async def test_typed_numbers_are_named_by_their_count(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    draft = await store.drafts.create(
        USER, USER, text="Hi", phones=["380711112233", "380711234567"]
    )
    outcome = await send(store, sms, draft.id)
    assert isinstance(outcome, Sent) and outcome.recipients_desc == "2 numbers"
    entries = await store.audit.recent(5)
    assert [(e.action, e.dispatch_id, e.draft_id) for e in entries] == [
        ("dispatch.create", outcome.dispatch_id, draft.id)
    ]
    assert await store.subscriptions.is_subscribed(outcome.dispatch_id, USER)


async def test_a_lost_answer_makes_the_outcome_unknown_and_is_never_resent(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    emulator.state.faults.update({"lose_create_rate": 1.0})
    draft = await book_draft(store)
    assert await send(store, sms, draft.id) == OutcomeUnknown()
    assert await send(store, sms, draft.id) == AlreadyHandled(DraftState.UNKNOWN, None)
    assert len(creates(emulator)) == 1
    assert len(emulator.state.dispatches) > 0  # the emulator did create it
    stored = await store.drafts.get(draft.id)
    assert stored is not None and stored.state is DraftState.UNKNOWN
    assert [e.action for e in await store.audit.recent(5)] == ["dispatch.create_unknown"]


@pytest.mark.parametrize("to_book", [True, False])
async def test_a_service_that_is_down_leaves_the_draft_pending_and_nothing_created(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator, to_book: bool
):
    emulator.state.faults.update({"down": True})
    draft = (
        await book_draft(store)
        if to_book
        else await store.drafts.create(USER, USER, text="Hi", phones=["380711112233"])
    )
    outcome = await send(store, sms, draft.id)
    assert isinstance(outcome, ServiceDown)
    assert creates(emulator) == []
    stored = await store.drafts.get(draft.id)
    assert stored is not None and stored.state is DraftState.PENDING

    emulator.state.faults.update({"down": False})
    assert isinstance(await send(store, sms, draft.id), Sent)
    assert len([c for c in creates(emulator) if c["status"] == 200]) == 1


async def test_a_send_time_the_server_finds_past_is_refused_and_released(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    soon = datetime.now(UTC) + timedelta(minutes=30)
    draft = await book_draft(store, date_send=soon)
    emulator.clock.advance(3600)
    outcome = await send(store, sms, draft.id)
    assert isinstance(outcome, Refused) and isinstance(outcome.error, InvalidDispatchDate)
    stored = await store.drafts.get(draft.id)
    assert stored is not None and stored.state is DraftState.PENDING


async def test_a_send_time_past_here_is_caught_before_any_request(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    draft = await book_draft(store, date_send=datetime.now(UTC) + timedelta(minutes=5))
    later = datetime.now(UTC) + timedelta(minutes=10)
    outcome = await send(store, sms, draft.id, Clock(lambda: later))
    assert isinstance(outcome, SendTimePassed)
    assert emulator.state.requests.entries() == []


async def test_a_rejected_token_is_its_own_outcome(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    emulator.state.blocked = True
    draft = await book_draft(store)
    assert isinstance(await send(store, sms, draft.id), AccessRejected)
    stored = await store.drafts.get(draft.id)
    assert stored is not None and stored.state is DraftState.PENDING


async def test_a_book_without_valid_numbers_sends_nothing(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    draft = await book_draft(store, book_id=2)  # "name2" is empty
    assert await send(store, sms, draft.id) == NoRecipients(0)
    assert creates(emulator) == []


async def test_a_book_deleted_since_is_a_refusal(store: Storage, sms: SmsApiClient):
    draft = await book_draft(store, book_id=999)
    outcome = await send(store, sms, draft.id)
    assert isinstance(outcome, Refused) and outcome.error.code == "ADDRESS_BOOK_NOT_FOUND"


async def test_someone_elses_or_an_unfinished_draft_is_not_sent(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    other = await store.drafts.create(USER + 1, USER + 1, text="x", phones=["380711112233"])
    empty = await store.drafts.create(USER, USER, text="")
    no_one = await store.drafts.create(USER, USER, text="Nobody to send to")
    for draft in (other, empty, no_one):
        assert await send(store, sms, draft.id) == Incomplete()
    assert await send(store, sms, "missing") == Incomplete()
    assert emulator.state.requests.entries() == []


async def test_drafts_left_sending_become_unknown_once(store: Storage):
    stuck = await book_draft(store)
    await store.drafts.claim_for_sending(stuck.id)
    moved = await recover_stuck_drafts(store)
    assert [draft.id for draft in moved] == [stuck.id]
    assert await recover_stuck_drafts(store) == []
    stored = await store.drafts.get(stuck.id)
    assert stored is not None and stored.state is DraftState.UNKNOWN
    (entry,) = await store.audit.recent(5)
    assert (entry.actor_id, entry.action, entry.draft_id) == (
        None,
        "dispatch.create_unknown",
        stuck.id,
    )
