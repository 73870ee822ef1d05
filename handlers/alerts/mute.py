"""The mute buttons under an alert: no alerts for 1, 8 or 24 hours."""

from __future__ import annotations

from datetime import timedelta

from aiogram.types import CallbackQuery

from handlers.common.callbacks import MUTE_HOURS, MuteCallback
from handlers.common.context import Context
from handlers.common.formatting import format_moment
from handlers.common.replies import answer


async def mute(query: CallbackQuery, callback_data: MuteCallback, ctx: Context) -> None:
    if callback_data.hours not in MUTE_HOURS:  # forged data
        await answer(query, ctx.t("alerts.unknown_button"), alert=True)
        return
    until = ctx.now() + timedelta(hours=callback_data.hours)
    # To the minute: seconds in a toast only distract.
    shown = format_moment(until.replace(second=0, microsecond=0), ctx.tz)
    await answer(query, ctx.t("alerts.muted_until", until=shown))
    await ctx.store.alerts.update(ctx.user_id, muted_until=until)
