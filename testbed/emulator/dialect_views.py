"""The API's JSON bodies as the active dialects speak them: the reference's views, changed.

With no dialect every body is exactly the one :mod:`.views` builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .dates import ApiDates
from .dialects import (
    EMPTY_OBJECTS,
    EXTRA_FIELDS,
    MINUTES_ONLY,
    NULLS,
    ODD_CONTACTS,
    SECONDS_EVERYWHERE,
    STRINGS_FOR_NUMBERS,
    UNKNOWN_STATUS,
)
from .lifecycle import Lifecycle
from .models import AddressBook, Dispatch, DispatchStatus, Wallet
from .views import address_book_view, balance_view, contacts_view, dispatch_view

# What a server with the unknown_status dialect says instead of TARIFFING.
MODERATION = "MODERATION"
# The rows odd_contacts mixes into every contacts list: no phone, a phone stored as a
# number, a phone that is not one.
ODD_ROWS: tuple[dict[str, Any], ...] = (
    {"phone": None, "comment": "Номер удалён"},
    {"phone": 380711112233, "comment": "Импорт из Excel"},
    {"phone": "n/a", "comment": "Нет номера"},
)


@dataclass(frozen=True)
class DialectViews:
    """Builds each API body in ``dialects``; ``origin`` (scheme://host:port) prefixes links."""

    dialects: frozenset[str]
    dates: ApiDates
    origin: str = ""

    def address_books(self, books: list[AddressBook]) -> Any:
        views = [address_book_view(book) for book in books]
        if EXTRA_FIELDS in self.dialects:
            for view, book in zip(views, books, strict=True):
                path = f"/sms-api/addressbooks/{book.id}"
                view |= {
                    "createdBy": "web",
                    "version": 0,
                    "_links": {
                        "self": {"href": self.origin + path},
                        "contacts": {"href": f"{self.origin}{path}/contacts"},
                    },
                }
        return self.finish(views)

    def contacts(self, book: AddressBook) -> Any:
        rows = contacts_view(book)
        if NULLS in self.dialects:
            rows = [_without_null_comment(row) for row in rows]
        if ODD_CONTACTS in self.dialects:
            rows = _with_odd_rows(rows)
        if EXTRA_FIELDS in self.dialects:
            rows = [row | {"createdBy": "web", "version": 0} for row in rows]
        return self.finish(rows)

    def dispatch(self, dispatch: Dispatch, now: datetime, lifecycle: Lifecycle) -> Any:
        view = dispatch_view(dispatch, now, lifecycle, self.dates)
        if MINUTES_ONLY in self.dialects:
            view["dateSend"] = self.dates.format_minutes(dispatch.date_send)
            view["dateToClose"] = self.dates.format_minutes(dispatch.date_to_close)
        if UNKNOWN_STATUS in self.dialects and dispatch.status is DispatchStatus.TARIFFING:
            view["status"] = MODERATION
        if NULLS in self.dialects:
            if dispatch.made_in_web:
                view |= {"comment": None, "text": None, "dispatchSource": None}
            if dispatch.status is DispatchStatus.IN_QUEUE:
                view |= {"messagesSent": None, "messagesDelivered": None}
        if EXTRA_FIELDS in self.dialects:
            view |= {
                "createdBy": "web" if dispatch.made_in_web else "api",
                "version": dispatch.epoch,
                "_links": {"self": {"href": f"{self.origin}/sms-api/dispatches/{dispatch.id}"}},
            }
        return self.finish(view)

    def created(self, dispatch_id: int) -> Any:
        """The create's answer: the new dispatch's id."""
        return self.finish(dispatch_id)

    def balance(self, wallet: Wallet) -> Any:
        view = balance_view(wallet, self.dates)
        credit = wallet.credit_limit
        if credit is None:
            if EMPTY_OBJECTS in self.dialects:
                view["creditLimit"] = {}
        else:
            credit_view = view["creditLimit"]
            if SECONDS_EVERYWHERE in self.dialects:
                for key, day in (("dateStart", credit.date_start), ("dateEnd", credit.date_end)):
                    if day is not None:
                        credit_view[key] = self.dates.format_date_at_midnight(day)
            if EXTRA_FIELDS in self.dialects:
                credit_view |= {"createdBy": "web", "version": 0}
        if EXTRA_FIELDS in self.dialects:
            view |= {
                "currency": "RUB",
                "_links": {"self": {"href": f"{self.origin}/sms-api/finance/balance"}},
            }
        return self.finish(view)

    def finish(self, body: Any) -> Any:
        """What every JSON answer of the service goes through last, error bodies included."""
        if STRINGS_FOR_NUMBERS in self.dialects:
            return _strings_for_numbers(body)
        return body


def _without_null_comment(row: dict[str, Any]) -> dict[str, Any]:
    return row if row["comment"] is not None else {"phone": row["phone"]}


def _with_odd_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The odd rows among the good ones: at a third, at two thirds, at the end."""
    first, second = len(rows) // 3, 2 * len(rows) // 3
    null_phone, number_phone, text_phone = (dict(row) for row in ODD_ROWS)
    return [
        *rows[:first],
        null_phone,
        *rows[first:second],
        number_phone,
        *rows[second:],
        text_phone,
    ]


def _strings_for_numbers(value: Any) -> Any:
    """Every number as a JSON string; money (the only fractions) with two decimals."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {key: _strings_for_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_strings_for_numbers(item) for item in value]
    return value
