"""Reading what an admin types on the send settings screen: a price of one SMS part, a
number of recipients or parts, an amount of money. Each answer is a value or the reason
it is refused; a lone dash means "none"."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum

# Far above any SMS tariff: a price above it is a typo (a total, or kopecks for roubles).
MAX_PRICE = Decimal(100)
PRICE_DECIMALS = 4  # tariffs are quoted to a hundredth of a kopeck
MAX_COUNT = 100_000_000
MAX_AMOUNT = Decimal(1_000_000_000)
MONEY_DECIMALS = 2

CLEAR_WORDS = frozenset({"-", "—", "–"})
_CURRENCY = re.compile(r"(?:₽|руб(?:лей|ля|ль)?\.?|р\.?|rub\.?|rur\.?)", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f'’]+")
_NUMBER = re.compile(r"([+-]?)(\d+(?:\.\d*)?|\.\d+)")
# 1,000 or 1.000 000: groups of thousands, in a count (which has no fraction to mean).
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[.,]\d{3})+")


class Problem(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    ZERO = "zero"
    TOO_HIGH = "too_high"
    TOO_PRECISE = "too_precise"
    FRACTION = "fraction"  # a count that is not whole


class Clear:
    """The answer "no value" (a dash, or the button)."""


CLEAR = Clear()


def _number(text: str, *, money: bool) -> Decimal | Problem | Clear:
    cleaned = text.strip()
    if cleaned in CLEAR_WORDS:
        return CLEAR
    if money:
        cleaned = _CURRENCY.sub("", cleaned)
    cleaned = _SPACES.sub("", cleaned)
    if not money and _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "").replace(".", "")
    cleaned = cleaned.replace(",", ".")
    match = _NUMBER.fullmatch(cleaned)
    if match is None:
        return Problem.NOT_A_NUMBER
    try:
        value = Decimal(match[2])
    except InvalidOperation:  # the pattern admits digits only; kept for safety
        return Problem.NOT_A_NUMBER
    if match[1] == "-" and value != 0:
        return Problem.NEGATIVE
    if value == 0:
        return Problem.ZERO
    return value


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def parse_price(text: str) -> Decimal | Problem | Clear:
    """``0,35``, ``0.35``, ``0,35 ₽``, ``0.35 руб.``: roubles for one SMS part, above zero,
    at most ``MAX_PRICE`` and ``PRICE_DECIMALS`` decimals."""
    value = _number(text, money=True)
    if not isinstance(value, Decimal):
        return value
    if value > MAX_PRICE:
        return Problem.TOO_HIGH
    if _decimals(value) > PRICE_DECIMALS:
        return Problem.TOO_PRECISE
    return value.normalize() if _decimals(value) else value.quantize(Decimal(1))


def parse_amount(text: str) -> Decimal | Problem | Clear:
    """An amount of roubles (a cost limit): above zero, at most two decimals."""
    value = _number(text, money=True)
    if not isinstance(value, Decimal):
        return value
    if value > MAX_AMOUNT:
        return Problem.TOO_HIGH
    if _decimals(value) > MONEY_DECIMALS:
        return Problem.TOO_PRECISE
    return value.quantize(Decimal("0.01"))


def parse_count(text: str) -> int | Problem | Clear:
    """A whole number of recipients or SMS parts: ``1000``, ``1 000``, ``1,000``."""
    value = _number(text, money=False)
    if not isinstance(value, Decimal):
        return value
    if value != value.to_integral_value():
        return Problem.FRACTION
    if value > MAX_COUNT:
        return Problem.TOO_HIGH
    return int(value)
