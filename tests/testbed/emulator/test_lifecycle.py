"""Dispatches move through their statuses by the emulator's clock and spend the balance."""

from __future__ import annotations

import httpx
import pytest

from tests.support.emulator_api import (
    START_TEXT,
    advance,
    balance,
    create_dispatch,
    dispatch,
    phones,
    set_balance,
    start_test_emulator,
)

LATER = "10.01.2030 12:00:00"  # three hours after the emulator's start


async def cancel(api: httpx.AsyncClient, dispatch_id: int) -> httpx.Response:
    return await api.post("/sms-api/dispatches/cancel", json={"idDispatch": dispatch_id})


async def run(api: httpx.AsyncClient, dispatch_id: int) -> httpx.Response:
    return await api.post("/sms-api/dispatches/run", json={"idDispatch": dispatch_id})


async def test_dispatch_walks_to_closed_while_the_balance_goes_down(
    api: httpx.AsyncClient,
) -> None:
    dispatch_id = await create_dispatch(api, phones(10), dateSend="10.01.2030 09:01:00")
    seen = []

    async def look() -> dict:
        body = await dispatch(api, dispatch_id)
        seen.append((body["status"], body["messagesSent"], body["messagesDelivered"]))
        return body

    await look()
    assert await balance(api) == 42.0
    await advance(api, 60)  # dateSend reached
    await look()
    await advance(api, 5)  # tariffed: 10 messages x 1.0
    await look()
    assert await balance(api) == 32.0
    await advance(api, 30)  # half of the sending time
    await look()
    await advance(api, 30)
    await look()
    await advance(api, 118)  # just over half of the 235 s of delivering
    await look()
    await advance(api, 117)  # dateToClose
    closed = await look()

    assert seen == [
        ("IN_QUEUE", 0, 0),
        ("TARIFFING", 0, 0),
        ("ACTIVE", 0, 0),
        ("ACTIVE", 5, 0),
        ("DELIVERING", 10, 0),
        ("DELIVERING", 10, 5),
        ("CLOSED", 10, 10),
    ]
    assert closed["dateToClose"] == "10.01.2030 09:06:00"
    assert await balance(api) == 32.0
    fees = (await api.get("/sms-api/finance/balance")).json()["currentFees"]
    assert fees == 110.0


