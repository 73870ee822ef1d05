"""Turning a confirmed draft into exactly one SMS dispatch.

Telegram-free: the send feature calls :func:`send_draft` and renders the outcome. The
draft's guarded state change in SQLite (pending -> sending) decides who sends, so a
double tap, a redelivered update or a second bot process cannot create a second
dispatch. The create request is never repeated: when its answer is lost the draft
becomes ``unknown`` and a person has to look.

Right before the POST the numbers are read afresh and the stop list is left out of them
(``core/stoplist.py``); a manager's send above the admins' limits is held for approval
there instead (``core/approval_rules.py``), and goes out through the same claimed path
once an admin approves it (``core/approval.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.approval_rules import ApprovalRule, Hold, expires_at
from core.clock import Clock
from core.created import keep_created, write_pending_creates
from core.phones import PhoneList, collect_book_phones
from core.repeats import EarlierSend, earlier_same
from core.segments import count_segments
from core.send_settings import Limit
from core.sms import (
    DispatchOutcomeUnknown,
    InvalidResponse,
    SmsApiClient,
    SmsApiCodeError,
    SmsApiError,
    TokenRejected,
)
from core.stoplist import without_stopped
from storage import ApprovalRequest, CreatedDispatch, Draft, DraftState, Storage

log = logging.getLogger(__name__)

AUDIT_CREATE_UNKNOWN = "dispatch.create_unknown"
AUDIT_APPROVAL_REQUEST = "approval.request"
# The first look for a dispatch whose create's answer was lost: the server may still be
# busy with it just after.
FIRST_SEARCH_AFTER = timedelta(seconds=20)


@dataclass(frozen=True)
class Sent:
    dispatch_id: int | None  # None: the service said "created" without a number we can read
    recipients_desc: str
    phones: int
    stopped: int = 0  # numbers the stop list left out
    recorded: bool = True  # False: the database refused it; kept aside and written later


@dataclass(frozen=True)
class AlreadyHandled:
    """Someone else claimed the draft first (or it was finished before)."""

    state: DraftState
    dispatch_id: int | None


@dataclass(frozen=True)
class OutcomeUnknown:
    """The create's answer was lost: the dispatch may exist. Never sent again."""


@dataclass(frozen=True)
class ServiceDown:
    """Nothing was created (the service did not answer before or at the create)."""

    error: SmsApiError


@dataclass(frozen=True)
class Refused:
    """The service refused with a documented code; nothing was created."""

    error: SmsApiCodeError


@dataclass(frozen=True)
class AccessRejected:
    error: TokenRejected


@dataclass(frozen=True)
class NoRecipients:
    """No number is left to send to: the book has no valid one any more (it changed since
    it was picked), or the stop list holds every one (``stopped``)."""

    invalid: int
    stopped: int = 0


@dataclass(frozen=True)
class AwaitingApproval:
    """Above the admins' limits: held for an admin's approval, nothing sent."""

    request: ApprovalRequest


@dataclass(frozen=True)
class AboveLimits:
    """Above the admins' limits where nobody is asked to approve (a schedule's occurrence):
    nothing sent."""

    limits: tuple[Limit, ...]


@dataclass(frozen=True)
class SendTimePassed:
    date_send: datetime


@dataclass(frozen=True)
class LooksRepeated:
    """The same text went to the same recipients minutes ago: nothing sent until the
    person confirms again, knowing it."""

    earlier: EarlierSend


@dataclass(frozen=True)
class Incomplete:
    """Not a draft of this user, or one without text or recipients."""


# Who a draft goes to, as numbers, read when it is sent (a book may have changed).
Resolver = Callable[[SmsApiClient, Draft], Awaitable[PhoneList]]

SendOutcome = (
    Sent
    | AlreadyHandled
    | OutcomeUnknown
    | ServiceDown
    | Refused
    | AccessRejected
    | NoRecipients
    | SendTimePassed
    | LooksRepeated
    | Incomplete
    | AwaitingApproval
    | AboveLimits
)


