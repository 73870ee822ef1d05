"""Inline keyboards of /recurring: the list, a schedule's card, the set-up's steps."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.recurring.rules import Kind, Rule
from core.sms import AddressBook
from handlers.common.formatting import shorten
from handlers.common.i18n import Translator
from handlers.recurring.callbacks import (
    ScheduleAction,
    ScheduleCallback,
    SetupAction,
    SetupCallback,
)
from handlers.recurring.render import describe_rule, mark
from handlers.recurring.states import KINDS, Setup
from storage import Schedule, ScheduleState

BOOKS_SHOWN = 12
BUTTON_TEXT = 48
QUICK_TIMES = (8 * 60, 9 * 60, 10 * 60, 12 * 60, 15 * 60, 18 * 60)
QUICK_MONTH_DAYS = (1, 10, 15, 20, 25)
KIND_LABELS = {
    Kind.DAILY: "recurring.button_daily",
    Kind.WEEKDAYS: "recurring.button_weekdays",
    Kind.WEEKLY: "recurring.button_weekly",
    Kind.MONTHLY: "recurring.button_monthly",
}


# -- the list and the card ---------------------------------------------------------


def _screen(
    builder: InlineKeyboardBuilder,
    text: str,
    action: ScheduleAction,
    schedule_id: int = 0,
    value: int = 0,
) -> None:
    builder.button(
        text=text,
        callback_data=ScheduleCallback(action=action, schedule_id=schedule_id, value=value),
    )


def list_keyboard(
    t: Translator, schedules: Sequence[Schedule], page: int, pages: int
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for schedule in schedules:
        rule = describe_rule(t, Rule.from_stored(schedule.rule))
        label = t("recurring.button_open", mark=mark(t, schedule), id=schedule.id, rule=rule)
        _screen(builder, shorten(label, BUTTON_TEXT), ScheduleAction.OPEN, schedule.id)
    rows = [1] * len(schedules)
    pager = 0
    if page > 0:
        _screen(builder, t("recurring.button_newer"), ScheduleAction.LIST, value=page - 1)
        pager += 1
    if page < pages - 1:
        _screen(builder, t("recurring.button_older"), ScheduleAction.LIST, value=page + 1)
        pager += 1
    if pager:
        rows.append(pager)
    _screen(builder, t("recurring.button_new"), ScheduleAction.NEW)
    builder.adjust(*rows, 1)
    return builder.as_markup()


def card_keyboard(t: Translator, schedule: Schedule) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    sid = schedule.id
    rows: list[int] = []
    if schedule.state is ScheduleState.ACTIVE:
        _screen(builder, t("recurring.button_pause"), ScheduleAction.PAUSE, sid)
        rows.append(1)
    elif schedule.state is ScheduleState.PAUSED:
        _screen(builder, t("recurring.button_resume"), ScheduleAction.RESUME, sid)
        rows.append(1)
    _screen(builder, t("recurring.button_edit_text"), ScheduleAction.EDIT_TEXT, sid)
    _screen(builder, t("recurring.button_edit_time"), ScheduleAction.EDIT_TIME, sid)
    _screen(builder, t("recurring.button_edit_rule"), ScheduleAction.EDIT_RULE, sid)
    _screen(builder, t("recurring.button_edit_period"), ScheduleAction.EDIT_PERIOD, sid)
    rows += [2, 2]
    late = not schedule.send_late
    label = "recurring.button_late_on" if late else "recurring.button_late_off"
    _screen(builder, t(label), ScheduleAction.LATE, sid, int(late))
    _screen(builder, t("recurring.button_delete"), ScheduleAction.DELETE, sid)
    _screen(builder, t("recurring.button_list"), ScheduleAction.LIST)
    rows += [1, 2]
    builder.adjust(*rows)
    return builder.as_markup()


def delete_keyboard(t: Translator, schedule_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _screen(builder, t("recurring.button_delete_yes"), ScheduleAction.DELETE_YES, schedule_id)
    _screen(builder, t("recurring.button_delete_no"), ScheduleAction.OPEN, schedule_id)
    builder.adjust(1)
    return builder.as_markup()


# -- the set-up --------------------------------------------------------------------


def _step(
    builder: InlineKeyboardBuilder, text: str, action: SetupAction, setup: Setup, value: int = 0
) -> None:
    builder.button(
        text=text, callback_data=SetupCallback(action=action, token=setup.token, value=value)
    )


def _cancel(builder: InlineKeyboardBuilder, t: Translator, setup: Setup) -> None:
    _step(builder, t("recurring.button_cancel"), SetupAction.CANCEL, setup)


def books_keyboard(
    t: Translator, setup: Setup, books: Sequence[AddressBook] | None
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    rows: list[int] = []
    if books is None:
        _step(builder, t("recurring.button_retry_books"), SetupAction.BOOKS_AGAIN, setup)
        rows.append(1)
    else:
        shown = books[:BOOKS_SHOWN]
        for book in shown:
            name = shorten(book.name, BUTTON_TEXT) or f"#{book.id}"
            _step(builder, name, SetupAction.BOOK, setup, book.id)
        rows += [2] * (len(shown) // 2) + [1] * (len(shown) % 2)
    _cancel(builder, t, setup)
    builder.adjust(*rows, 1)
    return builder.as_markup()


def cancel_only(t: Translator, setup: Setup) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _cancel(builder, t, setup)
    return builder.as_markup()


def kinds_keyboard(t: Translator, setup: Setup) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, kind in enumerate(KINDS):
        _step(builder, t(KIND_LABELS[kind]), SetupAction.KIND, setup, index)
    _cancel(builder, t, setup)
    builder.adjust(2, 2, 1)
    return builder.as_markup()


def weekdays_keyboard(t: Translator, setup: Setup) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for day in range(7):
        name = t(f"recurring.weekday_short.d{day}")
        ticked = setup.weekdays >> day & 1
        _step(builder, f"✅ {name}" if ticked else name, SetupAction.DAY, setup, day)
    _step(builder, t("recurring.button_days_done"), SetupAction.DAYS_DONE, setup)
    _step(builder, t("recurring.button_back"), SetupAction.BACK, setup)
    _cancel(builder, t, setup)
    builder.adjust(4, 3, 1, 2)
    return builder.as_markup()


def month_day_keyboard(t: Translator, setup: Setup) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for day in QUICK_MONTH_DAYS:
        _step(builder, str(day), SetupAction.MONTH_DAY, setup, day)
    _step(builder, t("recurring.button_last_day"), SetupAction.MONTH_DAY, setup, 31)
    _step(builder, t("recurring.button_back"), SetupAction.BACK, setup)
    _cancel(builder, t, setup)
    builder.adjust(5, 1, 2)
    return builder.as_markup()


def time_keyboard(t: Translator, setup: Setup) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for minute in QUICK_TIMES:
        _step(builder, f"{minute // 60:02d}:{minute % 60:02d}", SetupAction.TIME, setup, minute)
    _cancel(builder, t, setup)
    builder.adjust(3, 3, 1)
    return builder.as_markup()


def period_keyboard(t: Translator, setup: Setup) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _step(builder, t("recurring.button_no_bounds"), SetupAction.NO_BOUNDS, setup)
    _cancel(builder, t, setup)
    builder.adjust(1)
    return builder.as_markup()


def summary_keyboard(t: Translator, setup: Setup, *, can_save: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    rows = []
    if can_save:
        _step(builder, t("recurring.button_save"), SetupAction.SAVE, setup)
        rows.append(1)
    late = not setup.send_late
    label = "recurring.button_late_on" if late else "recurring.button_late_off"
    _step(builder, t(label), SetupAction.LATE, setup, int(late))
    _step(builder, t("recurring.button_change_rule"), SetupAction.CHANGE_RULE, setup)
    _step(builder, t("recurring.button_change_time"), SetupAction.CHANGE_TIME, setup)
    _step(builder, t("recurring.button_change_period"), SetupAction.CHANGE_PERIOD, setup)
    _cancel(builder, t, setup)
    builder.adjust(*rows, 1, 3, 1)
    return builder.as_markup()
