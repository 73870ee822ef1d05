"""Taking back an occurrence that is still to come: paused, edited or deleted schedules.

Never created yet: its draft is abandoned, and the keeper's claim on it then fails, so
nothing is sent. Created: cancelled at the SMS API (``POST dispatches/cancel``). Being
created right now, or created with an answer that was lost and is still being looked
for: it stays ``cancelling``, and the keeper tries again each pass until it can tell.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.sms import DispatchCancelNotFound, DispatchCanNotBeCanceled, SmsApiClient, SmsApiError
from storage import DraftState, Occurrence, OccurrenceState, Storage

log = logging.getLogger(__name__)

AUDIT_CANCELLED = "recurring.occurrence_cancelled"
AUDIT_CANCEL_FAILED = "recurring.occurrence_cancel_failed"
_NEVER_SENT = (None, DraftState.PENDING, DraftState.ABANDONED, DraftState.FAILED)


@dataclass(frozen=True)
class Withdrawn:
    dispatch_id: int | None  # the dispatch cancelled at the API; None: none was created


@dataclass(frozen=True)
class StillTrying:
    """Not settled yet: the keeper tries again."""

    dispatch_id: int | None


@dataclass(frozen=True)
class TooLate:
    """It could not be cancelled: already going out, or never found."""

    dispatch_id: int | None


Withdrawal = Withdrawn | StillTrying | TooLate


async def withdraw(
    store: Storage, sms: SmsApiClient, occurrence: Occurrence, actor_id: int | None
) -> Withdrawal:
    """Cancel ``occurrence`` wherever it got to; the audit log keeps what was done."""
    repo = store.recurring
    await repo.move(occurrence.id, [OccurrenceState.PLANNED], OccurrenceState.CANCELLING)
    current = await repo.occurrence_by_id(occurrence.id)
    if current is not None and current.state is OccurrenceState.CANCELLED:
        return Withdrawn(current.dispatch_id)  # another hand was quicker
    if current is None or current.state is not OccurrenceState.CANCELLING:
        return TooLate(occurrence.dispatch_id)  # its moment came: it went out
    if current.draft_state is DraftState.PENDING and current.draft_id is not None:
        if not await store.drafts.abandon(current.draft_id):
            return StillTrying(None)  # claimed this instant: its create is under way
    elif current.draft_state is DraftState.SENDING or current.searching:
        return StillTrying(current.dispatch_id)
    if current.draft_state in _NEVER_SENT:
        await _settle(store, current, OccurrenceState.CANCELLED, None, actor_id)
        return Withdrawn(None)
    dispatch_id = current.dispatch_id
    if dispatch_id is None:  # created, and its number never became known
        await _settle(store, current, OccurrenceState.CANCEL_FAILED, None, actor_id)
        return TooLate(None)
    try:
        await sms.cancel_dispatch(dispatch_id)
    except DispatchCanNotBeCanceled:
        await _settle(store, current, OccurrenceState.CANCEL_FAILED, dispatch_id, actor_id)
        return TooLate(dispatch_id)
    except DispatchCancelNotFound:
        pass  # not at the API: nothing to send, nothing to cancel
    except SmsApiError as error:
        log.info("Cancel of dispatch %s put off: %s", dispatch_id, error)
        return StillTrying(dispatch_id)
    await _settle(store, current, OccurrenceState.CANCELLED, dispatch_id, actor_id)
    await _quiet_final_notice(store, dispatch_id, current)
    return Withdrawn(dispatch_id)


async def _settle(
    store: Storage,
    occurrence: Occurrence,
    target: OccurrenceState,
    dispatch_id: int | None,
    actor_id: int | None,
) -> None:
    if not await store.recurring.move(occurrence.id, [OccurrenceState.CANCELLING], target):
        return
    await store.audit.record(
        actor_id,
        AUDIT_CANCELLED if target is OccurrenceState.CANCELLED else AUDIT_CANCEL_FAILED,
        dispatch_id=dispatch_id,
        draft_id=occurrence.draft_id,
        details={"schedule": occurrence.schedule_id, "due": occurrence.due_at.isoformat()},
    )


async def _quiet_final_notice(store: Storage, dispatch_id: int, occurrence: Occurrence) -> None:
    """The owner hears of this cancel from the schedule's screen or message, not again as
    "dispatch cancelled" from the poller; the dispatch's card shows it cancelled."""
    tracked = await store.dispatches.get(dispatch_id)
    if tracked is None or tracked.creator_id is None:
        return
    notice = await store.notices.notice(dispatch_id, tracked.creator_id)
    await store.notices.save(notice.but(final_sent=True))
    await store.dispatches.check_soon(dispatch_id)
