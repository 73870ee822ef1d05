"""Settings of one emulator instance: access, time zone, prices and timings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from .dialects import check_dialects


@dataclass
class EmulatorConfig:
    """Everything a test or a demo may want to choose about the emulated API.

    Timings are in emulated seconds. A dispatch is TARIFFING for ``tariffing_seconds``
    after its ``dateSend``, then ACTIVE for ``sending_seconds``, then DELIVERING until
    ``dateToClose = dateSend + close_after_seconds``, then CLOSED.

    ``dialects`` names the ways the API departs from its reference (see
    :mod:`testbed.emulator.dialects`); none by default.
    """

    token: str = "test-token"
    timezone: str = "Europe/Moscow"
    speed: float = 1.0
    start: datetime | None = None
    data_path: Path | str | None = None
    price_per_sms: Decimal | float | str = Decimal("1.0")
    tariffing_seconds: float = 5.0
    sending_seconds: float = 60.0
    close_after_seconds: float = 300.0
    delivery_rate: float = 1.0
    seed: int = 1
    request_log_size: int = 1000
    max_book_size: int = 1_000_000
    dialects: frozenset[str] | Iterable[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.token:
            raise ValueError("the token must not be empty")
        self.dialects = check_dialects(self.dialects)
        ZoneInfo(self.timezone)  # an unknown zone fails here, not on the first request
        self.price_per_sms = Decimal(str(self.price_per_sms))
        if self.price_per_sms < 0:
            raise ValueError("price_per_sms cannot be negative")
        if min(self.tariffing_seconds, self.sending_seconds) < 0:
            raise ValueError("timings cannot be negative")
        if self.close_after_seconds < self.tariffing_seconds + self.sending_seconds:
            raise ValueError("close_after_seconds must cover tariffing_seconds + sending_seconds")
        if not 0 <= self.delivery_rate <= 1:
            raise ValueError("delivery_rate must lie between 0 and 1")

    @property
    def data_file(self) -> Path | None:
        return None if self.data_path is None else Path(self.data_path)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def tariffing(self) -> timedelta:
        return timedelta(seconds=self.tariffing_seconds)

    @property
    def sending(self) -> timedelta:
        return timedelta(seconds=self.sending_seconds)

    @property
    def close_after(self) -> timedelta:
        return timedelta(seconds=self.close_after_seconds)

    def timings(self) -> dict[str, float]:
        return {
            "tariffing_seconds": self.tariffing_seconds,
            "sending_seconds": self.sending_seconds,
            "close_after_seconds": self.close_after_seconds,
            "delivery_rate": self.delivery_rate,
            "price_per_sms": float(self.price_per_sms),
        }
