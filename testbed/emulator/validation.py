"""Reading and validating API requests the way the real service does."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .dates import ApiDates
from .errors import argument_not_valid, invalid_dispatch_date, invalid_phone_format

MESSAGE_MAX_LENGTH = 5000
INT32_MAX = 2**31 - 1
PHONE_FORMAT = re.compile(r"38071\d{7}|71\d{7}")
_INTEGER = re.compile(r"[+-]?\d+")


@dataclass(frozen=True)
class NewDispatch:
    text: str
    phones: list[str]
    date_send: datetime | None


def read_json_object(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object, else ARGUMENT_NOT_VALID."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise argument_not_valid("Некорректное тело запроса: ожидается JSON") from None
    if not isinstance(value, dict):
        raise argument_not_valid("Некорректное тело запроса: ожидается JSON-объект")
    return value


def read_new_dispatch(
    body: bytes, dates: ApiDates, now: datetime, minutes_too: bool = False
) -> NewDispatch:
    """Validate a create request: fields first, then phone formats, then the date.

    ``minutes_too``: a ``dateSend`` without seconds (``dd.MM.yyyy HH:mm``) is read too.
    """
    fields = read_json_object(body)
    text = _message(fields.get("message"))
    phones = _phones(fields.get("phonesList"))
    date_send, whole_minutes = _date_send(fields.get("dateSend"), dates, minutes_too)
    for phone in phones:
        if not PHONE_FORMAT.fullmatch(phone):
            raise invalid_phone_format(phone)
    # The API's dates have whole seconds: "now" written back is not in the past. The same
    # holds for whole minutes when the date was written without seconds.
    earliest = now.astimezone(dates.zone).replace(microsecond=0)
    if whole_minutes:
        earliest = earliest.replace(second=0)
    if date_send is not None and date_send < earliest:
        raise invalid_dispatch_date()
    return NewDispatch(text, phones, date_send)


def read_dispatch_id(body: bytes) -> int:
    """The ``idDispatch`` of a cancel or run request."""
    value = read_json_object(body).get("idDispatch")
    if value is None:
        raise argument_not_valid("idDispatch не может иметь значение null")
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > INT32_MAX:
        raise argument_not_valid("idDispatch должно быть целым числом")
    if value < 1:
        raise argument_not_valid("idDispatch должно быть не меньше 1")
    return value


def read_path_id(raw: str) -> int:
    """A ``{id}`` path segment; the service's ids are 32-bit integers."""
    if not _INTEGER.fullmatch(raw) or abs(int(raw)) > INT32_MAX:
        raise argument_not_valid(f"id должно быть целым числом, получено: {raw}")
    return int(raw)


def _message(value: object) -> str:
    if value is None or value == "":
        raise argument_not_valid("message не может быть пусто")
    if not isinstance(value, str):
        raise argument_not_valid("message должно быть строкой")
    # The service counts UTF-16 code units, as Java's String.length() does.
    if len(value.encode("utf-16-le")) // 2 > MESSAGE_MAX_LENGTH:
        raise argument_not_valid(
            f"message размер должен находиться в диапазоне от 1 до {MESSAGE_MAX_LENGTH}"
        )
    return value


def _phones(value: object) -> list[str]:
    if value is None or value == []:
        raise argument_not_valid("phonesList не может быть пусто")
    if not isinstance(value, list) or not all(isinstance(phone, str) for phone in value):
        raise argument_not_valid("phonesList должно быть списком строк")
    return value


def _date_send(value: object, dates: ApiDates, minutes_too: bool) -> tuple[datetime | None, bool]:
    """The send time, and whether it was written in whole minutes."""
    if value is None:
        return None, False
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        if minutes_too and len(value) == len("dd.MM.yyyy HH:mm"):
            return dates.parse_minutes(value), True
        return dates.parse_datetime(value), False
    except ValueError:
        raise argument_not_valid(
            "dateSend должно соответствовать формату dd.MM.yyyy HH:mm:ss"
        ) from None
