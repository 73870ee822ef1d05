"""A failed SMS API call, in words for the user; a rejected token also tells the admins.

Shared by the dispatch, balance and address-book screens.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Awaitable
from typing import TypeVar

from aiogram import Bot

from core.settings import Settings
from core.sms import (
    DispatchCancelNotFound,
    DispatchNotFound,
    InvalidResponse,
    ServiceUnavailable,
    SmsApiCodeError,
    SmsApiError,
    TokenRejected,
)
from handlers.common.formatting import shorten
from handlers.common.i18n import Translator
from handlers.common.sms_errors import describe_sms_error
from handlers.notify.admins import alert_token_rejected
from storage import Storage

T = TypeVar("T")

# A callback query must be answered within about 15 s; an SMS API read made before the
# answer gets this long, retries included.
TAP_BUDGET = 9.0
CALLBACK_ANSWER_LIMIT = 200
# One admin alert about the token per this long, however many users hit it.
# The server's own words are quoted, but never so many that a card would not fit.
SERVER_WORDS_LIMIT = 300

UNAVAILABLE = (ServiceUnavailable, InvalidResponse, TimeoutError)
_TAG = re.compile(r"<[^>]+>")

SmsFailure = SmsApiError | TimeoutError


async def within_tap_budget(call: Awaitable[T]) -> T:
    """Await an SMS API read made before answering a tap; TimeoutError past the budget."""
    async with asyncio.timeout(TAP_BUDGET):
        return await call


async def explain_failure(
    error: SmsFailure,
    t: Translator,
    *,
    bot: Bot,
    store: Storage,
    settings: Settings,
    dispatch_id: int | None = None,
) -> str:
    """An HTML-safe sentence for the user."""
    if isinstance(error, TokenRejected):
        await alert_token_rejected(bot, store, settings.ADMIN_IDS)
    if isinstance(error, UNAVAILABLE):
        # sms_errors.unavailable speaks of a kept draft; there is none on these screens.
        return t("dispatches.sms_unavailable")
    if isinstance(error, DispatchNotFound | DispatchCancelNotFound) and dispatch_id is not None:
        return t("dispatches.not_found", id=dispatch_id)
    if isinstance(error, SmsApiCodeError) and len(error.server_message or "") > SERVER_WORDS_LIMIT:
        words = shorten(error.server_message or "", SERVER_WORDS_LIMIT)
        error = type(error)(error.code, words, error.http_status)
    return describe_sms_error(error, t)


def as_alert(html_text: str) -> str:
    """A message's HTML as the plain text of a callback answer (at most 200 characters)."""
    plain = html.unescape(_TAG.sub("", html_text)).strip()
    return shorten(plain, CALLBACK_ANSWER_LIMIT)
