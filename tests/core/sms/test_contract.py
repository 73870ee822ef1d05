"""The client against the SMS API emulator over real HTTP: every endpoint, every
error code, a rejected token, server errors, timeouts and garbage answers."""

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.sms import (
    AddressBook,
    AddressBookNotFound,
    ArgumentNotValid,
    Contact,
    DispatchCancelNotFound,
    DispatchCanNotBeCanceled,
    DispatchCanNotBeRun,
    DispatchNotFound,
    DispatchOutcomeUnknown,
    DispatchStatus,
    InvalidDispatchDate,
    InvalidFormat,
    InvalidResponse,
    ServiceUnavailable,
    SmsApiClient,
    SmsApiCodeError,
    TokenRejected,
)
from testbed.emulator import RunningEmulator, start_emulator

TOKEN = "tok-SECRET-123"
MOSCOW = ZoneInfo("Europe/Moscow")
START = datetime(2030, 1, 10, 9, 0, tzinfo=MOSCOW)
PHONES = ["380710000000", "711234567"]


@pytest.fixture(autouse=True)
def no_token_in_client_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    # The control API's own requests (a plain httpx client here) carry it, and are
    # the only ones allowed to.
    records = caplog.get_records("setup") + caplog.get_records("call")
    leaks = [
        r.getMessage()
        for r in records
        if TOKEN in r.getMessage() and "/_emulator/" not in r.getMessage()
    ]
    assert not leaks
    assert any(r.name.startswith(("httpcore", "core.sms")) for r in records)  # DEBUG was on


@pytest.fixture
async def emulator() -> AsyncIterator[RunningEmulator]:
    # A frozen clock: only the tests move time.
    emu = await start_emulator(
        token=TOKEN,
        speed=0,
        start=START,
        tariffing_seconds=5,
        sending_seconds=60,
        close_after_seconds=300,
    )
    yield emu
    await emu.stop()


@pytest.fixture
async def client(emulator: RunningEmulator) -> AsyncIterator[SmsApiClient]:
    async with SmsApiClient(
        emulator.url, TOKEN, MOSCOW, timeout=0.3, create_timeout=0.3, backoff=0.01
    ) as api:
        yield api


@pytest.fixture
async def control(emulator: RunningEmulator) -> AsyncIterator[httpx.AsyncClient]:
    """The emulator's own control API."""
    async with httpx.AsyncClient(
        base_url=f"{emulator.url}/_emulator", params={"token": TOKEN}
    ) as http:
        yield http


