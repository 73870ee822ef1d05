"""The set-up's steps: a new schedule (from /recurring, or from a send's summary), or a
change of one part of an existing one, and Save.

Save creates the schedule once per set-up, however often it is tapped: the set-up's key
is stored with the schedule, and a second Save finds it.
"""

from __future__ import annotations

from datetime import date

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

from core.phones import parse_phone_list
from core.recurring import manage
from core.recurring.manage import Recipients, first_due
from core.recurring.rules import Kind, RuleProblem, RuleRefused
from core.sms import SmsApiError
from handlers.common.context import Context
from handlers.common.formatting import esc, shorten
from handlers.common.replies import answer, within_tap_budget
from handlers.common.sms_errors import describe_sms_error
from handlers.recurring.callbacks import SetupAction, SetupCallback
from handlers.recurring.parsing import (
    PeriodProblem,
    PeriodRefused,
    parse_month_day,
    parse_period,
    parse_time_of_day,
)
from handlers.recurring.render import day_text
from handlers.recurring.screens import card_screen, tell_owner, withdrawal_lines
from handlers.recurring.states import KINDS, RecurringForm, Setup, forget_setup, save_setup
from handlers.recurring.wizard import Wizard
from handlers.send import render as send_render
from handlers.send.callbacks import SendCallback, draft_token
from handlers.send.states import DRAFT_ID, VALID, SendForm, abandon_draft
from storage import DraftState

TYPED_SHOWN = 40

# The step each set-up button belongs to: a button of another step is out of date.
ACTION_STEPS: dict[SetupAction, tuple[State, ...]] = {
    SetupAction.BOOK: (RecurringForm.recipients,),
    SetupAction.BOOKS_AGAIN: (RecurringForm.recipients,),
    SetupAction.KIND: (RecurringForm.kind,),
    SetupAction.DAY: (RecurringForm.weekdays,),
    SetupAction.DAYS_DONE: (RecurringForm.weekdays,),
    SetupAction.MONTH_DAY: (RecurringForm.month_day,),
    SetupAction.BACK: (RecurringForm.weekdays, RecurringForm.month_day),
    SetupAction.TIME: (RecurringForm.time,),
    SetupAction.NO_BOUNDS: (RecurringForm.period,),
    SetupAction.LATE: (RecurringForm.summary,),
    SetupAction.CHANGE_RULE: (RecurringForm.summary,),
    SetupAction.CHANGE_TIME: (RecurringForm.summary,),
    SetupAction.CHANGE_PERIOD: (RecurringForm.summary,),
}


async def _current(
    query: CallbackQuery, callback_data: SetupCallback, wizard: Wizard
) -> Setup | None:
    """The set-up the button belongs to, at the step it belongs to (answered otherwise)."""
    setup = await wizard.setup()
    steps = ACTION_STEPS.get(callback_data.action)
    step = await wizard.step()
    if (
        setup is None
        or setup.token != callback_data.token
        or (steps is not None and step not in {s.state for s in steps})
    ):
        await answer(query, wizard.t("recurring.stale_button"), alert=True)
        return None
    return setup


async def _done(
    wizard: Wizard, setup: Setup, step: State, *, new: bool, note: str | None = None
) -> None:
    """``step`` is answered: on to the next one, or the set-up is complete."""
    following = wizard.next_step(setup, step)
    if following is not None:
        # Back at the summary, a later step goes on in order again.
        back = setup.to_summary and following != RecurringForm.summary
        await wizard.show(following, setup.but(to_summary=back), new=new, note=note)
        return
    await _apply(wizard, setup, step, new=new)


# -- starting ------------------------------------------------------------------------


async def new_schedule(query: CallbackQuery, state: FSMContext, ctx: Context) -> None:
    await answer(query)
    prompt = query.message.message_id if isinstance(query.message, Message) else None
    setup = Setup(prompt_id=prompt)
    await save_setup(state, setup)
    await Wizard(ctx, state).show(RecurringForm.recipients, setup)


