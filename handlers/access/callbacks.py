"""The buttons under an access request: the request id and one letter for the decision."""

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
