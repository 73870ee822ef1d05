"""Telling every admin about something that needs a human: the SMS API rejected the
token, an access request arrived. One admin who blocked the bot does not stop the rest."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup

from handlers.common.i18n import Translator, pick_language, translator
from storage import Role, Storage

log = logging.getLogger(__name__)


async def admin_ids(store: Storage, configured: Iterable[int]) -> list[int]:
    stored = {user.user_id for user in await store.users.list_by_role(Role.ADMIN)}
    return sorted(stored | set(configured))


async def alert_admins(
    bot: Bot,
    store: Storage,
    configured_admins: Iterable[int],
    render: Callable[[Translator], str],
    keyboard: Callable[[Translator], InlineKeyboardMarkup] | None = None,
) -> int:
    """Send each admin the text ``render`` makes in their language; returns how many got it."""
    delivered = 0
    for admin_id in await admin_ids(store, configured_admins):
        profile = await store.users.get(admin_id)
        t = translator(
            pick_language(
                profile.language if profile else None,
                profile.telegram_language if profile else None,
            )
        )
        try:
            await bot.send_message(
                admin_id, render(t), reply_markup=keyboard(t) if keyboard else None
            )
            delivered += 1
        except TelegramForbiddenError:
            await store.users.set_active(admin_id, False)
        except TelegramAPIError as error:
            log.warning("Admin %s not alerted: %s", admin_id, error.message)
    return delivered


# However many users hit a rejected token, admins hear of it once in this while.
TOKEN_ALERT_EVERY = timedelta(minutes=15)
TOKEN_ALERT_KEY = "admin_alerts.token_rejected_at"


async def alert_token_rejected(bot: Bot, store: Storage, configured_admins: Iterable[int]) -> bool:
    """Tell the admins that the SMS API rejects the token; True if they were told now."""
    now = datetime.now(UTC)
    last = await store.state.get(TOKEN_ALERT_KEY)
    if last is not None and now - datetime.fromisoformat(last) < TOKEN_ALERT_EVERY:
        return False
    await store.state.set(TOKEN_ALERT_KEY, now.isoformat())
    await alert_admins(
        bot, store, configured_admins, lambda t: t("sms_errors.admin_token_rejected")
    )
    return True
