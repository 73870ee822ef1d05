"""Deciding a held send: approve (one admin claims it, then it goes out exactly once,
through the same claimed path as a confirm), reject, let it expire; and after a crash,
settle an approval cut short.

Telegram-free: ``handlers/approval/`` renders what these return. Who may decide is the
Telegram layer's filter (admins) plus the rule kept here and in SQL: never the requester.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from core.clock import Clock
from core.sending import (
    AlreadyHandled,
    OutcomeUnknown,
    SendOutcome,
    Sent,
    send_claimed,
)
from core.sms import SmsApiClient
from storage import ApprovalRequest, ApprovalState, DraftState, Storage

log = logging.getLogger(__name__)

AUDIT_APPROVE = "approval.approve"
AUDIT_REJECT = "approval.reject"
AUDIT_EXPIRE = "approval.expire"


@dataclass(frozen=True)
class OwnRequest:
    """The requester tried to approve or reject their own request."""


@dataclass(frozen=True)
class RequestClosed:
    """Decided already (or never existed): nothing was done."""

    request: ApprovalRequest | None


@dataclass(frozen=True)
class RequestExpired:
    request: ApprovalRequest
    just_now: bool = False  # this call expired it: its people are still to be told


@dataclass(frozen=True)
class Claimed:
    """This approver holds the request (waiting -> approving): only they send it."""

    request: ApprovalRequest


@dataclass(frozen=True)
class Approved:
    """The approval sent it: ``outcome`` is what the send came to (a refusal that left
    nothing created puts the request back to waiting)."""

    request: ApprovalRequest
    outcome: SendOutcome


ClaimOutcome = OwnRequest | RequestClosed | RequestExpired | AlreadyHandled | Claimed
ApprovalOutcome = OwnRequest | RequestClosed | RequestExpired | Approved | AlreadyHandled


async def claim(store: Storage, request_id: int, *, approver_id: int, clock: Clock) -> ClaimOutcome:
    """Take a waiting request for sending: of two admins at once one gets ``Claimed``,
    the other hears it is being sent before anything goes out; the requester, an expired
    or a closed request get why not."""
    request = await store.approvals.get(request_id)
    if request is None:
        return RequestClosed(None)
    if request.requester_id == approver_id:
        return OwnRequest()
    if request.state is ApprovalState.APPROVING:
        draft = await store.drafts.get(request.draft_id)
        return AlreadyHandled(DraftState.SENDING, draft.dispatch_id if draft else None)
    if request.state is not ApprovalState.WAITING:
        return RequestClosed(request)
    if request.expires_at <= clock.now():
        expired = await expire(store, request.id)
        return RequestExpired(expired, just_now=True) if expired else await _closed(store, request)
    if not await store.approvals.claim(request.id, approver_id):
        return await _closed(store, request)
    claimed = await store.approvals.get(request.id)
    return Claimed(claimed or request)


async def send_approved(
    store: Storage,
    sms: SmsApiClient,
    claimed: Claimed,
    *,
    approver_id: int,
    describe_numbers: Callable[[int], str],
    clock: Clock,
) -> Approved:
    """Send a claimed request once, through the same claimed path as a confirm, with
    the approver as the audit's actor and the author as the dispatch's creator."""
    request = claimed.request
    draft = await store.drafts.get(request.draft_id)
    assert draft is not None  # drafts are never deleted, and the claim just moved it
    try:
        outcome = await send_claimed(
            store, sms, draft, approver_id, describe_numbers, clock,
            audit_details={"request": request.id, "requested_by": request.requester_id},
        )  # fmt: skip
    except Exception:
        await settle(store, request.id)
        raise
    if isinstance(outcome, Sent | OutcomeUnknown):
        dispatch_id = outcome.dispatch_id if isinstance(outcome, Sent) else None
        await store.approvals.finish(request.id, dispatch_id)
        await store.audit.record(
            approver_id, AUDIT_APPROVE, dispatch_id=dispatch_id, draft_id=draft.id,
            details={"request": request.id, "requested_by": request.requester_id},
        )  # fmt: skip
    else:
        await store.approvals.reopen(request.id)  # nothing was created: it waits again
    decided = await store.approvals.get(request.id)
    return Approved(decided or request, outcome)


async def approve(
    store: Storage,
    sms: SmsApiClient,
    request_id: int,
    *,
    approver_id: int,
    describe_numbers: Callable[[int], str],
    clock: Clock,
) -> ApprovalOutcome:
    """Claim and send once: a repeated tap, an expired or a closed request sends
    nothing."""
    claimed = await claim(store, request_id, approver_id=approver_id, clock=clock)
    if not isinstance(claimed, Claimed):
        return claimed
    return await send_approved(
        store, sms, claimed, approver_id=approver_id, describe_numbers=describe_numbers,
        clock=clock,
    )  # fmt: skip


async def reject(
    store: Storage, request_id: int, *, admin_id: int, reason: str | None
) -> ApprovalOutcome | ApprovalRequest:
    """Reject a waiting request (its draft is closed); the rejected request, or why not."""
    request = await store.approvals.get(request_id)
    if request is None:
        return RequestClosed(None)
    if request.requester_id == admin_id:
        return OwnRequest()
    rejected = await store.approvals.reject(request_id, admin_id, reason)
    if rejected is None:
        return await _closed(store, request)
    await store.audit.record(
        admin_id, AUDIT_REJECT, draft_id=rejected.draft_id,
        details={"request": rejected.id, "requested_by": rejected.requester_id,
                 "reason": reason or "none"},
    )  # fmt: skip
    return rejected


async def expire(store: Storage, request_id: int) -> ApprovalRequest | None:
    """Expire one request whose time is up (its draft is closed); None if it was not due
    or not waiting."""
    expired = await store.approvals.expire(request_id)
    if expired is not None:
        await store.audit.record(
            None, AUDIT_EXPIRE, draft_id=expired.draft_id,
            details={"request": expired.id, "requested_by": expired.requester_id},
        )  # fmt: skip
        log.info("Approval request %d expired", expired.id)
    return expired


async def expire_due(store: Storage) -> list[ApprovalRequest]:
    """Every waiting request whose time is up, expired now."""
    expired = []
    for request_id in await store.approvals.due():
        request = await expire(store, request_id)
        if request is not None:
            expired.append(request)
    return expired


async def settle(store: Storage, request_id: int) -> None:
    """An approval cut short (a fault, a crash): the request follows its draft. Still
    pending means nothing left, and it waits again; anything else, a create went (or
    may have gone) out, and it is approved: never sent a second time."""
    request = await store.approvals.get(request_id)
    if request is None or request.state is not ApprovalState.APPROVING:
        return
    draft = await store.drafts.get(request.draft_id)
    if draft is not None and draft.state is DraftState.PENDING:
        await store.approvals.reopen(request.id)
    else:
        await store.approvals.finish(request.id, draft.dispatch_id if draft else None)


async def settle_interrupted(store: Storage) -> list[ApprovalRequest]:
    """At start, after the drafts a crash left sending became unknown: the approvals
    that were sending them are settled. Returns them as they were."""
    interrupted = await store.approvals.interrupted()
    for request in interrupted:
        await settle(store, request.id)
    return interrupted


async def _closed(store: Storage, request: ApprovalRequest) -> ApprovalOutcome:
    """Why a decision found nothing to do: it is being sent, decided or expired."""
    current = await store.approvals.get(request.id) or request
    if current.state is ApprovalState.APPROVING:
        draft = await store.drafts.get(current.draft_id)
        return AlreadyHandled(DraftState.SENDING, draft.dispatch_id if draft else None)
    if current.state is ApprovalState.EXPIRED:
        return RequestExpired(current)
    if current.state is ApprovalState.WAITING:
        # Waiting, yet not claimed: its time is up (the sweep has not come by yet).
        expired = await expire(store, current.id)
        return RequestExpired(expired, just_now=True) if expired else RequestClosed(current)
    return RequestClosed(current)