async def from_summary(
    query: CallbackQuery, callback_data: SendCallback, state: FSMContext, ctx: Context
) -> None:
    """The send summary's "Repeat on a schedule": its recipients and text go to a new
    schedule's set-up, which takes the summary's place; the one-off draft is dropped."""
    data = await state.get_data()
    draft_id = data.get(DRAFT_ID)
    draft = await ctx.store.drafts.get(draft_id) if isinstance(draft_id, str) else None
    if (
        draft is None
        or draft.state is not DraftState.PENDING
        or draft_token(draft.id) != callback_data.draft
        or await state.get_state() != SendForm.summary.state
        or not draft.text
    ):
        return await answer(query, ctx.t("recurring.from_summary_gone"), alert=True)
    await answer(query)
    valid = int(data.get(VALID, 0) or len(draft.phones))
    await abandon_draft(state, ctx.store)
    prompt = query.message.message_id if isinstance(query.message, Message) else None
    setup = Setup(
        book_id=draft.book_id,
        book_name=draft.book_name,
        source_draft=draft.id,
        numbers=valid,
        text=draft.text,
        prompt_id=prompt,
    )
    await save_setup(state, setup)
    await Wizard(ctx, state).show(
        RecurringForm.kind, setup, note=ctx.t("recurring.started_from_summary")
    )


# -- recipients ----------------------------------------------------------------------


