"""The API's JSON bodies as the active dialects speak them: the reference's views, changed.

With no dialect every body is exactly the one :mod:`.views` builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .dates import ApiDates
from .dialects import EMPTY_OBJECTS, MINUTES_ONLY, SECONDS_EVERYWHERE, STRINGS_FOR_NUMBERS
from .lifecycle import Lifecycle
from .models import AddressBook, Dispatch, Wallet
from .views import address_book_view, balance_view, contacts_view, dispatch_view


@dataclass(frozen=True)
class DialectViews:
    """Builds each API body in ``dialects``."""

    dialects: frozenset[str]
    dates: ApiDates

    def address_books(self, books: list[AddressBook]) -> Any:
        return self.finish([address_book_view(book) for book in books])

    def contacts(self, book: AddressBook) -> Any:
        return self.finish(contacts_view(book))

    def dispatch(self, dispatch: Dispatch, now: datetime, lifecycle: Lifecycle) -> Any:
        view = dispatch_view(dispatch, now, lifecycle, self.dates)
        if MINUTES_ONLY in self.dialects:
            view["dateSend"] = self.dates.format_minutes(dispatch.date_send)
            view["dateToClose"] = self.dates.format_minutes(dispatch.date_to_close)
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
        return self.finish(view)

    def finish(self, body: Any) -> Any:
        """What every JSON answer of the service goes through last, error bodies included."""
        if STRINGS_FOR_NUMBERS in self.dialects:
            return _strings_for_numbers(body)
        return body


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
