"""Retries, timeouts and lost answers, counted on the server side."""

import time
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.sms import (
    DispatchNotFound,
    DispatchOutcomeUnknown,
    ServiceUnavailable,
    SmsApiClient,
    TokenRejected,
)
from tests.support.sms_stub import Reply, StubApi, closed_port_url

MOSCOW = ZoneInfo("Europe/Moscow")
BOOKS = '[ {"id" : 1, "name" : "name1"} ]'
BOOKS_PATH = "/sms-api/addressbooks"
CREATE_PATH = "/sms-api/dispatches"


async def test_get_recovers_after_two_503(stub: StubApi) -> None:
    stub.reply("GET", BOOKS_PATH, Reply(503), Reply(503), Reply(body=BOOKS))
    async with SmsApiClient(stub.url, "t", MOSCOW, backoff=0.01) as client:
        books = await client.address_books()
        counts = client.request_counts
    assert [b.name for b in books] == ["name1"]
    assert len(stub.seen("GET", BOOKS_PATH)) == 3
    assert counts == {"GET addressbooks": 3}


async def test_get_gives_up_after_its_attempts(stub: StubApi) -> None:
    stub.reply("GET", BOOKS_PATH, Reply(500))
    async with SmsApiClient(stub.url, "t", MOSCOW, backoff=0.01, get_attempts=4) as client:
        with pytest.raises(ServiceUnavailable, match="HTTP 500"):
            await client.address_books()
    assert len(stub.seen("GET", BOOKS_PATH)) == 4


@pytest.mark.parametrize(
    "reply",
    [
        Reply(404, '{"code" : "DISPATCH_NOT_FOUND", "message" : "Рассылка 2 не найдена"}'),
        Reply(401),
        Reply(429),
    ],
)
async def test_get_is_not_retried_on_4xx(stub: StubApi, reply: Reply) -> None:
    stub.reply("GET", "/sms-api/dispatches/2", reply, Reply(500))
    async with SmsApiClient(stub.url, "t", MOSCOW, backoff=0.01) as client:
        with pytest.raises((DispatchNotFound, TokenRejected, ServiceUnavailable)) as caught:
            await client.dispatch(2)
    assert "HTTP 500" not in str(caught.value)
    assert len(stub.seen("GET", "/sms-api/dispatches/2")) == 1


async def test_get_timeouts_are_retried_within_the_total_time(stub: StubApi) -> None:
    stub.reply("GET", BOOKS_PATH, Reply(body=BOOKS, delay=30))
    # 0.2 s per attempt, 0.05 s then 0.1 s of backoff: a third try would end past 0.5 s.
    client = SmsApiClient(
        stub.url, "t", MOSCOW, timeout=0.2, backoff=0.05, get_attempts=10, max_total_get_time=0.5
    )
    started = time.monotonic()
    async with client:
        with pytest.raises(ServiceUnavailable, match="timed out"):
            await client.address_books()
    assert time.monotonic() - started < 1.0
    assert len(stub.seen("GET", BOOKS_PATH)) == 2


async def test_total_get_time_bounds_a_single_attempt(stub: StubApi) -> None:
    stub.reply("GET", BOOKS_PATH, Reply(body=BOOKS, delay=30))
    client = SmsApiClient(stub.url, "t", MOSCOW, timeout=10, max_total_get_time=0.3)
    started = time.monotonic()
    async with client:
        with pytest.raises(ServiceUnavailable, match="timed out"):
            await client.address_books()
    assert time.monotonic() - started < 1.0
    assert len(stub.seen("GET", BOOKS_PATH)) == 1


async def test_get_retries_a_refused_connection() -> None:
    async with SmsApiClient(closed_port_url(), "t", MOSCOW, backoff=0.01) as client:
        with pytest.raises(ServiceUnavailable, match="network error"):
            await client.balance()
        assert client.request_counts == {"GET finance/balance": 3}


async def test_get_dropped_connection_is_retried(stub: StubApi) -> None:
    stub.reply("GET", BOOKS_PATH, Reply(drop=True), Reply(body=BOOKS))
    async with SmsApiClient(stub.url, "t", MOSCOW, backoff=0.01) as client:
        assert len(await client.address_books()) == 1
    assert len(stub.seen("GET", BOOKS_PATH)) == 2


