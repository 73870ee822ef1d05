"""Who may do what. Handlers get ``role`` from the access middleware; callback data can be
forged, so every callback handler is guarded by one of these filters, not by the buttons
a user happened to be shown."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from storage.users import Role

CAN_SEND = frozenset({Role.ADMIN, Role.MANAGER})
CAN_READ = frozenset({Role.ADMIN, Role.MANAGER, Role.OBSERVER})
ADMINS = frozenset({Role.ADMIN})


class RoleFilter(Filter):
    def __init__(self, allowed: frozenset[Role]) -> None:
        self.allowed = allowed

    async def __call__(self, event: TelegramObject, role: Role | None = None) -> bool:
        return role in self.allowed


can_send = RoleFilter(CAN_SEND)
can_read = RoleFilter(CAN_READ)
is_admin = RoleFilter(ADMINS)
