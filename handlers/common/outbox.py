"""The one way messages the bot starts by itself reach Telegram, within its limits.

Telegram takes about 30 messages a second from a bot overall, about one a second in
one chat, and no more than 20 a minute in one group (edits count too); over that it
answers 429 with ``retry_after``. Notifications, admin alerts, messages to someone other
than the person being answered and everything the bot writes in a group go through the
:class:`Outbox`, which spaces calls to stay under all three limits, waits out a 429 and
tries again, marks a user who blocked the bot inactive, follows a group that became a
supergroup to its new id, and turns every other failure into an outcome instead of an
exception: one bad chat never stops the poller's cycle.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BufferedInputFile,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)

from core.metrics import Metrics
from core.watch.delivery import Delivery, Outcome
from storage import UserRepo

log = logging.getLogger(__name__)

Monotonic = Callable[[], float]
# A group became a supergroup: (old chat id, new chat id); whoever keeps groups moves them.
ChatMoved = Callable[[int, int], Awaitable[object]]


def is_group(chat_id: int) -> bool:
    """Telegram numbers groups, supergroups and channels below zero, people above it."""
    return chat_id < 0


@dataclass(frozen=True)
class SendLimits:
    per_second: float = 30.0  # overall, every chat together
    per_chat_interval: float = 1.0  # seconds between two calls into one chat
    # "In a group, bots are not able to send more than 20 messages per minute": in any
    # window of this many seconds, at most this many calls into one group. A second over
    # the minute: Telegram's clock starts when a call arrives, this one's as it leaves.
    group_per_window: int = 20
    group_window: float = 61.0
    attempts: int = 5  # tries of one call, 429s and network errors included
    longest_retry_after: float = 120.0  # a longer 429 wait gives up until the next cycle
    network_backoff: float = 1.0


class SenderClosed(Exception):
    """The bot is stopping: nothing more is sent, and nothing was sent by this call."""


_NOT_MODIFIED = "message is not modified"
_EDIT_GONE = ("message to edit not found", "message can't be edited")
_CHAT_GONE = ("chat not found", "user not found", "user is deactivated")


Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply


class Outbox:
    def __init__(
        self,
        bot: Bot,
        users: UserRepo,
        limits: SendLimits | None = None,
        monotonic: Monotonic = time.monotonic,
        metrics: Metrics | None = None,
        chat_moved: ChatMoved | None = None,
    ) -> None:
        self._bot = bot
        self._users = users
        self.limits = limits or SendLimits()
        self._monotonic = monotonic
        self._chat_moved = chat_moved
        self._gap = 1.0 / self.limits.per_second
        self._next_slot = 0.0  # the earliest moment the next call may go, any chat
        self._paused_until = 0.0  # after a 429, nobody sends before this
        self._chat_free_at: dict[int, float] = {}
        self._group_calls: dict[int, deque[float]] = {}  # a group's calls in its window
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._closed = asyncio.Event()
        self._metrics = metrics or Metrics()
        # Every series from the start, at zero: a rate() needs the zero before the first.
        for outcome in Outcome:
            self._metrics.notifications.labels(outcome.value)
        for status in ("429", "403"):
            self._metrics.notification_refusals.labels(status)

    # -- what callers use ------------------------------------------------------

    async def send(
        self,
        chat_id: int,
        text: str,
        *,
        keyboard: Markup | None = None,
        silent: bool = False,
        reply_to: int | None = None,
    ) -> Delivery:
        reply = (
            ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
            if reply_to is not None
            else None
        )

        async def call(chat_id: int) -> Message:
            return await self._bot.send_message(
                chat_id,
                text,
                reply_markup=keyboard,
                disable_notification=silent,
                reply_parameters=reply,
            )

        return await self._deliver(chat_id, call)

    async def send_photo(
        self, chat_id: int, photo: bytes, filename: str, *, caption: str | None = None
    ) -> Delivery:
        """A picture (a report's chart), within the same limits as a message."""

        async def call(chat_id: int) -> Message:
            upload = BufferedInputFile(photo, filename=filename)
            return await self._bot.send_photo(chat_id, upload, caption=caption)

        return await self._deliver(chat_id, call)

    async def edit(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        *,
        keyboard: InlineKeyboardMarkup | None = None,
    ) -> Delivery:
        async def call(chat_id: int) -> Message | bool:
            return await self._bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard
            )

        delivery = await self._deliver(chat_id, call)
        if delivery.outcome is Outcome.SENT:
            return Delivery(Outcome.SENT, message_id)
        return delivery

    async def until_free(self, chat_id: int) -> None:
        """Wait until a call into this chat could go at once (nothing is booked: a caller
        that gathers what to say while it waits says it all in the call that follows).
        Raises :class:`SenderClosed` when the bot stops meanwhile."""
        while True:
            if self._closed.is_set():
                raise SenderClosed
            wait = self._chat_ready_at(chat_id) - self._monotonic()
            if wait <= 0:
                return
            await self._sleep(wait)

    def close(self) -> None:
        """Stop: waits in progress end at once, and later calls send nothing."""
        self._closed.set()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    # -- one call, within the limits -------------------------------------------

    async def _deliver(
        self, chat_id: int, call: Callable[[int], Awaitable[Message | bool]]
    ) -> Delivery:
        try:
            # One call at a time per chat, in arrival order: the chat's pace is kept and
            # an edit never overtakes the message it follows.
            async with self._chat_lock(chat_id):
                delivery = await self._attempts(chat_id, call)
        except SenderClosed:
            delivery = Delivery(Outcome.FAILED)
        finally:
            self._forget_idle_chats()
        self._metrics.notifications.labels(delivery.outcome.value).inc()
        return delivery

    async def _attempts(
        self, chat_id: int, call: Callable[[int], Awaitable[Message | bool]]
    ) -> Delivery:
        limits = self.limits
        for attempt in range(1, limits.attempts + 1):
            await self._wait_for_turn(chat_id)
            try:
                result = await call(chat_id)
            except TelegramMigrateToChat as error:
                # The group is a supergroup now: the same call goes to its new id.
                log.info("Chat %s became %s", chat_id, error.migrate_to_chat_id)
                if self._chat_moved is not None:
                    await self._chat_moved(chat_id, error.migrate_to_chat_id)
                chat_id = error.migrate_to_chat_id
            except TelegramRetryAfter as error:
                self._metrics.notification_refusals.labels("429").inc()
                if error.retry_after > limits.longest_retry_after:
                    log.warning(
                        "Telegram asks to wait %s s; chat %s waits for the next cycle",
                        error.retry_after,
                        chat_id,
                    )
                    self._pause(error.retry_after)
                    return Delivery(Outcome.FAILED)
                log.info("Telegram flood control: waiting %s s", error.retry_after)
                self._pause(error.retry_after)
            except TelegramForbiddenError:
                self._metrics.notification_refusals.labels("403").inc()
                return await self._unreachable(chat_id)
            except TelegramBadRequest as error:
                return await self._bad_request(chat_id, error)
            except (TelegramNetworkError, TelegramServerError) as error:
                log.warning(
                    "Telegram call for chat %s failed (%s), attempt %d",
                    chat_id,
                    type(error).__name__,
                    attempt,
                )
                await self._sleep(limits.network_backoff * attempt)
            except TelegramAPIError as error:
                log.warning(
                    "Telegram refused a notification to chat %s: %s", chat_id, error.message
                )
                return Delivery(Outcome.FAILED)
            else:
                message_id = result.message_id if isinstance(result, Message) else None
                return Delivery(Outcome.SENT, message_id)
        return Delivery(Outcome.FAILED)

    async def _bad_request(self, chat_id: int, error: TelegramBadRequest) -> Delivery:
        text = error.message.lower()
        if _NOT_MODIFIED in text:
            return Delivery(Outcome.UNCHANGED)
        if any(reason in text for reason in _EDIT_GONE):
            return Delivery(Outcome.GONE)
        if any(reason in text for reason in _CHAT_GONE):
            return await self._unreachable(chat_id)
        log.warning("Telegram refused a notification to chat %s: %s", chat_id, error.message)
        return Delivery(Outcome.FAILED)

    async def _unreachable(self, chat_id: int) -> Delivery:
        if is_group(chat_id):
            # Out of the group: whoever writes there ends what they keep for it.
            log.info("Group %s cannot be written to", chat_id)
            return Delivery(Outcome.UNREACHABLE)
        # A private chat's id is the user's. Writing to the bot again makes the user
        # active again (UserRepo.upsert_seen).
        await self._users.set_active(chat_id, False)
        log.info("User %s cannot be written to; marked inactive", chat_id)
        return Delivery(Outcome.UNREACHABLE)

    # -- pacing ----------------------------------------------------------------

    def _chat_ready_at(self, chat_id: int) -> float:
        """The earliest moment a call into this chat keeps every limit of that chat."""
        ready = max(self._chat_free_at.get(chat_id, 0.0), self._paused_until)
        calls = self._group_calls.get(chat_id)
        if calls is not None:
            window = self.limits.group_window
            while calls and calls[0] <= self._monotonic() - window:
                calls.popleft()
            if len(calls) >= self.limits.group_per_window:
                ready = max(ready, calls[0] + window)
        return ready

    async def _wait_for_turn(self, chat_id: int) -> None:
        """Sleep until both this chat and the bot as a whole may send again, then take
        the slot."""
        while True:
            if self._closed.is_set():
                raise SenderClosed
            now = self._monotonic()
            chat_ready = self._chat_ready_at(chat_id)
            if chat_ready > now:
                await self._sleep(chat_ready - now)
                continue
            # Only a chat that may send now books a slot in the overall queue, so one busy
            # chat never holds the others back.
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._gap
            await self._sleep(slot - now)
            if self._chat_ready_at(chat_id) <= self._monotonic():
                break
        sent_at = self._monotonic()
        self._chat_free_at[chat_id] = sent_at + self.limits.per_chat_interval
        if is_group(chat_id):
            self._group_calls.setdefault(chat_id, deque()).append(sent_at)

    def _pause(self, seconds: float) -> None:
        # A 429 may be for the bot as a whole: everybody waits, not only this chat.
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)

    async def _sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        try:
            await asyncio.wait_for(self._closed.wait(), timeout=seconds)
        except TimeoutError:
            return
        raise SenderClosed

    def _chat_lock(self, chat_id: int) -> asyncio.Lock:
        lock = self._chat_locks.get(chat_id)
        if lock is None:
            lock = self._chat_locks[chat_id] = asyncio.Lock()
        return lock

    def _forget_idle_chats(self) -> None:
        # Keeps the per-chat tables from growing with every user ever written to.
        if len(self._chat_free_at) < 4096:
            return
        now = self._monotonic()
        for chat_id, free_at in list(self._chat_free_at.items()):
            lock = self._chat_locks.get(chat_id)
            calls = self._group_calls.get(chat_id)
            window_over = not calls or calls[-1] <= now - self.limits.group_window
            if free_at <= now and window_over and (lock is None or not lock.locked()):
                del self._chat_free_at[chat_id]
                self._chat_locks.pop(chat_id, None)
                self._group_calls.pop(chat_id, None)