async def test_create_that_times_out_is_sent_once_and_its_outcome_unknown(stub: StubApi) -> None:
    stub.reply("POST", CREATE_PATH, Reply(body="1", delay=30), Reply(body="2"))
    async with SmsApiClient(stub.url, "t", MOSCOW, create_timeout=0.2, backoff=0.01) as client:
        with pytest.raises(DispatchOutcomeUnknown):
            await client.create_dispatch("test", ["380710000000"])
    assert len(stub.seen("POST", CREATE_PATH)) == 1


@pytest.mark.parametrize("reply", [Reply(drop=True), Reply(500), Reply(502), Reply(503)])
async def test_create_whose_answer_is_lost_is_never_retried(stub: StubApi, reply: Reply) -> None:
    stub.reply("POST", CREATE_PATH, reply, Reply(body="2"))
    async with SmsApiClient(stub.url, "t", MOSCOW, backoff=0.01) as client:
        with pytest.raises(DispatchOutcomeUnknown):
            await client.create_dispatch("test", ["380710000000"])
    assert len(stub.seen("POST", CREATE_PATH)) == 1


async def test_create_that_could_not_connect_created_nothing() -> None:
    async with SmsApiClient(closed_port_url(), "t", MOSCOW) as client:
        with pytest.raises(ServiceUnavailable) as caught:
            await client.create_dispatch("test", ["380710000000"])
        assert client.request_counts == {"POST dispatches": 1}
    assert not isinstance(caught.value, DispatchOutcomeUnknown)


async def test_create_waits_longer_than_reads(stub: StubApi) -> None:
    stub.reply("POST", CREATE_PATH, Reply(body="5", delay=0.3))
    async with SmsApiClient(stub.url, "t", MOSCOW, timeout=0.1, create_timeout=5) as client:
        assert await client.create_dispatch("test", ["380710000000"]) == 5


@pytest.mark.parametrize("command", ["cancel", "run"])
@pytest.mark.parametrize("reply", [Reply(500), Reply(503), Reply(drop=True), Reply(delay=30)])
async def test_cancel_and_run_failures_are_unavailable_and_not_retried(
    stub: StubApi, command: str, reply: Reply
) -> None:
    path = f"/sms-api/dispatches/{command}"
    stub.reply("POST", path, reply, Reply())
    async with SmsApiClient(stub.url, "t", MOSCOW, timeout=0.2, backoff=0.01) as client:
        method = client.cancel_dispatch if command == "cancel" else client.run_dispatch
        with pytest.raises(ServiceUnavailable):
            await method(1)
    assert len(stub.seen("POST", path)) == 1


async def test_request_counts_per_endpoint(stub: StubApi) -> None:
    stub.reply("GET", BOOKS_PATH, Reply(body=BOOKS))
    stub.reply("GET", "/sms-api/addressbooks/1/contacts", Reply(body="[]"))
    stub.reply("GET", "/sms-api/addressbooks/2/contacts", Reply(body="[]"))
    async with SmsApiClient(stub.url, "t", MOSCOW) as client:
        await client.address_books()
        await client.contacts(1)
        await client.contacts(2)
        assert client.request_counts == {
            "GET addressbooks": 1,
            "GET addressbooks/{id}/contacts": 2,
        }


@pytest.mark.parametrize(
    ("failure", "outcome"),
    [
        (httpx.ConnectError, ServiceUnavailable),
        (httpx.ConnectTimeout, ServiceUnavailable),
        (httpx.PoolTimeout, ServiceUnavailable),
        (httpx.WriteTimeout, DispatchOutcomeUnknown),
        (httpx.WriteError, DispatchOutcomeUnknown),
        (httpx.ReadTimeout, DispatchOutcomeUnknown),
        (httpx.ReadError, DispatchOutcomeUnknown),
        (httpx.RemoteProtocolError, DispatchOutcomeUnknown),
    ],
)
async def test_create_failure_before_and_after_sending(
    failure: type[httpx.TransportError], outcome: type[Exception]
) -> None:
    """Transport failures the loopback cannot stage, classified by whether the request
    may have reached the server."""
    attempts: list[httpx.Request] = []

    def fail(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise failure("staged", request=request)

    transport = httpx.MockTransport(fail)
    async with SmsApiClient("http://sms.test", "t", MOSCOW, transport=transport) as client:
        with pytest.raises(outcome) as caught:
            await client.create_dispatch("test", ["380710000000"])
    assert type(caught.value) is outcome
    assert len(attempts) == 1
    assert attempts[0].url.params["token"] == "t"
