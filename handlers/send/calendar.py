"""The calendar, in the wizard message: five weeks from this one, then the day's hours,
then the minutes (00/15/30/45).

The weeks start with the one holding today, so no row is empty; a day that has passed
this week shows "·" and cannot be picked. Everything a button needs is in its callback
data, so the calendar survives a restart.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from handlers.common.formatting import esc, zone_label
from handlers.common.i18n import Translator
from handlers.common.keyboard import InlineKeyboardBuilder
from handlers.common.replies import answer, edit_quietly, tapped_message
from handlers.send.callbacks import (
    CalendarCallback,
    CalendarKind,
    SendAction,
    SendCallback,
    draft_token,
)
from handlers.send.flow import SendFlow
from handlers.send.schedule import use_time
from handlers.send.timing import (
    MINUTE_STEPS,
    TimeRefused,
    checked_future,
    hour_is_over,
    minute_is_over,
    today,
)
from storage import Draft

PAST_MARK = "·"
WEEKS_SHOWN = 5
FURTHEST_WEEK = 52  # a year ahead is as far as the calendar goes
HOURS_PER_ROW = 6


def _cal(token: str, kind: CalendarKind, **fields: int) -> str:
    return CalendarCallback(draft=token, kind=kind, **fields).pack()


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_title(t: Translator, first: date, last: date, zone: str) -> str:
    months = t(f"send.month_{first.month}")
    if (first.year, first.month) != (last.year, last.month):
        months += f" – {t(f'send.month_{last.month}')}"
    return f"{t('send.calendar_pick_day', zone=esc(zone))}\n<b>{months} {last.year}</b>"


def weeks_keyboard(
    t: Translator, token: str, start_day: date, offset: int
) -> tuple[InlineKeyboardMarkup, date, date]:
    """Five weeks from the one ``offset`` weeks after today's; the days shown first and last."""
    builder = InlineKeyboardBuilder()
    noop = _cal(token, CalendarKind.NOOP)
    for weekday in t("send.weekdays").split():
        builder.button(text=weekday, callback_data=noop)
    first = _monday(start_day) + timedelta(weeks=offset)
    for number in range(WEEKS_SHOWN * 7):
        day = first + timedelta(days=number)
        if day < start_day:
            builder.button(text=PAST_MARK, callback_data=noop)
            continue
        label = str(day.day) if day.day != 1 else f"1 {t(f'send.month_{day.month}')[:3].lower()}"
        builder.button(
            text=label,
            callback_data=_cal(
                token, CalendarKind.DAY, year=day.year, month=day.month, day=day.day
            ),
        )
    turns = 0
    if offset > 0:
        builder.button(
            text="◀️", callback_data=_cal(token, CalendarKind.WEEKS, weeks=offset - WEEKS_SHOWN)
        )
        turns += 1
    if offset + WEEKS_SHOWN < FURTHEST_WEEK:
        builder.button(
            text="▶️", callback_data=_cal(token, CalendarKind.WEEKS, weeks=offset + WEEKS_SHOWN)
        )
        turns += 1
    builder.button(
        text=t("send.button_back"),
        callback_data=SendCallback(action=SendAction.TIME_BACK, draft=token),
    )
    builder.adjust(7, *([7] * WEEKS_SHOWN), *([turns] if turns else []), 1)
    last = first + timedelta(days=WEEKS_SHOWN * 7 - 1)
    return builder.as_markup(), max(first, start_day), last


