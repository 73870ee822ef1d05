"""One user's send conversation: its draft, its steps, and the questions that open them.

Every handler of the feature gets a :class:`SendFlow` (built by :class:`FlowMiddleware`)
instead of a dozen parameters. Each step writes its result into the draft row and the
FSM keeps only the draft's id and small flags, so after a restart the user continues
where they were.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject

from core.settings import Settings
from core.sms import AddressBook, ServiceUnavailable, SmsApiClient, SmsApiError, TokenRejected
from handlers.common.i18n import Translator
from handlers.common.menu import main_menu
from handlers.common.sms_errors import describe_sms_error
from handlers.notify.admins import alert_token_rejected
from handlers.send import keyboards, render
from handlers.send.callbacks import draft_token
from handlers.send.states import (
    DRAFT_ID,
    EDITING,
    INVALID,
    KEYS,
    PROMPT_ID,
    SAVED_TEXT,
    VALID,
    SendForm,
)
from storage import Draft, DraftState, Role, Storage

log = logging.getLogger(__name__)
T = TypeVar("T")

# The summary's balance is a nicety: it must not hold the tap up for long.
BALANCE_WAIT_SECONDS = 3.0
# However the SMS service behaves, a tap (other than Confirm) is answered within this.
TAP_BUDGET_SECONDS = 12.0
RECENT_BOOKS = 8

# The step that comes after each one, when not editing from the summary.
NEXT_STEP: dict[str, State] = {
    SendForm.recipients.state: SendForm.text,
    SendForm.text.state: SendForm.time,
    SendForm.time.state: SendForm.summary,
}


def utc_now() -> datetime:
    return datetime.now(UTC)


async def answer(query: CallbackQuery, text: str | None = None, alert: bool = False) -> None:
    """Answer a callback query; one already answered (a redelivered tap) is no error."""
    try:
        await query.answer(text, show_alert=alert)
    except TelegramBadRequest as error:
        log.debug("Callback query not answered: %s", error.message)


async def edit_quietly(
    message: Message | None, text: str | None = None, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit a message (text and keyboard, or the keyboard alone); an edit that would change
    nothing, or of a message that is gone, is no error."""
    if not isinstance(message, Message):
        return
    try:
        if text is None:
            await message.edit_reply_markup(reply_markup=markup)
        else:
            await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        log.debug("Message %s not edited: %s", message.message_id, error.message)


