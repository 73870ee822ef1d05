"""The control API: state, clock, money, generated books, the request log, faults."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest

from testbed.emulator import EmulatorConfig, EmulatorState, RunningEmulator
from testbed.emulator.models import AddressBook, Contact
from testbed.emulator.views import contacts_json, contacts_view
from tests.support.emulator_api import (
    START_TEXT,
    TOKEN,
    advance,
    balance,
    create_dispatch,
    phones,
    set_balance,
)

VALID_PHONE = re.compile(r"38071\d{7}|71\d{7}")


async def set_faults(api: httpx.AsyncClient, **settings: object) -> dict:
    response = await api.post("/_emulator/faults", json=settings)
    assert response.status_code == 200, response.text
    return response.json()


async def test_state_shows_clock_balance_dispatches_and_books(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(api, phones(2), dateSend="10.01.2030 12:00:00")

    state = (await api.get("/_emulator/state")).json()

    assert state["clock"] == START_TEXT
    assert state["timezone"] == "Europe/Moscow"
    assert state["balance"]["balance"] == 42.0
    statuses = {d["idDispatch"]: (d["status"], d["phonesCount"]) for d in state["dispatches"]}
    assert statuses == {1: ("IN_QUEUE", 1), dispatch_id: ("IN_QUEUE", 2)}
    assert {"id": 1, "name": "name1", "size": 2} in state["addressBooks"]
    assert state["faults"]["down"] is False


async def test_clock_advance_answers_the_new_time(api: httpx.AsyncClient) -> None:
    response = await api.post("/_emulator/clock/advance", json={"seconds": 90.5})

    assert response.json() == {"clock": "10.01.2030 09:01:30"}
    assert (await api.get("/_emulator/state")).json()["clock"] == "10.01.2030 09:01:30"


@pytest.mark.parametrize(
    "content",
    [b'{"seconds": -1}', b'{"seconds": "ten"}', b"{}", b'{"seconds": true}', b'{"seconds": NaN}'],
)
async def test_clock_advance_refuses_bad_input(api: httpx.AsyncClient, content: bytes) -> None:
    response = await api.post("/_emulator/clock/advance", content=content)

    assert response.status_code == 400
    assert (await api.get("/_emulator/state")).json()["clock"] == START_TEXT


async def test_balance_can_be_set_and_added_to(api: httpx.AsyncClient) -> None:
    assert (await set_balance(api, set=5))["balance"] == 5.0
    assert (await set_balance(api, add=2.5))["balance"] == 7.5
    assert (await set_balance(api, add=-10))["balance"] == -2.5

    assert await balance(api) == -2.5
    assert (await api.get("/sms-api/finance/balance")).json()["currentPayments"] == 202.5


async def test_credit_limit_can_be_replaced_and_removed(api: httpx.AsyncClient) -> None:
    credit = {"limit": 50, "dateStart": "01.01.2030", "dateEnd": "31.01.2030"}

    assert (await set_balance(api, creditLimit=credit))["creditLimit"] == {
        "limit": 50.0,
        "dateStart": "01.01.2030",
        "dateEnd": "31.01.2030",
    }
    assert (await set_balance(api, creditLimit=None))["creditLimit"] is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"set": "lots"},
        {"add": None},
        {"creditLimit": {"limit": 1, "dateEnd": "2030"}},
        {"creditLimit": None, "set": "lots"},
    ],
)
async def test_balance_refuses_bad_input_and_changes_nothing(
    api: httpx.AsyncClient, body: dict
) -> None:
    response = await api.post("/_emulator/balance", json=body)

    assert response.status_code == 400
    money = (await api.get("/sms-api/finance/balance")).json()
    assert money["balance"] == 42.0
    assert money["creditLimit"] is not None


async def test_a_generated_book_of_100000_contacts(api: httpx.AsyncClient) -> None:
    began = time.perf_counter()
    created = await api.post("/_emulator/books", json={"name": "Большая", "size": 100_000})
    contacts = await api.get(f"/sms-api/addressbooks/{created.json()['id']}/contacts")
    elapsed = time.perf_counter() - began

    assert created.json()["size"] == 100_000
    numbers = [contact["phone"] for contact in contacts.json()]
    assert len(numbers) == len(set(numbers)) == 100_000
    assert all(VALID_PHONE.fullmatch(number) for number in numbers)
    assert elapsed < 10, f"took {elapsed:.1f}s"
    books = (await api.get("/sms-api/addressbooks")).json()
    assert {"id": created.json()["id"], "name": "Большая"} in books


async def test_a_dispatch_to_100000_numbers(api: httpx.AsyncClient) -> None:
    created = await api.post("/_emulator/books", json={"name": "Большая", "size": 100_000})
    book = (await api.get(f"/sms-api/addressbooks/{created.json()['id']}/contacts")).json()
    await set_balance(api, set=100_000)

    dispatch_id = await create_dispatch(api, [contact["phone"] for contact in book])
    await advance(api, 5 + 30)

    body = (await api.get(f"/sms-api/dispatches/{dispatch_id}")).json()
    assert (body["status"], body["messagesCount"], body["messagesSent"]) == (
        "ACTIVE",
        100_000,
        50_000,
    )
    assert await balance(api) == 0.0
    logged = (await api.get("/_emulator/requests")).json()
    create = next(entry for entry in logged if entry["path"] == "/sms-api/dispatches")
    assert len(create["body"]["phonesList"]) == 100  # the log keeps a sample
    assert create["body"]["_truncated"] == {"phonesList": 100_000}


def test_a_generated_book_is_written_as_json_when_it_is_made() -> None:
    # So that the first GET of a million contacts costs what every GET costs.
    book = EmulatorState(EmulatorConfig()).add_book("a", 50)
    assert book.contacts_json is not None
    assert json.loads(book.contacts_json) == contacts_view(book)


def test_contacts_are_written_as_the_api_writes_them() -> None:
    book = AddressBook(1, "a", [Contact("380710000000", 'Контакт "1"'), Contact("71")])
    assert json.loads(contacts_json(book)) == [
        {"phone": "380710000000", "comment": 'Контакт "1"'},
        {"phone": "71", "comment": None},
    ]


async def test_generated_books_differ_and_repeat_with_the_seed() -> None:
    def generate(seed: int) -> list[list[Contact]]:
        state = EmulatorState(EmulatorConfig(seed=seed))
        return [state.add_book(name, 50).contacts for name in ("a", "b")]

    first, second = generate(seed=3)

    assert first != second
    assert generate(seed=3) == [first, second]
    assert generate(seed=4)[0] != first


@pytest.mark.parametrize(
    "body", [{"name": "", "size": 3}, {"name": "x", "size": -1}, {"name": "x", "size": "3"}]
)
async def test_book_generation_refuses_bad_input(api: httpx.AsyncClient, body: dict) -> None:
    response = await api.post("/_emulator/books", json=body)

    assert response.status_code == 400


async def test_request_log_records_api_requests_without_the_token(
    api: httpx.AsyncClient,
) -> None:
    await api.get("/sms-api/addressbooks", params={"page": "2"})
    body = {"message": "x", "phonesList": ["380711234567"]}
    await api.post("/sms-api/dispatches", json=body)
    await api.post("/sms-api/dispatches/cancel", json={"idDispatch": 999})

    response = await api.get("/_emulator/requests")

    log = [(e["method"], e["path"], e["query"], e["body"], e["status"]) for e in response.json()]
    assert log == [
        ("GET", "/sms-api/addressbooks", {"page": "2"}, None, 200),
        ("POST", "/sms-api/dispatches", {}, body, 200),
        ("POST", "/sms-api/dispatches/cancel", {}, {"idDispatch": 999}, 404),
    ]
    assert TOKEN not in response.text


async def test_request_log_can_be_cleared(api: httpx.AsyncClient) -> None:
    await api.get("/sms-api/addressbooks")

    assert (await api.post("/_emulator/requests/clear")).status_code == 200

    assert (await api.get("/_emulator/requests")).json() == []


async def test_blocked_user_loses_the_api_but_not_the_control_api(
    api: httpx.AsyncClient,
) -> None:
    await api.post("/_emulator/access", json={"blocked": True})

    blocked = await api.get("/sms-api/addressbooks")
    state = await api.get("/_emulator/state")
    await api.post("/_emulator/access", json={"blocked": False})
    unblocked = await api.get("/sms-api/addressbooks")

    assert blocked.status_code == 401
    assert blocked.json()["code"] == "UNAUTHORIZED"
    assert (state.status_code, state.json()["blocked"]) == (200, True)
    assert unblocked.status_code == 200


async def test_down_answers_503_to_every_api_request(api: httpx.AsyncClient) -> None:
    await set_faults(api, down=True)

    answers = [
        await api.get("/sms-api/addressbooks"),
        await api.get("/sms-api/finance/balance"),
        await api.post("/sms-api/dispatches", json={"message": "x", "phonesList": phones(1)}),
    ]

    assert [answer.status_code for answer in answers] == [503, 503, 503]
    assert (await api.get("/_emulator/state")).json()["dispatches"][-1]["idDispatch"] == 1
    await set_faults(api, down=False)
    assert (await api.get("/sms-api/addressbooks")).status_code == 200


async def test_error_rate_gives_5xx_reproducibly_with_the_seed(api: httpx.AsyncClient) -> None:
    async def statuses() -> list[int]:
        return [(await api.get("/sms-api/addressbooks")).status_code for _ in range(40)]

    await set_faults(api, error_rate=0.5, seed=7)
    first = await statuses()
    await set_faults(api, seed=7)
    second = await statuses()

    assert first == second
    assert set(first) == {200, 500, 502, 503}
    assert 10 < first.count(200) < 30


async def test_faults_leave_the_control_api_alone(api: httpx.AsyncClient) -> None:
    await set_faults(api, error_rate=1.0, garbage=True, latency_ms=2000)

    began = time.perf_counter()
    response = await api.get("/_emulator/state")

    assert response.status_code == 200
    assert time.perf_counter() - began < 1.0


async def test_garbage_is_a_200_that_is_not_json(api: httpx.AsyncClient) -> None:
    await set_faults(api, garbage=True)

    response = await api.get("/sms-api/finance/balance")

    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


async def test_garbage_mangles_the_answer_of_a_create_that_was_made(
    api: httpx.AsyncClient, emulator: RunningEmulator
) -> None:
    before = set(emulator.state.dispatches)
    await set_faults(api, garbage=True)

    response = await api.post(
        "/sms-api/dispatches", json={"message": "Hi", "phonesList": ["380711234567"]}
    )

    assert response.status_code == 200
    assert len(set(emulator.state.dispatches) - before) == 1


async def test_latency_slows_every_api_answer(api: httpx.AsyncClient) -> None:
    await set_faults(api, latency_ms=60)

    began = time.perf_counter()
    response = await api.get("/sms-api/addressbooks")

    assert response.status_code == 200
    assert time.perf_counter() - began >= 0.06


async def test_timeout_holds_the_request_then_drops_it(api: httpx.AsyncClient) -> None:
    await set_faults(api, timeout_rate=1.0, hang_seconds=0.1)

    began = time.perf_counter()
    with pytest.raises(httpx.RemoteProtocolError):
        await api.get("/sms-api/finance/balance")

    assert time.perf_counter() - began >= 0.1
    entry = (await api.get("/_emulator/requests")).json()[-1]
    assert (entry["status"], entry["fault"]) == (None, "timeout")


async def test_a_client_timeout_fires_while_the_request_hangs(api: httpx.AsyncClient) -> None:
    await set_faults(api, timeout_rate=1.0, hang_seconds=5)

    with pytest.raises(httpx.ReadTimeout):
        await api.get("/sms-api/finance/balance", timeout=0.2)


async def test_a_lost_create_still_creates_the_dispatch(api: httpx.AsyncClient) -> None:
    await set_faults(api, lose_create_rate=1.0)

    with pytest.raises(httpx.RemoteProtocolError):
        await api.post("/sms-api/dispatches", json={"message": "x", "phonesList": phones(1)})
    invalid = await api.post("/sms-api/dispatches", json={"message": "", "phonesList": phones(1)})
    read = await api.get("/sms-api/dispatches/2")

    assert invalid.status_code == 400  # nothing created, so nothing to lose
    assert read.status_code == 200  # reads are not hit
    assert read.json()["idDispatch"] == 2


@pytest.mark.parametrize(
    "body",
    [
        {"error_rate": 1.5},
        {"down": "yes"},
        {"latency_ms": -1},
        {"nonsense": 1},
        {"seed": 1.5},
        {"error_rate": 1.0, "hang_seconds": -1},
    ],
)
async def test_fault_settings_refuse_bad_input(api: httpx.AsyncClient, body: dict) -> None:
    response = await api.post("/_emulator/faults", json=body)

    assert response.status_code == 400
    assert (await api.get("/_emulator/faults")).json()["error_rate"] == 0.0


async def test_faulted_requests_are_logged_with_their_fault(api: httpx.AsyncClient) -> None:
    await set_faults(api, down=True)
    await api.get("/sms-api/addressbooks")

    entry = (await api.get("/_emulator/requests")).json()[-1]

    assert (entry["status"], entry["fault"]) == (503, "down")
