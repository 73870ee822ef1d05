"""The SMS API reference (v2.8.1), field by field, and every way an answer differs from it.

The client reads tolerantly (``models.py``); this is the strict reading, for the
preflight check: it lists each difference (field, expected, got) so that an admin can
tell the maintainers exactly what the real server does. Values that may belong to a
person (phone numbers, names, texts, comments) are described by type and length only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.sms.models import DispatchStatus
from core.sms.problems import FormatProblem, describe

_MOMENT = re.compile(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}")
_DAY = re.compile(r"\d{2}\.\d{2}\.\d{4}")
_STATUSES = sorted(
    status.value for status in DispatchStatus if status is not DispatchStatus.UNKNOWN
)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "integer", "decimal", "string", "moment", "day", "status", "object"
    optional: bool = False
    personal: bool = False
    fields: tuple[Field, ...] = ()  # of an object


ADDRESS_BOOK = (Field("id", "integer"), Field("name", "string", personal=True))
CONTACT = (
    Field("phone", "string", personal=True),
    Field("comment", "string", optional=True, personal=True),
)
DISPATCH = (
    Field("idDispatch", "integer"),
    Field("dateSend", "moment"),
    Field("dateToClose", "moment"),
    Field("status", "status"),
    Field("messagesCount", "integer", optional=True),
    Field("messagesSent", "integer", optional=True),
    Field("messagesDelivered", "integer", optional=True),
    Field("comment", "string", optional=True, personal=True),
    Field("text", "string", personal=True),
    Field("dispatchSource", "string"),
)
BALANCE = (
    Field("balance", "decimal"),
    Field("beginningPeriodBalance", "decimal"),
    Field("limit", "decimal"),
    Field(
        "creditLimit",
        "object",
        optional=True,
        fields=(
            Field("limit", "decimal", optional=True),
            # The reference prints these as dd.MM.yyyy, its general rule says every date
            # carries hh:mm:ss: either is as documented.
            Field("dateStart", "day", optional=True),
            Field("dateEnd", "day", optional=True),
        ),
    ),
    Field("currentPayments", "decimal"),
    Field("currentFees", "decimal"),
)

_EXPECTED = {
    "integer": "an integer",
    "decimal": "a decimal number",
    "string": "text",
    "moment": "a date dd.MM.yyyy HH:mm:ss",
    "day": "a date dd.MM.yyyy",
    "status": "one of " + ", ".join(_STATUSES),
    "object": "an object",
}


def deviations(endpoint: str, data: Any) -> list[FormatProblem]:
    """Every way ``data`` (an answer of ``endpoint``, decoded JSON) differs from the
    reference, each (field, what came) once."""
    found: dict[tuple[str, str], FormatProblem] = {}
    for problem in _answer(endpoint, data):
        found.setdefault((problem.field, problem.got), problem)
    return list(found.values())


def _answer(endpoint: str, data: Any) -> Iterator[FormatProblem]:
    if endpoint == "GET addressbooks":
        yield from _list(endpoint, data, ADDRESS_BOOK)
    elif endpoint == "GET addressbooks/{id}/contacts":
        yield from _list(endpoint, data, CONTACT)
    elif endpoint == "GET dispatches/{id}":
        yield from _object(endpoint, "", data, DISPATCH)
    elif endpoint == "GET finance/balance":
        yield from _object(endpoint, "", data, BALANCE)
    else:
        raise ValueError(f"no reference for {endpoint}")


def _list(endpoint: str, data: Any, fields: tuple[Field, ...]) -> Iterator[FormatProblem]:
    if not isinstance(data, list):
        yield FormatProblem(endpoint, "answer", "a list", describe(data))
        return
    for item in data:
        yield from _object(endpoint, "[].", item, fields)


def _object(
    endpoint: str, prefix: str, data: Any, fields: tuple[Field, ...]
) -> Iterator[FormatProblem]:
    where = prefix.rstrip(".") or "answer"
    if not isinstance(data, dict):
        yield FormatProblem(endpoint, where, "an object", describe(data))
        return
    known = {field.name for field in fields}
    for name in sorted(set(data) - known):
        yield FormatProblem(endpoint, prefix + name, "no such field in the reference", "a field")
    for field in fields:
        if field.name not in data:
            if not field.optional:
                yield FormatProblem(
                    endpoint, prefix + field.name, _EXPECTED[field.kind], "no such field"
                )
            continue
        yield from _value(endpoint, prefix + field.name, data[field.name], field)


def _value(endpoint: str, where: str, value: Any, field: Field) -> Iterator[FormatProblem]:
    def problem() -> FormatProblem:
        return FormatProblem(
            endpoint, where, _EXPECTED[field.kind], describe(value, personal=field.personal)
        )

    if value is None:
        if not field.optional:
            yield problem()
        return
    kind = field.kind
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            yield problem()
    elif kind == "decimal":
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            yield problem()
    elif kind == "string":
        if not isinstance(value, str):
            yield problem()
    elif kind == "moment":
        if not (isinstance(value, str) and _MOMENT.fullmatch(value.strip())):
            yield problem()
    elif kind == "day":
        text = value.strip() if isinstance(value, str) else None
        if text is None or not (_DAY.fullmatch(text) or _MOMENT.fullmatch(text)):
            yield problem()
    elif kind == "status":
        if value not in _STATUSES:
            yield problem()
    elif kind == "object":
        if value == {}:
            return  # "an empty object is returned for an object": no credit
        yield from _object(endpoint, where + ".", value, field.fields)
