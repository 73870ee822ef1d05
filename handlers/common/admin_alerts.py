"""Telling every admin about something that needs a human: the SMS API rejected the
token, an access request arrived. Through the outbox, so a flood of events stays within
Telegram's limits and one admin who blocked the bot does not stop the rest."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from aiogram.types import InlineKeyboardMarkup

from handlers.common.i18n import Translator, user_translator
from handlers.common.outbox import Outbox
from storage import Role, Storage

# However many users hit a rejected token, admins hear of it once in this while.
TOKEN_ALERT_EVERY = timedelta(minutes=15)
TOKEN_ALERT_KEY = "admin_alerts.token_rejected_at"


async def admin_ids(store: Storage, configured: Iterable[int]) -> list[int]:
    stored = {user.user_id for user in await store.users.list_by_role(Role.ADMIN)}
    return sorted(stored | set(configured))


async def alert_admins(
    outbox: Outbox,
    store: Storage,
    configured_admins: Iterable[int],
    render: Callable[[Translator], str],
    keyboard: Callable[[Translator], InlineKeyboardMarkup] | None = None,
) -> int:
    """Send each admin the text ``render`` makes in their language; returns how many got it."""

    async def tell(admin_id: int) -> bool:
        t = user_translator(await store.users.get(admin_id))
        delivery = await outbox.send(
            admin_id, render(t), keyboard=keyboard(t) if keyboard else None
        )
        return delivery.shown

    told = await asyncio.gather(
        *(tell(admin) for admin in await admin_ids(store, configured_admins))
    )
    return sum(told)


async def alert_token_rejected(
    outbox: Outbox, store: Storage, configured_admins: Iterable[int], now: datetime
) -> bool:
    """Tell the admins that the SMS API rejects the token; True if they were told now."""
    last = await store.state.get(TOKEN_ALERT_KEY)
    if last is not None and now - datetime.fromisoformat(last) < TOKEN_ALERT_EVERY:
        return False
    await store.state.set(TOKEN_ALERT_KEY, now.isoformat())
    await alert_admins(
        outbox, store, configured_admins, lambda t: t("sms_errors.admin_token_rejected")
    )
    return True
