"""The last line of defence: an exception no handler caught is logged (secrets are
filtered out by the logging set-up), and the user gets a short apology, never silence."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent

from core.sms import ServiceUnavailable
from handlers.common.context import Context
from handlers.common.i18n import translator
from handlers.common.replies import as_alert

log = logging.getLogger(__name__)


async def on_unhandled_error(event: ErrorEvent, ctx: Context | None = None) -> bool:
    t = ctx.t if ctx is not None else translator("ru")
    update = event.update
    if isinstance(event.exception, ServiceUnavailable):
        text = t("common.service_unavailable")
        log.warning("SMS API unavailable while handling update %s", update.update_id)
    else:
        text = t("common.unexpected_error")
        log.error("Unhandled error in update %s", update.update_id, exc_info=event.exception)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(as_alert(text), show_alert=True)
        elif update.message is not None:
            await update.message.answer(text)
    except TelegramAPIError as error:  # the apology itself failed: nothing more to do
        log.warning("Could not tell the user about the error: %s", error.message)
    return True


def build_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_unhandled_error)
    return router
