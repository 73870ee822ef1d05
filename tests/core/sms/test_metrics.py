"""What the SMS client counts for /metrics: each exchange by endpoint and answer, its time,
dispatches created and creates whose answer was lost."""

from zoneinfo import ZoneInfo

import pytest

from core.metrics import Metrics
from core.sms import DispatchOutcomeUnknown, ServiceUnavailable, SmsApiClient, SmsApiCodeError
from tests.support.sms_stub import Reply, StubApi, closed_port_url

MOSCOW = ZoneInfo("Europe/Moscow")
BALANCE = '{"balance" : 42.0, "credit" : {}}'
PHONES = ["380710000000"]


def value(metrics: Metrics, name: str, **labels: str) -> float:
    found = metrics.registry.get_sample_value(f"phoenix_{name}", labels)
    return 0.0 if found is None else found


async def test_each_exchange_is_counted_by_endpoint_and_status_retries_included(
    stub: StubApi,
) -> None:
    stub.reply("GET", "/sms-api/finance/balance", Reply(503), Reply(body=BALANCE))
    metrics = Metrics()
    async with SmsApiClient(stub.url, "t", MOSCOW, backoff=0.01, metrics=metrics) as client:
        await client.balance()

    endpoint = {"endpoint": "GET finance/balance"}
    assert value(metrics, "sms_api_requests_total", **endpoint, status="503") == 1
    assert value(metrics, "sms_api_requests_total", **endpoint, status="200") == 1
    assert value(metrics, "sms_api_request_seconds_count", **endpoint) == 2
    assert value(metrics, "sms_api_request_seconds_sum", **endpoint) > 0


async def test_no_answer_is_counted_as_a_network_error_or_a_timeout(stub: StubApi) -> None:
    metrics = Metrics()
    async with SmsApiClient(
        closed_port_url(), "t", MOSCOW, backoff=0.01, get_attempts=2, metrics=metrics
    ) as client:
        with pytest.raises(ServiceUnavailable):
            await client.balance()
    stub.reply("GET", "/sms-api/addressbooks", Reply(body="[]", delay=5))
    async with SmsApiClient(
        stub.url, "t", MOSCOW, timeout=0.1, get_attempts=1, metrics=metrics
    ) as client:
        with pytest.raises(ServiceUnavailable):
            await client.address_books()

    balance = {"endpoint": "GET finance/balance"}
    assert value(metrics, "sms_api_requests_total", **balance, status="network_error") == 2
    books = {"endpoint": "GET addressbooks"}
    assert value(metrics, "sms_api_requests_total", **books, status="timeout") == 1


async def test_creates_are_counted_as_made_or_with_their_outcome_unknown(stub: StubApi) -> None:
    stub.reply("POST", "/sms-api/dispatches", Reply(200, "17"), Reply(502), Reply(drop=True))
    metrics = Metrics()
    async with SmsApiClient(stub.url, "t", MOSCOW, metrics=metrics) as client:
        assert await client.create_dispatch("Hello", PHONES) == 17
        for _ in range(2):
            with pytest.raises(DispatchOutcomeUnknown):
                await client.create_dispatch("Hello", PHONES)

    assert value(metrics, "dispatches_created_total") == 1
    assert value(metrics, "dispatch_outcomes_unknown_total") == 2
    post = {"endpoint": "POST dispatches"}
    assert value(metrics, "sms_api_requests_total", **post, status="200") == 1
    assert value(metrics, "sms_api_requests_total", **post, status="502") == 1
    assert value(metrics, "sms_api_requests_total", **post, status="network_error") == 1


async def test_a_refused_create_is_neither_made_nor_unknown(stub: StubApi) -> None:
    refusal = '{"code" : "NOT_ENOUGH_MONEY", "message" : "no money"}'
    stub.reply("POST", "/sms-api/dispatches", Reply(400, refusal))
    metrics = Metrics()
    async with SmsApiClient(stub.url, "t", MOSCOW, metrics=metrics) as client:
        with pytest.raises(SmsApiCodeError, match="no money"):
            await client.create_dispatch("Hello", PHONES)
    assert value(metrics, "dispatches_created_total") == 0
    assert value(metrics, "dispatch_outcomes_unknown_total") == 0
