"""A dispatch as the SMS client hands it over, for tests of what is made of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from core.sms import Dispatch

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def dispatch(status: str = "ACTIVE", text: str = "Hello", send: datetime = NOW) -> Dispatch:
    return Dispatch.model_validate(
        {
            "idDispatch": 7,
            "dateSend": send,
            "dateToClose": send + timedelta(minutes=5),
            "status": status,
            "messagesCount": 3,
            "messagesSent": 1,
            "messagesDelivered": 0,
            "text": text,
            "dispatchSource": "API <bot>",
        },
        context={"tz": MOSCOW},
    )
