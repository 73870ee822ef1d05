"""The keeper against the emulator and a real SQLite file: one create per occurrence
whatever races, a refused or unanswered create handled, cancels tried again."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from uuid import uuid4

from core.clock import Clock
from core.recurring import LEAD, RecurringKeeper
from core.recurring.keeper import LONGEST_PASS_INTERVAL, RETRY_AFTER
from core.recurring.manage import Recipients, create_schedule, pause
from core.recurring.rules import Kind, Rule
from core.recurring.withdraw import StillTrying
from core.send_settings import Limit, write_limit
from core.sms import SmsApiClient
from storage import DraftState, OccurrenceState, Role, Schedule, Storage
from testbed.emulator import RunningEmulator
from testbed.emulator.models import DispatchStatus
from tests.core.recurring.conftest import MOSCOW, RecordingNotifier

OWNER = 7


def creates(emulator: RunningEmulator) -> list[dict]:
    return [
        entry
        for entry in emulator.state.requests.entries()
        if entry["method"] == "POST" and entry["path"] == "/sms-api/dispatches"
    ]


def daily_in(clock: Clock, delta: timedelta) -> tuple[Rule, datetime]:
    due = (clock.now() + delta).replace(second=0, microsecond=0)
    local = due.astimezone(MOSCOW)
    return Rule(Kind.DAILY, time(local.hour, local.minute)), due


async def schedule_of(
    store: Storage,
    clock: Clock,
    rule: Rule,
    *,
    book_id: int | None = 1,
    late: bool = False,
    phones: tuple[str, ...] = ("380711112233",),
    text: str = "Hello",
) -> Schedule:
    """A schedule of OWNER's: to the book, or (``book_id`` None) to ``phones``."""
    recipients = Recipients(book_id, "book", ()) if book_id else Recipients(None, None, phones)
    schedule, _ = await create_schedule(
        store, uuid4().hex[:12], OWNER, OWNER, recipients=recipients, text=text, rule=rule,
        send_late=late, now=clock.now(), tz=MOSCOW,
    )  # fmt: skip
    return schedule


TWO_PHONES = ("380711112233", "380711112244")


def advance(emulator: RunningEmulator, delta: timedelta) -> None:
    emulator.state.advance_clock(delta.total_seconds())


async def test_keepers_racing_create_the_occurrence_once(
    store: Storage,
    api: SmsApiClient,
    emulator: RunningEmulator,
    emulated_clock: Clock,
    notifier: RecordingNotifier,
) -> None:
    rule, due = daily_in(emulated_clock, timedelta(hours=1))
    await schedule_of(store, emulated_clock, rule)
    keepers = [
        RecurringKeeper(
            store=store, sms=api, notifier=notifier, clock=emulated_clock, tz=MOSCOW,
            interval=timedelta(seconds=1),
        )
        for _ in range(5)
    ]  # fmt: skip
    await asyncio.gather(*(k.run_pass() for k in keepers for _ in range(3)))
    assert len(creates(emulator)) == 1
    assert creates(emulator)[0]["body"]["dateSend"] == due.astimezone(MOSCOW).strftime(
        "%d.%m.%Y %H:%M:%S"
    )


async def test_an_occurrence_beyond_the_lead_waits_until_it_is_within_it(
    store: Storage, keeper: RecurringKeeper, emulator: RunningEmulator, emulated_clock: Clock
) -> None:
    _, due = daily_in(emulated_clock, timedelta(days=3))
    local = due.astimezone(MOSCOW)
    rule = Rule(Kind.WEEKLY, time(local.hour, local.minute), weekdays=frozenset({local.weekday()}))
    schedule = await schedule_of(store, emulated_clock, rule)
    assert schedule.next_due == due
    await keeper.run_pass()
    assert creates(emulator) == []
    advance(emulator, due - LEAD - emulated_clock.now() - timedelta(minutes=1))
    await keeper.run_pass()
    assert creates(emulator) == []  # a minute short of the lead
    advance(emulator, timedelta(minutes=2))
    await keeper.run_pass()
    assert len(creates(emulator)) == 1


async def test_a_refused_occurrence_is_reported_once_and_not_tried_again(
    store: Storage,
    keeper: RecurringKeeper,
    emulator: RunningEmulator,
    emulated_clock: Clock,
    notifier: RecordingNotifier,
) -> None:
    rule, due = daily_in(emulated_clock, timedelta(hours=2))
    schedule = await schedule_of(store, emulated_clock, rule, book_id=999)  # no such book
    for _ in range(3):
        await keeper.run_pass()
    assert notifier.said == [("failed", (due, "ADDRESS_BOOK_NOT_FOUND"))]
    assert creates(emulator) == []
    occurrence = await store.recurring.occurrence(schedule.id, schedule.version, due)
    assert occurrence is not None and occurrence.state is OccurrenceState.FAILED
    assert occurrence.draft_state is DraftState.ABANDONED
    # Once its moment has passed, the next one is tried (and reported once in turn).
    advance(emulator, due - emulated_clock.now() + timedelta(minutes=1))
    await keeper.run_pass()
    assert notifier.kinds() == ["failed", "failed"]  # not "missed": it was told already


