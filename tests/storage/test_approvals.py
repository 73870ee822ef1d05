"""Approval requests in SQLite: a held draft is out of its author's hands, and every
transition happens once, whoever races for it."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from decimal import Decimal

import pytest

from storage import ApprovalRequest, ApprovalState, Draft, DraftState, Storage
from tests.support.storage import ManualClock

AUTHOR, ADMIN, OTHER_ADMIN = 7, 1, 2


async def claimed_draft(storage: Storage) -> Draft:
    draft = await storage.drafts.create(AUTHOR, AUTHOR, text="Hello", phones=["380711234567"])
    assert await storage.drafts.claim_for_sending(draft.id)
    return draft


async def held(storage: Storage, clock: ManualClock, hours: float = 8) -> ApprovalRequest:
    draft = await claimed_draft(storage)
    request = await storage.approvals.hold(
        draft.id,
        requester_id=AUTHOR,
        chat_id=AUTHOR,
        message_id=42,
        recipients=1200,
        stopped=3,
        parts=2400,
        cost=Decimal("840.00"),
        expires_at=clock() + timedelta(hours=hours),
    )
    assert request is not None
    return request


async def draft_state(storage: Storage, request: ApprovalRequest) -> DraftState:
    draft = await storage.drafts.get(request.draft_id)
    assert draft is not None
    return draft.state


async def test_hold_returns_the_draft_to_pending_under_a_waiting_request(
    storage: Storage, clock: ManualClock
):
    request = await held(storage, clock)
    assert (request.state, request.recipients, request.cost) == (
        ApprovalState.WAITING, 1200, Decimal("840.00"),
    )  # fmt: skip
    assert await draft_state(storage, request) is DraftState.PENDING
    assert await storage.approvals.open_for_draft(request.draft_id) == request


async def test_a_draft_that_is_not_sending_is_not_held(storage: Storage, clock: ManualClock):
    draft = await storage.drafts.create(AUTHOR, AUTHOR, text="Hello", phones=["380711234567"])
    request = await storage.approvals.hold(
        draft.id, requester_id=AUTHOR, chat_id=AUTHOR, message_id=None, recipients=1,
        stopped=0, parts=1, cost=None, expires_at=clock() + timedelta(hours=1),
    )  # fmt: skip
    assert request is None
    assert await storage.approvals.open_for_draft(draft.id) is None


async def test_a_held_draft_is_neither_claimed_changed_nor_abandoned_by_its_author(
    storage: Storage, clock: ManualClock
):
    request = await held(storage, clock)
    assert not await storage.drafts.claim_for_sending(request.draft_id)
    assert await storage.drafts.update_content(request.draft_id, text="Changed") is None
    assert not await storage.drafts.abandon(request.draft_id)
    assert await draft_state(storage, request) is DraftState.PENDING


async def test_of_many_admins_claiming_at_once_exactly_one_wins(
    storage: Storage, clock: ManualClock
):
    request = await held(storage, clock)
    claims = await asyncio.gather(
        *(storage.approvals.claim(request.id, admin) for admin in range(100, 120))
    )
    assert claims.count(True) == 1
    claimed = await storage.approvals.get(request.id)
    assert claimed is not None and claimed.state is ApprovalState.APPROVING
    assert claimed.decided_by == 100 + claims.index(True)
    assert await draft_state(storage, request) is DraftState.SENDING


async def test_the_requester_never_claims_their_own_request(storage: Storage, clock: ManualClock):
    request = await held(storage, clock)
    assert not await storage.approvals.claim(request.id, AUTHOR)
    assert await storage.approvals.reject(request.id, AUTHOR, None) is None
    assert await draft_state(storage, request) is DraftState.PENDING


async def test_an_expired_request_is_not_claimed(storage: Storage, clock: ManualClock):
    request = await held(storage, clock, hours=1)
    clock.advance(hours=1)
    assert not await storage.approvals.claim(request.id, ADMIN)
    assert await storage.approvals.due() == [request.id]
    expired = await storage.approvals.expire(request.id)
    assert expired is not None and expired.state is ApprovalState.EXPIRED
    assert await draft_state(storage, request) is DraftState.ABANDONED
    assert await storage.approvals.expire(request.id) is None  # once


async def test_a_request_not_yet_due_does_not_expire(storage: Storage, clock: ManualClock):
    request = await held(storage, clock, hours=1)
    assert await storage.approvals.due() == []
    assert await storage.approvals.expire(request.id) is None
    assert await storage.approvals.next_expiry() == request.expires_at


async def test_a_claim_on_a_draft_gone_from_pending_is_rolled_back(
    storage: Storage, clock: ManualClock
):
    request = await held(storage, clock)
    await storage.db.execute(
        "UPDATE drafts SET state = 'unknown' WHERE id = ?", (request.draft_id,)
    )
    assert not await storage.approvals.claim(request.id, ADMIN)
    unchanged = await storage.approvals.get(request.id)
    assert unchanged is not None and unchanged.state is ApprovalState.WAITING
    assert unchanged.decided_by is None


async def test_finish_and_reopen_follow_the_claim(storage: Storage, clock: ManualClock):
    request = await held(storage, clock)
    assert not await storage.approvals.finish(request.id, 5)  # not approving yet
    assert await storage.approvals.claim(request.id, ADMIN)
    assert await storage.drafts.release(request.draft_id)
    assert await storage.approvals.reopen(request.id)
    assert not await storage.drafts.claim_for_sending(request.draft_id)  # held again
    assert await storage.approvals.claim(request.id, OTHER_ADMIN)
    assert await storage.approvals.finish(request.id, 77)
    finished = await storage.approvals.get(request.id)
    assert finished is not None
    assert (finished.state, finished.dispatch_id, finished.decided_by) == (
        ApprovalState.APPROVED, 77, OTHER_ADMIN,
    )  # fmt: skip
    assert await storage.approvals.interrupted() == []


async def test_reject_closes_the_request_and_its_draft_once(storage: Storage, clock: ManualClock):
    request = await held(storage, clock)
    results = await asyncio.gather(
        storage.approvals.reject(request.id, ADMIN, "tx"),
        storage.approvals.reject(request.id, OTHER_ADMIN, "rc"),
    )
    rejected = [result for result in results if result is not None]
    assert len(rejected) == 1 and rejected[0].state is ApprovalState.REJECTED
    assert await draft_state(storage, request) is DraftState.ABANDONED
    assert not await storage.approvals.claim(request.id, ADMIN)
    assert await storage.approvals.open_for_draft(request.draft_id) is None


async def test_each_admins_message_is_remembered(storage: Storage, clock: ManualClock):
    request = await held(storage, clock)
    await storage.approvals.add_message(request.id, OTHER_ADMIN, 11)
    await storage.approvals.add_message(request.id, ADMIN, 10)
    await storage.approvals.add_message(request.id, ADMIN, 12)  # sent again: the newer one
    assert await storage.approvals.messages(request.id) == [(ADMIN, 12), (OTHER_ADMIN, 11)]


async def test_one_open_request_per_draft(storage: Storage, clock: ManualClock):
    request = await held(storage, clock)
    assert await storage.approvals.claim(request.id, ADMIN)  # the draft is sending now
    # A second request for it while the first is open: the database refuses, and the
    # draft stays as the claim left it.
    with pytest.raises(sqlite3.IntegrityError):
        await storage.approvals.hold(
            request.draft_id, requester_id=AUTHOR, chat_id=AUTHOR, message_id=None,
            recipients=1, stopped=0, parts=1, cost=None, expires_at=clock() + timedelta(hours=1),
        )  # fmt: skip
    assert await draft_state(storage, request) is DraftState.SENDING
