"""What every dispatch handler works with, gathered once per update by a middleware."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject

from core.settings import Settings
from core.sms import SmsApiClient
from handlers.common.i18n import Translator
from handlers.dispatches.failures import SmsFailure, explain_failure
from storage import Role, Storage, User


@dataclass(frozen=True)
class Desk:
    bot: Bot
    settings: Settings
    store: Storage
    sms: SmsApiClient
    t: Translator
    role: Role | None
    user: User

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.timezone

    @property
    def user_id(self) -> int:
        return self.user.user_id

    async def explain(self, error: SmsFailure, dispatch_id: int | None = None) -> str:
        return await explain_failure(
            error,
            self.t,
            bot=self.bot,
            store=self.store,
            settings=self.settings,
            dispatch_id=dispatch_id,
        )


class DeskMiddleware(BaseMiddleware):
    """Inner middleware: runs only for updates one of the feature's handlers takes."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data["desk"] = Desk(
            bot=data["bot"],
            settings=data["settings"],
            store=data["store"],
            sms=data["sms"],
            t=data["t"],
            role=data["role"],
            user=data["user"],
        )
        return await handler(event, data)