async def send_draft(
    store: Storage,
    sms: SmsApiClient,
    draft_id: str,
    *,
    actor_id: int,
    describe_numbers: Callable[[int], str],
    clock: Clock,
    hold: Hold | None = None,
    audit_details: Mapping[str, object] | None = None,
    resolve: Resolver | None = None,
    repeat_confirmed: bool = False,
    refuse_above: ApprovalRule | None = None,
) -> SendOutcome:
    """Claim the draft, resolve its numbers, create the dispatch once, record it.

    ``describe_numbers(n)`` names typed recipients ("12 numbers") for the dispatch list;
    a book is named by its name. With ``hold``, a send above its rule's limits is held
    for approval instead. ``audit_details`` go into the create's audit entry. ``resolve``
    turns the draft into numbers when another feature owns that (a recurring dispatch's
    occurrence). ``repeat_confirmed``: the person saw that the same send went out minutes
    ago and confirmed again. With ``refuse_above``, a send above that rule's limits is
    refused instead (nobody is there to approve it).
    """
    draft = await store.drafts.get(draft_id)
    if draft is None or draft.user_id != actor_id:
        return Incomplete()
    if draft.state is not DraftState.PENDING:
        return AlreadyHandled(draft.state, draft.dispatch_id)
    if not draft.text or (draft.book_id is None and not draft.phones):
        return Incomplete()
    if draft.date_send is not None and draft.date_send <= clock.now():
        return SendTimePassed(draft.date_send)
    if not repeat_confirmed and (earlier := await earlier_same(store, draft, clock.now())):
        return LooksRepeated(earlier)
    if not await store.drafts.claim_for_sending(draft.id):
        return await _already_handled(store, draft.id)
    return await send_claimed(
        store,
        sms,
        draft,
        actor_id,
        describe_numbers,
        clock,
        hold=hold,
        audit_details=audit_details,
        resolve=resolve,
        refuse_above=refuse_above,
    )


async def _already_handled(store: Storage, draft_id: str) -> AlreadyHandled:
    current = await store.drafts.get(draft_id)
    if current is None:  # drafts are never deleted; kept for the type checker
        return AlreadyHandled(DraftState.ABANDONED, None)
    return AlreadyHandled(current.state, current.dispatch_id)


async def send_claimed(
    store: Storage,
    sms: SmsApiClient,
    draft: Draft,
    actor_id: int,
    describe_numbers: Callable[[int], str],
    clock: Clock,
    hold: Hold | None = None,
    audit_details: Mapping[str, object] | None = None,
    resolve: Resolver | None = None,
    refuse_above: ApprovalRule | None = None,
) -> SendOutcome:
    """Send a draft already claimed (``sending``) by ``actor_id``: its author, or the
    admin who approved it. The dispatch is the author's (they follow it)."""
    try:
        phones = await (resolve or _resolve_phones)(sms, draft)
    except SmsApiError as error:
        await store.drafts.release(draft.id)
        return _definite_failure(error)
    kept, stopped = await without_stopped(store, phones.valid)
    if not kept:
        await store.drafts.release(draft.id)
        return NoRecipients(len(phones.invalid), stopped)
    if hold is not None:
        held = await _hold_if_above(store, draft, hold, len(kept), stopped, clock)
        if held is not None:
            return held
    if refuse_above is not None:
        parts = count_segments(draft.text).segments * len(kept)
        if above := refuse_above.exceeded(len(kept), parts):
            await store.drafts.release(draft.id)
            return AboveLimits(tuple(above))

    # Known before the create: the newest dispatch the bot knows, for a search by traits
    # among the ids above it should the answer be lost.
    newest = await store.dispatches.newest_id()
    posted_at = clock.now()
    try:
        dispatch_id = await sms.create_dispatch(draft.text, kept, draft.date_send)
    except DispatchOutcomeUnknown:
        await store.drafts.mark_unknown(draft.id)
        await store.audit.record(actor_id, AUDIT_CREATE_UNKNOWN, draft_id=draft.id)
        await start_search(store, draft, len(kept), posted_at, newest)
        log.warning("Create of draft %s: the answer was lost; outcome unknown", draft.id)
        return OutcomeUnknown()
    except SmsApiError as error:
        await store.drafts.release(draft.id)
        return _definite_failure(error)
    except Exception:
        # A fault of ours somewhere around the request: whether it left is not known.
        await store.drafts.mark_unknown(draft.id)
        await store.audit.record(actor_id, AUDIT_CREATE_UNKNOWN, draft_id=draft.id)
        raise

    recipients = draft.book_name if draft.book_id is not None else None
    recipients_desc = recipients or describe_numbers(len(kept))
    # Counts only: which numbers the stop list holds is not for a log every admin reads.
    details: dict[str, object] = {"phones": len(kept)}
    if stopped:
        details["stopped"] = stopped
    details |= audit_details or {}
    if dispatch_id is None:
        details["number"] = "not given"
    # The dispatch is its author's, whoever approved it: they follow it and may cancel it.
    created = CreatedDispatch(
        draft.id,
        draft.user_id,
        dispatch_id,
        recipients_desc,
        draft.text,
        draft.date_send,
        details,
        actor_id=actor_id,
    )
    recorded = await keep_created(store, created)
    if dispatch_id is None and recorded:
        await start_search(store, draft, len(kept), posted_at, newest)
    log.info("Draft %s created dispatch %s", draft.id, dispatch_id or "(no number given)")
    return Sent(dispatch_id, recipients_desc, len(kept), stopped, recorded=recorded)


