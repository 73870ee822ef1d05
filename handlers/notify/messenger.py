"""The watchers' messages as Telegram shows them: worded in each person's language and
delivered through the outbox. Handed to the poller at start (``bot/app.py``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.sms import Balance, Dispatch, FormatProblem
from core.watch import Delivery, Recipient
from handlers.common.i18n import Translator, pick_language, translator
from handlers.common.outbox import Outbox
from handlers.notify import render
from storage import LostCreate, TrackedDispatch


def person_translator(person: Recipient) -> Translator:
    return translator(pick_language(person.language, person.telegram_language))


class TelegramMessenger:
    def __init__(self, outbox: Outbox, tz: ZoneInfo) -> None:
        self.outbox = outbox
        self.tz = tz

    async def send_status(
        self, person: Recipient, dispatch: Dispatch, tracked: TrackedDispatch, *, silent: bool
    ) -> Delivery:
        text, keyboard = render.status_message(
            person_translator(person), dispatch, tracked, person.role, self.tz
        )
        return await self.outbox.send(person.user_id, text, keyboard=keyboard, silent=silent)

    async def edit_status(
        self, person: Recipient, message_id: int, dispatch: Dispatch, tracked: TrackedDispatch
    ) -> Delivery:
        text, keyboard = render.status_message(
            person_translator(person), dispatch, tracked, person.role, self.tz
        )
        return await self.outbox.edit(person.user_id, message_id, text, keyboard=keyboard)

    async def alert_not_enough_money(
        self,
        person: Recipient,
        dispatch: Dispatch,
        available: Decimal | None,
        *,
        reply_to: int | None,
        silent: bool,
    ) -> Delivery:
        text, keyboard = render.not_enough_money_alert(
            person_translator(person), dispatch, person.role, available
        )
        return await self.outbox.send(
            person.user_id, text, keyboard=keyboard, silent=silent, reply_to=reply_to
        )

    async def announce_final(
        self,
        person: Recipient,
        dispatch: Dispatch,
        tracked: TrackedDispatch,
        *,
        with_card: bool,
        reply_to: int | None,
        silent: bool,
    ) -> Delivery:
        text = render.final_message(
            person_translator(person), dispatch, tracked, self.tz, with_card=with_card
        )
        return await self.outbox.send(person.user_id, text, silent=silent, reply_to=reply_to)

    async def alert_low_balance(
        self, person: Recipient, balance: Balance, today: date, threshold: Decimal, *, silent: bool
    ) -> Delivery:
        text, keyboard = render.low_balance_alert(
            person_translator(person), balance, today, threshold
        )
        return await self.outbox.send(person.user_id, text, keyboard=keyboard, silent=silent)

    async def alert_api_down(
        self,
        person: Recipient,
        since: datetime,
        failed_cycles: int,
        token_rejected: bool,
        *,
        silent: bool,
    ) -> Delivery:
        text = render.api_down_alert(
            person_translator(person), since, failed_cycles, token_rejected, self.tz
        )
        return await self.outbox.send(person.user_id, text, silent=silent)

    async def announce_api_back(
        self, person: Recipient, since: datetime, until: datetime, *, silent: bool
    ) -> Delivery:
        text = render.api_back_message(person_translator(person), since, until, self.tz)
        return await self.outbox.send(person.user_id, text, silent=silent)

    async def alert_format_problem(
        self, person: Recipient, problem: FormatProblem, *, silent: bool
    ) -> Delivery:
        text = render.format_problem_alert(person_translator(person), problem)
        return await self.outbox.send(person.user_id, text, silent=silent)

    async def announce_lost_create_found(
        self, person: Recipient, lost: LostCreate, dispatch_id: int
    ) -> Delivery:
        text, keyboard = render.lost_create_found(
            person_translator(person), lost, dispatch_id, self.tz
        )
        return await self.outbox.send(lost.chat_id, text, keyboard=keyboard)

    async def announce_lost_create_not_found(self, person: Recipient, lost: LostCreate) -> Delivery:
        text = render.lost_create_not_found(person_translator(person), lost, self.tz)
        return await self.outbox.send(lost.chat_id, text)
