"""What can be chosen about a sandbox; the tokens are made up afresh for each one."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

BOT_ID = 7000000001


def _made_up_bot_token() -> str:
    return f"{BOT_ID}:{secrets.token_urlsafe(27)}"


@dataclass
class SandboxOptions:
    host: str = "127.0.0.1"
    port: int = 8080
    # How many times faster than the emulator's usual timings dispatches move by
    # themselves: at 10 one sent "now" is sending within a second and closed in half a
    # minute. The clock itself keeps real time, so times typed in the chat stay valid.
    pace: float = 10.0
    # A stopped clock: dispatches move only when the side panel moves them (tests).
    frozen_clock: bool = False
    poll_interval: float = 2.0
    # The language the people's Telegram apps report; /language in the chat changes it.
    language: str = "ru"  # the bot's default language, as the README says
    # Low enough that the emulator's starting balance (42) raises no alert, high enough
    # that "drain" in the side panel does.
    balance_threshold: int = 10
    log_level: str = "WARNING"
    bot_token: str = field(default_factory=_made_up_bot_token)
    sms_token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
