"""At start-up: drafts a crash left in ``sending`` become ``unknown``, and their users
are told to check before sending again. Nothing is ever sent a second time."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.storage.base import StorageKey

from core.sending import recover_stuck_drafts
from handlers.common.i18n import pick_language, translator
from handlers.send.states import DRAFT_ID
from storage import Draft, Storage

log = logging.getLogger(__name__)


async def on_startup(bot: Bot, store: Storage) -> None:
    for draft in await recover_stuck_drafts(store):
        log.warning("Draft %s was interrupted mid-send; its outcome is unknown", draft.id)
        await _forget_conversation(bot, store, draft)
        await _tell_user(bot, store, draft)


async def _forget_conversation(bot: Bot, store: Storage, draft: Draft) -> None:
    key = StorageKey(bot_id=bot.id, chat_id=draft.chat_id, user_id=draft.user_id)
    if (await store.fsm.get_data(key)).get(DRAFT_ID) == draft.id:
        await store.fsm.set_state(key, None)
        await store.fsm.set_data(key, {})


async def _tell_user(bot: Bot, store: Storage, draft: Draft) -> None:
    profile = await store.users.get(draft.user_id)
    t = translator(
        pick_language(
            profile.language if profile else None,
            profile.telegram_language if profile else None,
        )
    )
    try:
        await bot.send_message(draft.chat_id, t("send.interrupted"))
    except TelegramAPIError as error:
        log.warning("User %s not told about draft %s: %s", draft.user_id, draft.id, error.message)
