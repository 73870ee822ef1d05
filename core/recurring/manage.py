"""What an owner (or an admin) does to a schedule: create, pause, resume, edit, delete.

Each change is one guarded update of the schedule (bumping its version, so the keeper
neither creates nor fires anything for the version before), then the occurrence still
to come is taken back at the SMS API (``withdraw.py``); the keeper creates the new one
(the replacement) at its next pass. Everything goes to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.recurring.rules import Rule, next_occurrence
from core.recurring.withdraw import Withdrawal, withdraw
from core.sms import SmsApiClient
from storage import Occurrence, Schedule, ScheduleState, Storage

# A schedule's first occurrence (and the first after a resume or an edit) is at least
# this far ahead, so the keeper (a pass a minute at most) can create it in time.
MIN_NOTICE = timedelta(minutes=5)

AUDIT_CREATE = "recurring.create"
AUDIT_PAUSE = "recurring.pause"
AUDIT_RESUME = "recurring.resume"
AUDIT_EDIT = "recurring.edit"
AUDIT_DELETE = "recurring.delete"
AUDIT_SEND_LATE = "recurring.send_late"

LIVE = (ScheduleState.ACTIVE, ScheduleState.PAUSED, ScheduleState.ENDED)


@dataclass(frozen=True)
class Recipients:
    book_id: int | None = None
    book_name: str | None = None
    phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class Changed:
    schedule: Schedule
    withdrawals: list[tuple[Occurrence, Withdrawal]] = field(default_factory=list)


def first_due(rule: Rule, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The first occurrence a schedule saved (or resumed) now would have."""
    return next_occurrence(rule, now + MIN_NOTICE, tz)


async def create_schedule(
    store: Storage,
    setup_key: str,
    owner_id: int,
    chat_id: int,
    *,
    recipients: Recipients,
    text: str,
    rule: Rule,
    send_late: bool,
    now: datetime,
    tz: ZoneInfo,
) -> tuple[Schedule, bool]:
    """Save once per set-up (a second Save returns the first one, and False)."""
    schedule, added = await store.recurring.create(
        setup_key,
        owner_id,
        chat_id,
        text=text,
        rule=rule.stored(),
        next_due=first_due(rule, now, tz),
        book_id=recipients.book_id,
        book_name=recipients.book_name,
        phones=recipients.phones,
        send_late=send_late,
    )
    if added:
        if schedule.next_due is None:
            schedule = (
                await store.recurring.change(
                    schedule.id, [ScheduleState.ACTIVE], state=ScheduleState.ENDED
                )
                or schedule
            )
        await store.audit.record(
            owner_id,
            AUDIT_CREATE,
            details={
                "schedule": schedule.id,
                "rule": rule.kind.value,
                "typed": len(recipients.phones),
            },
        )
    return schedule, added


async def pause(
    store: Storage, sms: SmsApiClient, schedule_id: int, actor_id: int, now: datetime
) -> Changed | None:
    """None: it was not active (paused or ended already, or deleted)."""
    schedule = await store.recurring.change(
        schedule_id, [ScheduleState.ACTIVE], state=ScheduleState.PAUSED, next_due=None
    )
    if schedule is None:
        return None
    await store.audit.record(actor_id, AUDIT_PAUSE, details={"schedule": schedule_id})
    return Changed(schedule, await _withdraw_pending(store, sms, schedule_id, actor_id, now))


async def resume(
    store: Storage, schedule_id: int, actor_id: int, now: datetime, tz: ZoneInfo
) -> Changed | None:
    """None: it was not paused. Resumed past its last day, it ends."""
    current = await store.recurring.get(schedule_id)
    if current is None or current.state is not ScheduleState.PAUSED:
        return None
    due = first_due(Rule.from_stored(current.rule), now, tz)
    state = ScheduleState.ACTIVE if due is not None else ScheduleState.ENDED
    schedule = await store.recurring.change(
        schedule_id, [ScheduleState.PAUSED], state=state, next_due=due
    )
    if schedule is None:
        return None
    await store.audit.record(actor_id, AUDIT_RESUME, details={"schedule": schedule_id})
    return Changed(schedule)


async def edit(
    store: Storage,
    sms: SmsApiClient,
    schedule_id: int,
    actor_id: int,
    now: datetime,
    tz: ZoneInfo,
    *,
    text: str | None = None,
    rule: Rule | None = None,
) -> Changed | None:
    """A new text or rule (time, days, bounds); the pending occurrence is replaced."""
    current = await store.recurring.get(schedule_id)
    if current is None or current.state not in LIVE:
        return None
    fields: dict[str, object] = {}
    if text is not None:
        fields["text"] = text
    if rule is not None:
        fields["rule"] = rule.stored()
    if current.state is not ScheduleState.PAUSED:  # an ended schedule may start again
        due = first_due(rule or Rule.from_stored(current.rule), now, tz)
        fields["next_due"] = due
        fields["state"] = ScheduleState.ACTIVE if due is not None else ScheduleState.ENDED
    schedule = await store.recurring.change(schedule_id, [current.state], **fields)
    if schedule is None:
        return None
    changed = sorted(name for name in ("text", "rule") if name in fields)
    await store.audit.record(
        actor_id, AUDIT_EDIT, details={"schedule": schedule_id, "changed": ",".join(changed)}
    )
    return Changed(schedule, await _withdraw_pending(store, sms, schedule_id, actor_id, now))


async def delete(
    store: Storage, sms: SmsApiClient, schedule_id: int, actor_id: int, now: datetime
) -> Changed | None:
    schedule = await store.recurring.change(
        schedule_id, LIVE, state=ScheduleState.DELETED, next_due=None
    )
    if schedule is None:
        return None
    await store.audit.record(actor_id, AUDIT_DELETE, details={"schedule": schedule_id})
    return Changed(schedule, await _withdraw_pending(store, sms, schedule_id, actor_id, now))


async def set_send_late(
    store: Storage, schedule_id: int, actor_id: int, send_late: bool
) -> Schedule | None:
    """Whether a missed occurrence goes out late; the pending occurrence stays as it is."""
    schedule = await store.recurring.change(schedule_id, LIVE, send_late=send_late)
    if schedule is not None:
        await store.audit.record(
            actor_id, AUDIT_SEND_LATE, details={"schedule": schedule_id, "on": send_late}
        )
    return schedule


async def _withdraw_pending(
    store: Storage, sms: SmsApiClient, schedule_id: int, actor_id: int, now: datetime
) -> list[tuple[Occurrence, Withdrawal]]:
    pending: Iterable[Occurrence] = await store.recurring.pending(schedule_id, now)
    return [
        (occurrence, await withdraw(store, sms, occurrence, actor_id)) for occurrence in pending
    ]
