"""What an admin may type on /settings: every accepted spelling, every refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.admin.settings.parsing import (
    CLEAR,
    Problem,
    parse_amount,
    parse_count,
    parse_price,
)


@pytest.mark.parametrize(
    "typed",
    ["0,35", "0.35", "0,35 ₽", "0,35₽", "₽0.35", "0.35 руб.", "0,35 рублей", " 0,35р ", "+0.35",
     "0.3500", ".35"],
)  # fmt: skip
def test_a_price_is_read_in_every_usual_spelling(typed: str) -> None:
    assert parse_price(typed) == Decimal("0.35")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("-0,35", Problem.NEGATIVE),
        ("-1", Problem.NEGATIVE),
        ("-0", Problem.ZERO),
        ("−0,35", Problem.NOT_A_NUMBER),  # a minus sign from a word processor is no digit
        ("0", Problem.ZERO),
        ("0,00 ₽", Problem.ZERO),
        ("150", Problem.TOO_HIGH),
        ("9" * 5000, Problem.TOO_HIGH),  # a huge number is refused, not rounded into range
        ("1" + "0" * 400 + ",5", Problem.TOO_HIGH),
        ("100.01", Problem.TOO_HIGH),
        ("0,12345", Problem.TOO_PRECISE),
        ("abc", Problem.NOT_A_NUMBER),
        ("1e3", Problem.NOT_A_NUMBER),
        ("nan", Problem.NOT_A_NUMBER),
        ("inf", Problem.NOT_A_NUMBER),
        ("0,35 $", Problem.NOT_A_NUMBER),
        ("0,3,5", Problem.NOT_A_NUMBER),
        ("", Problem.NOT_A_NUMBER),
        ("₽", Problem.NOT_A_NUMBER),
        ("0,5 0,6", Problem.NOT_A_NUMBER),
        ("0x10", Problem.NOT_A_NUMBER),
        ("<b>1</b>", Problem.NOT_A_NUMBER),
    ],
)
def test_a_bad_price_is_refused_with_its_reason(typed: str, problem: Problem) -> None:
    assert parse_price(typed) == problem


@pytest.mark.parametrize("typed", ["—", "-", "–", " — "])
def test_a_dash_means_no_value(typed: str) -> None:
    assert parse_price(typed) is CLEAR
    assert parse_count(typed) is CLEAR
    assert parse_amount(typed) is CLEAR


def test_the_highest_price_and_four_decimals_are_accepted() -> None:
    assert parse_price("0,5") == Decimal("0.5")
    assert parse_price("100") == Decimal(100)
    assert parse_price("100,0000") == Decimal(100)
    assert parse_price("0,0001") == Decimal("0.0001")


@pytest.mark.parametrize(
    ("typed", "count"),
    [("1000", 1000), ("1 000", 1000), ("1\u00a0000", 1000), ("1,000", 1000), ("1.000.000", 10**6),
     ("5.", 5), ("100000000", 100_000_000)],
)  # fmt: skip
def test_a_count_is_read(typed: str, count: int) -> None:
    assert parse_count(typed) == count


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1,5", Problem.FRACTION),
        ("0.5", Problem.FRACTION),
        ("-10", Problem.NEGATIVE),
        ("0", Problem.ZERO),
        ("100000001", Problem.TOO_HIGH),
        ("ten", Problem.NOT_A_NUMBER),
        ("10 ₽", Problem.NOT_A_NUMBER),  # a count is not money
        ("9" * 5000, Problem.TOO_HIGH),
        ("1e3", Problem.NOT_A_NUMBER),
        ("", Problem.NOT_A_NUMBER),
    ],
)
def test_a_bad_count_is_refused(typed: str, problem: Problem) -> None:
    assert parse_count(typed) == problem


def test_an_amount_is_read_to_the_kopeck() -> None:
    assert parse_amount("1 500") == Decimal("1500.00")
    assert parse_amount("1500,5 ₽") == Decimal("1500.50")
    assert parse_amount("0,001") == Problem.TOO_PRECISE
    assert parse_amount("1000000001") == Problem.TOO_HIGH
    assert parse_amount("-5") == Problem.NEGATIVE
