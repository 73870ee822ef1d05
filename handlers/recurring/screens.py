"""/recurring: the list of schedules and a schedule's card, with what its buttons do.

One message, edited in place: the list, a card, the card with what an action did. A
manager sees and manages their own schedules; an admin sees and manages everyone's.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from core.recurring import manage
from core.recurring.withdraw import StillTrying, TooLate, Withdrawal, Withdrawn
from handlers.access.render import display_name
from handlers.common.context import Context
from handlers.common.formatting import esc, format_moment
from handlers.common.paging import clamp_page, page_count
from handlers.common.replies import Screen, answer, show, tell_user
from handlers.recurring import keyboards, render
from handlers.recurring.authority import may_manage, refuse, sees_everyone
from handlers.recurring.callbacks import ScheduleAction, ScheduleCallback
from handlers.recurring.states import Part, Setup, forget_setup, save_setup
from handlers.recurring.wizard import PART_STEPS, Wizard
from storage import Occurrence, Schedule, ScheduleState

PER_PAGE = 8
EDITS = {
    ScheduleAction.EDIT_TEXT: Part.TEXT,
    ScheduleAction.EDIT_TIME: Part.TIME,
    ScheduleAction.EDIT_RULE: Part.RULE,
    ScheduleAction.EDIT_PERIOD: Part.PERIOD,
}


# -- the list ----------------------------------------------------------------------


async def list_screen(ctx: Context, page: int) -> Screen:
    owner = None if sees_everyone(ctx) else ctx.user_id
    pages = page_count(await ctx.store.recurring.count(owner), PER_PAGE)
    page = clamp_page(page, pages)
    schedules = await ctx.store.recurring.page(owner, PER_PAGE, page * PER_PAGE)
    owners = None
    if owner is None:
        owners = {s.owner_id: await ctx.store.users.get(s.owner_id) for s in schedules}
    text = render.list_text(ctx.t, schedules, owners, page, pages, ctx.tz)
    return Screen(text, keyboards.list_keyboard(ctx.t, schedules, page, pages))


async def show_list(message: Message, state: FSMContext, ctx: Context) -> None:
    await forget_setup(state)  # a set-up left half way is dropped
    screen = await list_screen(ctx, 0)
    await message.answer(screen.text, reply_markup=screen.keyboard)


async def turn_page(query: CallbackQuery, callback_data: ScheduleCallback, ctx: Context) -> None:
    await answer(query)
    await show(query, ctx, await list_screen(ctx, callback_data.value))


# -- a schedule's card -------------------------------------------------------------


async def card_screen(ctx: Context, schedule: Schedule, note: str | None = None) -> Screen:
    upcoming = None
    if schedule.next_due is not None:
        upcoming = await ctx.store.recurring.occurrence(
            schedule.id, schedule.version, schedule.next_due
        )
    owner = await ctx.store.users.get(schedule.owner_id)
    text = render.card_text(
        ctx.t,
        schedule,
        upcoming,
        owner,
        ctx.tz,
        ctx.now(),
        show_owner=schedule.owner_id != ctx.user_id,
        note=note,
    )
    return Screen(text, keyboards.card_keyboard(ctx.t, schedule))


async def _schedule_for(
    query: CallbackQuery, callback_data: ScheduleCallback, ctx: Context
) -> Schedule | None:
    """The schedule the button names, if this user may manage it (answered otherwise)."""
    schedule = await ctx.store.recurring.get(callback_data.schedule_id)
    if schedule is None or schedule.state is ScheduleState.DELETED:
        await answer(query, ctx.t("recurring.card_gone"), alert=True)
        return None
    if not may_manage(ctx, schedule):
        await refuse(ctx, schedule, callback_data.action.value)
        await answer(query, ctx.t("recurring.not_yours"), alert=True)
        return None
    return schedule


async def open_card(query: CallbackQuery, callback_data: ScheduleCallback, ctx: Context) -> None:
    schedule = await _schedule_for(query, callback_data, ctx)
    if schedule is None:
        return
    await answer(query)
    await show(query, ctx, await card_screen(ctx, schedule))


async def pause(query: CallbackQuery, callback_data: ScheduleCallback, ctx: Context) -> None:
    schedule = await _schedule_for(query, callback_data, ctx)
    if schedule is None:
        return
    await answer(query)
    changed = await manage.pause(ctx.store, ctx.sms, schedule.id, ctx.user_id, ctx.now())
    if changed is None:
        current = await ctx.store.recurring.get(schedule.id) or schedule
        await show(query, ctx, await card_screen(ctx, current, ctx.t("recurring.already_paused")))
        return
    note = _note(ctx, ctx.t("recurring.paused"), changed.withdrawals)
    await show(query, ctx, await card_screen(ctx, changed.schedule, note))
    await tell_owner(ctx, changed.schedule, "recurring.told_owner_paused")


async def resume(query: CallbackQuery, callback_data: ScheduleCallback, ctx: Context) -> None:
    schedule = await _schedule_for(query, callback_data, ctx)
    if schedule is None:
        return
    await answer(query)
    changed = await manage.resume(ctx.store, schedule.id, ctx.user_id, ctx.now(), ctx.tz)
    if changed is None:
        current = await ctx.store.recurring.get(schedule.id) or schedule
        await show(query, ctx, await card_screen(ctx, current, ctx.t("recurring.already_active")))
        return
    await show(query, ctx, await card_screen(ctx, changed.schedule, ctx.t("recurring.resumed")))
    await tell_owner(ctx, changed.schedule, "recurring.told_owner_resumed")


async def set_late(query: CallbackQuery, callback_data: ScheduleCallback, ctx: Context) -> None:
    schedule = await _schedule_for(query, callback_data, ctx)
    if schedule is None:
        return
    late = bool(callback_data.value)
    changed = await manage.set_send_late(ctx.store, schedule.id, ctx.user_id, late)
    saved = "recurring.late_saved_on" if late else "recurring.late_saved_off"
    await answer(query, ctx.t(saved))
    await show(query, ctx, await card_screen(ctx, changed or schedule))


async def ask_delete(query: CallbackQuery, callback_data: ScheduleCallback, ctx: Context) -> None:
    schedule = await _schedule_for(query, callback_data, ctx)
    if schedule is None:
        return
    await answer(query)
    text = ctx.t("recurring.delete_question", id=schedule.id)
    await show(query, ctx, Screen(text, keyboards.delete_keyboard(ctx.t, schedule.id)))


async def delete(query: CallbackQuery, callback_data: ScheduleCallback, ctx: Context) -> None:
    schedule = await _schedule_for(query, callback_data, ctx)
    if schedule is None:
        return
    await answer(query)
    changed = await manage.delete(ctx.store, ctx.sms, schedule.id, ctx.user_id, ctx.now())
    if changed is None:
        return await show(query, ctx, await list_screen(ctx, 0))
    note = _note(ctx, ctx.t("recurring.deleted", id=schedule.id), changed.withdrawals)
    listing = await list_screen(ctx, 0)
    await show(query, ctx, Screen(f"{note}\n\n{listing.text}", listing.keyboard))
    await tell_owner(ctx, changed.schedule, "recurring.told_owner_deleted")


async def start_edit(
    query: CallbackQuery, callback_data: ScheduleCallback, state: FSMContext, ctx: Context
) -> None:
    """Change one part of a schedule: its step opens in the card's message."""
    schedule = await _schedule_for(query, callback_data, ctx)
    if schedule is None:
        return
    await answer(query)
    part = EDITS[callback_data.action]
    prompt = query.message.message_id if isinstance(query.message, Message) else None
    setup = Setup.editing(schedule, part).but(prompt_id=prompt)
    await save_setup(state, setup)
    await Wizard(ctx, state).show(PART_STEPS[part], setup)


