"""Loading the emulated account from JSON, and generating large address books."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from .dates import ApiDates
from .models import AddressBook, Contact, CreditLimit, Dispatch, DispatchStatus, Wallet
from .segments import count_segments

DEFAULT_DATA = "default_data.json"
_SUBSCRIBER_NUMBERS = 10**7  # 38071 + 7 digits


@dataclass
class AccountData:
    books: dict[int, AddressBook]
    dispatches: dict[int, Dispatch]
    wallet: Wallet


def load_account(path: Path | None, dates: ApiDates) -> AccountData:
    """Read ``path`` (or the packaged default data) into the emulator's models.

    The file has the API's own field names: ``addressBooks`` (each with ``contacts``),
    ``dispatches`` (GET dispatch bodies plus ``phonesList``) and ``balance``.
    Dispatches from a file are historical: they keep their status until acted upon.
    """
    if path is None:
        text = resources.files(__package__).joinpath(DEFAULT_DATA).read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    raw = json.loads(text)
    books = [_book(item) for item in raw.get("addressBooks", [])]
    dispatches = [_dispatch(item, dates) for item in raw.get("dispatches", [])]
    return AccountData(
        books={book.id: book for book in books},
        dispatches={dispatch.id: dispatch for dispatch in dispatches},
        wallet=_wallet(raw["balance"], dates),
    )


def generate_book(book_id: int, name: str, size: int, rng: random.Random) -> AddressBook:
    """A book of ``size`` distinct valid numbers (38071 + 7 digits), without comments."""
    numbers = rng.sample(range(_SUBSCRIBER_NUMBERS), size)
    return AddressBook(book_id, name, [Contact(f"38071{n:07d}") for n in numbers])


def _book(item: dict[str, Any]) -> AddressBook:
    contacts = [Contact(c["phone"], c.get("comment")) for c in item.get("contacts", [])]
    return AddressBook(int(item["id"]), str(item["name"]), contacts)


def _dispatch(item: dict[str, Any], dates: ApiDates) -> Dispatch:
    text = str(item["text"])
    phones = [str(phone) for phone in item.get("phonesList", [])]
    segments = count_segments(text)
    count = item.get("messagesCount")
    return Dispatch(
        id=int(item["idDispatch"]),
        text=text,
        phones=phones,
        segments=segments,
        messages_count=int(count) if count is not None else len(phones) * segments,
        status=DispatchStatus(item["status"]),
        date_send=dates.parse_datetime(item["dateSend"]),
        date_to_close=dates.parse_datetime(item["dateToClose"]),
        comment=item.get("comment"),
        source=item.get("dispatchSource") or "API",
        historical=True,
        made_in_web=True,
        messages_sent=int(item.get("messagesSent") or 0),
        messages_delivered=int(item.get("messagesDelivered") or 0),
    )


def _wallet(item: dict[str, Any], dates: ApiDates) -> Wallet:
    credit = item.get("creditLimit")
    credit_limit = None
    if credit:
        credit_limit = CreditLimit(
            limit=_money(credit.get("limit") or 0),
            date_start=dates.parse_date(credit["dateStart"]) if credit.get("dateStart") else None,
            date_end=dates.parse_date(credit["dateEnd"]) if credit.get("dateEnd") else None,
        )
    return Wallet(
        balance=_money(item["balance"]),
        beginning_period_balance=_money(item.get("beginningPeriodBalance", item["balance"])),
        limit=_money(item.get("limit", 0)),
        credit_limit=credit_limit,
        current_payments=_money(item.get("currentPayments", 0)),
        current_fees=_money(item.get("currentFees", 0)),
    )


def _money(value: float | int | str) -> Decimal:
    return Decimal(str(value))
