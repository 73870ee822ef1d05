"""What the keeper tells a schedule's owner, worded in their language and delivered
through the outbox. Handed to the keeper at start (``bot/app.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from core.recurring.rules import Rule
from core.sms import SmsApiCodeError
from core.watch.delivery import Delivery
from handlers.common.formatting import esc, format_moment
from handlers.common.i18n import Translator, user_translator
from handlers.common.outbox import Outbox
from handlers.common.sms_errors import describe_sms_error
from handlers.recurring.render import describe_rule, moments_text
from storage import Schedule, Storage, User

MISSED_SHOWN = 5


class TelegramRecurringNotifier:
    def __init__(self, outbox: Outbox, store: Storage, tz: ZoneInfo) -> None:
        self.outbox = outbox
        self.store = store
        self.tz = tz

    def numbers_label(self, owner: User | None, count: int) -> str:
        return user_translator(owner).plural("send.n_numbers", count)

    async def occurrences_missed(self, schedule: Schedule, missed: Sequence[datetime]) -> Delivery:
        t = await self._owner_translator(schedule)
        moments = moments_text(missed, self.tz, MISSED_SHOWN, t("recurring.missed_more"))
        text = t.plural(
            "recurring.missed", len(missed), id=schedule.id, rule=self._rule(t, schedule),
            moments=moments,
        )  # fmt: skip
        return await self.outbox.send(schedule.owner_id, text)

    async def occurrence_sent_late(
        self, schedule: Schedule, due: datetime, dispatch_id: int | None
    ) -> Delivery:
        t = await self._owner_translator(schedule)
        values = {"id": schedule.id, "rule": self._rule(t, schedule), "moment": self._at(due)}
        if dispatch_id is None:
            text = t("recurring.sent_late_unnumbered", **values)
        else:
            text = t("recurring.sent_late", dispatch=dispatch_id, **values)
        return await self.outbox.send(schedule.owner_id, text)

    async def occurrence_failed(
        self, schedule: Schedule, due: datetime, error: SmsApiCodeError | None
    ) -> Delivery:
        t = await self._owner_translator(schedule)
        reason = (
            describe_sms_error(error, t) if error is not None else t("recurring.failed_no_numbers")
        )
        text = t(
            "recurring.failed", id=schedule.id, rule=self._rule(t, schedule),
            moment=self._at(due), reason=reason,
        )  # fmt: skip
        return await self.outbox.send(schedule.owner_id, text)

    async def occurrence_above_limits(self, schedule: Schedule, due: datetime) -> Delivery:
        t = await self._owner_translator(schedule)
        text = t(
            "recurring.above_limits", id=schedule.id, rule=self._rule(t, schedule),
            moment=self._at(due),
        )  # fmt: skip
        return await self.outbox.send(schedule.owner_id, text)

    async def cancel_settled(
        self, schedule: Schedule, due: datetime, dispatch_id: int | None, cancelled: bool
    ) -> Delivery:
        t = await self._owner_translator(schedule)
        key = "recurring.cancel_done" if cancelled else "recurring.cancel_too_late"
        return await self.outbox.send(
            schedule.owner_id, t(key, id=schedule.id, moment=self._at(due))
        )

    async def _owner_translator(self, schedule: Schedule) -> Translator:
        return user_translator(await self.store.users.get(schedule.owner_id))

    def _rule(self, t: Translator, schedule: Schedule) -> str:
        return esc(describe_rule(t, Rule.from_stored(schedule.rule)))

    def _at(self, moment: datetime) -> str:
        return format_moment(moment, self.tz)