async def within_budget(call: Awaitable[T]) -> T:
    """An SMS API call made for a tap, bounded as a whole (the client bounds each GET, but
    a tap may make two)."""
    try:
        async with asyncio.timeout(TAP_BUDGET_SECONDS):
            return await call
    except TimeoutError:
        raise ServiceUnavailable("no answer within the tap's time budget") from None


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class SendFlow:
    bot: Bot
    chat_id: int
    user_id: int
    role: Role | None
    t: Translator
    settings: Settings
    store: Storage
    sms: SmsApiClient
    state: FSMContext
    now: Callable[[], datetime] = utc_now

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.timezone

    # -- the draft ---------------------------------------------------------------

    async def data(self) -> dict[str, Any]:
        return await self.state.get_data()

    async def draft(self) -> Draft | None:
        """The draft of this conversation while it can still change."""
        draft_id = (await self.data()).get(DRAFT_ID)
        draft = await self.store.drafts.get(draft_id) if isinstance(draft_id, str) else None
        return draft if draft is not None and draft.state is DraftState.PENDING else None

    async def draft_for(self, token: str, step: State | None = None) -> Draft | None:
        """The current draft if a button of ``token`` may act on it now (at ``step``)."""
        draft = await self.draft()
        if draft is None or draft_token(draft.id) != token:
            return None
        if step is not None and await self.state.get_state() != step.state:
            return None
        return draft

    async def tapped_draft(
        self, query: CallbackQuery, token: str, step: State | None = None
    ) -> Draft | None:
        """:meth:`draft_for`, telling the user when the tapped button is out of date."""
        draft = await self.draft_for(token, step)
        if draft is None:
            await answer(query, self.t("send.stale_button"), alert=True)
        return draft

    async def counts(self) -> render.RecipientCounts:
        data = await self.data()
        return render.RecipientCounts(int(data.get(VALID, 0)), int(data.get(INVALID, 0)))

    async def start(self, draft: Draft, counts: render.RecipientCounts | None = None) -> None:
        """Make ``draft`` the conversation's draft, abandoning the one before."""
        await self.close_prompt()
        await self.abandon()
        data: dict[str, Any] = {DRAFT_ID: draft.id}
        if counts is not None:
            data |= {VALID: counts.valid, INVALID: counts.invalid}
        await self.state.update_data(data)

    async def abandon(self) -> bool:
        """Abandon the current draft, if any, and forget this feature's FSM data."""
        data = await self.data()
        draft_id = data.get(DRAFT_ID)
        abandoned = False
        if isinstance(draft_id, str):
            abandoned = await self.store.drafts.abandon(draft_id)
        await self.state.set_data({key: value for key, value in data.items() if key not in KEYS})
        return abandoned

    async def finish(self) -> None:
        await self.state.clear()

    async def cancel(self) -> None:
        await self.close_prompt()
        await self.abandon()
        await self.finish()
        await self.say(self.t("send.cancelled"), main_menu(self.t, self.role))

    async def remember_saved(self, text: str) -> bool:
        """Mark ``text`` as saved as a template; False if this conversation already did."""
        digest = text_hash(text)
        if (await self.data()).get(SAVED_TEXT) == digest:
            return False
        await self.state.update_data({SAVED_TEXT: digest})
        return True

    # -- messages ----------------------------------------------------------------

    async def say(self, text: str, markup: Any = None) -> Message:
        return await self.bot.send_message(self.chat_id, text, reply_markup=markup)

    async def prompt(self, step: State, text: str, markup: InlineKeyboardMarkup | None) -> None:
        """Ask a step's question; its buttons are taken away when the step ends."""
        await self.close_prompt()
        sent = await self.say(text, markup)
        await self.state.set_state(step)
        await self.state.update_data({PROMPT_ID: sent.message_id})

    async def close_prompt(self) -> None:
        prompt_id = (await self.data()).get(PROMPT_ID)
        if not isinstance(prompt_id, int):
            return
        await self.state.update_data({PROMPT_ID: None})
        try:
            await self.bot.edit_message_reply_markup(
                chat_id=self.chat_id, message_id=prompt_id, reply_markup=None
            )
        except TelegramBadRequest as error:  # no keyboard left, or the message is gone
            log.debug("Prompt %s kept as it was: %s", prompt_id, error.message)

    async def report_error(self, error: SmsApiError) -> None:
        """Tell the user what went wrong; a rejected token is the admins' business too."""
        await self.say(describe_sms_error(error, self.t))
        if isinstance(error, TokenRejected):
            await alert_token_rejected(self.bot, self.store, self.settings.ADMIN_IDS)

    # -- the steps ---------------------------------------------------------------

    async def ask_recipients(self, draft: Draft, page: int = 0) -> None:
        token = draft_token(draft.id)
        books: list[AddressBook] | None = None
        failed = None
        try:
            books = await self.ordered_books()
        except SmsApiError as error:
            failed = describe_sms_error(error, self.t)
            if isinstance(error, TokenRejected):
                await self.report_error(error)
        text = render.recipients_prompt(self.t, failed)
        await self.prompt(
            SendForm.recipients, text, keyboards.books_keyboard(self.t, token, books, page)
        )

    async def ordered_books(self) -> list[AddressBook]:
        """The address books, the ones this user used lately first."""
        books = await within_budget(self.sms.address_books())
        recent = await self.store.drafts.recent_book_ids(self.user_id, RECENT_BOOKS)
        rank = {book_id: index for index, book_id in enumerate(recent)}
        return sorted(books, key=lambda book: (rank.get(book.id, len(rank)), book.id))

    async def ask_text(self, draft: Draft) -> None:
        await self.prompt(
            SendForm.text,
            self.t("send.text_prompt", limit=render.TEXT_LIMIT),
            keyboards.text_keyboard(self.t, draft_token(draft.id)),
        )

    async def ask_time(self, draft: Draft) -> None:
        await self.prompt(
            SendForm.time,
            render.time_prompt(self.t, self.tz, self.now()),
            keyboards.time_keyboard(self.t, draft_token(draft.id)),
        )

    async def show_summary(self, draft: Draft) -> None:
        await self.state.update_data({EDITING: False})
        await self.prompt(
            SendForm.summary,
            await self.summary_text(draft),
            keyboards.summary_keyboard(self.t, draft.id, draft_token(draft.id)),
        )

    async def summary_text(self, draft: Draft) -> str:
        return render.summary_text(
            self.t, draft, await self.counts(), self.tz, await self.available_money()
        )

    async def available_money(self) -> Decimal | None:
        try:
            async with asyncio.timeout(BALANCE_WAIT_SECONDS):
                balance = await self.sms.balance()
        except (SmsApiError, TimeoutError) as error:
            log.info("Summary without the balance: %s", type(error).__name__)
            return None
        return balance.available(self.now().astimezone(self.tz).date())

    async def ask(self, step: State, draft: Draft) -> None:
        if step == SendForm.recipients:
            await self.ask_recipients(draft)
        elif step == SendForm.text:
            await self.ask_text(draft)
        elif step == SendForm.time:
            await self.ask_time(draft)
        else:
            await self.show_summary(draft)

    async def edit_step(self, step: State, draft: Draft) -> None:
        """Open a step from the summary: when it is done, the summary comes back."""
        await self.state.update_data({EDITING: True})
        await self.ask(step, draft)

    async def step_done(self, draft: Draft) -> None:
        """The step's result is in the draft: on to the next step, or back to the summary."""
        data = await self.data()
        current = await self.state.get_state()
        if data.get(EDITING) or current not in NEXT_STEP:
            await self.show_summary(draft)
        else:
            await self.ask(NEXT_STEP[current], draft)

    async def set_recipients(self, counts: render.RecipientCounts, **content: Any) -> Draft | None:
        draft = await self.draft()
        if draft is None:
            return None
        updated = await self.store.drafts.update_content(draft.id, **content)
        if updated is not None:
            await self.state.update_data({VALID: counts.valid, INVALID: counts.invalid})
        return updated

    async def gone(self) -> None:
        """The draft is no longer open (sent, cancelled, or lost to a restart mid-send)."""
        await self.finish()
        await self.say(self.t("send.draft_gone"), main_menu(self.t, self.role))


Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class FlowMiddleware(BaseMiddleware):
    """Puts ``flow`` into the data of the send feature's handlers."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat = data.get("event_chat")
        user = data.get("event_from_user")
        state = data.get("state")
        if chat is not None and user is not None and state is not None:
            data["flow"] = SendFlow(
                bot=data["bot"],
                chat_id=chat.id,
                user_id=user.id,
                role=data.get("role"),
                t=data["t"],
                settings=data["settings"],
                store=data["store"],
                sms=data["sms"],
                state=state,
            )
        return await handler(event, data)