async def test_an_unanswered_create_is_tried_again_after_a_while(
    store: Storage,
    keeper: RecurringKeeper,
    emulator: RunningEmulator,
    emulated_clock: Clock,
) -> None:
    rule, _ = daily_in(emulated_clock, timedelta(hours=2))
    await schedule_of(store, emulated_clock, rule, book_id=None)
    emulator.state.faults.update({"down": True})
    await keeper.run_pass()
    emulator.state.faults.update({"down": False})
    await keeper.run_pass()
    assert creates(emulator) == []  # the balance GET failed first: nothing was sent
    advance(emulator, RETRY_AFTER)
    await keeper.run_pass()
    assert len(creates(emulator)) == 1


async def test_a_cancel_asked_while_the_create_is_under_way_is_made_after_it(
    store: Storage,
    api: SmsApiClient,
    keeper: RecurringKeeper,
    emulator: RunningEmulator,
    emulated_clock: Clock,
    notifier: RecordingNotifier,
) -> None:
    rule, due = daily_in(emulated_clock, timedelta(hours=2))
    schedule = await schedule_of(store, emulated_clock, rule)
    draft = await store.drafts.create(OWNER, OWNER, text="Hello", book_id=1, date_send=due)
    assert await store.recurring.plan(schedule, due, draft.id)
    assert await store.drafts.claim_for_sending(draft.id)  # the keeper's create, mid-way
    changed = await pause(store, api, schedule.id, OWNER, emulated_clock.now())
    assert changed is not None
    [(_, result)] = changed.withdrawals
    assert isinstance(result, StillTrying)
    dispatch_id = await api.create_dispatch("Hello", ["380711112233"], due)
    await store.drafts.mark_sent(draft.id, dispatch_id)  # the create's answer arrives
    await store.dispatches.track(dispatch_id, OWNER, "book", "Hello", due)
    await keeper.run_pass()
    assert emulator.state.dispatches[dispatch_id].status is DispatchStatus.CANCELED
    assert notifier.said == [("cancel", (due, dispatch_id, True))]
    occurrence = await store.recurring.occurrence(schedule.id, schedule.version, due)
    assert occurrence is not None and occurrence.state is OccurrenceState.CANCELLED


async def test_a_cancel_not_made_before_the_moment_is_reported_too_late(
    store: Storage,
    api: SmsApiClient,
    keeper: RecurringKeeper,
    emulator: RunningEmulator,
    emulated_clock: Clock,
    notifier: RecordingNotifier,
) -> None:
    rule, due = daily_in(emulated_clock, timedelta(hours=2))
    schedule = await schedule_of(store, emulated_clock, rule)
    await keeper.run_pass()
    emulator.state.faults.update({"down": True})
    changed = await pause(store, api, schedule.id, OWNER, emulated_clock.now())
    assert changed is not None and isinstance(changed.withdrawals[0][1], StillTrying)
    advance(emulator, due - emulated_clock.now() + timedelta(seconds=1))
    await keeper.run_pass()
    assert [what for what, _ in notifier.said] == ["cancel"]
    assert notifier.said[0][1][2] is False  # too late: it went out


def test_a_pass_comes_at_least_once_a_minute(store: Storage, api: SmsApiClient) -> None:
    slow = RecurringKeeper(
        store=store, sms=api, notifier=RecordingNotifier(), clock=Clock(), tz=MOSCOW,
        interval=timedelta(minutes=10),
    )  # fmt: skip
    assert slow.interval == LONGEST_PASS_INTERVAL


async def test_the_stop_list_leaves_its_numbers_out_of_every_occurrence(
    store: Storage, keeper: RecurringKeeper, emulator: RunningEmulator, emulated_clock: Clock
) -> None:
    rule, _ = daily_in(emulated_clock, timedelta(hours=1))
    await schedule_of(store, emulated_clock, rule, book_id=None, phones=TWO_PHONES)
    # Stopped after the schedule was saved: the occurrence reads the list at its own create.
    await store.stop_list.add(["380711112244"], added_by=1)
    await keeper.run_pass()
    assert [post["body"]["phonesList"] for post in creates(emulator)] == [["380711112233"]]


async def test_a_managers_occurrence_above_the_approval_limits_is_refused_not_slipped_past(
    store: Storage,
    keeper: RecurringKeeper,
    emulator: RunningEmulator,
    emulated_clock: Clock,
    notifier: RecordingNotifier,
) -> None:
    await store.users.upsert_seen(OWNER, "Olga", None, "ru")
    await store.users.set_role(OWNER, Role.MANAGER)
    await write_limit(store, Limit.RECIPIENTS, 1)
    rule, due = daily_in(emulated_clock, timedelta(hours=1))
    schedule = await schedule_of(store, emulated_clock, rule, book_id=None, phones=TWO_PHONES)
    await keeper.run_pass()
    await keeper.run_pass()
    assert creates(emulator) == []
    assert notifier.said == [("above", due)]
    occurrence = await store.recurring.occurrence(schedule.id, schedule.version, due)
    assert occurrence is not None and occurrence.state is OccurrenceState.FAILED

    # The same schedule of an admin's is never held: nobody approves their own.
    await store.users.set_role(OWNER, Role.ADMIN)
    await schedule_of(store, emulated_clock, rule, book_id=None, phones=TWO_PHONES, text="Hi")
    await keeper.run_pass()
    assert [post["body"]["phonesList"] for post in creates(emulator)] == [list(TWO_PHONES)]
