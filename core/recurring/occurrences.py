"""Creating one occurrence of a schedule at the SMS API, exactly once.

The occurrence's key (schedule, version, moment) is written with a draft before anything
is sent; the draft's guarded states (pending -> sending -> sent | unknown) then decide
the one create, as for a confirmed send (``core/sending.py``), whose bookkeeping it
shares: the dispatch is tracked with the owner as its creator and subscriber, so the
poller follows it and tells the owner like any dispatch they sent, and a create whose
answer was lost is never sent again but looked for (``core/watch/lost.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from core.approval_rules import ApprovalRule, approval_rule
from core.clock import Clock
from core.recurring.recipients import resolve_recipients
from core.send_settings import Limit
from core.sending import (
    AboveLimits,
    AccessRejected,
    NoRecipients,
    OutcomeUnknown,
    Refused,
    SendTimePassed,
    Sent,
    ServiceDown,
    send_draft,
)
from core.sms import InvalidDispatchDate, SmsApiClient, SmsApiCodeError
from storage import DraftState, OccurrenceState, Role, Schedule, Storage, User

log = logging.getLogger(__name__)

AUDIT_CREATED = "recurring.occurrence"
AUDIT_FAILED = "recurring.occurrence_failed"


@dataclass(frozen=True)
class Created:
    dispatch_id: int | None  # None: created without a number, or the answer was lost


@dataclass(frozen=True)
class TryLater:
    """Nothing was created (the service did not answer, or refused access): try again."""


@dataclass(frozen=True)
class Failed:
    """Refused for good: this occurrence is not sent, and its owner is told."""

    error: SmsApiCodeError | None  # None: the book has no valid number, or ``above``
    above: tuple[Limit, ...] = ()  # the approval limits a manager's occurrence is above


@dataclass(frozen=True)
class Skipped:
    """Created before, being created, or the schedule changed meanwhile."""


CreateOutcome = Created | TryLater | Failed | Skipped


async def create_occurrence(
    store: Storage,
    sms: SmsApiClient,
    schedule: Schedule,
    due: datetime,
    *,
    late: bool,
    clock: Clock,
    describe_numbers: Callable[[int], str],
    owner: User | None,
) -> CreateOutcome:
    """Create the occurrence of ``schedule`` at ``due`` (``late``: now, its moment has
    passed and the schedule allows sending late), unless it was created already.
    ``owner``: the schedule's owner as stored (their role decides the approval limits)."""
    repo = store.recurring
    occurrence = await repo.occurrence(schedule.id, schedule.version, due)
    if occurrence is None:
        draft = await store.drafts.create(
            schedule.owner_id,
            schedule.chat_id,
            text=schedule.text,
            book_id=schedule.book_id,
            book_name=schedule.book_name,
            phones=schedule.phones,
            date_send=None if late else due,
        )
        if not await repo.plan(schedule, due, draft.id, late=late):
            await store.drafts.abandon(draft.id)  # someone else's key, or a changed schedule
        occurrence = await repo.occurrence(schedule.id, schedule.version, due)
    if (
        occurrence is None
        or occurrence.state is not OccurrenceState.PLANNED
        or occurrence.draft_state is not DraftState.PENDING
        or occurrence.draft_id is None
    ):
        return Skipped()
    if late and not occurrence.late:
        # Tried in time before, without an answer: now it goes at once.
        await store.drafts.update_content(occurrence.draft_id, date_send=None)
        await repo.mark_late(occurrence.id)
    outcome = await send_draft(
        store,
        sms,
        occurrence.draft_id,
        actor_id=schedule.owner_id,
        describe_numbers=describe_numbers,
        clock=clock,
        resolve=resolve_recipients,
        repeat_confirmed=True,  # a schedule repeats by design; its owner said yes once
        refuse_above=await _limits_of(store, owner),
    )
    details = {"schedule": schedule.id, "due": due.isoformat(), "late": late}
    match outcome:
        case Sent(dispatch_id=dispatch_id):
            await store.audit.record(
                None,
                AUDIT_CREATED,
                dispatch_id=dispatch_id,
                draft_id=occurrence.draft_id,
                details=details,
            )
            return Created(dispatch_id)
        case OutcomeUnknown():
            await store.audit.record(
                None,
                AUDIT_CREATED,
                draft_id=occurrence.draft_id,
                details=details | {"outcome": "unknown"},
            )
            return Created(None)
        case ServiceDown() | AccessRejected() | SendTimePassed():
            return TryLater()
        case Refused(error=error) if isinstance(error, InvalidDispatchDate):
            return TryLater()  # the server's clock is ahead: at the moment it is missed
        case Refused(error=error):
            return await _fail(store, schedule, occurrence.id, occurrence.draft_id, error, details)
        case NoRecipients():
            return await _fail(store, schedule, occurrence.id, occurrence.draft_id, None, details)
        case AboveLimits(limits=limits):
            return await _fail(
                store, schedule, occurrence.id, occurrence.draft_id, None, details, above=limits
            )
        case _:  # already handled, or a draft that cannot be sent
            log.info("Occurrence %s of schedule %s: %s", due, schedule.id, type(outcome).__name__)
            return Skipped()


async def _fail(
    store: Storage,
    schedule: Schedule,
    occurrence_id: int,
    draft_id: str,
    error: SmsApiCodeError | None,
    details: dict[str, object],
    *,
    above: tuple[Limit, ...] = (),
) -> CreateOutcome:
    if not await store.recurring.move(
        occurrence_id, [OccurrenceState.PLANNED], OccurrenceState.FAILED
    ):
        return Skipped()  # cancelled meanwhile
    await store.drafts.abandon(draft_id)
    if error is not None:
        reason = error.code
    elif above:
        reason = "above the approval limits: " + ", ".join(limit.value for limit in above)
    else:
        reason = "no valid numbers"
    await store.audit.record(
        None, AUDIT_FAILED, draft_id=draft_id, details=details | {"reason": reason}
    )
    log.warning("Occurrence of schedule %s refused: %s", schedule.id, reason)
    return Failed(error, above)


async def _limits_of(store: Storage, owner: User | None) -> ApprovalRule | None:
    """A manager's send above the admins' limits waits for an approval; an occurrence has
    nobody to wait for it, so it is refused instead of slipping past the limits. An admin's
    own never is held (core/approval_rules.py), nor is their schedule's."""
    if owner is None or owner.role is not Role.MANAGER:
        return None
    return await approval_rule(store)