async def _hold_if_above(
    store: Storage, draft: Draft, hold: Hold, recipients: int, stopped: int, clock: Clock
) -> AwaitingApproval | AlreadyHandled | None:
    """Above the limits: the claimed draft goes back to pending, held by a new request."""
    parts = count_segments(draft.text).segments * recipients
    above = hold.rule.exceeded(recipients, parts)
    if not above:
        return None
    cost = hold.rule.cost(parts)
    request = await store.approvals.hold(
        draft.id,
        requester_id=draft.user_id,
        chat_id=draft.chat_id,
        message_id=hold.message_id,
        recipients=recipients,
        stopped=stopped,
        parts=parts,
        cost=cost,
        expires_at=expires_at(clock.now(), draft.date_send),
    )
    if request is None:  # the claim is ours: only a fault of the bot's own gets here
        return await _already_handled(store, draft.id)
    details: dict[str, object] = {
        "request": request.id,
        "recipients": recipients,
        "parts": parts,
        "above": ", ".join(limit.value for limit in above),
    }
    if cost is not None:
        details["cost"] = str(cost)
    await store.audit.record(
        draft.user_id, AUDIT_APPROVAL_REQUEST, draft_id=draft.id, details=details
    )
    log.info("Draft %s waits for approval (request %d)", draft.id, request.id)
    return AwaitingApproval(request)


async def _resolve_phones(sms: SmsApiClient, draft: Draft) -> PhoneList:
    """The numbers to send to, fetched now for a book (it may have changed).

    For typed numbers a cheap GET first: when the service is down it fails there, where
    nothing can have been created, instead of at the create, where a 5xx leaves the
    outcome unknown. A balance the bot cannot read still says the service is up.
    """
    if draft.book_id is not None:
        return collect_book_phones(await sms.contact_phones(draft.book_id))
    with suppress(InvalidResponse):
        await sms.balance()
    return PhoneList(valid=list(draft.phones))


def _definite_failure(error: SmsApiError) -> SendOutcome:
    if isinstance(error, TokenRejected):
        return AccessRejected(error)
    if isinstance(error, SmsApiCodeError):
        return Refused(error)
    return ServiceDown(error)


async def start_search(
    store: Storage, draft: Draft, phones: int | None, posted_at: datetime, after_id: int | None
) -> None:
    """Look for the dispatch a create may have made (``core/watch/lost.py``)."""
    await store.lost_creates.add(
        draft_id=draft.id,
        user_id=draft.user_id,
        chat_id=draft.chat_id,
        text=draft.text,
        phones=phones,
        segments=count_segments(draft.text).segments,
        date_send=draft.date_send,
        posted_at=posted_at,
        after_id=after_id,
        first_try_at=posted_at + FIRST_SEARCH_AFTER,
    )


async def recover_stuck_drafts(store: Storage) -> list[Draft]:
    """Creates kept aside are written first (their numbers are known); drafts a crash left
    in ``sending`` become ``unknown`` (never sent again), and the dispatch each may have
    made is looked for.

    Returns those that were moved, for their users to be told.
    """
    await write_pending_creates(store)
    moved = []
    newest = await store.dispatches.newest_id()
    for draft in await store.drafts.stuck_sending():
        if await store.drafts.mark_unknown(draft.id):
            await store.audit.record(
                None,
                AUDIT_CREATE_UNKNOWN,
                draft_id=draft.id,
                details={"reason": "interrupted"},
            )
            # How many numbers went out is not known after a crash: the text, the send
            # time and the moment still narrow the search.
            await start_search(store, draft, None, draft.updated_at, newest)
            moved.append(draft)
    return moved
