"""Buttons of the admins' screens. Prefixes are two letters, fields are numbers or one
letter, so every payload stays far below Telegram's 64 bytes."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from storage import Role


class UserActionKind(StrEnum):
    VIEW = "v"  # the user's card
    MANAGER = "m"
    OBSERVER = "o"
    REVOKE = "r"  # asks for confirmation
    REVOKE_CONFIRMED = "y"

    @property
    def role(self) -> Role | None:
        return {UserActionKind.MANAGER: Role.MANAGER, UserActionKind.OBSERVER: Role.OBSERVER}.get(
            self
        )


class UsersPage(CallbackData, prefix="up"):
    page: int


class UserAction(CallbackData, prefix="ua"):
    action: UserActionKind
    user_id: int
    page: int  # the list page to go back to


class AuditPage(CallbackData, prefix="al"):
    page: int


class PermissionChoice(StrEnum):
    SHOW = "s"
    ALLOW = "a"
    FORBID = "f"


class PermissionsAction(CallbackData, prefix="pm"):
    """The permissions screen: shown, or one permission set to the value tapped (a
    repeated tap changes nothing)."""

    choice: PermissionChoice
