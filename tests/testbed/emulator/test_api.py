"""The emulated SMS API answers exactly as the v2.8.1 reference shows, errors included."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from testbed.emulator import RunningEmulator
from tests.support.emulator_api import (
    SEED_HEADERS,
    START_TEXT,
    create_dispatch,
    phones,
)

SEED_DISPATCH_1 = {
    "idDispatch": 1,
    "dateSend": "01.02.2019 11:22:00",
    "dateToClose": "01.02.2019 22:44:00",
    "status": "IN_QUEUE",
    "messagesCount": 1,
    "messagesSent": 0,
    "messagesDelivered": 0,
    "comment": "Комментарий",
    "text": "Текст",
    "dispatchSource": "API",
}
SEED_BALANCE = {
    "balance": 42.0,
    "beginningPeriodBalance": 66.0,
    "limit": 100.0,
    "creditLimit": {"limit": 200.0, "dateStart": "01.01.2019", "dateEnd": "01.02.2019"},
    "currentPayments": 200.0,
    "currentFees": 100.0,
}
PHONE_FORMAT_TAIL = "должен быть в формате 38071xxxxxxx либо 71xxxxxxx"


def assert_error(response: httpx.Response, status: int, code: str, message: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"code": code, "message": message}


async def test_address_books_include_the_seed_examples_and_demo_books(
    api: httpx.AsyncClient,
) -> None:
    response = await api.get("/sms-api/addressbooks")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    books = response.json()
    assert books[:2] == [{"id": 1, "name": "name1"}, {"id": 2, "name": "name2"}]
    assert {"Клиенты", "Сотрудники"} <= {book["name"] for book in books}


async def test_contacts_of_book_1_are_the_seed_example(api: httpx.AsyncClient) -> None:
    response = await api.get("/sms-api/addressbooks/1/contacts")

    assert response.status_code == 200
    assert response.json() == [
        {"phone": "380710000000", "comment": "Контакт 1"},
        {"phone": "380719999999", "comment": "Контакт 2"},
    ]


async def test_empty_book_answers_an_empty_array(api: httpx.AsyncClient) -> None:
    response = await api.get("/sms-api/addressbooks/2/contacts")

    assert response.status_code == 200
    assert response.json() == []


async def test_demo_books_have_valid_numbers_and_nullable_comments(
    api: httpx.AsyncClient,
) -> None:
    books = {book["name"]: book["id"] for book in (await api.get("/sms-api/addressbooks")).json()}
    clients = (await api.get(f"/sms-api/addressbooks/{books['Клиенты']}/contacts")).json()
    staff = (await api.get(f"/sms-api/addressbooks/{books['Сотрудники']}/contacts")).json()

    assert len(clients) >= 20 and len(staff) >= 5
    for contact in clients + staff:
        assert set(contact) == {"phone", "comment"}
        assert contact["phone"].startswith(("38071", "71"))
    assert any(contact["comment"] is None for contact in clients)


async def test_missing_book_is_address_book_not_found(api: httpx.AsyncClient) -> None:
    response = await api.get("/sms-api/addressbooks/999/contacts")

    assert_error(response, 404, "ADDRESS_BOOK_NOT_FOUND", "Адресная книга 999 не найдена")


async def test_dispatch_1_is_the_seed_example(api: httpx.AsyncClient) -> None:
    response = await api.get("/sms-api/dispatches/1")

    assert response.status_code == 200
    assert response.json() == SEED_DISPATCH_1


async def test_missing_dispatch_is_dispatch_not_found(api: httpx.AsyncClient) -> None:
    response = await api.get("/sms-api/dispatches/2")

    assert_error(response, 404, "DISPATCH_NOT_FOUND", "Рассылка 2 не найдена")


async def test_balance_is_the_seed_example_with_decimal_numbers(api: httpx.AsyncClient) -> None:
    response = await api.get("/sms-api/finance/balance")

    assert response.status_code == 200
    assert response.json() == SEED_BALANCE
    assert '"balance": 42.0' in response.text  # a decimal, not the integer 42


@pytest.mark.parametrize("path", ["/sms-api/dispatches/abc", "/sms-api/addressbooks/1x/contacts"])
async def test_non_integer_path_id_is_argument_not_valid(api: httpx.AsyncClient, path: str) -> None:
    response = await api.get(path)

    assert response.status_code == 400
    assert response.json()["code"] == "ARGUMENT_NOT_VALID"


async def test_create_answers_the_bare_new_id_as_json(api: httpx.AsyncClient) -> None:
    body = {"message": "test", "dateSend": "02.11.2099 11:12:33", "phonesList": ["380710000000"]}

    first = await api.post("/sms-api/dispatches", json=body)
    second = await api.post("/sms-api/dispatches", json=body)

    assert first.status_code == 200
    assert first.headers["content-type"] == "application/json"
    assert first.content == b"2"  # dispatch 1 is the seed's own
    assert second.content == b"3"


async def test_created_dispatch_reads_back_with_every_field(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(
        api, ["380711234567", "711234567"], message="Привет", dateSend="10.01.2030 12:00:00"
    )

    body = (await api.get(f"/sms-api/dispatches/{dispatch_id}")).json()

    assert body == {
        "idDispatch": dispatch_id,
        "dateSend": "10.01.2030 12:00:00",
        "dateToClose": "10.01.2030 12:05:00",
        "status": "IN_QUEUE",
        "messagesCount": 2,
        "messagesSent": 0,
        "messagesDelivered": 0,
        "comment": None,
        "text": "Привет",
        "dispatchSource": "API",
    }


async def test_create_without_date_sends_now(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(api, phones(1))

    body = (await api.get(f"/sms-api/dispatches/{dispatch_id}")).json()

    assert body["dateSend"] == START_TEXT
    assert body["status"] == "TARIFFING"


async def test_create_accepts_the_current_second(api: httpx.AsyncClient) -> None:
    dispatch_id = await create_dispatch(api, phones(1), dateSend=START_TEXT)

    assert (await api.get(f"/sms-api/dispatches/{dispatch_id}")).status_code == 200


async def test_create_in_the_past_is_invalid_dispatch_date(api: httpx.AsyncClient) -> None:
    body = {"message": "x", "dateSend": "10.01.2030 08:59:59", "phonesList": phones(1)}

    response = await api.post("/sms-api/dispatches", json=body)

    assert_error(
        response,
        400,
        "INVALID_DISPATCH_DATE",
        "Рассылка не может быть создана прошедшим числом",
    )


@pytest.mark.parametrize("phone", ["380711234567", "711234567"])
async def test_both_documented_phone_formats_are_accepted(
    api: httpx.AsyncClient, phone: str
) -> None:
    response = await api.post("/sms-api/dispatches", json={"message": "x", "phonesList": [phone]})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "phone",
    [
        "1234567",
        "0710000000",  # the seed's own request example: not in its stated format
        "8071999999",
        "+380711234567",
        "38071123456",
        "3807112345678",
        "380721234567",
        "71123456",
        "7112345678",
        "71 1234567",
        "",
    ],
)
async def test_other_phone_formats_are_invalid_format(api: httpx.AsyncClient, phone: str) -> None:
    body = {"message": "x", "phonesList": ["380711234567", phone, "1"]}

    response = await api.post("/sms-api/dispatches", json=body)

    assert_error(response, 400, "INVALID_FORMAT", f"Телефонный номер {phone} {PHONE_FORMAT_TAIL}")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"message": "", "phonesList": ["380711234567"]}, "message не может быть пусто"),
        ({"phonesList": ["380711234567"]}, "message не может быть пусто"),
        ({"message": None, "phonesList": ["380711234567"]}, "message не может быть пусто"),
        (
            {"message": "x" * 5001, "phonesList": ["380711234567"]},
            "message размер должен находиться в диапазоне от 1 до 5000",
        ),
        (
            # Java counts UTF-16 units: 2501 emoji are 5002 of them.
            {"message": "😀" * 2501, "phonesList": ["380711234567"]},
            "message размер должен находиться в диапазоне от 1 до 5000",
        ),
        ({"message": "x", "phonesList": []}, "phonesList не может быть пусто"),
        ({"message": "x"}, "phonesList не может быть пусто"),
    ],
)
async def test_invalid_create_fields_are_argument_not_valid(
    api: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    response = await api.post("/sms-api/dispatches", json=body)

    assert_error(response, 400, "ARGUMENT_NOT_VALID", message)


async def test_message_of_5000_characters_is_accepted(api: httpx.AsyncClient) -> None:
    body = {"message": "x" * 5000, "phonesList": ["380711234567"]}

    response = await api.post("/sms-api/dispatches", json=body)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "date_send",
    ["2030-01-10 10:00:00", "10.01.2030 10:00", "32.01.2030 10:00:00", "10.01.2030T10:00:00", 5],
)
async def test_malformed_date_send_is_argument_not_valid(
    api: httpx.AsyncClient, date_send: object
) -> None:
    body = {"message": "x", "dateSend": date_send, "phonesList": ["380711234567"]}

    response = await api.post("/sms-api/dispatches", json=body)

    assert response.status_code == 400
    assert response.json()["code"] == "ARGUMENT_NOT_VALID"
    assert "dateSend" in response.json()["message"]


@pytest.mark.parametrize(
    "path", ["/sms-api/dispatches", "/sms-api/dispatches/cancel", "/sms-api/dispatches/run"]
)
@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b""])
async def test_malformed_body_is_argument_not_valid(
    api: httpx.AsyncClient, path: str, content: bytes
) -> None:
    response = await api.post(path, content=content, headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert response.json()["code"] == "ARGUMENT_NOT_VALID"


@pytest.mark.parametrize("path", ["/sms-api/dispatches/cancel", "/sms-api/dispatches/run"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"idDispatch": 0}, "idDispatch должно быть не меньше 1"),
        ({"idDispatch": -5}, "idDispatch должно быть не меньше 1"),
        ({}, "idDispatch не может иметь значение null"),
        ({"idDispatch": "abc"}, "idDispatch должно быть целым числом"),
        ({"idDispatch": 1.5}, "idDispatch должно быть целым числом"),
    ],
)
async def test_invalid_dispatch_id_is_argument_not_valid(
    api: httpx.AsyncClient, path: str, body: dict[str, Any], message: str
) -> None:
    response = await api.post(path, json=body)

    assert_error(response, 400, "ARGUMENT_NOT_VALID", message)


async def test_cancel_of_a_missing_dispatch_is_dispatch_cancel_not_found(
    api: httpx.AsyncClient,
) -> None:
    response = await api.post("/sms-api/dispatches/cancel", json={"idDispatch": 2})

    assert_error(response, 404, "DISPATCH_CANCEL_NOT_FOUND", "Рассылка 2 не найдена")


async def test_run_of_a_missing_dispatch_is_dispatch_not_found(api: httpx.AsyncClient) -> None:
    response = await api.post("/sms-api/dispatches/run", json={"idDispatch": 2})

    assert_error(response, 404, "DISPATCH_NOT_FOUND", "Рассылка 2 не найдена")


async def test_cancel_and_run_answer_200_with_an_empty_body_and_no_content_type(
    api: httpx.AsyncClient,
) -> None:
    dispatch_id = await create_dispatch(api, phones(1), dateSend="10.01.2030 12:00:00")

    cancel = await api.post("/sms-api/dispatches/cancel", json={"idDispatch": dispatch_id})
    run = await api.post("/sms-api/dispatches/run", json={"idDispatch": dispatch_id})

    for response in (cancel, run):
        assert response.status_code == 200
        assert response.content == b""
        assert "content-type" not in response.headers
        assert SEED_HEADERS.items() <= response.headers.items()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/sms-api/addressbooks", None),
        ("GET", "/sms-api/addressbooks/1/contacts", None),
        ("GET", "/sms-api/addressbooks/999/contacts", None),
        ("GET", "/sms-api/dispatches/1", None),
        ("GET", "/sms-api/finance/balance", None),
        ("POST", "/sms-api/dispatches", {"message": "x", "phonesList": ["380711234567"]}),
        ("POST", "/sms-api/dispatches", {"message": "", "phonesList": ["380711234567"]}),
        ("POST", "/sms-api/dispatches/cancel", {"idDispatch": 42}),
        ("GET", "/sms-api/no-such-endpoint", None),
        ("GET", "/_emulator/state", None),
    ],
)
async def test_every_answer_carries_the_seed_headers(
    api: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = await api.request(method, path, json=body)

    assert SEED_HEADERS.items() <= response.headers.items()


@pytest.mark.parametrize("token", [None, "", "wrong-token", "test-token-and-more"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/sms-api/addressbooks"),
        ("GET", "/sms-api/dispatches/1"),
        ("POST", "/sms-api/dispatches"),
        ("GET", "/sms-api/finance/balance"),
        ("GET", "/_emulator/state"),
        ("POST", "/_emulator/clock/advance"),
    ],
)
async def test_a_wrong_or_missing_token_is_unauthorized(
    emulator: RunningEmulator, token: str | None, method: str, path: str
) -> None:
    params = {} if token is None else {"token": token}
    async with httpx.AsyncClient(base_url=emulator.url) as client:
        response = await client.request(method, path, params=params, json={"seconds": 1})

    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"
    assert SEED_HEADERS.items() <= response.headers.items()
    assert emulator.state.clock.now() == emulator.state.config.start  # nothing happened


async def test_unknown_api_path_is_a_json_404(api: httpx.AsyncClient) -> None:
    response = await api.get("/sms-api/no-such-endpoint")

    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert response.json()["path"] == "/sms-api/no-such-endpoint"
