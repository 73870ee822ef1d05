"""core.approval and the hold in core.sending, against the emulator and a real SQLite
file: a held send goes out once whoever approves at once, and never after a rejection
or an expiry."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from core.approval import (
    Approved,
    Claimed,
    OwnRequest,
    RequestClosed,
    RequestExpired,
    approve,
    claim,
    expire_due,
    reject,
    settle_interrupted,
)
from core.approval_rules import ApprovalRule, Hold
from core.clock import Clock
from core.send_settings import ApprovalLimits
from core.sending import AlreadyHandled, AwaitingApproval, NoRecipients, Sent, send_draft
from core.sms import SmsApiClient
from storage import ApprovalRequest, ApprovalState, DraftState, Storage
from testbed.emulator import RunningEmulator

AUTHOR, ADMIN = 7, 1
HOLD = Hold(ApprovalRule(ApprovalLimits(recipients=1), Decimal("0.35")), message_id=42)


def numbers(count: int) -> str:
    return f"{count} numbers"


def creates(emulator: RunningEmulator) -> list[dict]:
    return [
        entry
        for entry in emulator.state.requests.entries()
        if entry["method"] == "POST" and entry["path"] == "/sms-api/dispatches"
    ]


async def held_request(store: Storage, sms: SmsApiClient) -> ApprovalRequest:
    draft = await store.drafts.create(AUTHOR, AUTHOR, text="Hello", book_id=1, book_name="b")
    outcome = await send_draft(
        store, sms, draft.id, actor_id=AUTHOR, describe_numbers=numbers, clock=Clock(), hold=HOLD
    )
    assert isinstance(outcome, AwaitingApproval)
    return outcome.request


async def approve_as(store: Storage, sms: SmsApiClient, request_id: int, admin: int):
    return await approve(
        store, sms, request_id, approver_id=admin, describe_numbers=numbers, clock=Clock()
    )


async def test_a_send_above_the_limit_is_held_with_what_it_would_cost(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    request = await held_request(store, sms)
    assert (request.recipients, request.parts, request.cost) == (2, 2, Decimal("0.70"))
    assert (request.requester_id, request.message_id) == (AUTHOR, 42)
    assert creates(emulator) == []
    draft = await store.drafts.get(request.draft_id)
    assert draft is not None and draft.state is DraftState.PENDING
    again = await send_draft(
        store, sms, draft.id, actor_id=AUTHOR, describe_numbers=numbers, clock=Clock(), hold=HOLD
    )
    assert again == AlreadyHandled(DraftState.PENDING, None)  # held: the author cannot send it


async def test_twenty_admins_approving_at_once_make_one_dispatch(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    request = await held_request(store, sms)
    outcomes = await asyncio.gather(
        *(approve_as(store, sms, request.id, admin) for admin in range(100, 120))
    )
    approved = [outcome for outcome in outcomes if isinstance(outcome, Approved)]
    assert len(approved) == 1 and isinstance(approved[0].outcome, Sent)
    assert len(creates(emulator)) == 1
    dispatch_id = approved[0].outcome.dispatch_id
    assert approved[0].request.state is ApprovalState.APPROVED
    assert approved[0].request.dispatch_id == dispatch_id
    tracked = await store.dispatches.get(dispatch_id)
    assert tracked is not None and tracked.creator_id == AUTHOR
    again = await approve_as(store, sms, request.id, 100)
    assert isinstance(again, RequestClosed) and len(creates(emulator)) == 1


async def test_of_two_claims_at_once_one_holds_it_and_the_other_hears_so_before_any_post(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    request = await held_request(store, sms)
    first, second = await asyncio.gather(
        claim(store, request.id, approver_id=ADMIN, clock=Clock()),
        claim(store, request.id, approver_id=ADMIN + 1, clock=Clock()),
    )
    claimed = [outcome for outcome in (first, second) if isinstance(outcome, Claimed)]
    others = [outcome for outcome in (first, second) if not isinstance(outcome, Claimed)]
    assert len(claimed) == 1 and claimed[0].request.state is ApprovalState.APPROVING
    assert others == [AlreadyHandled(DraftState.SENDING, None)]
    assert creates(emulator) == []  # a claim alone sends nothing


async def test_a_claim_after_the_time_is_up_expires_it_once(store: Storage, sms: SmsApiClient):
    request = await held_request(store, sms)
    await store.db.execute(
        "UPDATE approval_requests SET expires_at = '2000-01-01T00:00:00.000000+00:00'"
    )
    first = await claim(store, request.id, approver_id=ADMIN, clock=Clock())
    assert isinstance(first, RequestExpired) and first.just_now  # its people are to be told
    again = await claim(store, request.id, approver_id=ADMIN, clock=Clock())
    assert isinstance(again, RequestClosed) and again.request is not None
    assert again.request.state is ApprovalState.EXPIRED


async def test_the_requester_cannot_decide_their_own_request(store: Storage, sms: SmsApiClient):
    request = await held_request(store, sms)
    assert await approve_as(store, sms, request.id, AUTHOR) == OwnRequest()
    assert await reject(store, request.id, admin_id=AUTHOR, reason=None) == OwnRequest()


async def test_a_rejected_request_is_never_sent(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    request = await held_request(store, sms)
    rejected = await reject(store, request.id, admin_id=ADMIN, reason="rc")
    assert isinstance(rejected, ApprovalRequest) and rejected.state is ApprovalState.REJECTED
    outcome = await approve_as(store, sms, request.id, ADMIN)
    assert isinstance(outcome, RequestClosed) and creates(emulator) == []
    assert isinstance(await reject(store, request.id, admin_id=ADMIN, reason=None), RequestClosed)


async def test_an_expired_request_is_never_sent(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    request = await held_request(store, sms)
    await store.db.execute(
        "UPDATE approval_requests SET expires_at = '2000-01-01T00:00:00.000000+00:00'"
    )
    outcome = await approve_as(store, sms, request.id, ADMIN)
    assert isinstance(outcome, RequestExpired) and creates(emulator) == []
    assert await expire_due(store) == []  # expired already, by the tap


async def test_the_sweep_expires_what_is_due(store: Storage, sms: SmsApiClient):
    request = await held_request(store, sms)
    assert await expire_due(store) == []
    await store.db.execute(
        "UPDATE approval_requests SET expires_at = '2000-01-01T00:00:00.000000+00:00'"
    )
    expired = await expire_due(store)
    assert [item.id for item in expired] == [request.id]
    draft = await store.drafts.get(request.draft_id)
    assert draft is not None and draft.state is DraftState.ABANDONED


async def test_a_refusal_at_approval_puts_the_request_back_to_waiting(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    request = await held_request(store, sms)
    await store.stop_list.add(["380710000000", "380719999999"], ADMIN)
    outcome = await approve_as(store, sms, request.id, ADMIN)
    assert isinstance(outcome, Approved) and outcome.outcome == NoRecipients(0, 2)
    assert outcome.request.state is ApprovalState.WAITING
    await store.stop_list.remove(["380719999999"])
    sent = await approve_as(store, sms, request.id, ADMIN)
    assert isinstance(sent, Approved) and isinstance(sent.outcome, Sent)
    assert [post["body"]["phonesList"] for post in creates(emulator)] == [["380719999999"]]


async def test_an_approval_cut_short_is_settled_from_its_draft(store: Storage, sms: SmsApiClient):
    request = await held_request(store, sms)
    assert await store.approvals.claim(request.id, ADMIN)
    assert await store.drafts.mark_unknown(request.draft_id)  # the crash after the POST
    settled = await settle_interrupted(store)
    assert [item.id for item in settled] == [request.id]
    after = await store.approvals.get(request.id)
    assert after is not None and after.state is ApprovalState.APPROVED
    outcome = await approve_as(store, sms, request.id, ADMIN)
    assert isinstance(outcome, RequestClosed)


async def test_a_send_within_the_limits_is_not_held(
    store: Storage, sms: SmsApiClient, emulator: RunningEmulator
):
    draft = await store.drafts.create(AUTHOR, AUTHOR, text="Hi", phones=["380711234567"])
    outcome = await send_draft(
        store, sms, draft.id, actor_id=AUTHOR, describe_numbers=numbers, clock=Clock(), hold=HOLD
    )
    assert isinstance(outcome, Sent) and len(creates(emulator)) == 1
