"""How Telegram's apps send a text longer than one message may be: as several messages,
one after another, each at most 4,096 UTF-16 code units, cut at a line break or a space
near the end of the room when there is one (the whitespace at the cut is not kept: the
server trims each message), else hard at the limit."""

from __future__ import annotations

MESSAGE_LIMIT = 4096
# A cut at whitespace is looked for in the last quarter of the room.
_LOOK_BACK = MESSAGE_LIMIT // 4


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _index_at_units(text: str, units: int) -> int:
    """The longest prefix of ``text`` (as a str index) that takes at most ``units``."""
    taken = 0
    for index, char in enumerate(text):
        taken += 2 if ord(char) > 0xFFFF else 1
        if taken > units:
            return index
    return len(text)


def split_like_telegram(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    parts: list[str] = []
    rest = text
    while utf16_length(rest) > limit:
        room = _index_at_units(rest, limit)
        floor = max(room - _LOOK_BACK, 1)
        cut = rest.rfind("\n", floor, room)
        if cut < 0:
            cut = rest.rfind(" ", floor, room)
        if cut < 0:
            parts.append(rest[:room])
            rest = rest[room:]
            continue
        parts.append(rest[:cut].rstrip())
        rest = rest[cut + 1 :].lstrip()
    parts.append(rest)
    return [part for part in parts if part]
