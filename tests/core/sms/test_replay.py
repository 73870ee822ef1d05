"""The client against the seed's literal example answers, served over real HTTP."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr

from core.sms import (
    AddressBook,
    AddressBookNotFound,
    Contact,
    DispatchCancelNotFound,
    DispatchCanNotBeCanceled,
    DispatchCanNotBeRun,
    DispatchNotFound,
    DispatchStatus,
    InvalidResponse,
    SmsApiClient,
    SmsApiCodeError,
    TokenRejected,
    UnknownApiError,
)
from tests.support.sms_seed import (
    ADDRESS_BOOKS,
    BALANCE,
    CONTACTS,
    CREATED,
    DISPATCH,
    SEED_ERRORS,
    error_body,
)
from tests.support.sms_stub import SEED_HEADERS, Reply, StubApi

MOSCOW = ZoneInfo("Europe/Moscow")
TOKEN = "tok-SECRET-123"


@pytest.fixture
async def client(stub: StubApi) -> AsyncIterator[SmsApiClient]:
    async with SmsApiClient(stub.url, TOKEN, MOSCOW, backoff=0.01) as api:
        yield api


async def call_for(client: SmsApiClient, method: str, path: str) -> object:
    """Call the client method that requests ``method path`` (ids 2 and 3 as the seed)."""
    if path.endswith("/contacts"):
        return await client.contacts(2)
    if method == "GET":
        return await client.dispatch(2)
    if path.endswith("/cancel"):
        return await client.cancel_dispatch(3)
    if path.endswith("/run"):
        return await client.run_dispatch(3)
    return await client.create_dispatch("test", ["1234567"])


@pytest.mark.parametrize(
    ("length", "body"),
    [ADDRESS_BOOKS, CONTACTS, DISPATCH, BALANCE, CREATED] + [e[3:5] for e in SEED_ERRORS],
)
def test_replayed_bodies_are_the_seeds_bytes(length: int, body: str) -> None:
    assert len(body.encode()) == length


async def test_address_books(stub: StubApi, client: SmsApiClient) -> None:
    stub.reply("GET", "/sms-api/addressbooks", Reply(body=ADDRESS_BOOKS[1]))
    books = await client.address_books()
    assert books == [AddressBook(id=1, name="name1"), AddressBook(id=2, name="name2")]
    assert stub.requests[0].query == {"token": TOKEN}


async def test_contacts(stub: StubApi, client: SmsApiClient) -> None:
    stub.reply("GET", "/sms-api/addressbooks/1/contacts", Reply(body=CONTACTS[1]))
    assert await client.contacts(1) == [
        Contact(phone="380710000000", comment="Контакт 1"),
        Contact(phone="380719999999", comment="Контакт 2"),
    ]


async def test_contact_without_comment(stub: StubApi, client: SmsApiClient) -> None:
    body = '[ {\n  "phone" : "380710000000",\n  "comment" : null\n} ]'
    stub.reply("GET", "/sms-api/addressbooks/1/contacts", Reply(body=body))
    assert await client.contacts(1) == [Contact(phone="380710000000", comment=None)]


async def test_empty_address_book_list(stub: StubApi, client: SmsApiClient) -> None:
    stub.reply("GET", "/sms-api/addressbooks", Reply(body="[ ]"))
    assert await client.address_books() == []


async def test_dispatch(stub: StubApi, client: SmsApiClient) -> None:
    stub.reply("GET", "/sms-api/dispatches/1", Reply(body=DISPATCH[1]))
    dispatch = await client.dispatch(1)
    assert dispatch.id == 1
    assert dispatch.date_send == datetime(2019, 2, 1, 11, 22, tzinfo=MOSCOW)
    assert dispatch.date_send.utcoffset() is not None
    assert dispatch.date_to_close.astimezone(UTC) == datetime(2019, 2, 1, 19, 44, tzinfo=UTC)
    assert dispatch.status is DispatchStatus.IN_QUEUE
    assert dispatch.status_raw == "IN_QUEUE"
    assert not dispatch.is_final
    assert (dispatch.messages_count, dispatch.messages_sent, dispatch.messages_delivered) == (
        1,
        0,
        0,
    )
    assert (dispatch.comment, dispatch.text, dispatch.dispatch_source) == (
        "Комментарий",
        "Текст",
        "API",
    )


async def test_dispatch_with_null_optional_fields(stub: StubApi, client: SmsApiClient) -> None:
    body = DISPATCH[1]
    for name in ("messagesCount", "messagesSent", "messagesDelivered", "comment"):
        start = body.index(f'"{name}" : ')
        end = body.index(",", start)
        body = body[:start] + f'"{name}" : null' + body[end:]
    stub.reply("GET", "/sms-api/dispatches/1", Reply(body=body))
    dispatch = await client.dispatch(1)
    assert dispatch.messages_count is None
    assert dispatch.messages_sent is None
    assert dispatch.messages_delivered is None
    assert dispatch.comment is None


async def test_dispatch_with_a_status_the_seed_does_not_list(
    stub: StubApi, client: SmsApiClient
) -> None:
    stub.reply(
        "GET", "/sms-api/dispatches/1", Reply(body=DISPATCH[1].replace("IN_QUEUE", "PAUSED"))
    )
    dispatch = await client.dispatch(1)
    assert dispatch.status is DispatchStatus.UNKNOWN
    assert dispatch.status_raw == "PAUSED"
    assert not dispatch.is_final


@pytest.mark.parametrize(
    ("field", "value"), [("idDispatch", "null"), ("status", "null"), ("dateSend", '"soon"')]
)
async def test_dispatch_without_what_it_is_followed_by_is_invalid(
    stub: StubApi, client: SmsApiClient, field: str, value: str
) -> None:
    body = DISPATCH[1].replace(f'"{field}" : ', f'"{field}" : {value}, "was" : ')
    stub.reply("GET", "/sms-api/dispatches/1", Reply(body=body))
    with pytest.raises(InvalidResponse) as caught:
        await client.dispatch(1)
    assert caught.value.problem.endpoint == "GET dispatches/{id}"
    assert caught.value.problem.field.startswith(field)


async def test_a_dispatch_made_in_the_web_interface_may_lack_its_text_and_source(
    stub: StubApi, client: SmsApiClient
) -> None:
    body = (
        DISPATCH[1]
        .replace('"Текст"', "null")
        .replace('"API"', "null")
        .replace('"Комментарий"', "null")
        .replace('"dateToClose" : "01.02.2019 22:44:00",', "")
    )
    stub.reply("GET", "/sms-api/dispatches/1", Reply(body=body))
    dispatch = await client.dispatch(1)
    assert (dispatch.text, dispatch.dispatch_source, dispatch.comment) == (None, None, None)
    assert dispatch.date_to_close is None


async def test_balance(stub: StubApi, client: SmsApiClient) -> None:
    stub.reply("GET", "/sms-api/finance/balance", Reply(body=BALANCE[1]))
    balance = await client.balance()
    assert str(balance.balance) == "42.0"
    assert balance.beginning_period_balance == Decimal("66.0")
    assert balance.limit == Decimal("100.0")
    assert balance.current_payments == Decimal("200.0")
    assert balance.current_fees == Decimal("100.0")
    assert balance.credit_limit is not None
    assert balance.credit_limit.limit == Decimal("200.0")
    assert balance.credit_limit.date_start == date(2019, 1, 1)
    assert balance.credit_limit.date_end == date(2019, 2, 1)
    # The seed's credit ended in 2019: it counts on its last day, not after.
    assert balance.available(date(2019, 2, 1)) == Decimal("242.0")
    assert balance.available(date(2026, 1, 1)) == Decimal("42.0")


@pytest.mark.parametrize("credit", ["{ }", "null"])
async def test_balance_without_credit(stub: StubApi, client: SmsApiClient, credit: str) -> None:
    start = BALANCE[1].index("{\n    ")
    end = BALANCE[1].index("},") + 1
    body = BALANCE[1][:start] + credit + BALANCE[1][end:]
    stub.reply("GET", "/sms-api/finance/balance", Reply(body=body))
    balance = await client.balance()
    assert balance.available(date(2019, 1, 15)) == Decimal("42.0")


async def test_money_keeps_its_decimal_digits(stub: StubApi, client: SmsApiClient) -> None:
    body = BALANCE[1].replace("42.0", "0.1").replace("66.0", "12345678901234.37")
    stub.reply("GET", "/sms-api/finance/balance", Reply(body=body))
    balance = await client.balance()
    assert balance.balance == Decimal("0.1")
    assert balance.beginning_period_balance == Decimal("12345678901234.37")


async def test_create_dispatch_sends_the_documented_body(
    stub: StubApi, client: SmsApiClient
) -> None:
    stub.reply("POST", "/sms-api/dispatches", Reply(body=CREATED[1]))
    when = datetime(2099, 11, 2, 8, 12, 33, 999, tzinfo=UTC)  # 11:12:33 in Moscow
    dispatch_id = await client.create_dispatch("test", ["0710000000", "8071999999"], when)
    assert dispatch_id == 1
    [sent] = stub.seen("POST", "/sms-api/dispatches")
    assert sent.query == {"token": TOKEN}
    assert sent.json() == {
        "message": "test",
        "dateSend": "02.11.2099 11:12:33",
        "phonesList": ["0710000000", "8071999999"],
    }


async def test_create_dispatch_now_omits_the_date(stub: StubApi, client: SmsApiClient) -> None:
    stub.reply("POST", "/sms-api/dispatches", Reply(body=CREATED[1]))
    await client.create_dispatch("Привет", ("380710000000",))
    [sent] = stub.seen("POST", "/sms-api/dispatches")
    assert sent.json() == {"message": "Привет", "phonesList": ["380710000000"]}


async def test_create_dispatch_takes_a_naive_date_as_api_wall_time(
    stub: StubApi, client: SmsApiClient
) -> None:
    stub.reply("POST", "/sms-api/dispatches", Reply(body=CREATED[1]))
    await client.create_dispatch("test", ["380710000000"], datetime(2099, 11, 2, 11, 12, 33))
    [sent] = stub.seen("POST", "/sms-api/dispatches")
    assert sent.json()["dateSend"] == "02.11.2099 11:12:33"


async def test_create_dispatch_refuses_one_string_as_phones(client: SmsApiClient) -> None:
    with pytest.raises(TypeError):
        await client.create_dispatch("test", "380710000000")


@pytest.mark.parametrize("answer", ["", "ok", "true", "{}", "0"])
async def test_a_create_answered_2xx_without_an_id_was_created_without_a_number(
    stub: StubApi, client: SmsApiClient, answer: str
) -> None:
    # The reference's table promises no body at all: a 2xx is success whatever it carries.
    stub.reply("POST", "/sms-api/dispatches", Reply(body=answer))
    assert await client.create_dispatch("test", ["380710000000"]) is None


async def test_a_create_answered_with_the_id_as_text_gives_the_id(
    stub: StubApi, client: SmsApiClient
) -> None:
    stub.reply("POST", "/sms-api/dispatches", Reply(body='"17"'))
    assert await client.create_dispatch("test", ["380710000000"]) == 17


@pytest.mark.parametrize("command", ["cancel", "run"])
async def test_cancel_and_run_succeed_on_an_empty_200(
    stub: StubApi, client: SmsApiClient, command: str
) -> None:
    # The seed's answer has no body and no Content-Type.
    stub.reply("POST", f"/sms-api/dispatches/{command}", Reply(headers=SEED_HEADERS))
    method = client.cancel_dispatch if command == "cancel" else client.run_dispatch
    assert await method(1) is None
    [sent] = stub.seen("POST", f"/sms-api/dispatches/{command}")
    assert sent.json() == {"idDispatch": 1}
    assert sent.query == {"token": TOKEN}


@pytest.mark.parametrize(
    ("method", "path", "status", "body", "error"),
    [(e[0], e[1], e[2], e[4], e[5]) for e in SEED_ERRORS],
    ids=[e[5].__name__ + "-" + e[1].rsplit("/", 1)[-1] for e in SEED_ERRORS],
)
async def test_seed_errors_become_typed_exceptions(
    stub: StubApi,
    client: SmsApiClient,
    method: str,
    path: str,
    status: int,
    body: str,
    error: type[SmsApiCodeError],
) -> None:
    stub.reply(method, path, Reply(status, body))
    with pytest.raises(error) as caught:
        await call_for(client, method, path)
    assert type(caught.value) is error
    assert caught.value.code == error.CODE
    assert caught.value.http_status == status
    assert caught.value.server_message is not None
    assert caught.value.server_message in body
    assert len(stub.seen(method, path)) == 1  # a refusal is never retried


async def test_unknown_error_code(stub: StubApi, client: SmsApiClient) -> None:
    stub.reply("GET", "/sms-api/dispatches/2", Reply(409, error_body("DISPATCH_LOCKED", "Занято")))
    with pytest.raises(UnknownApiError) as caught:
        await client.dispatch(2)
    assert (caught.value.code, caught.value.server_message) == ("DISPATCH_LOCKED", "Занято")


async def test_error_without_message(stub: StubApi, client: SmsApiClient) -> None:
    stub.reply("GET", "/sms-api/dispatches/2", Reply(404, '{"code": "DISPATCH_NOT_FOUND"}'))
    with pytest.raises(DispatchNotFound) as caught:
        await client.dispatch(2)
    assert caught.value.server_message is None
    assert str(caught.value) == "DISPATCH_NOT_FOUND (HTTP 404)"


@pytest.mark.parametrize("status", [401, 403])
async def test_rejected_token(stub: StubApi, client: SmsApiClient, status: int) -> None:
    stub.reply("GET", "/sms-api/finance/balance", Reply(status, ""))
    with pytest.raises(TokenRejected) as caught:
        await client.balance()
    assert caught.value.http_status == status
    assert len(stub.requests) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("<html>maintenance</html>", "answer"),
        ('[ {"id" : "one", "name" : "name1"} ]', "0.id"),
        ('{"id" : 1}', "answer"),
    ],
)
async def test_data_the_bot_cannot_read_says_where(
    stub: StubApi, client: SmsApiClient, body: str, field: str
) -> None:
    stub.reply("GET", "/sms-api/addressbooks", Reply(200, body))
    with pytest.raises(InvalidResponse) as caught:
        await client.address_books()
    assert caught.value.problem.endpoint == "GET addressbooks"
    assert caught.value.problem.field == field
    assert client.problems.all() == [caught.value.problem]


@pytest.mark.parametrize(
    ("status", "body", "headers"),
    [
        (302, "", {"Location": "http://sms.example/login"}),
        (200, "<html><form action='/login'></form></html>", {"Content-Type": "text/html"}),
        (403, "", {}),
    ],
)
async def test_a_login_page_or_a_redirect_is_access_refused(
    stub: StubApi, client: SmsApiClient, status: int, body: str, headers: dict[str, str]
) -> None:
    stub.reply("GET", "/sms-api/addressbooks", Reply(status, body, headers))
    with pytest.raises(TokenRejected):
        await client.address_books()


@pytest.mark.parametrize(
    ("path", "call", "status", "error"),
    [
        ("/sms-api/dispatches/9", "dispatch", 404, DispatchNotFound),
        ("/sms-api/addressbooks/9/contacts", "contacts", 404, AddressBookNotFound),
        ("/sms-api/dispatches/cancel", "cancel_dispatch", 400, DispatchCanNotBeCanceled),
        ("/sms-api/dispatches/cancel", "cancel_dispatch", 404, DispatchCancelNotFound),
        ("/sms-api/dispatches/run", "run_dispatch", 400, DispatchCanNotBeRun),
        ("/sms-api/dispatches/run", "run_dispatch", 404, DispatchNotFound),
    ],
)
async def test_springs_default_error_body_still_says_what_was_refused(
    stub: StubApi,
    client: SmsApiClient,
    path: str,
    call: str,
    status: int,
    error: type[SmsApiCodeError],
) -> None:
    body = f'{{"timestamp" : "x", "status" : {status}, "error" : "Nope", "path" : "{path}"}}'
    method = "GET" if call in ("dispatch", "contacts") else "POST"
    stub.reply(method, path, Reply(status, body))
    with pytest.raises(error) as caught:
        await getattr(client, call)(9)
    assert caught.value.server_message == "Nope"


@pytest.mark.parametrize("body", ["<html>Not Found</html>", '{"status" : 400}', ""])
async def test_any_other_4xx_is_a_refusal_without_a_code(
    stub: StubApi, client: SmsApiClient, body: str
) -> None:
    stub.reply("POST", "/sms-api/dispatches", Reply(400, body))
    with pytest.raises(UnknownApiError) as caught:
        await client.create_dispatch("test", ["380710000000"])
    assert caught.value.http_status == 400


async def test_base_url_with_a_path_prefix_and_trailing_slash(stub: StubApi) -> None:
    stub.reply("GET", "/prefix/sms-api/addressbooks", Reply(body=ADDRESS_BOOKS[1]))
    async with SmsApiClient(f"{stub.url}/prefix/", TOKEN, MOSCOW) as client:
        assert len(await client.address_books()) == 2
    assert stub.requests[0].query == {"token": TOKEN}


async def test_token_with_reserved_characters_is_encoded(stub: StubApi) -> None:
    stub.reply("GET", "/sms-api/addressbooks", Reply(body=ADDRESS_BOOKS[1]))
    async with SmsApiClient(stub.url, "a+b/c&d=e", MOSCOW) as client:
        await client.address_books()
    assert stub.requests[0].query == {"token": "a+b/c&d=e"}


@pytest.mark.parametrize("command", ["cancel", "run"])
@pytest.mark.parametrize("body", ["{}", "null", "done"])
async def test_cancel_and_run_succeed_on_any_2xx_that_is_not_a_web_page(
    stub: StubApi, client: SmsApiClient, command: str, body: str
) -> None:
    stub.reply("POST", f"/sms-api/dispatches/{command}", Reply(body=body))
    method = client.cancel_dispatch if command == "cancel" else client.run_dispatch
    await method(1)


async def test_token_as_secret_str(stub: StubApi) -> None:
    stub.reply("GET", "/sms-api/addressbooks", Reply(body=ADDRESS_BOOKS[1]))
    async with SmsApiClient(stub.url, SecretStr(TOKEN), MOSCOW) as client:
        await client.address_books()
    assert stub.requests[0].query == {"token": TOKEN}


@pytest.mark.parametrize("token", ["", SecretStr("")])
def test_empty_token_is_refused(token: str | SecretStr) -> None:
    with pytest.raises(ValueError, match="token"):
        SmsApiClient("http://127.0.0.1:1", token, MOSCOW)