async def books_again(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    await wizard.show(RecurringForm.recipients, setup)


async def book_picked(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    try:
        books = await within_tap_budget(ctx.sms.address_books())
    except SmsApiError as error:
        return await answer(query, describe_sms_error(error, ctx.t), alert=True)
    book = next((b for b in books if b.id == callback_data.value), None)
    if book is None:
        return await answer(query, ctx.t("recurring.book_gone"), alert=True)
    await answer(query)
    chosen = setup.but(book_id=book.id, book_name=book.name, phones=(), source_draft=None)
    await _done(wizard, chosen, RecurringForm.recipients, new=False)


async def numbers_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None:
        return await _gone(message, state, ctx)
    phones = parse_phone_list(message.text or "")
    if not phones.valid:
        return await wizard.show(
            RecurringForm.recipients, setup, error=send_render.no_numbers(ctx.t, phones)
        )
    chosen = setup.but(
        book_id=None,
        book_name=None,
        phones=tuple(phones.valid),
        numbers=len(phones.valid),
        source_draft=None,
    )
    note = send_render.phones_note(ctx.t, phones)
    await _done(wizard, chosen, RecurringForm.recipients, new=True, note=note)


# -- text ------------------------------------------------------------------------------


async def text_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None:
        return await _gone(message, state, ctx)
    text = message.text or ""
    if not text.strip():
        return await wizard.show(RecurringForm.text, setup, error=ctx.t("recurring.text_empty"))
    length = send_render.text_length(text)
    if length > send_render.TEXT_LIMIT:
        error = ctx.t("recurring.text_too_long", length=length, limit=send_render.TEXT_LIMIT)
        return await wizard.show(RecurringForm.text, setup, error=error)
    await _done(wizard, setup.but(text=text), RecurringForm.text, new=True)


# -- the rule ------------------------------------------------------------------------


async def kind_picked(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    if not 0 <= callback_data.value < len(KINDS):
        return await answer(query, ctx.t("recurring.stale_button"), alert=True)
    await answer(query)
    kind = KINDS[callback_data.value]
    chosen = setup.but(kind=kind.value)
    if kind is Kind.MONTHLY and chosen.month_day is None:
        chosen = chosen.but(month_day=1)
    await _done(wizard, chosen, RecurringForm.kind, new=False)


async def day_toggled(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    if not 0 <= callback_data.value < 7:
        return await answer(query, ctx.t("recurring.stale_button"), alert=True)
    await answer(query)
    await wizard.show(
        RecurringForm.weekdays, setup.but(weekdays=setup.weekdays ^ (1 << callback_data.value))
    )


async def days_done(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    if not setup.weekdays:
        return await answer(query, ctx.t("recurring.no_weekdays"), alert=True)
    await answer(query)
    await _done(wizard, setup, RecurringForm.weekdays, new=False)


async def month_day_picked(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    if not 1 <= callback_data.value <= 31:
        return await answer(query, ctx.t("recurring.stale_button"), alert=True)
    await answer(query)
    await _done(
        wizard, setup.but(month_day=callback_data.value), RecurringForm.month_day, new=False
    )


async def month_day_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None:
        return await _gone(message, state, ctx)
    day = parse_month_day(message.text or "")
    if day is None:
        error = ctx.t("recurring.bad_month_day", typed=_typed(message))
        return await wizard.show(RecurringForm.month_day, setup, error=error)
    await _done(wizard, setup.but(month_day=day), RecurringForm.month_day, new=True)


async def back_to_kinds(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    await wizard.show(RecurringForm.kind, setup)


# -- the time --------------------------------------------------------------------------


async def time_picked(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    if not 0 <= callback_data.value < 24 * 60:
        return await answer(query, ctx.t("recurring.stale_button"), alert=True)
    await answer(query)
    await _done(wizard, setup.but(at_minute=callback_data.value), RecurringForm.time, new=False)


async def time_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None:
        return await _gone(message, state, ctx)
    minute = parse_time_of_day(message.text or "")
    if minute is None:
        error = ctx.t("recurring.bad_time", typed=_typed(message))
        return await wizard.show(RecurringForm.time, setup, error=error)
    await _done(wizard, setup.but(at_minute=minute), RecurringForm.time, new=True)


# -- the period ------------------------------------------------------------------------


async def no_bounds(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    chosen = setup.but(starts_on=None, ends_on=None)
    await _done(wizard, chosen, RecurringForm.period, new=False)


async def period_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None:
        return await _gone(message, state, ctx)
    typed = _typed(message)
    try:
        period = parse_period(message.text or "")
    except PeriodRefused as refused:
        key = (
            "recurring.no_such_date"
            if refused.problem is PeriodProblem.NO_SUCH_DATE
            else "recurring.bad_period"
        )
        return await wizard.show(RecurringForm.period, setup, error=ctx.t(key, typed=typed))
    error = _period_problem(ctx, setup, period.starts_on, period.ends_on, wizard.today())
    if error is not None:
        return await wizard.show(RecurringForm.period, setup, error=error)
    chosen = setup.but(
        starts_on=period.starts_on.isoformat() if period.starts_on else None,
        ends_on=period.ends_on.isoformat() if period.ends_on else None,
    )
    await _done(wizard, chosen, RecurringForm.period, new=True)


def _period_problem(
    ctx: Context, setup: Setup, starts_on: date | None, ends_on: date | None, today: date
) -> str | None:
    t = ctx.t
    if starts_on and ends_on and ends_on < starts_on:
        return t("recurring.ends_before_start", start=day_text(starts_on), end=day_text(ends_on))
    if ends_on is not None and ends_on < today:
        return t("recurring.ends_in_past", end=day_text(ends_on))
    try:
        rule = setup.but(
            starts_on=starts_on.isoformat() if starts_on else None,
            ends_on=ends_on.isoformat() if ends_on else None,
        ).rule()
    except RuleRefused:
        return t("recurring.no_occurrence")
    if first_due(rule, ctx.now(), ctx.tz) is None:
        return t("recurring.no_occurrence")
    return None


# -- the summary -----------------------------------------------------------------------


async def late_toggled(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    await wizard.show(RecurringForm.summary, setup.but(send_late=bool(callback_data.value)))


CHANGES = {
    SetupAction.CHANGE_RULE: RecurringForm.kind,
    SetupAction.CHANGE_TIME: RecurringForm.time,
    SetupAction.CHANGE_PERIOD: RecurringForm.period,
}


async def change_from_summary(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    await wizard.show(CHANGES[callback_data.action], setup.but(to_summary=True))


async def save(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None or setup.key != callback_data.token:
        saved = await ctx.store.recurring.by_setup_key(callback_data.token)
        key = "recurring.already_saved" if saved is not None else "recurring.setup_gone"
        return await answer(query, ctx.t(key, id=saved.id if saved else 0))
    if await wizard.step() != RecurringForm.summary.state:
        return await answer(query, ctx.t("recurring.stale_button"), alert=True)
    recipients = await _recipients(ctx, setup)
    if recipients is None:
        return await answer(query, ctx.t("recurring.from_summary_gone"), alert=True)
    try:
        rule = setup.rule()
    except RuleRefused:
        return await answer(query, ctx.t("recurring.no_occurrence"), alert=True)
    schedule, added = await manage.create_schedule(
        ctx.store,
        setup.key,
        ctx.user_id,
        ctx.chat_id,
        recipients=recipients,
        text=setup.text,
        rule=rule,
        send_late=setup.send_late,
        now=ctx.now(),
        tz=ctx.tz,
    )
    await answer(
        query, ctx.t("recurring.saved" if added else "recurring.already_saved", id=schedule.id)
    )
    await forget_setup(state)
    screen = await card_screen(ctx, schedule, ctx.t("recurring.saved", id=schedule.id))
    await wizard.replace_with(setup, screen.text, screen.keyboard)


async def _recipients(ctx: Context, setup: Setup) -> Recipients | None:
    if setup.source_draft is not None:
        draft = await ctx.store.drafts.get(setup.source_draft)
        if draft is None or draft.user_id != ctx.user_id:
            return None
        return Recipients(draft.book_id, draft.book_name, tuple(draft.phones))
    if setup.book_id is None and not setup.phones:
        return None
    return Recipients(setup.book_id, setup.book_name, setup.phones)


async def cancel(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await _current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    await forget_setup(state)
    schedule = await ctx.store.recurring.get(setup.edit) if setup.edit else None
    if schedule is not None:
        screen = await card_screen(ctx, schedule)
        await wizard.replace_with(setup, screen.text, screen.keyboard)
        return
    await wizard.replace_with(setup, ctx.t("recurring.setup_cancelled"), None)


# -- a change of an existing schedule ----------------------------------------------------


async def _apply(wizard: Wizard, setup: Setup, step: State, *, new: bool) -> None:
    """A change of one part is complete: it replaces the pending occurrence."""
    ctx = wizard.ctx
    if not setup.edit:
        await wizard.show(RecurringForm.summary, setup, new=new)
        return
    try:
        rule = setup.rule()
    except RuleRefused as refused:
        error = ctx.t(
            "recurring.no_weekdays"
            if refused.problem is RuleProblem.NO_WEEKDAYS
            else "recurring.no_occurrence"
        )
        return await wizard.show(step, setup, new=new, error=error)
    if first_due(rule, ctx.now(), ctx.tz) is None:
        return await wizard.show(step, setup, new=new, error=ctx.t("recurring.no_occurrence"))
    current = await ctx.store.recurring.get(setup.edit)
    changes: dict[str, object] = {}
    if current is not None and setup.text != current.text:
        changes["text"] = setup.text
    if current is not None and rule.stored() != current.rule:
        changes["rule"] = rule
    changed = None
    if changes:
        changed = await manage.edit(
            ctx.store,
            ctx.sms,
            setup.edit,
            ctx.user_id,
            ctx.now(),
            ctx.tz,
            **changes,  # type: ignore[arg-type]
        )
    await forget_setup(wizard.state)
    schedule = changed.schedule if changed is not None else current
    if schedule is None:
        await wizard.replace_with(setup, ctx.t("recurring.card_gone"), None)
        return
    lines = [ctx.t("recurring.edited")]
    if changed is not None:
        lines += withdrawal_lines(ctx, changed.withdrawals)
        if changed.withdrawals:
            lines.append(ctx.t("recurring.replaced"))
    screen = await card_screen(ctx, schedule, "\n".join(lines))
    if new:
        await wizard.close_prompt(setup)
        await ctx.bot.send_message(ctx.chat_id, screen.text, reply_markup=screen.keyboard)
    else:
        await wizard.replace_with(setup, screen.text, screen.keyboard)
    if changed is not None:
        await tell_owner(ctx, schedule, "recurring.told_owner_edited")


# -- anything else ---------------------------------------------------------------------


def _typed(message: Message) -> str:
    return esc(shorten((message.text or "").strip(), TYPED_SHOWN))


async def _gone(message: Message, state: FSMContext, ctx: Context) -> None:
    await forget_setup(state)
    await message.answer(ctx.t("recurring.setup_gone"))


async def not_text(message: Message, ctx: Context) -> None:
    await message.answer(ctx.t("recurring.not_a_text_answer"))
