"""What became of one message the watchers asked for: the Telegram layer's answer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Outcome(Enum):
    SENT = "sent"  # a new message, or an edit Telegram applied
    UNCHANGED = "unchanged"  # the edit would change nothing: the message already shows it
    GONE = "gone"  # the message to edit is not there any more (the user deleted it)
    UNREACHABLE = "unreachable"  # the user blocked the bot or never started it
    FAILED = "failed"  # anything else; worth trying again at the next cycle


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    message_id: int | None = None

    @property
    def shown(self) -> bool:
        """The user sees what was meant: sent, or already there."""
        return self.outcome in (Outcome.SENT, Outcome.UNCHANGED)
