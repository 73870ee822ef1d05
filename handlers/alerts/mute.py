"""The mute buttons under an alert: no alerts for 1, 8 or 24 hours."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.types import CallbackQuery

from core.clock import NotifyClock
from core.settings import Settings
from handlers.alerts.callbacks import MUTE_HOURS, MuteCallback
from handlers.alerts.choices import now_from
from handlers.common.formatting import format_moment
from handlers.common.i18n import Translator
from storage import Storage, User

router = Router(name="alerts.mute")


@router.callback_query(MuteCallback.filter())
async def mute(
    query: CallbackQuery,
    callback_data: MuteCallback,
    store: Storage,
    user: User,
    settings: Settings,
    t: Translator,
    notify_clock: NotifyClock | None = None,
) -> None:
    if callback_data.hours not in MUTE_HOURS:  # forged data
        await query.answer(t("alerts.unknown_button"), show_alert=True)
        return
    until = now_from(notify_clock) + timedelta(hours=callback_data.hours)
    await query.answer(t("alerts.muted_until", until=format_moment(until, settings.timezone)))
    await store.alerts.update(user.user_id, muted_until=until)