async def test_one_big_jump_of_the_clock_lands_on_closed(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(api, phones(3))

    await advance(api, 3600)

    body = await dispatch(api, dispatch_id)
    assert (body["status"], body["messagesSent"], body["messagesDelivered"]) == ("CLOSED", 3, 3)
    assert await balance(api) == 39.0


@pytest.mark.parametrize(
    ("message", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("{" * 80, 1),  # extension characters take two septets
        ("{" * 81, 2),
        ("я" * 70, 1),
        ("я" * 71, 2),
        ("я" * 134, 2),
        ("я" * 135, 3),
    ],
)
async def test_cost_is_segments_times_phones_times_price(
    api: httpx.AsyncClient, message: str, segments: int
) -> None:
    dispatch_id = await create_dispatch(api, phones(3), message=message)

    await advance(api, 5)

    body = await dispatch(api, dispatch_id)
    assert body["messagesCount"] == 3 * segments
    assert await balance(api) == 42.0 - 3 * segments


async def test_price_per_sms_is_configurable_and_money_stays_decimal() -> None:
    emulator = await start_test_emulator(price_per_sms="0.1")
    async with (
        emulator,
        httpx.AsyncClient(base_url=emulator.url, params={"token": "test-token"}) as api,
    ):
        await create_dispatch(api, phones(3))
        await advance(api, 5)

        response = await api.get("/sms-api/finance/balance")

    assert response.json()["balance"] == 41.7
    assert '"balance": 41.7,' in response.text  # not 41.699999999999996
    assert response.json()["currentFees"] == 100.3


async def test_not_enough_money_stays_until_a_top_up_and_a_rerun(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(api, phones(50))  # 50.0 > 42.0, the credit is over

    await advance(api, 5)
    assert (await dispatch(api, dispatch_id))["status"] == "NOT_ENOUGH_MONEY"
    assert await balance(api) == 42.0
    await advance(api, 3600)
    assert (await dispatch(api, dispatch_id))["status"] == "NOT_ENOUGH_MONEY"

    topped_up = await set_balance(api, add=100)
    assert topped_up["balance"] == 142.0
    assert topped_up["currentPayments"] == 300.0
    assert (await dispatch(api, dispatch_id))["status"] == "NOT_ENOUGH_MONEY"  # no retry alone

    assert (await run(api, dispatch_id)).status_code == 200
    body = await dispatch(api, dispatch_id)
    assert body["status"] == "TARIFFING"
    assert body["dateSend"] == "10.01.2030 10:00:05"  # the old dateSend had passed: now
    await advance(api, 5)
    assert (await dispatch(api, dispatch_id))["status"] == "ACTIVE"
    assert await balance(api) == 92.0
    await advance(api, 300)
    assert (await dispatch(api, dispatch_id))["status"] == "CLOSED"


async def test_a_credit_limit_in_force_covers_the_shortfall(api: httpx.AsyncClient) -> None:
    await set_balance(
        api, creditLimit={"limit": 100, "dateStart": "01.01.2030", "dateEnd": "10.01.2030"}
    )
    covered = await create_dispatch(api, phones(100))
    await advance(api, 5)
    assert (await dispatch(api, covered))["status"] == "ACTIVE"
    assert await balance(api) == -58.0

    await advance(api, 24 * 3600)  # 11.01.2030: the credit has ended
    await set_balance(api, set=10)
    uncovered = await create_dispatch(api, phones(20))
    await advance(api, 5)
    assert (await dispatch(api, uncovered))["status"] == "NOT_ENOUGH_MONEY"


async def test_money_goes_to_the_dispatch_that_tariffs_first(api: httpx.AsyncClient) -> None:
    later = await create_dispatch(api, phones(30), dateSend="10.01.2030 09:00:10")
    sooner = await create_dispatch(api, phones(30), dateSend="10.01.2030 09:00:05")

    await advance(api, 60)  # both tariff within this one jump; only 42.0 to spend

    assert (await dispatch(api, sooner))["status"] == "ACTIVE"
    assert (await dispatch(api, later))["status"] == "NOT_ENOUGH_MONEY"
    assert await balance(api) == 12.0


async def test_cancel_from_in_queue_keeps_the_money(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(api, phones(5), dateSend=LATER)

    assert (await cancel(api, dispatch_id)).status_code == 200

    assert (await dispatch(api, dispatch_id))["status"] == "CANCELED"
    await advance(api, 6 * 3600)
    assert (await dispatch(api, dispatch_id))["status"] == "CANCELED"
    assert await balance(api) == 42.0


async def test_cancel_while_active_refunds_the_unsent_part(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(api, phones(10))
    await advance(api, 5 + 30)  # tariffed (10.0), half sent
    assert await balance(api) == 32.0

    assert (await cancel(api, dispatch_id)).status_code == 200

    body = await dispatch(api, dispatch_id)
    assert (body["status"], body["messagesSent"]) == ("CANCELED", 5)
    money = (await api.get("/sms-api/finance/balance")).json()
    assert (money["balance"], money["currentFees"]) == (37.0, 105.0)
    await advance(api, 3600)
    assert (await dispatch(api, dispatch_id))["messagesSent"] == 5


async def test_rerun_after_cancel_sends_and_pays_for_the_rest(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(api, phones(10))
    await advance(api, 5 + 30)
    await cancel(api, dispatch_id)
    await advance(api, 100)

    assert (await run(api, dispatch_id)).status_code == 200
    await advance(api, 5)
    assert await balance(api) == 32.0  # 37.0 less the 5 unsent messages
    await advance(api, 300)

    body = await dispatch(api, dispatch_id)
    assert (body["status"], body["messagesSent"], body["messagesDelivered"]) == ("CLOSED", 10, 10)


async def test_cancel_from_not_enough_money(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(api, phones(100))
    await advance(api, 5)

    assert (await cancel(api, dispatch_id)).status_code == 200

    assert (await dispatch(api, dispatch_id))["status"] == "CANCELED"
    assert await balance(api) == 42.0


async def test_rerun_of_a_future_dispatch_keeps_its_date(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(api, phones(1), dateSend=LATER)
    await cancel(api, dispatch_id)

    await run(api, dispatch_id)

    body = await dispatch(api, dispatch_id)
    assert (body["status"], body["dateSend"]) == ("IN_QUEUE", LATER)


@pytest.mark.parametrize(
    ("seconds", "status"), [(0, "TARIFFING"), (65, "DELIVERING"), (300, "CLOSED")]
)
async def test_cancel_is_refused_outside_in_queue_not_enough_money_and_active(
    api: httpx.AsyncClient, seconds: int, status: str
) -> None:
    dispatch_id = await create_dispatch(api, phones(1))
    await advance(api, seconds)
    assert (await dispatch(api, dispatch_id))["status"] == status

    response = await cancel(api, dispatch_id)

    assert response.status_code == 400
    assert response.json() == {
        "code": "DISPATCH_CAN_NOT_BE_CANCELED",
        "message": f"Рассылка {dispatch_id} не может быть отменена",
    }


async def test_cancel_twice_is_refused(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(api, phones(1), dateSend=LATER)
    await cancel(api, dispatch_id)

    response = await cancel(api, dispatch_id)

    assert response.json()["code"] == "DISPATCH_CAN_NOT_BE_CANCELED"


@pytest.mark.parametrize(
    ("seconds", "status"),
    [(None, "IN_QUEUE"), (0, "TARIFFING"), (30, "ACTIVE"), (65, "DELIVERING"), (300, "CLOSED")],
)
async def test_run_is_refused_outside_canceled_and_not_enough_money(
    api: httpx.AsyncClient, seconds: int | None, status: str
) -> None:
    if seconds is None:
        dispatch_id = await create_dispatch(api, phones(1), dateSend=LATER)
    else:
        dispatch_id = await create_dispatch(api, phones(1))
        await advance(api, seconds)
    assert (await dispatch(api, dispatch_id))["status"] == status

    response = await run(api, dispatch_id)

    assert response.status_code == 400
    assert response.json() == {
        "code": "DISPATCH_CAN_NOT_BE_RUN",
        "message": f"Рассылка {dispatch_id} не может быть запущена",
    }


async def test_the_seed_dispatch_never_moves_by_itself(api: httpx.AsyncClient) -> None:
    await advance(api, 10 * 365 * 24 * 3600)

    body = await dispatch(api, 1)

    assert (body["status"], body["dateSend"]) == ("IN_QUEUE", "01.02.2019 11:22:00")


async def test_control_advance_moves_a_dispatch_one_status_at_a_time(
    api: httpx.AsyncClient,
) -> None:
    dispatch_id = await create_dispatch(api, phones(4), dateSend=LATER)
    statuses = []

    for _ in range(4):
        response = await api.post(f"/_emulator/dispatches/{dispatch_id}/advance")
        assert response.status_code == 200, response.text
        statuses.append(response.json()["status"])
    final = await api.post(f"/_emulator/dispatches/{dispatch_id}/advance")

    assert statuses == ["TARIFFING", "ACTIVE", "DELIVERING", "CLOSED"]
    body = await dispatch(api, dispatch_id)
    assert (body["messagesSent"], body["messagesDelivered"]) == (4, 4)
    assert body["dateSend"] == START_TEXT  # moved up from 12:00
    assert await balance(api) == 38.0
    assert final.status_code == 409


async def test_control_advance_of_the_historical_dispatch_brings_it_to_life(
    api: httpx.AsyncClient,
) -> None:
    response = await api.post("/_emulator/dispatches/1/advance")

    assert response.json()["status"] == "TARIFFING"
    await advance(api, 5)
    assert (await dispatch(api, 1))["status"] == "ACTIVE"
    assert await balance(api) == 41.0


async def test_control_advance_of_a_missing_dispatch_is_404(api: httpx.AsyncClient) -> None:
    response = await api.post("/_emulator/dispatches/77/advance")

    assert response.status_code == 404


async def test_dates_are_read_and_written_in_the_configured_zone() -> None:
    emulator = await start_test_emulator(timezone="Asia/Vladivostok")  # UTC+10
    async with (
        emulator,
        httpx.AsyncClient(base_url=emulator.url, params={"token": "test-token"}) as api,
    ):
        now_id = await create_dispatch(api, phones(1))
        exact_id = await create_dispatch(api, phones(1), dateSend="10.01.2030 16:00:00")
        past = await api.post(
            "/sms-api/dispatches",
            json={"message": "x", "dateSend": "10.01.2030 15:59:59", "phonesList": phones(1)},
        )
        seed = await dispatch(api, 1)
        now_body = await dispatch(api, now_id)

    assert now_body["dateSend"] == "10.01.2030 16:00:00"
    assert exact_id == now_id + 1
    assert past.json()["code"] == "INVALID_DISPATCH_DATE"
    assert seed["dateSend"] == "01.02.2019 11:22:00"


async def test_a_running_clock_moves_dispatches_without_advancing() -> None:
    fast = await start_test_emulator(speed=3600.0)  # an emulated hour per real second
    async with fast, httpx.AsyncClient(base_url=fast.url, params={"token": "test-token"}) as api:
        dispatch_id = await create_dispatch(api, phones(1))
        first = fast.clock.now()
        while fast.clock.now() - first < fast.state.config.close_after:
            await api.get("/sms-api/finance/balance")

        assert (await dispatch(api, dispatch_id))["status"] == "CLOSED"
