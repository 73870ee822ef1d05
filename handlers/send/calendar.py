"""A hand-made inline calendar: a month, then the day's hours, then 00/15/30/45.

Moments that have passed are shown but cannot be picked. Everything a button needs is in
its callback data (year, month, day, hour), so the calendar survives a restart.
"""

from __future__ import annotations

import calendar as month_grid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.common.formatting import esc
from handlers.common.i18n import Translator
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
    month_after,
    today,
)
from storage import Draft

PAST_MARK = "·"
HOURS_PER_ROW = 6


def _cal(token: str, kind: CalendarKind, **fields: int) -> str:
    return CalendarCallback(draft=token, kind=kind, **fields).pack()


def _back_row(builder: InlineKeyboardBuilder, t: Translator, token: str) -> None:
    builder.button(
        text=t("send.button_back"),
        callback_data=SendCallback(action=SendAction.TIME_BACK, draft=token),
    )


def month_keyboard(
    t: Translator, token: str, year: int, month: int, first_day: date
) -> InlineKeyboardMarkup:
    """The month's grid; days before ``first_day`` (today) are marked and not pickable."""
    builder = InlineKeyboardBuilder()
    noop = _cal(token, CalendarKind.NOOP)
    earliest = (first_day.year, first_day.month)
    back = month_after(year, month, -1)
    forward = month_after(year, month, 1)
    builder.button(
        text="◀️" if back >= earliest else " ",
        callback_data=_cal(token, CalendarKind.MONTH, year=back[0], month=back[1])
        if back >= earliest
        else noop,
    )
    builder.button(text=f"{t(f'send.month_{month}')} {year}", callback_data=noop)
    builder.button(
        text="▶️", callback_data=_cal(token, CalendarKind.MONTH, year=forward[0], month=forward[1])
    )
    for weekday in t("send.weekdays").split():
        builder.button(text=weekday, callback_data=noop)
    weeks = month_grid.Calendar().monthdayscalendar(year, month)
    for week in weeks:
        for day in week:
            if day == 0:
                builder.button(text=" ", callback_data=noop)
            elif date(year, month, day) < first_day:
                builder.button(
                    text=PAST_MARK,
                    callback_data=_cal(token, CalendarKind.NOOP, year=year, month=month, day=day),
                )
            else:
                builder.button(
                    text=str(day),
                    callback_data=_cal(token, CalendarKind.DAY, year=year, month=month, day=day),
                )
    _back_row(builder, t, token)
    builder.adjust(3, 7, *([7] * len(weeks)), 1)
    return builder.as_markup()


def hours_keyboard(
    t: Translator, token: str, day: date, tz: ZoneInfo, now: datetime
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for hour in range(24):
        if hour_is_over(day, hour, tz, now):
            builder.button(text=PAST_MARK, callback_data=_cal(token, CalendarKind.NOOP))
        else:
            builder.button(
                text=f"{hour:02d}",
                callback_data=_cal(
                    token, CalendarKind.HOUR, year=day.year, month=day.month, day=day.day, hour=hour
                ),
            )
    builder.button(
        text=t("send.button_other_day"),
        callback_data=_cal(token, CalendarKind.MONTH, year=day.year, month=day.month),
    )
    builder.adjust(*([HOURS_PER_ROW] * (24 // HOURS_PER_ROW)), 1)
    return builder.as_markup()


def minutes_keyboard(
    t: Translator, token: str, day: date, hour: int, tz: ZoneInfo, now: datetime
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for minute in MINUTE_STEPS:
        label = f"{hour:02d}:{minute:02d}"
        if minute_is_over(day, hour, minute, tz, now):
            builder.button(text=PAST_MARK, callback_data=_cal(token, CalendarKind.NOOP))
        else:
            builder.button(
                text=label,
                callback_data=_cal(
                    token,
                    CalendarKind.MINUTE,
                    year=day.year,
                    month=day.month,
                    day=day.day,
                    hour=hour,
                    minute=minute,
                ),
            )
    builder.button(
        text=t("send.button_other_hour"),
        callback_data=_cal(token, CalendarKind.DAY, year=day.year, month=day.month, day=day.day),
    )
    builder.adjust(len(MINUTE_STEPS), 1)
    return builder.as_markup()


def _title(flow: SendFlow, key: str, **values: object) -> str:
    return flow.t(key, zone=esc(flow.ctx.tz.key), **values)


async def calendar_opened(query: CallbackQuery, flow: SendFlow, draft: Draft) -> None:
    await answer(query)
    first = today(flow.ctx.tz, flow.ctx.now())
    await edit_quietly(
        tapped_message(query),
        _title(flow, "send.calendar_pick_day"),
        month_keyboard(flow.t, draft_token(draft.id), first.year, first.month, first),
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
    try:
        day = date(data.year, data.month, data.day or 1)
    except ValueError:
        return await answer(query, flow.t("send.stale_button"), alert=True)

    if data.kind is CalendarKind.MONTH:
        year, month = max((data.year, data.month), (first.year, first.month))
        await answer(query)
        await edit_quietly(
            tapped_message(query),
            _title(flow, "send.calendar_pick_day"),
            month_keyboard(flow.t, token, year, month, first),
        )
        return None
    if day < first:
        return await answer(query, flow.t("send.calendar_past"), alert=True)
    if data.kind is CalendarKind.DAY:
        await answer(query)
        await edit_quietly(
            tapped_message(query),
            _title(flow, "send.calendar_pick_hour", day=day.strftime("%d.%m.%Y")),
            hours_keyboard(flow.t, token, day, tz, now),
        )
        return None
    if data.kind is CalendarKind.HOUR:
        if not 0 <= data.hour <= 23 or hour_is_over(day, data.hour, tz, now):
            return await answer(query, flow.t("send.calendar_past"), alert=True)
        await answer(query)
        label = f"{day.strftime('%d.%m.%Y')} {data.hour:02d}"
        await edit_quietly(
            tapped_message(query),
            _title(flow, "send.calendar_pick_minute", day=label),
            minutes_keyboard(flow.t, token, day, data.hour, tz, now),
        )
        return None
    # CalendarKind.MINUTE: the moment is complete.
    if not (0 <= data.hour <= 23 and data.minute in MINUTE_STEPS):
        return await answer(query, flow.t("send.stale_button"), alert=True)
    try:
        moment = checked_future(datetime.combine(day, time(data.hour, data.minute)), tz, now)
    except TimeRefused:
        return await answer(query, flow.t("send.calendar_past"), alert=True)
    await answer(query)
    await use_time(flow, moment)
