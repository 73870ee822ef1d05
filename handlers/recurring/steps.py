"""The set-up's steps: recipients, text, the rule (kind, days), the time, the period.
A typed answer the step cannot use gets the reason on the same step."""

from __future__ import annotations

from datetime import date

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from core.phones import parse_phone_list
from core.recurring.manage import first_due
from core.recurring.rules import Kind, RuleRefused
from core.sms import SmsApiError
from handlers.common.context import Context
from handlers.common.replies import answer, within_tap_budget
from handlers.common.sms_errors import describe_sms_error
from handlers.recurring.callbacks import SetupCallback
from handlers.recurring.moves import current, done, gone, typed
from handlers.recurring.parsing import (
    PeriodProblem,
    PeriodRefused,
    parse_month_day,
    parse_period,
    parse_time_of_day,
)
from handlers.recurring.render import day_text
from handlers.recurring.states import KINDS, RecurringForm, Setup
from handlers.recurring.wizard import Wizard
from handlers.send import render as send_render

# -- recipients ----------------------------------------------------------------------


async def books_again(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    await wizard.show(RecurringForm.recipients, setup)


async def book_picked(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await current(query, callback_data, wizard)
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
    await done(wizard, chosen, RecurringForm.recipients, new=False)


async def numbers_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None:
        return await gone(message, state, ctx)
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
    await done(wizard, chosen, RecurringForm.recipients, new=True, note=note)


# -- text ------------------------------------------------------------------------------


async def text_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None:
        return await gone(message, state, ctx)
    text = message.text or ""
    if not text.strip():
        return await wizard.show(RecurringForm.text, setup, error=ctx.t("recurring.text_empty"))
    length = send_render.text_length(text)
    if length > send_render.TEXT_LIMIT:
        error = ctx.t("recurring.text_too_long", length=length, limit=send_render.TEXT_LIMIT)
        return await wizard.show(RecurringForm.text, setup, error=error)
    await done(wizard, setup.but(text=text), RecurringForm.text, new=True)


# -- the rule ------------------------------------------------------------------------


async def kind_picked(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await current(query, callback_data, wizard)
    if setup is None:
        return
    if not 0 <= callback_data.value < len(KINDS):
        return await answer(query, ctx.t("recurring.stale_button"), alert=True)
    await answer(query)
    kind = KINDS[callback_data.value]
    chosen = setup.but(kind=kind.value)
    if kind is Kind.MONTHLY and chosen.month_day is None:
        chosen = chosen.but(month_day=1)
    await done(wizard, chosen, RecurringForm.kind, new=False)


async def day_toggled(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await current(query, callback_data, wizard)
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
    setup = await current(query, callback_data, wizard)
    if setup is None:
        return
    if not setup.weekdays:
        return await answer(query, ctx.t("recurring.no_weekdays"), alert=True)
    await answer(query)
    await done(wizard, setup, RecurringForm.weekdays, new=False)


async def month_day_picked(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await current(query, callback_data, wizard)
    if setup is None:
        return
    if not 1 <= callback_data.value <= 31:
        return await answer(query, ctx.t("recurring.stale_button"), alert=True)
    await answer(query)
    await done(wizard, setup.but(month_day=callback_data.value), RecurringForm.month_day, new=False)


async def month_day_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None:
        return await gone(message, state, ctx)
    day = parse_month_day(message.text or "")
    if day is None:
        error = ctx.t("recurring.bad_month_day", typed=typed(message))
        return await wizard.show(RecurringForm.month_day, setup, error=error)
    await done(wizard, setup.but(month_day=day), RecurringForm.month_day, new=True)


async def back_to_kinds(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    await wizard.show(RecurringForm.kind, setup)


# -- the time --------------------------------------------------------------------------


async def time_picked(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await current(query, callback_data, wizard)
    if setup is None:
        return
    if not 0 <= callback_data.value < 24 * 60:
        return await answer(query, ctx.t("recurring.stale_button"), alert=True)
    await answer(query)
    await done(wizard, setup.but(at_minute=callback_data.value), RecurringForm.time, new=False)


async def time_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None:
        return await gone(message, state, ctx)
    minute = parse_time_of_day(message.text or "")
    if minute is None:
        error = ctx.t("recurring.bad_time", typed=typed(message))
        return await wizard.show(RecurringForm.time, setup, error=error)
    await done(wizard, setup.but(at_minute=minute), RecurringForm.time, new=True)


# -- the period ------------------------------------------------------------------------


async def no_bounds(
    query: CallbackQuery, callback_data: SetupCallback, state: FSMContext, ctx: Context
) -> None:
    wizard = Wizard(ctx, state)
    setup = await current(query, callback_data, wizard)
    if setup is None:
        return
    await answer(query)
    chosen = setup.but(starts_on=None, ends_on=None)
    await done(wizard, chosen, RecurringForm.period, new=False)


async def period_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    wizard = Wizard(ctx, state)
    setup = await wizard.setup()
    if setup is None:
        return await gone(message, state, ctx)
    shown = typed(message)
    try:
        period = parse_period(message.text or "")
    except PeriodRefused as refused:
        key = (
            "recurring.no_such_date"
            if refused.problem is PeriodProblem.NO_SUCH_DATE
            else "recurring.bad_period"
        )
        return await wizard.show(RecurringForm.period, setup, error=ctx.t(key, typed=shown))
    error = _period_problem(ctx, setup, period.starts_on, period.ends_on, wizard.today())
    if error is not None:
        return await wizard.show(RecurringForm.period, setup, error=error)
    chosen = setup.but(
        starts_on=period.starts_on.isoformat() if period.starts_on else None,
        ends_on=period.ends_on.isoformat() if period.ends_on else None,
    )
    await done(wizard, chosen, RecurringForm.period, new=True)


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
