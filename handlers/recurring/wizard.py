"""The set-up wizard's one message: render a step, show it in place, move between steps.

Like the send conversation, the wizard is one message edited as the user taps; an answer
the user types gets the next step as a new message below theirs, and the old one loses
its buttons. A refused answer puts the reason on the same step.
"""

from __future__ import annotations

import logging
from datetime import date

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import InlineKeyboardMarkup, Message

from core.recurring.manage import first_due
from core.recurring.rules import Kind
from core.sms import AddressBook, SmsApiError, TokenRejected
from handlers.common.context import Context
from handlers.common.replies import tell_admins_token_rejected, within_tap_budget
from handlers.common.sms_errors import describe_sms_error
from handlers.recurring import keyboards, render
from handlers.recurring.states import Part, RecurringForm, Setup, load_setup, save_setup
from handlers.send.render import TEXT_LIMIT

log = logging.getLogger(__name__)

# The order of a new schedule's steps (a rule's details come after its kind).
ORDER = (
    RecurringForm.recipients,
    RecurringForm.text,
    RecurringForm.kind,
    RecurringForm.time,
    RecurringForm.period,
    RecurringForm.summary,
)
DETAILS = {Kind.WEEKLY.value: RecurringForm.weekdays, Kind.MONTHLY.value: RecurringForm.month_day}
# Where a change of one part of an existing schedule starts.
PART_STEPS = {
    Part.TEXT: RecurringForm.text,
    Part.TIME: RecurringForm.time,
    Part.RULE: RecurringForm.kind,
    Part.PERIOD: RecurringForm.period,
}


class Wizard:
    def __init__(self, ctx: Context, state: FSMContext) -> None:
        self.ctx = ctx
        self.state = state
        self.t = ctx.t

    async def setup(self) -> Setup | None:
        return await load_setup(self.state)

    async def step(self) -> str | None:
        return await self.state.get_state()

    def today(self) -> date:
        return self.ctx.now().astimezone(self.ctx.tz).date()

    # -- moving ------------------------------------------------------------------

    def next_step(self, setup: Setup, done: State) -> State | None:
        """The step after ``done``; None when the set-up is complete (a change of one
        part is applied, a new schedule goes to its summary before that)."""
        if done == RecurringForm.kind and setup.kind in DETAILS:
            return DETAILS[setup.kind]
        rule_done = done in (RecurringForm.kind, *DETAILS.values())
        if setup.edit:
            return None
        if setup.to_summary:
            return RecurringForm.summary
        if rule_done:
            return RecurringForm.time
        position = next(i for i, step in enumerate(ORDER) if step == done)
        return ORDER[position + 1]

    # -- showing -----------------------------------------------------------------

    async def show(
        self,
        step: State,
        setup: Setup,
        *,
        new: bool = False,
        error: str | None = None,
        note: str | None = None,
    ) -> None:
        """Show ``step`` in the wizard message (``new``: as a new message below what the
        user typed, the old one losing its buttons)."""
        text, markup = await self._render(step, setup, error=error, note=note)
        await self.state.set_state(step)
        if (
            not new
            and setup.prompt_id is not None
            and await self._edit(setup.prompt_id, text, markup)
        ):
            await save_setup(self.state, setup)
            return
        await self.close_prompt(setup)
        sent = await self.ctx.bot.send_message(self.ctx.chat_id, text, reply_markup=markup)
        await save_setup(self.state, setup.but(prompt_id=sent.message_id))

    async def replace_with(
        self, setup: Setup, text: str, markup: InlineKeyboardMarkup | None
    ) -> Message | None:
        """The wizard message becomes another screen (the schedule's card, a farewell)."""
        if setup.prompt_id is not None and await self._edit(setup.prompt_id, text, markup):
            return None
        await self.close_prompt(setup)
        return await self.ctx.bot.send_message(self.ctx.chat_id, text, reply_markup=markup)

    async def close_prompt(self, setup: Setup) -> None:
        if setup.prompt_id is None:
            return
        try:
            await self.ctx.bot.edit_message_reply_markup(
                chat_id=self.ctx.chat_id, message_id=setup.prompt_id, reply_markup=None
            )
        except TelegramBadRequest as error:
            log.debug("Set-up message %s kept as it was: %s", setup.prompt_id, error.message)

    async def _edit(self, message_id: int, text: str, markup: InlineKeyboardMarkup | None) -> bool:
        try:
            await self.ctx.bot.edit_message_text(
                text, chat_id=self.ctx.chat_id, message_id=message_id, reply_markup=markup
            )
        except TelegramBadRequest as error:
            if "not modified" in error.message.lower():
                return True
            log.debug("Set-up message %s not edited: %s", message_id, error.message)
            return False
        return True

    async def _render(
        self, step: State, setup: Setup, *, error: str | None, note: str | None
    ) -> tuple[str, InlineKeyboardMarkup]:
        t, tz, now = self.t, self.ctx.tz, self.ctx.now()
        markup = keyboards.cancel_only(t, setup)
        if step == RecurringForm.recipients:
            books = await self._books()
            question = t("recurring.question_recipients")
            if isinstance(books, str):
                question += "\n\n" + t("recurring.books_unavailable", reason=books)
                books = None
            markup = keyboards.books_keyboard(t, setup, books)
        elif step == RecurringForm.text:
            question = t("recurring.question_text", limit=TEXT_LIMIT)
        elif step == RecurringForm.kind:
            question = t("recurring.question_kind")
            markup = keyboards.kinds_keyboard(t, setup)
        elif step == RecurringForm.weekdays:
            question = t("recurring.question_weekdays")
            markup = keyboards.weekdays_keyboard(t, setup)
        elif step == RecurringForm.month_day:
            question = t("recurring.question_month_day")
            markup = keyboards.month_day_keyboard(t, setup)
        elif step == RecurringForm.time:
            question = t("recurring.question_time", zone=render.zone_name(tz, now))
            markup = keyboards.time_keyboard(t, setup)
        elif step == RecurringForm.period:
            question = t("recurring.question_period")
            markup = keyboards.period_keyboard(t, setup)
        else:
            first = first_due(setup.rule(), now, tz)
            question = render.summary_question(t, setup, first, tz)
            markup = keyboards.summary_keyboard(t, setup, can_save=first is not None)
        text = render.wizard_text(
            t, setup, step.state or "", question, tz, now, note=note, error=error
        )
        return text, markup

    async def _books(self) -> list[AddressBook] | str:
        """The address books, or why they could not be read."""
        try:
            return await within_tap_budget(self.ctx.sms.address_books())
        except SmsApiError as failure:
            if isinstance(failure, TokenRejected):
                await tell_admins_token_rejected(self.ctx)
            return describe_sms_error(failure, self.t)