async def post(control: httpx.AsyncClient, path: str, body: dict[str, Any]) -> Any:
    response = await control.post(path, json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def api_requests(
    control: httpx.AsyncClient, method: str, path: str, at_least: int = 1
) -> list[Any]:
    """The API requests the emulator received, as its request log has them.

    The log gets a request when the emulator is done with it, and a request the
    client gave up on may still be held: wait (briefly) for ``at_least`` of them.
    """
    deadline = asyncio.get_running_loop().time() + 3.0
    while True:
        response = await control.get("/requests")
        assert response.status_code == 200, response.text
        seen = [e for e in response.json() if (e["method"], e["path"]) == (method, path)]
        if len(seen) >= at_least or asyncio.get_running_loop().time() > deadline:
            return seen
        await asyncio.sleep(0.02)


async def dispatch_ids(control: httpx.AsyncClient) -> list[int]:
    response = await control.get("/state")
    return [d["idDispatch"] for d in response.json()["dispatches"]]


# --- the seven endpoints -----------------------------------------------------------


async def test_address_books_and_contacts(client: SmsApiClient) -> None:
    books = await client.address_books()
    assert books[:2] == [AddressBook(id=1, name="name1"), AddressBook(id=2, name="name2")]
    assert await client.contacts(1) == [
        Contact(phone="380710000000", comment="Контакт 1"),
        Contact(phone="380719999999", comment="Контакт 2"),
    ]
    assert await client.contacts(2) == []
    for book in books:  # every default book parses, nulls included
        await client.contacts(book.id)


async def test_the_seed_dispatch(client: SmsApiClient) -> None:
    dispatch = await client.dispatch(1)
    assert dispatch.id == 1
    assert dispatch.date_send == datetime(2019, 2, 1, 11, 22, tzinfo=MOSCOW)
    assert dispatch.date_to_close == datetime(2019, 2, 1, 22, 44, tzinfo=MOSCOW)
    assert dispatch.status is DispatchStatus.IN_QUEUE
    assert (dispatch.text, dispatch.comment, dispatch.dispatch_source) == (
        "Текст",
        "Комментарий",
        "API",
    )


async def test_the_seed_balance(client: SmsApiClient) -> None:
    balance = await client.balance()
    assert balance.balance == Decimal("42.0")
    assert balance.beginning_period_balance == Decimal("66.0")
    assert balance.limit == Decimal("100.0")
    assert balance.current_payments == Decimal("200.0")
    assert balance.current_fees == Decimal("100.0")
    assert balance.credit_limit is not None
    assert balance.available(datetime(2019, 1, 31).date()) == Decimal("242.0")
    assert balance.available(START.date()) == Decimal("42.0")


async def test_a_scheduled_dispatch_lives_through_its_statuses(
    client: SmsApiClient, control: httpx.AsyncClient
) -> None:
    send_at = START + timedelta(hours=1)
    dispatch_id = await client.create_dispatch("Привет", PHONES, send_at.astimezone(UTC))
    [request] = await api_requests(control, "POST", "/sms-api/dispatches")
    assert request["body"] == {
        "message": "Привет",
        "dateSend": "10.01.2030 10:00:00",
        "phonesList": PHONES,
    }
    created = await client.dispatch(dispatch_id)
    assert created.status is DispatchStatus.IN_QUEUE
    assert created.date_send == send_at
    assert created.text == "Привет"
    assert created.messages_count == 2

    await post(control, "/clock/advance", {"seconds": 3600 + 5 + 1})
    assert (await client.dispatch(dispatch_id)).status is DispatchStatus.ACTIVE
    await post(control, "/clock/advance", {"seconds": 300})
    closed = await client.dispatch(dispatch_id)
    assert closed.status is DispatchStatus.CLOSED
    assert closed.is_final
    assert closed.messages_delivered == 2
    assert (await client.balance()).balance == Decimal("40.0")  # 2 SMS at 1.0


async def test_a_dispatch_without_money(client: SmsApiClient, control: httpx.AsyncClient) -> None:
    await post(control, "/balance", {"set": 0})
    dispatch_id = await client.create_dispatch("Привет", PHONES)
    await post(control, "/clock/advance", {"seconds": 10})
    assert (await client.dispatch(dispatch_id)).status is DispatchStatus.NOT_ENOUGH_MONEY
    await post(control, "/balance", {"add": 100})
    await client.run_dispatch(dispatch_id)
    await post(control, "/clock/advance", {"seconds": 10})
    assert (await client.dispatch(dispatch_id)).status is DispatchStatus.ACTIVE


async def test_cancel_and_run(client: SmsApiClient) -> None:
    dispatch_id = await client.create_dispatch("Привет", PHONES, START + timedelta(days=1))
    assert await client.cancel_dispatch(dispatch_id) is None
    assert (await client.dispatch(dispatch_id)).status is DispatchStatus.CANCELED
    assert await client.run_dispatch(dispatch_id) is None
    assert (await client.dispatch(dispatch_id)).status is DispatchStatus.IN_QUEUE


# --- the eight error codes -----------------------------------------------------------


async def test_every_error_code(client: SmsApiClient, control: httpx.AsyncClient) -> None:
    queued = await client.create_dispatch("Привет", PHONES, START + timedelta(days=1))
    closed = await client.create_dispatch("Привет", PHONES)
    await post(control, "/clock/advance", {"seconds": 400})
    past = START - timedelta(minutes=1)
    cases: list[tuple[type[SmsApiCodeError], Any]] = [
        (AddressBookNotFound, client.contacts(999)),
        (DispatchNotFound, client.dispatch(999)),
        (InvalidDispatchDate, client.create_dispatch("Привет", PHONES, past)),
        (InvalidFormat, client.create_dispatch("Привет", ["1234567"])),
        (ArgumentNotValid, client.create_dispatch("", PHONES)),
        (DispatchCancelNotFound, client.cancel_dispatch(999)),
        (DispatchCanNotBeCanceled, client.cancel_dispatch(closed)),
        (DispatchNotFound, client.run_dispatch(999)),
        (DispatchCanNotBeRun, client.run_dispatch(queued)),
    ]
    codes = set()
    for error, call in cases:
        with pytest.raises(error) as caught:
            await call
        assert type(caught.value) is error
        assert caught.value.server_message
        assert 400 <= caught.value.http_status < 500
        codes.add(caught.value.code)
    assert len(codes) == 8
    assert await dispatch_ids(control) == [1, queued, closed]  # no failed create left a trace


# --- access, faults ---------------------------------------------------------------


async def test_wrong_token(emulator: RunningEmulator) -> None:
    async with SmsApiClient(emulator.url, "wrong", MOSCOW) as stranger:
        with pytest.raises(TokenRejected) as caught:
            await stranger.address_books()
    assert caught.value.http_status == 401


async def test_blocked_by_the_operator(client: SmsApiClient, control: httpx.AsyncClient) -> None:
    await post(control, "/access", {"blocked": True})
    with pytest.raises(TokenRejected):
        await client.balance()
    with pytest.raises(TokenRejected):
        await client.create_dispatch("Привет", PHONES)
    assert len(await api_requests(control, "GET", "/sms-api/finance/balance")) == 1


@pytest.mark.parametrize("fault", [{"error_rate": 1.0}, {"down": True}])
async def test_server_errors(
    client: SmsApiClient, control: httpx.AsyncClient, fault: dict[str, Any]
) -> None:
    await post(control, "/faults", fault)
    with pytest.raises(ServiceUnavailable):
        await client.dispatch(1)
    assert len(await api_requests(control, "GET", "/sms-api/dispatches/1")) == 3  # retried
    with pytest.raises(DispatchOutcomeUnknown):
        await client.create_dispatch("Привет", PHONES)
    assert len(await api_requests(control, "POST", "/sms-api/dispatches")) == 1  # not retried
    with pytest.raises(ServiceUnavailable):
        await client.cancel_dispatch(1)
    assert len(await api_requests(control, "POST", "/sms-api/dispatches/cancel")) == 1


async def test_timeouts(client: SmsApiClient, control: httpx.AsyncClient) -> None:
    await post(control, "/faults", {"timeout_rate": 1.0, "hang_seconds": 0.5})
    with pytest.raises(ServiceUnavailable, match="timed out"):
        await client.balance()
    assert len(await api_requests(control, "GET", "/sms-api/finance/balance", 3)) == 3
    with pytest.raises(DispatchOutcomeUnknown):
        await client.create_dispatch("Привет", PHONES)
    with pytest.raises(ServiceUnavailable, match="timed out"):
        await client.run_dispatch(1)
    await post(control, "/faults", {"timeout_rate": 0.0})
    assert len(await api_requests(control, "POST", "/sms-api/dispatches")) == 1
    assert len(await api_requests(control, "POST", "/sms-api/dispatches/run")) == 1
    assert await dispatch_ids(control) == [1]


async def test_a_lost_create_answer(client: SmsApiClient, control: httpx.AsyncClient) -> None:
    await post(control, "/faults", {"lose_create_rate": 1.0})
    with pytest.raises(DispatchOutcomeUnknown, match="answer was lost"):
        await client.create_dispatch("Привет", PHONES)
    assert len(await api_requests(control, "POST", "/sms-api/dispatches")) == 1
    assert await dispatch_ids(control) == [1, 2]  # it exists, and the client cannot know


async def test_garbage_answers(client: SmsApiClient, control: httpx.AsyncClient) -> None:
    await post(control, "/faults", {"garbage": True})
    with pytest.raises(InvalidResponse):
        await client.dispatch(1)
    with pytest.raises(InvalidResponse):
        await client.address_books()
    # A 2xx is success whatever its body: the dispatch was created, its number unread.
    assert await client.create_dispatch("Привет", PHONES) is None
    await client.cancel_dispatch(1)
    assert len(await api_requests(control, "GET", "/sms-api/dispatches/1")) == 1  # not retried


async def test_the_emulator_is_reached_once_per_call(
    client: SmsApiClient, control: httpx.AsyncClient
) -> None:
    await client.address_books()
    await client.balance()
    await client.dispatch(1)
    counted = client.request_counts
    assert sum(counted.values()) == 3
    response = await control.get("/requests")
    assert len(response.json()) == 3
