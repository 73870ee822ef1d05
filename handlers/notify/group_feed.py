"""A group's alerts on their way: gathered while the group waits for its turn.

Telegram takes no more than 20 messages a minute in a group, and the outbox keeps to
that. A burst (a hundred dispatches closing in one cycle) would then reach the group
over many minutes, one message each; instead, whatever waits for the group when its turn
comes goes as one message: a single alert as it reads alone, several as a digest (a
count, then a line each, with a Re-run button for each stopped dispatch), cut to
Telegram's size; what does not fit waits for the next turn, a second later.

Each caller awaits the delivery of the message that carried its alert, so the poller
records an alert as told only once Telegram took it, and tries again next cycle if not.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from core.watch import Delivery, Outcome
from handlers.common.i18n import Translator
from handlers.common.outbox import Outbox, SenderClosed
from handlers.notify.group_render import GroupAlert, digest_text, rerun_keyboard

log = logging.getLogger(__name__)

# Raw HTML per digest: its visible text, shorter still, stays far below Telegram's 4096.
DIGEST_LIMIT = 3500
RERUN_BUTTONS = 8  # per digest: a keyboard a person can still read


@dataclass
class _Waiting:
    alert: GroupAlert
    done: asyncio.Future[Delivery] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class GroupFeed:
    """One group's queue, drained by one task while anything waits."""

    def __init__(self, outbox: Outbox, chat_id: int) -> None:
        self._outbox = outbox
        self.chat_id = chat_id
        self._waiting: list[_Waiting] = []
        self._task: asyncio.Task[None] | None = None
        self._t: Translator | None = None
        self.messages_sent = 0

    async def post(self, t: Translator, alert: GroupAlert) -> Delivery:
        """Queue ``alert`` (worded by ``t``, the group's language); returns once the
        message that carries it was delivered, or not."""
        self._t = t
        waiting = _Waiting(alert)
        self._waiting.append(waiting)
        if self._task is None:
            self._task = asyncio.create_task(self._drain(), name=f"group-feed-{self.chat_id}")
        return await asyncio.shield(waiting.done)

    async def _drain(self) -> None:
        try:
            while self._waiting:
                await self._outbox.until_free(self.chat_id)
                batch = self._take()
                delivery = await self._send(batch)
                for waiting in batch:
                    _settle(waiting, delivery)
        except SenderClosed:
            pass  # the bot stops: nothing more goes, and the poller tries after the restart
        except Exception:
            log.exception("Alerts for group %s were not sent", self.chat_id)
        finally:
            for waiting in self._waiting:
                _settle(waiting, Delivery(Outcome.FAILED))
            self._waiting.clear()
            self._task = None

    def _take(self) -> list[_Waiting]:
        """The oldest alerts that fit one message (the first always does)."""
        assert self._t is not None
        taken: list[_Waiting] = []
        size = len(digest_text(self._t, []))
        buttons = 0
        for waiting in self._waiting:
            alert = waiting.alert
            grows = len(alert.line) + 1
            more_buttons = 1 if alert.rerun is not None else 0
            if taken and (size + grows > DIGEST_LIMIT or buttons + more_buttons > RERUN_BUTTONS):
                break
            taken.append(waiting)
            size += grows
            buttons += more_buttons
        del self._waiting[: len(taken)]
        return taken

    async def _send(self, batch: list[_Waiting]) -> Delivery:
        assert self._t is not None
        alerts = [waiting.alert for waiting in batch]
        text = alerts[0].text if len(alerts) == 1 else digest_text(self._t, alerts)
        delivery = await self._outbox.send(
            self.chat_id, text, keyboard=rerun_keyboard(self._t, alerts)
        )
        if delivery.outcome is Outcome.SENT:
            self.messages_sent += 1
        return delivery


class GroupFeeds:
    """Every group's feed, made at its first alert."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._feeds: dict[int, GroupFeed] = {}

    def feed(self, chat_id: int) -> GroupFeed:
        found = self._feeds.get(chat_id)
        if found is None:
            found = self._feeds[chat_id] = GroupFeed(self._outbox, chat_id)
        return found

    async def post(self, chat_id: int, t: Translator, alert: GroupAlert) -> Delivery:
        return await self.feed(chat_id).post(t, alert)


def _settle(waiting: _Waiting, delivery: Delivery) -> None:
    if not waiting.done.done():
        waiting.done.set_result(delivery)
