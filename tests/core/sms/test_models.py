"""Models, dates and error types of the SMS API client."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from core.sms import (
    ERRORS_BY_CODE,
    AddressBook,
    Balance,
    CreditLimit,
    Dispatch,
    DispatchStatus,
    SmsApiCodeError,
    SmsApiError,
    UnknownApiError,
    error_for_code,
    format_api_datetime,
    parse_api_date,
    parse_api_datetime,
)

MOSCOW = ZoneInfo("Europe/Moscow")
CONTEXT = {"tz": MOSCOW}
SEED_DISPATCH: dict[str, Any] = {
    "idDispatch": 1,
    "dateSend": "01.02.2019 11:22:00",
    "dateToClose": "01.02.2019 22:44:00",
    "status": "IN_QUEUE",
    "messagesCount": 1,
    "messagesSent": 0,
    "messagesDelivered": 0,
    "comment": "Комментарий",
    "text": "Текст",
    "dispatchSource": "API",
}
SEED_CODES = {
    "ADDRESS_BOOK_NOT_FOUND",
    "DISPATCH_NOT_FOUND",
    "INVALID_DISPATCH_DATE",
    "INVALID_FORMAT",
    "ARGUMENT_NOT_VALID",
    "DISPATCH_CANCEL_NOT_FOUND",
    "DISPATCH_CAN_NOT_BE_CANCELED",
    "DISPATCH_CAN_NOT_BE_RUN",
}


def balance_with_credit(credit: CreditLimit | None) -> Balance:
    return Balance(
        balance=Decimal("42.0"),
        beginning_period_balance=Decimal("66.0"),
        limit=Decimal("100.0"),
        credit_limit=credit,
        current_payments=Decimal("200.0"),
        current_fees=Decimal("100.0"),
    )


def test_dispatch_dates_are_aware_in_the_api_zone() -> None:
    dispatch = Dispatch.model_validate(SEED_DISPATCH, context=CONTEXT)
    assert dispatch.date_send.tzinfo is MOSCOW
    assert dispatch.date_send.utcoffset() == timedelta(hours=3)
    assert dispatch.date_send.astimezone(UTC) == datetime(2019, 2, 1, 8, 22, tzinfo=UTC)


def test_dispatch_dates_need_the_zone() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        Dispatch.model_validate(SEED_DISPATCH)


def test_dispatch_by_python_names() -> None:
    dispatch = Dispatch(
        id=7,
        date_send=datetime(2030, 1, 1, 9, 0, tzinfo=MOSCOW),
        date_to_close=datetime(2030, 1, 1, 21, 0, tzinfo=MOSCOW),
        status=DispatchStatus.DELIVERING,
        text="t",
        dispatch_source="API",
    )
    assert dispatch.status_raw == "DELIVERING"
    assert dispatch.messages_count is None


def test_models_are_frozen() -> None:
    dispatch = Dispatch.model_validate(SEED_DISPATCH, context=CONTEXT)
    with pytest.raises(ValidationError):
        dispatch.status = DispatchStatus.CLOSED  # type: ignore[misc]
    with pytest.raises(ValidationError):
        AddressBook(id=1, name="a").name = "b"  # type: ignore[misc]


@pytest.mark.parametrize("status", [s.value for s in DispatchStatus if s != "UNKNOWN"])
def test_every_seed_status_is_known(status: str) -> None:
    dispatch = Dispatch.model_validate({**SEED_DISPATCH, "status": status}, context=CONTEXT)
    assert dispatch.status == status
    assert dispatch.status is not DispatchStatus.UNKNOWN
    assert dispatch.status_raw == status


@pytest.mark.parametrize("raw", ["PAUSED", "in_queue", ""])
def test_unknown_status_keeps_the_raw_value(raw: str) -> None:
    dispatch = Dispatch.model_validate({**SEED_DISPATCH, "status": raw}, context=CONTEXT)
    assert dispatch.status is DispatchStatus.UNKNOWN
    assert dispatch.status_raw == raw


def test_only_closed_and_canceled_are_final() -> None:
    final = {s for s in DispatchStatus if s.is_final}
    assert final == {DispatchStatus.CLOSED, DispatchStatus.CANCELED}


def test_status_must_be_a_string() -> None:
    with pytest.raises(ValidationError):
        Dispatch.model_validate({**SEED_DISPATCH, "status": None}, context=CONTEXT)


def test_money_from_floats_has_no_binary_noise() -> None:
    balance = Balance.model_validate(
        {
            "balance": 42.0,
            "beginningPeriodBalance": 0.1,
            "limit": 100,
            "creditLimit": None,
            "currentPayments": 0.3,
            "currentFees": "1.10",
        }
    )
    assert str(balance.balance) == "42.0"
    assert balance.beginning_period_balance == Decimal("0.1")
    assert balance.current_payments == Decimal("0.3")
    assert balance.current_fees == Decimal("1.10")


def test_empty_credit_object_is_no_credit() -> None:
    credit = CreditLimit.model_validate({})
    assert (credit.limit, credit.date_start, credit.date_end) == (None, None, None)
    assert not credit.is_active(date(2019, 1, 15))
    assert balance_with_credit(credit).available(date(2019, 1, 15)) == Decimal("42.0")


@pytest.mark.parametrize(
    ("today", "active"),
    [
        (date(2018, 12, 31), False),
        (date(2019, 1, 1), True),
        (date(2019, 1, 15), True),
        (date(2019, 2, 1), True),
        (date(2019, 2, 2), False),
    ],
)
def test_credit_counts_within_its_dates_inclusive(today: date, active: bool) -> None:
    credit = CreditLimit.model_validate(
        {"limit": Decimal("200.0"), "dateStart": "01.01.2019", "dateEnd": "01.02.2019"}
    )
    assert credit.is_active(today) is active
    expected = Decimal("242.0") if active else Decimal("42.0")
    assert balance_with_credit(credit).available(today) == expected


def test_credit_bound_left_out_is_open() -> None:
    credit = CreditLimit(limit=Decimal(10), date_start=None, date_end=date(2019, 2, 1))
    assert credit.is_active(date(1999, 1, 1))
    assert not credit.is_active(date(2019, 2, 2))


def test_zero_credit_is_no_credit() -> None:
    assert not CreditLimit(limit=Decimal(0)).is_active(date(2019, 1, 1))


def test_balance_without_credit() -> None:
    assert balance_with_credit(None).available(date(2019, 1, 1)) == Decimal("42.0")


def test_api_dates() -> None:
    assert parse_api_date("01.02.2019") == date(2019, 2, 1)
    assert parse_api_datetime("02.11.2099 11:12:33", MOSCOW) == datetime(
        2099, 11, 2, 11, 12, 33, tzinfo=MOSCOW
    )
    with pytest.raises(ValueError):
        parse_api_datetime("2019-02-01T11:22:00", MOSCOW)
    with pytest.raises(ValueError):
        parse_api_date("32.01.2019")


def test_aware_moment_is_written_in_the_api_zone() -> None:
    moment = datetime(2099, 11, 2, 8, 12, 33, 500_000, tzinfo=UTC)
    assert format_api_datetime(moment, MOSCOW) == "02.11.2099 11:12:33"


def test_naive_moment_is_written_as_it_is() -> None:
    assert format_api_datetime(datetime(2099, 1, 2, 3, 4, 5), MOSCOW) == "02.01.2099 03:04:05"


@given(
    st.datetimes(
        min_value=datetime(2015, 1, 1),
        max_value=datetime(2099, 12, 31),
        timezones=st.sampled_from([UTC, MOSCOW, ZoneInfo("Asia/Tokyo")]),
    )
)
def test_a_written_moment_reads_back_to_the_same_second(moment: datetime) -> None:
    back = parse_api_datetime(format_api_datetime(moment, MOSCOW), MOSCOW)
    assert back == moment.replace(microsecond=0)


def test_one_exception_per_seed_code() -> None:
    assert set(ERRORS_BY_CODE) == SEED_CODES
    assert len(set(ERRORS_BY_CODE.values())) == len(SEED_CODES)
    for code, cls in ERRORS_BY_CODE.items():
        assert code == cls.CODE
        error = error_for_code(code, "текст", 400)
        assert type(error) is cls
        assert isinstance(error, SmsApiCodeError)
        assert isinstance(error, SmsApiError)
        assert (error.code, error.server_message, error.http_status) == (code, "текст", 400)


def test_unknown_code_keeps_what_the_server_said() -> None:
    error = error_for_code("NEW_CODE", "что-то новое", 418)
    assert type(error) is UnknownApiError
    assert str(error) == "NEW_CODE (HTTP 418): что-то новое"
