"""The emulated client account and every operation on it, API and control alike."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from . import errors
from .clock import EmulatorClock
from .config import EmulatorConfig
from .data import generate_book, load_account
from .dates import ApiDates
from .dialect_views import DialectViews
from .dialects import check_dialects
from .faults import FaultInjector
from .lifecycle import Lifecycle
from .models import CANCELABLE, RUNNABLE, AddressBook, CreditLimit, Dispatch, DispatchStatus
from .request_log import RequestLog
from .scheduler import StepQueue
from .segments import count_segments
from .validation import NewDispatch
from .views import balance_view, contacts_json, dispatch_view


class EmulatorState:
    """Address books, dispatches, the wallet, the clock, faults and the request log.

    Dispatch steps are taken lazily: every operation first fires, in time order, the
    steps that fell due since the last one, so reading after advancing the clock shows
    the new status.
    """

    def __init__(
        self, config: EmulatorConfig | None = None, clock: EmulatorClock | None = None
    ) -> None:
        self.config = config or EmulatorConfig()
        self.clock = clock or EmulatorClock(start=self.config.start, speed=self.config.speed)
        self.dates = ApiDates(self.config.zone)
        account = load_account(self.config.data_file, self.dates)
        self.books = account.books
        self.dispatches = account.dispatches
        self.wallet = account.wallet
        self.lifecycle = Lifecycle(self.config, self.wallet, self.dates)
        self.steps = StepQueue()
        for dispatch in self.dispatches.values():
            self.steps.watch(dispatch)
        self.faults = FaultInjector(self.config.seed)
        self.requests = RequestLog(self.config.request_log_size)
        self.blocked = False  # the operator blocked the user: the API answers 401
        # The dialects spoken now: the config's at first, replaced by set_dialects.
        self.dialects: frozenset[str] = check_dialects(self.config.dialects)
        self._book_rng = random.Random(self.config.seed)
        self._session_rng = random.Random(self.config.seed)
        self._next_dispatch_id = max(self.dispatches, default=0) + 1

    def settle(self) -> datetime:
        """Fire every step due by now; return that now."""
        now = self.clock.now()
        for at, dispatch in self.steps.due(now):
            self.lifecycle.fire(dispatch, at)
            self.steps.watch(dispatch)
        return now

    # The SMS API.

    def address_books(self) -> list[AddressBook]:
        return sorted(self.books.values(), key=lambda book: book.id)

    def address_book(self, book_id: int) -> AddressBook:
        book = self.books.get(book_id)
        if book is None:
            raise errors.address_book_not_found(book_id)
        return book

    def views(self, origin: str = "") -> DialectViews:
        """The API's bodies in the dialects spoken now; ``origin`` prefixes their links."""
        return DialectViews(self.dialects, self.dates, origin)

    def dispatch_body(self, dispatch_id: int, views: DialectViews | None = None) -> Any:
        now = self.settle()
        dispatch = self.dispatches.get(dispatch_id)
        if dispatch is None:
            raise errors.dispatch_not_found(dispatch_id)
        return (views or self.views()).dispatch(dispatch, now, self.lifecycle)

    def create_dispatch(self, new: NewDispatch) -> int:
        now = self.settle()
        start = new.date_send or now
        segments = count_segments(new.text)
        dispatch = Dispatch(
            id=self._next_dispatch_id,
            text=new.text,
            phones=list(new.phones),
            segments=segments,
            messages_count=len(new.phones) * segments,
            status=DispatchStatus.IN_QUEUE,
            date_send=start,
            date_to_close=start,
        )
        self.lifecycle.start_run(dispatch, start)
        self.dispatches[dispatch.id] = dispatch
        self.steps.watch(dispatch)
        self._next_dispatch_id += 1
        return dispatch.id

    def cancel_dispatch(self, dispatch_id: int) -> None:
        now = self.settle()
        dispatch = self.dispatches.get(dispatch_id)
        if dispatch is None:
            raise errors.dispatch_cancel_not_found(dispatch_id)
        if dispatch.status not in CANCELABLE:
            raise errors.dispatch_can_not_be_canceled(dispatch_id)
        self.lifecycle.cancel(dispatch, now)

    def run_dispatch(self, dispatch_id: int) -> None:
        now = self.settle()
        dispatch = self.dispatches.get(dispatch_id)
        if dispatch is None:
            raise errors.dispatch_not_found(dispatch_id)
        if dispatch.status not in RUNNABLE:
            raise errors.dispatch_can_not_be_run(dispatch_id)
        self.lifecycle.rerun(dispatch, now)
        self.steps.watch(dispatch)

    def balance_body(self, views: DialectViews | None = None) -> Any:
        self.settle()
        return (views or self.views()).balance(self.wallet)

    # The control side: what tests, benchmarks and demos change by hand.

    def advance_clock(self, seconds: float) -> datetime:
        self.clock.advance(seconds)
        return self.settle()

    def hurry_dispatch(self, dispatch_id: int) -> dict[str, Any]:
        """Move a dispatch to its next status now (NoNextStatus if it has none)."""
        now = self.settle()
        dispatch = self.dispatches.get(dispatch_id)
        if dispatch is None:
            raise errors.dispatch_not_found(dispatch_id)
        self.lifecycle.hurry(dispatch, now)
        self.steps.watch(dispatch)
        return dispatch_view(dispatch, now, self.lifecycle, self.dates)

    def set_balance(self, amount: Decimal) -> None:
        self.settle()
        self.wallet.balance = amount

    def add_balance(self, amount: Decimal) -> None:
        self.settle()
        self.wallet.top_up(amount)

    def set_credit_limit(self, credit: CreditLimit | None) -> None:
        self.settle()
        self.wallet.credit_limit = credit

    def new_session_id(self) -> str:
        """A servlet container's session id: 32 hexadecimal digits, from the seed."""
        return f"{self._session_rng.getrandbits(128):032X}"

    def set_dialects(self, names: Iterable[str]) -> frozenset[str]:
        """Speak exactly ``names`` from now on (ValueError for an unknown one)."""
        self.dialects = check_dialects(names)
        return self.dialects

    def add_book(self, name: str, size: int) -> AddressBook:
        book_id = max(self.books, default=0) + 1
        book = generate_book(book_id, name, size, self._book_rng)
        # Written now, so that the first GET of a big book costs what every GET costs.
        book.contacts_json = contacts_json(book)
        self.books[book_id] = book
        return book

    def snapshot(self) -> dict[str, Any]:
        """Everything a test or a side panel wants to see at once."""
        now = self.settle()
        dispatches = []
        for dispatch in sorted(self.dispatches.values(), key=lambda d: d.id):
            view = dispatch_view(dispatch, now, self.lifecycle, self.dates)
            view["phonesCount"] = len(dispatch.phones)
            view["historical"] = dispatch.historical
            dispatches.append(view)
        return {
            "clock": self.dates.format_datetime(now),
            "timezone": self.config.timezone,
            "speed": self.clock.speed,
            "blocked": self.blocked,
            "dialects": sorted(self.dialects),
            "balance": balance_view(self.wallet, self.dates),
            "dispatches": dispatches,
            "addressBooks": [
                {"id": book.id, "name": book.name, "size": len(book.contacts)}
                for book in self.address_books()
            ],
            "faults": self.faults.as_dict(),
            "timings": self.config.timings(),
        }
