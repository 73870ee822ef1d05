"""Everyone without a role ends up here (the access middleware sends them), never in a
feature router: they can ask for access and nothing else, so no SMS API request is ever
made for them."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.types import ReplyKeyboardRemove, Update

from core.settings import Settings
from handlers.access.history import DENIAL_COOLDOWN, denial_in_force
from handlers.access.render import decision_keyboard, request_text
from handlers.common.formatting import format_moment
from handlers.common.i18n import Translator
from handlers.notify.admins import alert_admins
from storage import Storage, User

log = logging.getLogger(__name__)


async def handle_stranger(event: Update, data: dict[str, Any]) -> None:
    t: Translator = data["t"]
    if event.callback_query is not None:  # an old keyboard or forged data
        await event.callback_query.answer(t("access.no_access"), show_alert=True)
        return
    if event.message is None:  # edits, chat member changes: nothing to answer
        return
    reply = await _answer_for(data)
    await event.message.answer(reply, reply_markup=ReplyKeyboardRemove())


async def _answer_for(data: dict[str, Any]) -> str:
    t: Translator = data["t"]
    store: Storage = data["store"]
    settings: Settings = data["settings"]
    user: User = data["user"]
    denial = await denial_in_force(store, user.user_id)
    if denial is not None and denial.decided_at is not None:
        again = format_moment(denial.decided_at + DENIAL_COOLDOWN, settings.timezone)
        return t("access.denied_wait", moment=again)
    request, created = await store.access_requests.create_if_absent(user.user_id)
    if not created:
        return t("access.pending")
    bot: Bot = data["bot"]
    told = await alert_admins(
        bot,
        store,
        settings.ADMIN_IDS,
        lambda admin_t: request_text(admin_t, request, user),
        lambda admin_t: decision_keyboard(admin_t, request.id),
    )
    if not told:
        log.warning("Access request %s reached no admin", request.id)
    return t("access.requested")
