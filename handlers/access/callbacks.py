"""The buttons of access requests: the request id and one letter for the decision, a list
page, or the newest request a "deny all" covers. Far below 64 bytes."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from storage import Role


class Decision(StrEnum):
    MANAGER = "m"
    OBSERVER = "o"
    DENY = "d"

    @property
    def role(self) -> Role | None:
        """The role an approval grants; None for a denial."""
        return {Decision.MANAGER: Role.MANAGER, Decision.OBSERVER: Role.OBSERVER}.get(self)


class AccessDecision(CallbackData, prefix="ar"):
    request_id: int
    decision: Decision


class PendingDecision(CallbackData, prefix="pq"):
    """A decision from the list of pending requests (an admin's board, or /users)."""

    request_id: int
    decision: Decision
    page: int  # the list page to show again after it


class PendingPage(CallbackData, prefix="pp"):
    page: int


class DenyAllStep(StrEnum):
    ASK = "a"
    YES = "y"
    NO = "n"


class DenyAll(CallbackData, prefix="px"):
    step: DenyAllStep
    up_to: int  # the newest request the admin was shown: none above it is denied
