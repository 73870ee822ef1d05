"""The bot's update queue as getUpdates serves it: offsets confirm, long polls wait."""

from __future__ import annotations

import asyncio
import copy
import time
from typing import Any

from .errors import GET_UPDATES_CONFLICT, WEBHOOK_ACTIVE_CONFLICT, ApiError

# Update types Telegram leaves out unless a bot asks for them by name.
NOT_SENT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def update_type(update: dict[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


class UpdateQueue:
    def __init__(self, first_update_id: int = 100_000_001) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = first_update_id
        self._allowed: frozenset[str] | None = None  # None: Telegram's default set
        self._poll_generation = 0
        self._webhook_active = False
        self._closed = False
        self._arrived = asyncio.Condition()
        # update_id -> wall-clock time it was queued (the clock of RecordedCall.time), so
        # a measurement can take "update in -> reply out" from the stand-in alone.
        self.queued_at: dict[int, float] = {}

    @property
    def pending(self) -> list[dict[str, Any]]:
        return list(self._pending)

    @property
    def last_update_id(self) -> int | None:
        """The id of the update queued last, None before the first."""
        return self._next_id - 1 if self.queued_at else None

    async def put(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a copy of `update` under a fresh update_id (or its own, if later)."""
        queued = copy.deepcopy(update)
        given = queued.get("update_id")
        if isinstance(given, int) and given >= self._next_id:
            self._next_id = given
        queued["update_id"] = self._next_id
        self._next_id += 1
        self.queued_at[queued["update_id"]] = time.time()
        self._pending.append(queued)
        async with self._arrived:
            self._arrived.notify_all()
        return queued

    def drop_pending(self) -> None:
        self._pending.clear()

    def allow(self, allowed_updates: list[str]) -> None:
        """The update types the bot asked for; Telegram keeps the last list given (an
        empty one means its default set)."""
        self._allowed = frozenset(allowed_updates) if allowed_updates else None

    def remove(self, update_id: int) -> None:
        """Take one delivered update off the queue."""
        self._pending = [u for u in self._pending if u["update_id"] != update_id]

    async def set_webhook_active(self, active: bool) -> None:
        """While a webhook is set, getUpdates is refused, a long poll under way too."""
        self._webhook_active = active
        async with self._arrived:
            self._arrived.notify_all()

    async def next_for_webhook(self) -> dict[str, Any]:
        """The first update to deliver, once there is one (a copy; it stays queued)."""
        async with self._arrived:
            while not (ready := self._deliverable(1)):
                await self._arrived.wait()
            return copy.deepcopy(ready[0])

    def confirm(self, offset: int | None) -> None:
        """Forget what the bot has confirmed: ids below a positive offset, or all but the
        last -offset updates for a negative one."""
        if not offset:
            return
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        else:
            self._pending = self._pending[offset:]

    async def poll(
        self,
        offset: int | None,
        limit: int,
        wait_seconds: float,
        allowed_updates: list[str] | None,
    ) -> list[dict[str, Any]]:
        """Serve one getUpdates call, waiting up to `wait_seconds` for something to come."""
        if self._webhook_active:
            raise ApiError(409, WEBHOOK_ACTIVE_CONFLICT)
        if allowed_updates is not None:
            self.allow(allowed_updates)
        self.confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        async with self._arrived:
            self._arrived.notify_all()  # an older long poll gives way to this one
            while True:
                if self._webhook_active:
                    raise ApiError(409, WEBHOOK_ACTIVE_CONFLICT)
                if generation != self._poll_generation:
                    raise ApiError(409, GET_UPDATES_CONFLICT)
                ready = self._deliverable(limit)
                remaining = deadline - loop.time()
                if ready or self._closed or remaining <= 0:
                    return copy.deepcopy(ready)
                try:
                    async with asyncio.timeout(remaining):
                        await self._arrived.wait()
                except TimeoutError:
                    pass

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        def wanted(update: dict[str, Any]) -> bool:
            kind = update_type(update)
            if self._allowed is None:
                return kind not in NOT_SENT_BY_DEFAULT
            return kind in self._allowed

        # Telegram drops updates of unwanted types for good, not just for this call.
        self._pending = [u for u in self._pending if wanted(u)]
        return self._pending[:limit]

    async def close(self) -> None:
        """Let every waiting long poll answer now, so the server can stop at once."""
        self._closed = True
        async with self._arrived:
            self._arrived.notify_all()
