"""Helpers for the sandbox's tests: a running sandbox and an HTTP client that calls it as
its page does (with the page's token).

The sandbox runs with a stopped emulator clock, so a dispatch moves only when a test
(or the side panel) moves it, and with a short poll interval, so the bot hears of it soon.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx

from handlers.common.i18n import translator
from testbed.sandbox.guard import TOKEN_HEADER
from testbed.sandbox.options import SandboxOptions
from testbed.sandbox.people import ADMIN, MANAGER, STRANGER
from testbed.sandbox.runner import Sandbox

EN = translator("en")
WAIT = 10.0

__all__ = [
    "ADMIN",
    "EN",
    "MANAGER",
    "STRANGER",
    "WAIT",
    "page_token",
    "running_sandbox",
    "wait_for_message",
]
TOKEN_IN_PAGE = re.compile(r'<meta name="sandbox-token" content="([^"]+)">')


def page_token(html: str) -> str:
    """The control API's token, as the page's script reads it from the page."""
    found = TOKEN_IN_PAGE.search(html)
    assert found, "the page carries no token"
    return found.group(1)


@asynccontextmanager
async def running_sandbox(**options: Any) -> AsyncIterator[tuple[Sandbox, httpx.AsyncClient]]:
    values: dict[str, Any] = {
        "port": 0, "frozen_clock": True, "poll_interval": 0.2, "language": "en",
    }  # fmt: skip
    values.update(options)
    sandbox = await Sandbox.start(SandboxOptions(**values))
    try:
        async with httpx.AsyncClient(
            base_url=sandbox.url, timeout=30, headers={TOKEN_HEADER: sandbox.page_token}
        ) as client:
            yield sandbox, client
    finally:
        await sandbox.stop()


async def wait_for_message(
    client: httpx.AsyncClient,
    user_id: int,
    found: Callable[[dict[str, Any]], bool],
    since: int = 0,
    timeout: float = WAIT,  # noqa: ASYNC109 - a waiting helper
) -> tuple[dict[str, Any], int]:
    """Follow the page's feed, as the page does, until a bot message in this person's
    chat matches; returns it and the feed's seq after it."""
    async with asyncio.timeout(timeout):
        while True:
            feed = (await client.get("/_sandbox/feed", params={"since": since})).json()
            since = feed["seq"]
            chat = feed["chats"].get(str(user_id), {"events": []})
            for event in chat["events"]:
                message = event["message"]
                if event["kind"] != "deleted" and message["from_bot"] and found(message):
                    return message, since