def hours_keyboard(
    t: Translator, token: str, day: date, tz: ZoneInfo, now: datetime
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    first_hour = next((hour for hour in range(24) if not hour_is_over(day, hour, tz, now)), 24)
    # Whole rows of hours that are over are left out: no row of dots.
    for hour in range(first_hour - first_hour % HOURS_PER_ROW, 24):
        if hour_is_over(day, hour, tz, now):
            builder.button(text=PAST_MARK, callback_data=_cal(token, CalendarKind.NOOP))
        else:
            builder.button(
                text=f"{hour:02d}",
                callback_data=_cal(
                    token, CalendarKind.HOUR, year=day.year, month=day.month, day=day.day, hour=hour
                ),
            )
    rows = (24 - (first_hour - first_hour % HOURS_PER_ROW)) // HOURS_PER_ROW
    builder.button(
        text=t("send.button_other_day"), callback_data=_cal(token, CalendarKind.WEEKS, weeks=0)
    )
    builder.adjust(*([HOURS_PER_ROW] * rows), 1)
    return builder.as_markup()


def minutes_keyboard(
    t: Translator, token: str, day: date, hour: int, tz: ZoneInfo, now: datetime
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for minute in MINUTE_STEPS:
        if minute_is_over(day, hour, minute, tz, now):
            builder.button(text=PAST_MARK, callback_data=_cal(token, CalendarKind.NOOP))
        else:
            builder.button(
                text=f"{hour:02d}:{minute:02d}",
                callback_data=_cal(
                    token, CalendarKind.MINUTE, year=day.year, month=day.month, day=day.day,
                    hour=hour, minute=minute,
                ),
            )  # fmt: skip
    builder.button(
        text=t("send.button_other_hour"),
        callback_data=_cal(token, CalendarKind.DAY, year=day.year, month=day.month, day=day.day),
    )
    builder.adjust(len(MINUTE_STEPS), 1)
    return builder.as_markup()


def _day_label(t: Translator, day: date) -> str:
    return f"{day.day} {t(f'send.month_{day.month}').lower()} {day.year}"


async def calendar_opened(query: CallbackQuery, flow: SendFlow, draft: Draft) -> None:
    await answer(query)
    await _show_weeks(query, flow, draft_token(draft.id), 0)


async def _show_weeks(query: CallbackQuery, flow: SendFlow, token: str, offset: int) -> None:
    start = today(flow.ctx.tz, flow.ctx.now())
    offset = min(max(offset, 0), FURTHEST_WEEK - WEEKS_SHOWN)
    markup, first, last = weeks_keyboard(flow.t, token, start, offset)
    await edit_quietly(
        tapped_message(query),
        weeks_title(flow.t, first, last, zone_label(flow.ctx.tz, flow.ctx.now())),
        markup,
    )


async def calendar_tapped(
    query: CallbackQuery, callback_data: CalendarCallback, flow: SendFlow, draft: Draft
) -> None:
    token = draft_token(draft.id)
    tz, now = flow.ctx.tz, flow.ctx.now()
    first = today(tz, now)
    data = callback_data
    if data.kind is CalendarKind.NOOP:
        return await answer(query, flow.t("send.calendar_past") if data.day else None)
    if data.kind is CalendarKind.WEEKS:
        await answer(query)
        return await _show_weeks(query, flow, token, data.weeks)
    try:
        day = date(data.year, data.month, data.day)
    except ValueError:
        return await answer(query, flow.t("send.stale_button"), alert=True)
    if day < first:
        return await answer(query, flow.t("send.calendar_past"), alert=True)
    zone = esc(zone_label(tz, now))
    if data.kind is CalendarKind.DAY:
        await answer(query)
        title = flow.t("send.calendar_pick_hour", day=_day_label(flow.t, day), zone=zone)
        await edit_quietly(
            tapped_message(query), title, hours_keyboard(flow.t, token, day, tz, now)
        )
        return None
    if not 0 <= data.hour <= 23 or hour_is_over(day, data.hour, tz, now):
        return await answer(query, flow.t("send.calendar_past"), alert=True)
    if data.kind is CalendarKind.HOUR:
        await answer(query)
        title = flow.t(
            "send.calendar_pick_minute",
            day=_day_label(flow.t, day),
            hour=f"{data.hour:02d}",
            zone=zone,
        )
        markup = minutes_keyboard(flow.t, token, day, data.hour, tz, now)
        await edit_quietly(tapped_message(query), title, markup)
        return None
    # CalendarKind.MINUTE: the moment is complete.
    if data.minute not in MINUTE_STEPS:
        return await answer(query, flow.t("send.stale_button"), alert=True)
    try:
        moment = checked_future(datetime.combine(day, time(data.hour, data.minute)), tz, now)
    except TimeRefused:
        return await answer(query, flow.t("send.calendar_past"), alert=True)
    await answer(query)
    await use_time(flow, moment, new=False)
