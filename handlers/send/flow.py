"""One user's send conversation: its draft, its steps, and the one wizard message.

Every step is the same message, edited as the user taps (so the chat does not fill up);
an answer the user types gets the next step as a new message, below theirs, and the old
one loses its buttons. A refused answer edits the step with the reason (or is a toast,
for a tap), never a fresh copy of the step. Each step writes its result into the draft
row and the FSM keeps only the draft's id and small things, so after a restart the user
continues where they were.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject

from core.repeats import earlier_same
from core.send_settings import read_price
from core.sms import AddressBook, SmsApiError, TokenRejected
from handlers.common.context import Context
from handlers.common.menu import main_menu
from handlers.common.replies import (
    answer,
    edit_quietly,
    tell_admins_token_rejected,
    within_tap_budget,
)
from handlers.common.sms_errors import describe_sms_error
from handlers.send import keyboards, render
from handlers.send.callbacks import draft_token
from handlers.send.states import (
    DRAFT_ID,
    EDITING,
    INVALID,
    NOTE,
    PARKED,
    PROMPT_ID,
    SAVED_TEXT,
    STOPPED,
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
# The key of a "test to me" button: drawn afresh with each summary, so that a double tap
# on one button makes one test and a tap on the next summary makes the next.
TEST_KEY_LIMIT = 2**31

# The step after each one, and before it, when not editing from the summary.
NEXT_STEP: dict[str, State] = {
    SendForm.recipients.state: SendForm.text,
    SendForm.text.state: SendForm.time,
    SendForm.paste.state: SendForm.time,
    SendForm.time.state: SendForm.summary,
}
STEP_BEFORE: dict[str, State] = {
    SendForm.text.state: SendForm.recipients,
    SendForm.time.state: SendForm.text,
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
        # The draft this update's step button was checked against (FlowMiddleware), for
        # the handler's own first look at it: read once per tap, not twice.
        self._checked: Draft | None = None

    # -- the draft ---------------------------------------------------------------

    async def data(self) -> dict[str, Any]:
        return await self.state.get_data()

    async def draft(self) -> Draft | None:
        """The draft of this conversation while it can still change (every change of it is
        guarded by its state in SQLite, so one read earlier in this update will do)."""
        draft_id = (await self.data()).get(DRAFT_ID)
        checked, self._checked = self._checked, None
        if checked is not None and checked.id == draft_id:
            return checked
        draft = await self.store.drafts.get(draft_id) if isinstance(draft_id, str) else None
        return draft if draft is not None and draft.state is DraftState.PENDING else None

    async def draft_for(self, token: str, step: State | None = None) -> Draft | None:
        """The current draft if a button of ``token`` may act on it now (at ``step``). A
        tap on the wizard of a parked draft takes the conversation back to it."""
        draft = await self.draft()
        if draft is None or draft_token(draft.id) != token:
            return None
        current = await self.state.get_state()
        parked = (await self.data()).get(PARKED)
        if current is None and parked is not None:
            await self.state.set_state(parked)
            await self.state.update_data({PARKED: None})
            current = parked
        if step is not None and current != step.state:
            return None
        self._checked = draft
        return draft

    async def counts(self) -> render.RecipientCounts:
        data = await self.data()
        return render.RecipientCounts(
            int(data.get(VALID, 0)), int(data.get(INVALID, 0)), int(data.get(STOPPED) or 0)
        )

    async def start(self, draft: Draft, counts: render.RecipientCounts | None = None) -> None:
        """Make ``draft`` the conversation's draft, abandoning the one before."""
        await self.close_prompt()
        await self.abandon()
        data: dict[str, Any] = {DRAFT_ID: draft.id}
        if counts is not None:
            data |= {VALID: counts.valid, INVALID: counts.invalid, STOPPED: counts.stopped}
        await self.state.update_data(data)

    async def abandon(self) -> bool:
        """Abandon the current draft, if any, and forget this feature's FSM data."""
        self._checked = None
        return await abandon_draft(self.state, self.store)

    async def finish(self) -> None:
        await self.state.clear()

    async def cancel(self, query: CallbackQuery | None = None) -> None:
        """The user cancelled: the wizard says so in place, the menu comes back."""
        prompt_id = (await self.data()).get(PROMPT_ID)
        await self.abandon()
        await self.finish()
        text = self.t("send.cancelled")
        message = query.message if query is not None else None
        if isinstance(message, Message) and message.message_id == prompt_id:
            await edit_quietly(message, text)
        else:
            await self.say(text, main_menu(self.t, self.ctx.role))

    async def remember_saved(self, text: str) -> bool:
        """Mark ``text`` as saved as a template; False if this conversation already did."""
        digest = text_hash(text)
        if (await self.data()).get(SAVED_TEXT) == digest:
            return False
        await self.state.update_data({SAVED_TEXT: digest})
        return True

    async def set_recipients(self, counts: render.RecipientCounts, **content: Any) -> Draft | None:
        draft = await self.draft()
        if draft is None:
            return None
        updated = await self.store.drafts.update_content(draft.id, **content)
        if updated is not None:
            await self.state.update_data(
                {VALID: counts.valid, INVALID: counts.invalid, STOPPED: counts.stopped}
            )
        return updated

    # -- the wizard message ---------------------------------------------------------

    async def say(self, text: str, markup: Any = None) -> Message:
        return await self.ctx.bot.send_message(self.ctx.chat_id, text, reply_markup=markup)

    async def show(
        self,
        step: State,
        draft: Draft,
        *,
        new: bool = False,
        error: str | None = None,
        note: str | None = None,
    ) -> None:
        """Show ``step`` in the wizard message: edited in place, or (``new``: the user has
        typed below it) as a new message that takes its place."""
        text, markup = await self._render(step, draft, error=error, note=note)
        await self.state.set_state(step)
        data = await self.data()
        prompt_id = data.get(PROMPT_ID)
        if not new and isinstance(prompt_id, int) and await self._edit(prompt_id, text, markup):
            return
        await self.close_prompt()
        sent = await self.say(text, markup)
        await self.state.update_data({PROMPT_ID: sent.message_id})

    async def refuse(self, step: State, draft: Draft, error: str) -> None:
        """A typed answer the step cannot use: the reason goes on the step, in place."""
        await self.show(step, draft, error=error)

    async def _edit(self, message_id: int, text: str, markup: InlineKeyboardMarkup) -> bool:
        try:
            await self.ctx.bot.edit_message_text(
                text, chat_id=self.ctx.chat_id, message_id=message_id, reply_markup=markup
            )
        except TelegramBadRequest as error:
            reason = error.message.lower()
            if "not modified" in reason:
                return True
            log.debug("Wizard %s not edited: %s", message_id, error.message)
            return False
        return True

    async def close_prompt(self) -> None:
        """The wizard message before this one keeps its text and loses its buttons."""
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

    async def _render(
        self, step: State, draft: Draft, *, error: str | None, note: str | None
    ) -> tuple[str, InlineKeyboardMarkup]:
        t, token = self.t, draft_token(draft.id)
        if step == SendForm.summary:
            text = render.summary_text(
                t, draft, await self.counts(), self.ctx.tz, await self.money()
            )
            earlier = await earlier_same(self.store, draft, self.ctx.now())
            if earlier is not None:
                text += "\n\n" + render.repeat_warning(t, earlier, self.ctx.now())
            if note:
                text += "\n\n" + note
            if error:
                text += "\n\n" + render.error_line(error)
            return text, self.summary_keyboard(draft, again=earlier is not None)
        if step == SendForm.recipients:
            books: list[AddressBook] | None = None
            failed = None
            try:
                books = await self.ordered_books()
            except SmsApiError as failure:
                failed = describe_sms_error(failure, t)
                if isinstance(failure, TokenRejected):
                    await tell_admins_token_rejected(self.ctx)
            question = render.recipients_question(t, failed)
            markup = keyboards.books_keyboard(t, token, books, 0)
        elif step == SendForm.text:
            question = t("send.question_text", limit=render.TEXT_LIMIT)
            markup = keyboards.text_keyboard(t, token)
        else:
            question = render.time_question(t, self.ctx.tz, self.ctx.now())
            markup = keyboards.time_keyboard(t, token)
        counts = await self.counts()
        text = render.wizard_text(
            t, draft, counts, step, question, self.ctx.tz, note=note, error=error
        )
        return text, markup

    def summary_keyboard(self, draft: Draft, *, again: bool = False) -> InlineKeyboardMarkup:
        """``again``: the same send went out minutes ago (Confirm then says so)."""
        return keyboards.summary_keyboard(
            self.t, draft.id, draft_token(draft.id), scheduled=draft.date_send is not None,
            again=again, test_key=secrets.randbelow(TEST_KEY_LIMIT),
        )  # fmt: skip

    async def ordered_books(self) -> list[AddressBook]:
        """The address books, the ones this user used lately first."""
        books = await within_tap_budget(self.sms.address_books())
        recent = await self.store.drafts.recent_book_ids(self.ctx.user_id, RECENT_BOOKS)
        rank = {book_id: index for index, book_id in enumerate(recent)}
        return sorted(books, key=lambda book: (rank.get(book.id, len(rank)), book.id))

    async def money(self) -> render.Money:
        price = await self.price()
        try:
            async with asyncio.timeout(BALANCE_WAIT_SECONDS):
                balance = await self.sms.balance()
        except (SmsApiError, TimeoutError) as error:
            log.info("Summary without the balance: %s", type(error).__name__)
            return render.Money(None, price)
        return render.Money(balance.available(self.ctx.now().astimezone(self.ctx.tz).date()), price)

    async def price(self) -> Decimal | None:
        return await read_price(self.store)

    async def report_error(self, error: SmsApiError) -> None:
        """Tell the user what went wrong; a rejected token is the admins' business too."""
        await self.say(describe_sms_error(error, self.t))
        if isinstance(error, TokenRejected):
            await tell_admins_token_rejected(self.ctx)

    # -- moving between steps ------------------------------------------------------

    async def edit_step(self, step: State, draft: Draft) -> None:
        """Open a step from the summary: when it is done, the summary comes back."""
        await self.state.update_data({EDITING: True})
        await self.show(step, draft)

    async def step_done(self, draft: Draft, *, new: bool, note: str | None = None) -> None:
        """The step's result is in the draft: on to the next step, or back to the summary."""
        data = await self.data()
        current = await self.state.get_state()
        if data.get(EDITING) or current not in NEXT_STEP:
            await self.state.update_data({EDITING: False})
            await self.show(SendForm.summary, draft, new=new, note=note)
        else:
            await self.show(NEXT_STEP[current], draft, new=new, note=note)

    async def step_back(self, draft: Draft) -> None:
        current = await self.state.get_state() or ""
        await self.show(STEP_BEFORE.get(current, SendForm.recipients), draft)

    async def resume(self, draft: Draft) -> None:
        """Back to a parked (or interrupted) draft, at the step it was at."""
        data = await self.data()
        step = data.get(PARKED) or await self.state.get_state() or SendForm.recipients.state
        await self.state.update_data({PARKED: None})
        target = next((s for s in SendForm.__states__ if s.state == step), SendForm.recipients)
        await self.show(target, draft)

    async def take_note(self) -> str | None:
        """The note waiting for the next step, once."""
        note = (await self.data()).get(NOTE)
        if note:
            await self.state.update_data({NOTE: None})
        return note if isinstance(note, str) else None

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
            token = data["callback_data"].draft
            draft = await flow.draft_for(token, None if step is True else step)
            if draft is None:
                await answer(event, ctx.t("send.stale_button"), alert=True)
                return None
            data["draft"] = draft
        return await handler(event, data)
