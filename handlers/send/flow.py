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
from decimal import Decimal
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject

from core.sms import AddressBook, SmsApiError, TokenRejected
from handlers.common.context import Context
from handlers.common.menu import main_menu
from handlers.common.replies import answer, tell_admins_token_rejected, within_tap_budget
from handlers.common.sms_errors import describe_sms_error
from handlers.send import keyboards, render
from handlers.send.callbacks import draft_token
from handlers.send.states import (
    DRAFT_ID,
    EDITING,
    INVALID,
    PROMPT_ID,
    SAVED_TEXT,
    VALID,
    SendForm,
    abandon_draft,
)
from storage import Draft, DraftState

log = logging.getLogger(__name__)

# The summary's balance is a nicety: it must not hold the tap up for long.
BALANCE_WAIT_SECONDS = 3.0
RECENT_BOOKS = 8
# The flag a step handler carries: the step its buttons belong to (True: any step).
DRAFT_FLAG = "draft"

# The step that comes after each one, when not editing from the summary.
NEXT_STEP: dict[str, State] = {
    SendForm.recipients.state: SendForm.text,
    SendForm.text.state: SendForm.time,
    SendForm.time.state: SendForm.summary,
}


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class SendFlow:
    """One user's send conversation: ``ctx`` for who and what, ``state`` for where."""

    def __init__(self, ctx: Context, state: FSMContext) -> None:
        self.ctx = ctx
        self.state = state
        self.t = ctx.t
        self.store = ctx.store
        self.sms = ctx.sms

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
        return await abandon_draft(self.state, self.store)

    async def finish(self) -> None:
        await self.state.clear()

    async def cancel(self) -> None:
        await self.close_prompt()
        await self.abandon()
        await self.finish()
        await self.say(self.t("send.cancelled"), main_menu(self.t, self.ctx.role))

    async def remember_saved(self, text: str) -> bool:
        """Mark ``text`` as saved as a template; False if this conversation already did."""
        digest = text_hash(text)
        if (await self.data()).get(SAVED_TEXT) == digest:
            return False
        await self.state.update_data({SAVED_TEXT: digest})
        return True

    # -- messages ----------------------------------------------------------------

    async def say(self, text: str, markup: Any = None) -> Message:
        return await self.ctx.bot.send_message(self.ctx.chat_id, text, reply_markup=markup)

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
            await self.ctx.bot.edit_message_reply_markup(
                chat_id=self.ctx.chat_id, message_id=prompt_id, reply_markup=None
            )
        except TelegramBadRequest as error:  # no keyboard left, or the message is gone
            log.debug("Prompt %s kept as it was: %s", prompt_id, error.message)

    async def report_error(self, error: SmsApiError) -> None:
        """Tell the user what went wrong; a rejected token is the admins' business too."""
        await self.say(describe_sms_error(error, self.t))
        if isinstance(error, TokenRejected):
            await tell_admins_token_rejected(self.ctx)

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
        books = await within_tap_budget(self.sms.address_books())
        recent = await self.store.drafts.recent_book_ids(self.ctx.user_id, RECENT_BOOKS)
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
            render.time_prompt(self.t, self.ctx.tz, self.ctx.now()),
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
            self.t, draft, await self.counts(), self.ctx.tz, await self.available_money()
        )

    async def available_money(self) -> Decimal | None:
        try:
            async with asyncio.timeout(BALANCE_WAIT_SECONDS):
                balance = await self.sms.balance()
        except (SmsApiError, TimeoutError) as error:
            log.info("Summary without the balance: %s", type(error).__name__)
            return None
        return balance.available(self.ctx.now().astimezone(self.ctx.tz).date())

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
        await self.say(self.t("send.draft_gone"), main_menu(self.t, self.ctx.role))


Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class FlowMiddleware(BaseMiddleware):
    """Inner middleware of the send feature: hands its handlers ``flow`` and, to a step's
    button (a handler with the ``draft`` flag), ``draft``: the conversation's draft if
    the tapped button belongs to it and to the step it is at. An out-of-date button is
    answered here and goes no further."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        ctx: Context = data["ctx"]
        flow = data["flow"] = SendFlow(ctx, data["state"])
        step = get_flag(data, DRAFT_FLAG)
        if step is not None and isinstance(event, CallbackQuery):
            draft = await flow.draft_for(
                data["callback_data"].draft, None if step is True else step
            )
            if draft is None:
                await answer(event, ctx.t("send.stale_button"), alert=True)
                return None
            data["draft"] = draft
        return await handler(event, data)
