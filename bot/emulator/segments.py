"""How many SMS parts a text takes: GSM-7 when every character fits, else UCS-2."""

from __future__ import annotations

import math

# GSM 03.38 basic character set (one septet each).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: an escape septet plus one more, so two septets each.
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def count_segments(text: str) -> int:
    """The number of SMS parts ``text`` is sent as (at least one)."""
    septets = _gsm7_septets(text)
    if septets is not None:
        return _parts(septets, GSM7_SINGLE, GSM7_PART)
    # Characters outside the BMP (most emoji) take a surrogate pair in UCS-2/UTF-16.
    units = len(text.encode("utf-16-le")) // 2
    return _parts(units, UCS2_SINGLE, UCS2_PART)


def _gsm7_septets(text: str) -> int | None:
    septets = 0
    for char in text:
        if char in GSM7_BASIC:
            septets += 1
        elif char in GSM7_EXTENSION:
            septets += 2
        else:
            return None
    return septets


def _parts(length: int, single: int, part: int) -> int:
    if length <= single:
        return 1
    return math.ceil(length / part)
