import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.phones import (
    INVALID_KEPT,
    MAX_ENTRY_LENGTH,
    InvalidPhone,
    PhoneFileError,
    PhoneProblem,
    normalize_phone,
    parse_phone_csv,
    parse_phone_list,
)

subscriber = st.text(alphabet="0123456789", min_size=7, max_size=7)
separators = st.sampled_from(["", " ", "-", "  ", " - ", "."])


@pytest.mark.parametrize(
    "typed",
    [
        "+380 71 123-45-67",
        "380711234567",
        "80711234567",
        "0711234567",
        "711234567",
        "+380711234567",
        "(071) 123-45-67",
        " 71 123 45 67 ",
    ],
)
def test_every_documented_spelling_becomes_canonical(typed: str) -> None:
    assert normalize_phone(typed) == "380711234567"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("+7 949 123-45-67", PhoneProblem.FOREIGN),
        ("79491234567", PhoneProblem.FOREIGN),
        ("1234567", PhoneProblem.WRONG_LENGTH),
        ("7112345678", PhoneProblem.WRONG_LENGTH),
        ("38071123456", PhoneProblem.WRONG_LENGTH),
        ("380501234567", PhoneProblem.WRONG_OPERATOR),
        ("0501234567", PhoneProblem.WRONG_OPERATOR),
        ("71-abc-45", PhoneProblem.NOT_DIGITS),
        ("٧١١٢٣٤٥٦٧", PhoneProblem.NOT_DIGITS),
        ("38071١٢٣٤٥٦٧", PhoneProblem.NOT_DIGITS),  # twelve digits, not ASCII ones
        ("", PhoneProblem.NOT_DIGITS),
    ],
)
def test_anything_else_is_refused_with_a_reason(typed: str, problem: PhoneProblem) -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalize_phone(typed)
    assert caught.value.problem is problem
    assert caught.value.raw == typed


@given(subscriber)
def test_a_canonical_number_is_returned_itself_not_a_copy(digits: str) -> None:
    # A book of a million numbers then holds each string once, for its contacts and for
    # the list that is sent.
    phone = "".join(["38071", digits])
    assert normalize_phone(phone) is phone


@given(subscriber, st.sampled_from(["+380", "380", "80", "0", ""]), separators)
def test_prefix_spellings_agree(digits: str, prefix: str, sep: str) -> None:
    typed = f"{prefix}71{sep}{digits[:3]}{sep}{digits[3:5]}{sep}{digits[5:]}"
    assert normalize_phone(typed) == f"38071{digits}"


@given(st.text(max_size=40))
def test_normalize_returns_canonical_or_raises(text: str) -> None:
    try:
        phone = normalize_phone(text)
    except InvalidPhone:
        return
    assert len(phone) == 12 and phone.startswith("38071") and phone.isdigit()


@given(st.lists(subscriber, min_size=1, max_size=30), st.sampled_from([",", ";", "\n", " ", ", "]))
def test_list_drops_duplicates_and_keeps_order(numbers: list[str], sep: str) -> None:
    typed = sep.join(f"71{n}" for n in numbers + numbers[:1])
    result = parse_phone_list(typed)
    expected = list(dict.fromkeys(f"38071{n}" for n in numbers))
    assert result.valid == expected
    assert result.duplicates == len(numbers) + 1 - len(expected)
    assert result.invalid == []


def test_list_with_grouped_numbers_and_garbage_reports_each_entry_once_as_written() -> None:
    result = parse_phone_list(
        "+380 71 123-45-67\n0711234568 0711234569\nhello; 12345; 711234567; +7 999 123 45 67"
    )
    assert result.valid == ["380711234567", "380711234568", "380711234569"]
    assert result.duplicates == 1
    assert [bad.raw for bad in result.invalid] == ["hello", "12345", "+7 999 123 45 67"]
    assert [bad.problem for bad in result.invalid][-1] is PhoneProblem.FOREIGN
    assert result.invalid_count == 3


def test_an_entry_of_a_number_and_something_else_is_one_bad_entry() -> None:
    result = parse_phone_list("+380 71 123-45-67 call after 5")
    assert result.valid == [] and [bad.raw for bad in result.invalid] == [
        "+380 71 123-45-67 call after 5"
    ]


def test_a_million_bad_lines_keep_a_hundred_and_count_the_rest() -> None:
    result = parse_phone_list("x\n" * 1_000_000)
    assert result.invalid_count == 1_000_000 and len(result.invalid) == INVALID_KEPT


def test_a_very_long_entry_is_cut_and_refused() -> None:
    result = parse_phone_list("7" * 10_000)
    assert result.valid == [] and len(result.invalid[0].raw) == MAX_ENTRY_LENGTH


def test_a_csv_with_a_cell_past_the_csv_limit_is_refused_with_a_reason() -> None:
    with pytest.raises(PhoneFileError, match="field larger than field limit"):
        parse_phone_csv("phone\n" + "1" * 200_000 + "\n")


def test_csv_skips_headers_and_names() -> None:
    text = "phone;name\n+380711234567;Ann\n0711234568;Bob\n0501234567;Eve\n"
    result = parse_phone_csv(text)
    assert result.valid == ["380711234567", "380711234568"]
    assert [bad.raw for bad in result.invalid] == ["0501234567"]


def test_long_single_line_list_is_parsed_in_linear_time() -> None:
    numbers = " ".join(f"71{n:07d}" for n in range(20000))
    result = parse_phone_list(numbers)
    assert len(result.valid) == 20000
