"""Typed answers of the SMS API v2.8.1.

Field aliases are the API's camelCase names; Python names are snake_case and either
may be used to build a model. Moments need the API's time zone, passed as the
validation context ``{"tz": ZoneInfo(...)}`` (the client does this).
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic.alias_generators import to_camel
from pydantic.dataclasses import dataclass

from core.sms.dates import parse_api_date, parse_api_datetime

TZ_CONTEXT_KEY = "tz"


class ApiModel(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,
    )


class AddressBook(ApiModel):
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Contact:
    """A slotted dataclass, not a model: a book of 100,000 contacts is read whole for a
    send, and as models they took three times the memory (60 MiB instead of 17)."""

    phone: str
    comment: str | None = None


class DispatchStatus(StrEnum):
    IN_QUEUE = "IN_QUEUE"
    TARIFFING = "TARIFFING"
    NOT_ENOUGH_MONEY = "NOT_ENOUGH_MONEY"
    ACTIVE = "ACTIVE"
    DELIVERING = "DELIVERING"
    CLOSED = "CLOSED"
    CANCELED = "CANCELED"
    # A value the seed does not list; the server's word is kept in Dispatch.status_raw.
    UNKNOWN = "UNKNOWN"

    @classmethod
    def _missing_(cls, value: object) -> "DispatchStatus":
        return cls.UNKNOWN

    @property
    def is_final(self) -> bool:
        return self in (DispatchStatus.CLOSED, DispatchStatus.CANCELED)


def _zone(info: ValidationInfo) -> ZoneInfo:
    context = info.context or {}
    tz = context.get(TZ_CONTEXT_KEY)
    if not isinstance(tz, ZoneInfo):
        raise ValueError("the API time zone is needed to read its dates")
    return tz


class Dispatch(ApiModel):
    id: int = Field(alias="idDispatch")
    date_send: datetime
    date_to_close: datetime
    status: DispatchStatus
    status_raw: str
    messages_count: int | None = None
    messages_sent: int | None = None
    messages_delivered: int | None = None
    comment: str | None = None
    text: str
    dispatch_source: str

    @model_validator(mode="before")
    @classmethod
    def _keep_raw_status(cls, data: Any) -> Any:
        if isinstance(data, dict) and "status_raw" not in data and "statusRaw" not in data:
            raw = data.get("status")
            if isinstance(raw, str):  # a StrEnum member is a str too
                data = {**data, "status_raw": str(raw)}
        return data

    @field_validator("date_send", "date_to_close", mode="before")
    @classmethod
    def _api_moment(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            return parse_api_datetime(value, _zone(info))
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=_zone(info))
        return value

    @property
    def is_final(self) -> bool:
        return self.status.is_final


class CreditLimit(ApiModel):
    # The seed marks every part optional, and an empty object stands for "no credit".
    limit: Decimal | None = None
    date_start: date | None = None
    date_end: date | None = None

    @field_validator("date_start", "date_end", mode="before")
    @classmethod
    def _api_day(cls, value: Any) -> Any:
        if isinstance(value, str):
            return parse_api_date(value)
        return value

    def is_active(self, today: date) -> bool:
        """Whether the credit counts on ``today``: both bounds inclusive, a missing
        bound leaves that side open, and no (or a zero) limit is no credit."""
        if not self.limit:
            return False
        if self.date_start is not None and today < self.date_start:
            return False
        return not (self.date_end is not None and today > self.date_end)


class Balance(ApiModel):
    balance: Decimal
    beginning_period_balance: Decimal
    limit: Decimal
    credit_limit: CreditLimit | None = None
    current_payments: Decimal
    current_fees: Decimal

    def available(self, today: date) -> Decimal:
        """What can be spent: the balance, plus the credit while it is active."""
        credit = self.credit_limit
        if credit is not None and credit.limit is not None and credit.is_active(today):
            return self.balance + credit.limit
        return self.balance
