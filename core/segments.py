"""How many SMS parts a text takes.

GSM-7 fits 160 characters in one SMS and 153 per part of a longer one; the extension
characters (``^{}\\[~]|€`` and the form feed) take two septets each. One character outside
GSM-7 switches the whole text to UCS-2: 70 units in one SMS, 67 per part, where a
character outside the Basic Multilingual Plane (most emoji) takes two units.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


class Encoding(StrEnum):
    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


@dataclass(frozen=True, slots=True)
class SegmentCount:
    encoding: Encoding
    units: int  # septets for GSM-7, 16-bit code units for UCS-2
    segments: int
    # Characters that forced UCS-2, in order of first appearance (empty for GSM-7).
    ucs2_chars: tuple[str, ...]

    @property
    def per_segment(self) -> int:
        if self.encoding is Encoding.GSM7:
            return GSM7_SINGLE if self.segments <= 1 else GSM7_PART
        return UCS2_SINGLE if self.segments <= 1 else UCS2_PART


def gsm7_units(char: str) -> int | None:
    """Septets a character takes in GSM-7, or None when GSM-7 cannot carry it."""
    if char in GSM7_BASIC:
        return 1
    if char in GSM7_EXTENSION:
        return 2
    return None


def ucs2_units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _parts(widths: list[int], single: int, part: int) -> int:
    """Parts needed; a two-unit character (escape pair, surrogate pair) is never split."""
    total = sum(widths)
    if total <= single:
        return 1 if total else 0
    parts, room = 1, part
    for width in widths:
        if width > room:
            parts, room = parts + 1, part
        room -= width
    return parts


def count_segments(text: str) -> SegmentCount:
    widths: list[int] = []
    outside: dict[str, None] = {}
    for char in text:
        units = gsm7_units(char)
        if units is None:
            outside.setdefault(char)
        elif not outside:
            widths.append(units)
    if not outside:
        parts = _parts(widths, GSM7_SINGLE, GSM7_PART)
        return SegmentCount(Encoding.GSM7, sum(widths), parts, ())
    widths = [ucs2_units(char) for char in text]
    parts = _parts(widths, UCS2_SINGLE, UCS2_PART)
    return SegmentCount(Encoding.UCS2, sum(widths), parts, tuple(outside))
