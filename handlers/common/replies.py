"""How a handler answers: the tap, the screen it edits or sends, the SMS API's failures.

One meaning for each move, whichever feature makes it:
- :func:`answer` a tap (an already answered one is no error);
- :func:`edit_quietly`: an edit that would change nothing, or of a message that is gone,
  is no error; any other refusal is (it would hide a bug, such as broken HTML);
- :func:`within_tap_budget`: an SMS API read made for a tap ends within one budget;
- :func:`explain_failure`: a failed SMS API call in the user's words (a rejected token
  also tells the admins);
- :func:`tell_user`: a message to someone other than the person being answered, in
  their language, through the outbox.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from core.sms import (
    DispatchCancelNotFound,
    DispatchNotFound,
    InvalidResponse,
    ServiceUnavailable,
    SmsApiCodeError,
    SmsApiError,
    TokenRejected,
)
from handlers.common.admin_alerts import alert_token_rejected
from handlers.common.context import Context
from handlers.common.formatting import shorten
from handlers.common.i18n import Translator, user_translator
from handlers.common.outbox import Markup
from handlers.common.sms_errors import describe_sms_error

log = logging.getLogger(__name__)
T = TypeVar("T")

# A callback query must be answered within about 15 s; an SMS API read made for a tap gets
# this long, retries included, whether it comes before the answer or after it.
TAP_BUDGET_SECONDS = 9.0
CALLBACK_ANSWER_LIMIT = 200
# The server's own words are quoted, but never so many that a card would not fit.
SERVER_WORDS_LIMIT = 300

_TAG = re.compile(r"<[^>]+>")
_UNCHANGED = "message is not modified"
_GONE = ("message to edit not found", "message can't be edited")


@dataclass(frozen=True)
class Screen:
    text: str  # HTML
    keyboard: InlineKeyboardMarkup | None = None


# -- taps -------------------------------------------------------------------------


async def answer(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a tap (HTML in ``text`` is shown as plain text, cut to Telegram's 200);
    one already answered (a redelivered tap) is no error."""
    try:
        await query.answer(as_alert(text) if text else None, show_alert=alert)
    except TelegramBadRequest as error:
        log.debug("Callback query not answered: %s", error.message)


def as_alert(html_text: str) -> str:
    """A message's HTML as the plain text of a callback answer (at most 200 characters)."""
    plain = html.unescape(_TAG.sub("", html_text)).strip()
    return shorten(plain, CALLBACK_ANSWER_LIMIT)


def tapped_message(query: CallbackQuery) -> Message | None:
    """The message whose button was tapped, if the bot may still edit it."""
    return query.message if isinstance(query.message, Message) else None


async def within_tap_budget(call: Awaitable[T]) -> T:
    """An SMS API call made for a tap, bounded as a whole (the client bounds each GET,
    but a tap may make two); past the budget it is ServiceUnavailable."""
    try:
        async with asyncio.timeout(TAP_BUDGET_SECONDS):
            return await call
    except TimeoutError:
        raise ServiceUnavailable("no answer within the tap's time budget") from None


# -- messages ---------------------------------------------------------------------


async def edit_quietly(
    message: Message | None, text: str | None = None, markup: InlineKeyboardMarkup | None = None
) -> bool:
    """Edit a message (text and keyboard, or the keyboard alone); False when nothing was
    edited because it would change nothing or the message is gone."""
    if message is None:
        return False
    try:
        if text is None:
            await message.edit_reply_markup(reply_markup=markup)
        else:
            await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        reason = error.message.lower()
        if _UNCHANGED in reason or any(gone in reason for gone in _GONE):
            log.debug("Message %s not edited: %s", message.message_id, error.message)
            return False
        raise
    return True


def _shown_text(html_text: str) -> str:
    # What Telegram keeps after parsing: tags gone, entities decoded, ends trimmed.
    return html.unescape(_TAG.sub("", html_text)).strip()


def _buttons(markup: InlineKeyboardMarkup | None) -> list[list[tuple[str, str | None]]]:
    rows = markup.inline_keyboard if markup else []
    return [[(button.text, button.callback_data) for button in row] for row in rows]


def same_as_shown(message: Message, screen: Screen) -> bool:
    return (message.text or "") == _shown_text(screen.text) and _buttons(
        message.reply_markup
    ) == _buttons(screen.keyboard)


async def edit_in_place(message: Message, screen: Screen) -> bool:
    """Edit ``message`` to show ``screen``; False when it already shows it."""
    if same_as_shown(message, screen):
        return False
    return await edit_quietly(message, screen.text, screen.keyboard)


async def show(query: CallbackQuery, ctx: Context, screen: Screen) -> bool:
    """Show ``screen`` in the tapped message, or as a new message when that one can no
    longer be edited; False when the tapped message already showed it."""
    message = tapped_message(query)
    if message is None:
        await ctx.bot.send_message(ctx.chat_id, screen.text, reply_markup=screen.keyboard)
        return True
    return await edit_in_place(message, screen)


# -- the SMS API's failures -------------------------------------------------------


async def explain_failure(
    ctx: Context, error: SmsApiError | TimeoutError, dispatch_id: int | None = None
) -> str:
    """An HTML-safe sentence for a screen with nothing to keep (no draft)."""
    t = ctx.t
    if isinstance(error, TokenRejected):
        await tell_admins_token_rejected(ctx)
    if isinstance(error, InvalidResponse):
        return t("dispatches.sms_not_understood")
    if isinstance(error, ServiceUnavailable | TimeoutError):
        return t("dispatches.sms_unavailable")
    if isinstance(error, DispatchNotFound | DispatchCancelNotFound) and dispatch_id is not None:
        return t("dispatches.not_found", id=dispatch_id)
    if isinstance(error, SmsApiCodeError) and len(error.server_message or "") > SERVER_WORDS_LIMIT:
        words = shorten(error.server_message or "", SERVER_WORDS_LIMIT)
        error = type(error)(error.code, words, error.http_status)
    return describe_sms_error(error, t)


async def tell_admins_token_rejected(ctx: Context) -> bool:
    return await alert_token_rejected(ctx.outbox, ctx.store, ctx.settings.ADMIN_IDS, ctx.now())


# -- someone else -----------------------------------------------------------------


async def tell_user(
    ctx: Context,
    user_id: int,
    render: Callable[[Translator], str],
    markup: Callable[[Translator], Markup] | None = None,
) -> bool:
    """Send ``render(t)`` to ``user_id`` in their language; False if it did not reach them."""
    t = user_translator(await ctx.store.users.get(user_id))
    delivery = await ctx.outbox.send(user_id, render(t), keyboard=markup(t) if markup else None)
    return delivery.shown
