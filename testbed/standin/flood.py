"""Telegram's flood control: token buckets overall and per chat, at most so many messages
a minute in one group, answering retry_after."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from .clock import Clock

# Methods that put something into a chat; Telegram rate-limits edits as well as sends.
COUNTED_METHODS = frozenset(
    {
        "sendmessage",
        "senddocument",
        "sendphoto",
        "sendsticker",
        "copymessage",
        "forwardmessage",
        "editmessagetext",
        "editmessagereplymarkup",
    }
)


@dataclass(frozen=True)
class FloodLimits:
    """Rates in messages per second; a burst is how many may go at once after a pause."""

    overall_per_second: float = 30.0
    overall_burst: int = 30
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3
    # "In a group, bots are not able to send more than 20 messages per minute": any 60 s.
    per_group_per_minute: int = 20
    methods: frozenset[str] = field(default=COUNTED_METHODS)

    def counts(self, method: str) -> bool:
        return method.lower() in self.methods


@dataclass
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    updated: float

    def refill(self, now: float) -> None:
        elapsed = max(now - self.updated, 0.0)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated = max(now, self.updated)

    def wait_for_one(self) -> float:
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


def _bucket(rate: float, burst: int, now: float) -> _Bucket:
    return _Bucket(rate, float(burst), float(burst), now)


GROUP_WINDOW_SECONDS = 60.0


class FloodControl:
    """Decides whether one more message may go now, or how long the bot must wait."""

    def __init__(self, limits: FloodLimits, clock: Clock) -> None:
        self.limits = limits
        self._clock = clock
        self._overall = _bucket(limits.overall_per_second, limits.overall_burst, clock())
        self._chats: dict[int, _Bucket] = {}
        self._groups: dict[int, deque[float]] = {}  # the moments of a group's last messages

    def admit(self, chat_id: int, *, group: bool = False) -> int | None:
        """Take a slot for one message to `chat_id` (a group's counts against its minute
        too); None if allowed, else retry_after."""
        now = self._clock()
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _bucket(
                self.limits.per_chat_per_second, self.limits.per_chat_burst, now
            )
        chat.refill(now)
        self._overall.refill(now)
        wait = max(chat.wait_for_one(), self._overall.wait_for_one())
        sent = self._groups.setdefault(chat_id, deque()) if group else None
        if sent is not None:
            while sent and sent[0] <= now - GROUP_WINDOW_SECONDS:
                sent.popleft()
            if len(sent) >= self.limits.per_group_per_minute:
                wait = max(wait, sent[0] + GROUP_WINDOW_SECONDS - now)
        if wait > 0:
            return max(1, math.ceil(wait))
        chat.tokens -= 1
        self._overall.tokens -= 1
        if sent is not None:
            sent.append(now)
        return None
