"""Magic filters checked in the event loop.

aiogram runs a plain synchronous filter, a bare ``F...`` included, in a worker thread
(``asyncio.to_thread``) for every update it meets: the thread hop costs far more than
the check. Wrapped in an async filter, the same rule is checked in place.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import TelegramObject
from magic_filter import MagicFilter


class InLoop(Filter):
    def __init__(self, rule: MagicFilter) -> None:
        self.rule = rule

    async def __call__(self, event: TelegramObject) -> bool | dict[str, Any]:
        result = self.rule.resolve(event)
        return result if isinstance(result, dict) else bool(result)
