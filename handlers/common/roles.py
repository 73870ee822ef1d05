"""Who may do what. The role is the update context's (``ctx.role``); callback data can be
forged, so every callback handler is guarded by one of these filters, not by the buttons
a user happened to be shown."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from handlers.common.context import Context
from storage import Role

CAN_SEND = frozenset({Role.ADMIN, Role.MANAGER})
CAN_READ = frozenset({Role.ADMIN, Role.MANAGER, Role.OBSERVER})
ADMINS = frozenset({Role.ADMIN})


class RoleFilter(Filter):
    def __init__(self, allowed: frozenset[Role]) -> None:
        self.allowed = allowed

    async def __call__(self, event: TelegramObject, ctx: Context | None = None) -> bool:
        return ctx is not None and ctx.role in self.allowed


can_send = RoleFilter(CAN_SEND)
can_read = RoleFilter(CAN_READ)
is_admin = RoleFilter(ADMINS)
