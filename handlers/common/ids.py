"""Reading a dispatch number typed by a user or carried in callback data."""

from __future__ import annotations

import re
from enum import StrEnum

# The API's ids (dispatches, address books) are 32-bit integers: nothing else names one.
MAX_API_ID = 2**31 - 1
_NUMBER = re.compile(r"[#№]?\s*([+-]?\d+)")


class BadDispatchId(StrEnum):
    """Why a text is not a dispatch number; the value is the locale key."""

    NOT_A_NUMBER = "dispatches.not_a_number"
    NOT_POSITIVE = "dispatches.not_positive"
    TOO_BIG = "dispatches.too_big"


def is_api_id(value: int) -> bool:
    return 1 <= value <= MAX_API_ID


def parse_dispatch_id(text: str) -> int | BadDispatchId:
    """``"17"``, ``"#17"`` or ``"№17"`` -> 17; anything else -> the reason it is not an id."""
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        return BadDispatchId.NOT_A_NUMBER
    digits = match.group(1)
    if len(digits.lstrip("+-").lstrip("0")) > len(str(MAX_API_ID)):
        # Checked on the text: int() refuses very long digit strings.
        return BadDispatchId.NOT_POSITIVE if digits.startswith("-") else BadDispatchId.TOO_BIG
    value = int(digits)
    if value < 1:
        return BadDispatchId.NOT_POSITIVE
    if value > MAX_API_ID:
        return BadDispatchId.TOO_BIG
    return value