# -- what an action did --------------------------------------------------------------


def _note(ctx: Context, headline: str, withdrawals: Sequence[tuple[Occurrence, Withdrawal]]) -> str:
    return "\n".join([headline, *withdrawal_lines(ctx, withdrawals)])


def withdrawal_lines(
    ctx: Context, withdrawals: Sequence[tuple[Occurrence, Withdrawal]]
) -> list[str]:
    t, lines = ctx.t, []
    for occurrence, result in withdrawals:
        moment = format_moment(occurrence.due_at, ctx.tz)
        match result:
            case Withdrawn(dispatch_id=None):
                lines.append(t("recurring.withdrawn_unsent", moment=moment))
            case Withdrawn(dispatch_id=dispatch_id):
                lines.append(t("recurring.withdrawn", id=dispatch_id, moment=moment))
            case StillTrying():
                lines.append(t("recurring.withdraw_pending", moment=moment))
            case TooLate(dispatch_id=None):
                lines.append(t("recurring.withdraw_too_late", moment=moment))
            case TooLate(dispatch_id=dispatch_id):
                lines.append(
                    t("recurring.withdraw_too_late_numbered", id=dispatch_id, moment=moment)
                )
    return lines


async def tell_owner(ctx: Context, schedule: Schedule, key: str) -> None:
    """An admin changed someone else's schedule: its owner hears who did."""
    if schedule.owner_id == ctx.user_id:
        return
    who = esc(display_name(ctx.user, ctx.user_id))
    await tell_user(ctx, schedule.owner_id, lambda t: t(key, who=who, id=schedule.id))
