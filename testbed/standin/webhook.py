"""Webhook delivery as Telegram does it: setWebhook's state, and a task that POSTs each
queued update to the webhook's URL.

While a webhook is set, getUpdates answers 409 in Telegram's words. Updates go out one
at a time in queue order (a JSON body, with ``X-Telegram-Bot-Api-Secret-Token`` when a
secret was set); a 2xx answer takes the update off the queue. Anything else (another
status, no connection, no answer within ``timeout``) is kept as getWebhookInfo's
``last_error_date`` and ``last_error_message``, and the same update, with the same
update_id, is delivered again after a pause that doubles up to ``longest_pause``
(Telegram's pauses are longer; a test's are short).

A test can make the way to the bot fail as a proxy in front of it would:
``fail_next(502)`` answers the next delivery with 502 before it reaches the bot, and
``fail_next(500, reached_bot=True)`` lets the bot have it but loses the bot's answer.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import aiohttp

from .errors import bad_request
from .updates import UpdateQueue

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
WEBHOOK_URL = re.compile(r"https?://[^\s/?#]+\S*")
DEFAULT_MAX_CONNECTIONS = 40


@dataclass(frozen=True)
class DeliveryAttempt:
    """One POST of an update (or one planned failure in its place)."""

    update_id: int
    time: float
    status: int | None  # the HTTP status the stand-in went by; None without an answer
    error: str | None  # None when delivered
    reached_bot: bool

    @property
    def delivered(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class PlannedFailure:
    status: int
    reached_bot: bool


def wrong_response(status: int, reason: str | None = None) -> str:
    if reason is None:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    return f"Wrong response from the webhook: {status} {reason}".rstrip()


class WebhookDelivery:
    def __init__(
        self,
        updates: UpdateQueue,
        notify: Callable[[], Awaitable[None]],
        *,
        first_pause: float = 0.05,
        longest_pause: float = 1.0,
        timeout: float = 10.0,
    ) -> None:
        self._updates = updates
        self._notify = notify
        self.first_pause = first_pause
        self.longest_pause = longest_pause
        self.timeout = timeout
        self.url = ""
        self.secret_token: str | None = None
        self.allowed_updates: list[str] | None = None
        self.max_connections = DEFAULT_MAX_CONNECTIONS
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.attempts: list[DeliveryAttempt] = []
        self._planned: deque[PlannedFailure] = deque()
        self._task: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None

    @property
    def active(self) -> bool:
        return bool(self.url)

    # -- the Bot API methods ---------------------------------------------------

    async def set(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if not url:  # Telegram: setWebhook with an empty URL removes the webhook
            await self.delete(params)
            return True
        if not WEBHOOK_URL.fullmatch(url):
            raise bad_request("bad webhook: invalid webhook URL specified")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.fullmatch(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        connections = params.get("max_connections", DEFAULT_MAX_CONNECTIONS)
        if not isinstance(connections, int) or not 1 <= connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        allowed = params.get("allowed_updates")
        await self._stop_delivering()
        if params.get("drop_pending_updates"):
            self._updates.drop_pending()
        if isinstance(allowed, list):
            self._updates.allow(allowed)
            self.allowed_updates = allowed or None
        if url != self.url:
            self.last_error_date = self.last_error_message = None
        self.url, self.secret_token, self.max_connections = url, secret, connections
        await self._updates.set_webhook_active(True)
        self._task = asyncio.create_task(self._deliver(), name="standin-webhook")
        return True

    async def delete(self, params: dict[str, Any]) -> bool:
        await self._stop_delivering()
        if params.get("drop_pending_updates"):
            self._updates.drop_pending()
        self.url, self.secret_token = "", None
        self.last_error_date = self.last_error_message = None
        await self._updates.set_webhook_active(False)
        return True

    def info(self) -> dict[str, Any]:
        """getWebhookInfo's answer: optional fields only when they have a value."""
        answer: dict[str, Any] = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates.pending),
        }
        if self.active:
            answer["max_connections"] = self.max_connections
            if self.allowed_updates is not None:
                answer["allowed_updates"] = list(self.allowed_updates)
        if self.last_error_date is not None:
            answer["last_error_date"] = self.last_error_date
            answer["last_error_message"] = self.last_error_message
        return answer

    # -- for tests -------------------------------------------------------------

    def fail_next(self, status: int = 500, *, reached_bot: bool = False) -> None:
        """The next delivery fails with ``status`` as a proxy in front of the bot would
        answer it: before the bot sees the update, or (``reached_bot``) after the bot
        took it and its answer was lost."""
        self._planned.append(PlannedFailure(status, reached_bot))

    def attempts_for(self, update_id: int) -> list[DeliveryAttempt]:
        return [attempt for attempt in self.attempts if attempt.update_id == update_id]

    async def close(self) -> None:
        await self._stop_delivering()
        if self._http is not None:
            await self._http.close()
            self._http = None

    # -- delivering ------------------------------------------------------------

    async def _stop_delivering(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _deliver(self) -> None:
        pause = self.first_pause
        while True:
            update = await self._updates.next_for_webhook()
            if await self._post(update):
                self._updates.remove(update["update_id"])
                pause = self.first_pause
            else:
                await asyncio.sleep(pause)
                pause = min(pause * 2, self.longest_pause)
            await self._notify()

    async def _post(self, update: dict[str, Any]) -> bool:
        planned = self._planned.popleft() if self._planned else None
        status: int | None = None
        error: str | None = None
        reached = planned is None or planned.reached_bot
        if reached:
            status, error = await self._send(update)
        if planned is not None:
            status, error = planned.status, wrong_response(planned.status)
        self.attempts.append(
            DeliveryAttempt(update["update_id"], time.time(), status, error, reached)
        )
        if error is not None:
            self.last_error_date, self.last_error_message = int(time.time()), error
        return error is None

    async def _send(self, update: dict[str, Any]) -> tuple[int | None, str | None]:
        if self._http is None:
            self._http = aiohttp.ClientSession()
        headers = {"Content-Type": "application/json"}
        if self.secret_token:
            headers[SECRET_HEADER] = self.secret_token
        try:
            async with self._http.post(
                self.url,
                data=json.dumps(update, ensure_ascii=False).encode(),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            ) as response:
                await response.read()
        except TimeoutError:
            return None, "Read timeout expired"
        except aiohttp.ClientConnectorError:
            return None, "Connection refused"
        except aiohttp.ClientError as failure:
            return None, f"Connection failed ({type(failure).__name__})"
        if 200 <= response.status < 300:
            return response.status, None
        return response.status, wrong_response(response.status, response.reason)
