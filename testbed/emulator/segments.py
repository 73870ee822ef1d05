"""How many SMS parts the emulator charges for: the same count the bot shows its users."""

from __future__ import annotations

from core import segments


def count_segments(text: str) -> int:
    """The number of SMS parts ``text`` is sent as (at least one)."""
    return max(1, segments.count_segments(text).segments)
