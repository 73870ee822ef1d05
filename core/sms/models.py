"""Typed answers of the SMS API v2.8.1.

Field aliases are the API's camelCase names; Python names are snake_case and either
may be used to build a model. Moments need the API's time zone, passed as the
validation context ``{"tz": ZoneInfo(...)}`` (the client does this).

Read tolerantly where the data allows, strictly where money is at stake (the reference
says "false" under "optional" for fields a real server leaves empty). What each field is
needed for, and what an unreadable one costs:

- a dispatch: ``idDispatch``, ``status`` (any text: one the reference does not list is
  shown as it came) and ``dateSend`` are needed to follow it; without them the dispatch
  cannot be shown (its card is lost, nothing else). ``dateToClose``, the counts,
  ``comment``, ``text`` and ``dispatchSource`` may be null or missing (shown as "—").
- the balance: ``balance`` is needed (no balance screen, no low-balance alert without it);
  the other amounts may be null, missing or unreadable (shown as "—"); an unreadable
  credit block costs the credit line (and the credit in "available"), not the balance.
- a contact: a ``phone`` that is null, or not text, is a contact without a usable number:
  reported as invalid with the book's other problems, never failing the book.

Dates are read with or without seconds (the credit's days also with a time); numbers as
JSON numbers or numeric strings; fields the reference does not list are ignored.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

import msgspec
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from core.sms.dates import parse_api_date, parse_api_datetime

TZ_CONTEXT_KEY = "tz"
# A list in the validation context that collects what was read around: (field, expected, got).
PROBLEMS_CONTEXT_KEY = "problems"


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


class Contact(msgspec.Struct, frozen=True, gc=False):
    """A compact struct, not a model: a book of a million contacts is read whole for a
    send (a pydantic model took 600 bytes, a slotted dataclass 48, this 32, and the
    garbage collector never walks it: it holds only strings).
    ``phone`` is None when the server gave none that is text or a number."""

    phone: str | None = None
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
    date_to_close: datetime | None = None
    status: DispatchStatus
    status_raw: str
    messages_count: int | None = None
    messages_sent: int | None = None
    messages_delivered: int | None = None
    comment: str | None = None
    text: str | None = None
    dispatch_source: str | None = None

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


# Amounts of the balance answer the bot can do without: shown as "—" when unreadable.
_SPARE_AMOUNTS = ("beginningPeriodBalance", "limit", "currentPayments", "currentFees")


def _note(info: ValidationInfo, field: str, expected: str, got: Any) -> None:
    problems = (info.context or {}).get(PROBLEMS_CONTEXT_KEY)
    if isinstance(problems, list):
        problems.append((field, expected, got))


def _first_error(error: ValidationError) -> tuple[str, str]:
    detail = error.errors(include_url=False, include_input=False)[0]
    return ".".join(str(part) for part in detail["loc"]), detail["msg"]


class Balance(ApiModel):
    balance: Decimal
    beginning_period_balance: Decimal | None = None
    limit: Decimal | None = None
    credit_limit: CreditLimit | None = None
    credit_readable: bool = True  # False: the server sent a credit block the bot cannot read
    current_payments: Decimal | None = None
    current_fees: Decimal | None = None

    @model_validator(mode="before")
    @classmethod
    def _tolerate_spare_parts(cls, data: Any, info: ValidationInfo) -> Any:
        """What the bot can do without costs its line on the screen, not the balance."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        credit = data.get("creditLimit")
        if credit in ([], {}):  # "an empty object" for no credit, or a list for none
            data["creditLimit"] = None
        elif credit is not None:
            try:
                CreditLimit.model_validate(credit, context=info.context)
            except ValidationError as error:
                where, why = _first_error(error)
                _note(info, f"creditLimit.{where}", why, credit)
                data["creditLimit"] = None
                data["credit_readable"] = False
        for name in _SPARE_AMOUNTS:
            value = data.get(name)
            if value is not None and not _is_amount(value):
                _note(info, name, "a decimal number", value)
                data[name] = None
        return data

    def available(self, today: date) -> Decimal:
        """What can be spent: the balance, plus the credit while it is active."""
        credit = self.credit_limit
        if credit is not None and credit.limit is not None and credit.is_active(today):
            return self.balance + credit.limit
        return self.balance


def _is_amount(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    if isinstance(value, str):
        try:
            Decimal(value.strip())
        except ArithmeticError:
            return False
        return value.strip() != ""
    return False


class ContactPhone(msgspec.Struct, frozen=True, gc=False):
    """A contact's phone alone, its comment skipped unread: all a send needs of a book
    (a million 20-letter names would be 130 MiB more)."""

    phone: str | None = None


class _Phoned(Protocol):
    @property
    def phone(self) -> str | None: ...


Row = TypeVar("Row", bound=_Phoned)
_NO_PHONE = ("[].phone", "a phone number as text")
_CONTACTS_JSON = msgspec.json.Decoder(list[Contact])
_PHONES_JSON = msgspec.json.Decoder(list[ContactPhone])


def decode_contacts(
    content: bytes, problems: list[tuple[str, str, Any]] | None = None
) -> list[Contact] | None:
    """A book's contacts straight from the answer's bytes, when every row has the
    documented shape (``phone`` and ``comment`` text, null or missing; other fields are
    ignored); None for anything else, which :func:`read_contacts` then reads from the
    decoded JSON.

    Why: ``json.loads`` builds a dict per row first; for a million contacts that took
    1.6 s and 320 MiB at the peak, this 0.1 s and 110 MiB (``docs/performance.md``).
    """
    return _decode(_CONTACTS_JSON, content, problems)


def decode_contact_phones(
    content: bytes, problems: list[tuple[str, str, Any]] | None = None
) -> list[ContactPhone] | None:
    """As :func:`decode_contacts`, the phones alone: the comments are not read at all."""
    return _decode(_PHONES_JSON, content, problems)


def _decode(
    decoder: msgspec.json.Decoder[list[Row]],
    content: bytes,
    problems: list[tuple[str, str, Any]] | None,
) -> list[Row] | None:
    try:
        rows = decoder.decode(content)
    except (msgspec.MsgspecError, ValueError):  # not this shape, or not JSON that it reads
        return None
    if problems is not None and any(row.phone is None for row in rows):
        problems.append((*_NO_PHONE, None))
    return rows


def read_contacts(data: Any, problems: list[tuple[str, str, Any]] | None = None) -> list[Contact]:
    """A book's contacts from the API's decoded JSON, one per row whatever its shape.

    A phone given as a JSON number is read as its digits; one that is null, missing or of
    another type becomes ``None`` (the row is noted in ``problems``, once).
    """
    if not isinstance(data, list):
        raise TypeError("the contacts are not a list")
    contacts: list[Contact] = []
    noted = False
    for row in data:
        phone: Any = row.get("phone") if isinstance(row, dict) else None
        comment: Any = row.get("comment") if isinstance(row, dict) else None
        if isinstance(phone, int) and not isinstance(phone, bool):
            phone = str(phone)
        elif not isinstance(phone, str):
            if not noted and problems is not None:
                problems.append((*_NO_PHONE, phone))
                noted = True
            phone = None
        contacts.append(Contact(phone, comment if isinstance(comment, str) else None))
    return contacts
