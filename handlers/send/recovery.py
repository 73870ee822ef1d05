"""At start-up: drafts a crash left in ``sending`` become ``unknown``, and their users
are told to check before sending again. Nothing is ever sent a second time."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.fsm.storage.base import StorageKey

from core.sending import recover_stuck_drafts
from handlers.common.i18n import user_translator
from handlers.common.outbox import Outbox
from handlers.send.states import DRAFT_ID
from storage import Draft, Storage

log = logging.getLogger(__name__)


async def recover_interrupted_sends(bot: Bot, store: Storage, outbox: Outbox) -> None:
    """A startup hook of the send feature."""
    for draft in await recover_stuck_drafts(store):
        log.warning("Draft %s was interrupted mid-send; its outcome is unknown", draft.id)
        await _forget_conversation(bot, store, draft)
        t = user_translator(await store.users.get(draft.user_id))
        await outbox.send(draft.chat_id, t("send.interrupted"))


async def _forget_conversation(bot: Bot, store: Storage, draft: Draft) -> None:
    key = StorageKey(bot_id=bot.id, chat_id=draft.chat_id, user_id=draft.user_id)
    if (await store.fsm.get_data(key)).get(DRAFT_ID) == draft.id:
        await store.fsm.set_state(key, None)
        await store.fsm.set_data(key, {})
