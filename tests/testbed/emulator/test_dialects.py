"""The emulator's dialects: how a real Spring server may depart from the v2.8.1 reference.

Each test starts an emulator that speaks some dialects, on a frozen clock, and checks over
HTTP exactly what a client receives: status, the headers that matter and the raw body.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from testbed.emulator import EmulatorConfig, RunningEmulator, start_emulator
from testbed.emulator.__main__ import build_config, parse_args
from testbed.emulator.dialects import DIALECTS
from tests.support.emulator_api import SEED_HEADERS, TOKEN, start_test_emulator
from tests.support.paths import ROOT

ALL_DIALECTS = sorted(DIALECTS)
# The dispatch of the data file, as the reference's example shows it.
SEED_DISPATCH = (
    '{"idDispatch": 1, "dateSend": "01.02.2019 11:22:00", "dateToClose": "01.02.2019 22:44:00", '
    '"status": "IN_QUEUE", "messagesCount": 1, "messagesSent": 0, "messagesDelivered": 0, '
    '"comment": "Комментарий", "text": "Текст", "dispatchSource": "API"}'
)
SEED_BALANCE = (
    '{"balance": 42.0, "beginningPeriodBalance": 66.0, "limit": 100.0, '
    '"creditLimit": {"limit": 200.0, "dateStart": "01.01.2019", "dateEnd": "01.02.2019"}, '
    '"currentPayments": 200.0, "currentFees": 100.0}'
)
LATER = "10.01.2030 12:00:45"  # a send time three hours after the emulator's start
# The emulator's start as Spring Boot writes an error's timestamp.
START_STAMP = "2030-01-10T06:00:00.000+00:00"
NO_SUCH_DISPATCH = '{"code": "DISPATCH_NOT_FOUND", "message": "Рассылка 99 не найдена"}'


@asynccontextmanager
async def speaking(
    *dialects: str, **config: Any
) -> AsyncIterator[tuple[RunningEmulator, httpx.AsyncClient]]:
    """A frozen-clock emulator speaking ``dialects``, and a client with the right token."""
    emulator = await start_test_emulator(dialects=dialects, **config)
    try:
        async with httpx.AsyncClient(
            base_url=emulator.url, params={"token": TOKEN}, timeout=10
        ) as api:
            yield emulator, api
    finally:
        await emulator.stop()


def text(response: httpx.Response) -> str:
    """The raw body, as the bytes came (UTF-8)."""
    return response.content.decode("utf-8")


def assert_json(response: httpx.Response, status: int, body: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert text(response) == body


async def create(api: httpx.AsyncClient, phones: list[str], **fields: Any) -> httpx.Response:
    return await api.post(
        "/sms-api/dispatches", json={"message": "Тест", "phonesList": phones, **fields}
    )


async def advance(api: httpx.AsyncClient, seconds: float) -> None:
    response = await api.post("/_emulator/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text


async def set_credit(api: httpx.AsyncClient, credit: dict[str, Any] | None) -> None:
    response = await api.post("/_emulator/balance", json={"creditLimit": credit})
    assert response.status_code == 200, response.text


# Choosing dialects: the config, the control API, the command line.


async def test_no_dialect_is_spoken_by_default_and_the_answers_are_the_references() -> None:
    assert EmulatorConfig().dialects == frozenset()
    async with speaking() as (emulator, api):
        assert emulator.state.dialects == frozenset()
        assert (await api.get("/_emulator/state")).json()["dialects"] == []

        assert_json(await api.get("/sms-api/dispatches/1"), 200, SEED_DISPATCH)
        assert_json(await api.get("/sms-api/finance/balance"), 200, SEED_BALANCE)
        assert_json(await create(api, ["380711234567"]), 200, "2")
        assert_json(await api.get("/sms-api/dispatches/99"), 404, NO_SUCH_DISPATCH)
        minutes = await create(api, ["380711234567"], dateSend="10.01.2030 12:00")
        assert minutes.status_code == 400
        assert minutes.json()["code"] == "ARGUMENT_NOT_VALID"
        refused = await api.get("/sms-api/addressbooks", params={"token": "wrong"})
        assert refused.status_code == 401
        assert refused.json()["code"] == "UNAUTHORIZED"
        login = await api.get("/login")
        assert (login.status_code, login.text) == (404, "404: Not Found")


def test_the_config_takes_any_collection_of_known_names_as_a_frozenset() -> None:
    config = EmulatorConfig(dialects=["nulls", "odd_contacts", "nulls"])

    assert config.dialects == frozenset({"nulls", "odd_contacts"})


@pytest.mark.parametrize("dialects", [["nulls", "klingon"], "nulls", [None], ["NULLS"]])
def test_the_config_refuses_an_unknown_dialect_naming_the_known_ones(dialects: Any) -> None:
    with pytest.raises(ValueError, match="dialect") as refused:
        EmulatorConfig(dialects=dialects)

    if isinstance(dialects, list) and all(isinstance(name, str) for name in dialects):
        assert all(name in str(refused.value) for name in ALL_DIALECTS)


async def test_start_emulator_refuses_an_unknown_dialect() -> None:
    with pytest.raises(ValueError, match=r"'klingon'; known: create_no_body, empty_objects"):
        await start_emulator(dialects=["klingon"])


async def test_the_control_api_switches_dialects_at_run_time() -> None:
    async with speaking("nulls") as (emulator, api):
        shown = await api.get("/_emulator/dialects")
        assert shown.json() == {"dialects": ["nulls"], "known": DIALECTS}

        switched = await api.post(
            "/_emulator/dialects", json={"dialects": ["strings_for_numbers", "empty_objects"]}
        )

        assert switched.status_code == 200
        assert switched.json()["dialects"] == ["empty_objects", "strings_for_numbers"]
        assert (await api.get("/_emulator/state")).json()["dialects"] == [
            "empty_objects",
            "strings_for_numbers",
        ]
        assert emulator.state.dialects == {"empty_objects", "strings_for_numbers"}
        assert (await api.get("/sms-api/finance/balance")).json()["balance"] == "42.00"
        assert (await api.get("/sms-api/dispatches/1")).json()["text"] == "Текст"  # no nulls

        back = await api.post("/_emulator/dialects", json={"dialects": []})

        assert back.json()["dialects"] == []
        assert_json(await api.get("/sms-api/finance/balance"), 200, SEED_BALANCE)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"dialects": ["nulls", "klingon"]}, "unknown dialect 'klingon'; known: create_no_body"),
        ({"dialects": "nulls"}, "dialects must be a list of names"),
        ({"dialects": None}, "dialects must be a list of names"),
        ({}, "dialects must be a list of names"),
        ({"dialects": [7]}, "a dialect's name must be a string"),
    ],
)
async def test_the_control_api_refuses_unknown_names_and_a_non_list(
    body: dict[str, Any], reason: str
) -> None:
    async with speaking("nulls") as (emulator, api):
        response = await api.post("/_emulator/dialects", json=body)

        assert response.status_code == 400
        assert response.json()["code"] == "BAD_REQUEST"
        assert reason in response.json()["message"]
        assert emulator.state.dialects == {"nulls"}  # unchanged


def test_the_command_line_takes_repeated_dialects() -> None:
    args = parse_args(["--token", "t", "--dialect", "nulls", "--dialect", "minutes_only"])

    assert build_config(args).dialects == {"nulls", "minutes_only"}
    assert build_config(parse_args(["--token", "t"])).dialects == frozenset()


def test_the_command_lines_help_lists_every_dialect(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        parse_args(["--help"])

    assert done.value.code == 0
    help_text = capsys.readouterr().out
    assert "--dialect NAME" in help_text
    for name in DIALECTS:
        assert f"\n  {name} " in help_text


@pytest.mark.slow
async def test_the_command_line_refuses_an_unknown_dialect() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "testbed.emulator", "--token", "t", "--port", "0",
        "--dialect", "nulls", "--dialect", "klingon",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)

    assert process.returncode == 2
    assert "argument --dialect: invalid choice: 'klingon'" in stderr.decode()
    assert all(name in stderr.decode() for name in DIALECTS)
    assert "Traceback" not in stderr.decode()


# What each dialect changes in the answers.


async def test_seconds_everywhere_gives_the_credit_limits_dates_a_time() -> None:
    async with speaking("seconds_everywhere") as (_, api):
        assert_json(
            await api.get("/sms-api/finance/balance"),
            200,
            '{"balance": 42.0, "beginningPeriodBalance": 66.0, "limit": 100.0, '
            '"creditLimit": {"limit": 200.0, "dateStart": "01.01.2019 00:00:00", '
            '"dateEnd": "01.02.2019 00:00:00"}, "currentPayments": 200.0, "currentFees": 100.0}',
        )
        await set_credit(api, {"limit": 10, "dateStart": "01.12.2026"})
        credit = (await api.get("/sms-api/finance/balance")).json()["creditLimit"]
        assert credit == {"limit": 10.0, "dateStart": "01.12.2026 00:00:00", "dateEnd": None}
        assert_json(await api.get("/sms-api/dispatches/1"), 200, SEED_DISPATCH)


async def test_minutes_only_writes_a_dispatchs_dates_without_seconds() -> None:
    async with speaking("minutes_only") as (_, api):
        assert_json(
            await api.get("/sms-api/dispatches/1"),
            200,
            SEED_DISPATCH.replace("11:22:00", "11:22").replace("22:44:00", "22:44"),
        )
        assert_json(await create(api, ["380711234567"], dateSend=LATER), 200, "2")
        assert_json(
            await api.get("/sms-api/dispatches/2"),
            200,
            '{"idDispatch": 2, "dateSend": "10.01.2030 12:00", "dateToClose": "10.01.2030 12:05", '
            '"status": "IN_QUEUE", "messagesCount": 1, "messagesSent": 0, "messagesDelivered": 0, '
            '"comment": null, "text": "Тест", "dispatchSource": "API"}',
        )
        assert_json(await api.get("/sms-api/finance/balance"), 200, SEED_BALANCE)


async def test_minutes_only_still_reads_a_send_time_with_or_without_seconds() -> None:
    async with speaking("minutes_only") as (_, api):
        await advance(api, 30)  # 09:00:30

        without_seconds = await create(api, ["380711234567"], dateSend="10.01.2030 12:30")
        with_seconds = await create(api, ["380711234567"], dateSend="10.01.2030 12:30:59")
        this_minute = await create(api, ["380711234567"], dateSend="10.01.2030 09:00")
        last_minute = await create(api, ["380711234567"], dateSend="10.01.2030 08:59")
        past_second = await create(api, ["380711234567"], dateSend="10.01.2030 09:00:29")
        malformed = await create(api, ["380711234567"], dateSend="10.01.2030 9:00")

        assert [r.status_code for r in (without_seconds, with_seconds, this_minute)] == [200] * 3
        assert (await api.get("/sms-api/dispatches/2")).json()["dateSend"] == "10.01.2030 12:30"
        assert (await api.get("/sms-api/dispatches/3")).json()["dateSend"] == "10.01.2030 12:30"
        for past in (last_minute, past_second):
            assert past.status_code == 400
            assert past.json()["code"] == "INVALID_DISPATCH_DATE"
        assert malformed.status_code == 400
        assert malformed.json()["code"] == "ARGUMENT_NOT_VALID"


async def test_empty_objects_makes_an_absent_credit_limit_an_empty_object() -> None:
    async with speaking("empty_objects") as (_, api):
        assert_json(await api.get("/sms-api/finance/balance"), 200, SEED_BALANCE)

        await set_credit(api, None)

        assert_json(
            await api.get("/sms-api/finance/balance"),
            200,
            '{"balance": 42.0, "beginningPeriodBalance": 66.0, "limit": 100.0, '
            '"creditLimit": {}, "currentPayments": 200.0, "currentFees": 100.0}',
        )
        await create(api, ["380711234567"])
        assert '"comment": null' in text(await api.get("/sms-api/dispatches/2"))  # a field


async def test_strings_for_numbers_quotes_every_number() -> None:
    async with speaking("strings_for_numbers") as (_, api):
        assert_json(
            await api.get("/sms-api/addressbooks"),
            200,
            '[{"id": "1", "name": "name1"}, {"id": "2", "name": "name2"}, '
            '{"id": "3", "name": "Клиенты"}, {"id": "4", "name": "Сотрудники"}]',
        )
        assert_json(
            await api.get("/sms-api/finance/balance"),
            200,
            '{"balance": "42.00", "beginningPeriodBalance": "66.00", "limit": "100.00", '
            '"creditLimit": {"limit": "200.00", "dateStart": "01.01.2019", '
            '"dateEnd": "01.02.2019"}, "currentPayments": "200.00", "currentFees": "100.00"}',
        )

        assert_json(await create(api, ["380711234567", "380711234568"]), 200, '"2"')
        await advance(api, 35)  # tariffed after 5 s, half-way through sending

        assert_json(
            await api.get("/sms-api/dispatches/2"),
            200,
            '{"idDispatch": "2", "dateSend": "10.01.2030 09:00:00", '
            '"dateToClose": "10.01.2030 09:05:00", "status": "ACTIVE", "messagesCount": "2", '
            '"messagesSent": "1", "messagesDelivered": "0", "comment": null, "text": "Тест", '
            '"dispatchSource": "API"}',
        )
        assert (await api.get("/sms-api/finance/balance")).json()["balance"] == "40.00"
        cancel = await api.post("/sms-api/dispatches/cancel", json={"idDispatch": 2})
        assert (cancel.status_code, cancel.content) == (200, b"")
        unknown = await api.get("/sms-api/no-such-endpoint")  # the framework's own body
        assert (unknown.status_code, unknown.json()["status"]) == (404, "404")


async def test_create_no_body_answers_a_create_with_an_empty_200() -> None:
    async with speaking("create_no_body") as (emulator, api):
        response = await create(api, ["380711234567"])

        assert response.status_code == 200
        assert response.content == b""
        assert response.headers["content-length"] == "0"
        assert "content-type" not in response.headers
        assert SEED_HEADERS.items() <= response.headers.items()
        created = await api.get("/sms-api/dispatches/2")  # created all the same
        assert created.status_code == 200
        assert created.json()["messagesCount"] == 1
        assert emulator.state.dispatches[2].phones == ["380711234567"]
        refused = await create(api, ["380711234567"], message="")
        assert refused.status_code == 400
        assert refused.json()["code"] == "ARGUMENT_NOT_VALID"
        assert (await create(api, ["380711234567"])).content == b""
        assert 3 in emulator.state.dispatches


async def test_extra_fields_adds_unlisted_fields_to_every_object() -> None:
    async with speaking("extra_fields") as (emulator, api):
        base = emulator.url
        books = (await api.get("/sms-api/addressbooks")).json()
        assert books[0] == {
            "id": 1,
            "name": "name1",
            "createdBy": "web",
            "version": 0,
            "_links": {
                "self": {"href": f"{base}/sms-api/addressbooks/1"},
                "contacts": {"href": f"{base}/sms-api/addressbooks/1/contacts"},
            },
        }
        assert all({"createdBy", "version", "_links"} <= book.keys() for book in books)
        assert_json(
            await api.get("/sms-api/addressbooks/1/contacts"),
            200,
            '[{"phone": "380710000000", "comment": "Контакт 1", "createdBy": "web", "version": 0}, '
            '{"phone": "380719999999", "comment": "Контакт 2", "createdBy": "web", "version": 0}]',
        )
        assert_json(
            await api.get("/sms-api/dispatches/1"),
            200,
            SEED_DISPATCH[:-1] + ', "createdBy": "web", "version": 0, '
            f'"_links": {{"self": {{"href": "{base}/sms-api/dispatches/1"}}}}}}',
        )
        assert_json(
            await api.get("/sms-api/finance/balance"),
            200,
            '{"balance": 42.0, "beginningPeriodBalance": 66.0, "limit": 100.0, '
            '"creditLimit": {"limit": 200.0, "dateStart": "01.01.2019", "dateEnd": "01.02.2019", '
            '"createdBy": "web", "version": 0}, "currentPayments": 200.0, "currentFees": 100.0, '
            '"currency": "RUB", '
            f'"_links": {{"self": {{"href": "{base}/sms-api/finance/balance"}}}}}}',
        )
        assert_json(await create(api, ["380711234567"]), 200, "2")  # a number, not an object
        created = (await api.get("/sms-api/dispatches/2")).json()
        assert (created["createdBy"], created["version"]) == ("api", 1)
        followed = await api.get(created["_links"]["self"]["href"])
        assert followed.json() == created
        assert_json(await api.get("/sms-api/dispatches/99"), 404, NO_SUCH_DISPATCH)


async def test_unknown_status_reports_moderation_while_tariffing() -> None:
    async with speaking("unknown_status") as (_, api):
        await create(api, ["380711234567"])  # leaves the queue at once
        await create(api, ["380711234567"], dateSend=LATER)

        assert_json(
            await api.get("/sms-api/dispatches/2"),
            200,
            '{"idDispatch": 2, "dateSend": "10.01.2030 09:00:00", '
            '"dateToClose": "10.01.2030 09:05:00", "status": "MODERATION", "messagesCount": 1, '
            '"messagesSent": 0, "messagesDelivered": 0, "comment": null, "text": "Тест", '
            '"dispatchSource": "API"}',
        )
        assert (await api.get("/sms-api/dispatches/3")).json()["status"] == "IN_QUEUE"
        refused = await api.post("/sms-api/dispatches/cancel", json={"idDispatch": 2})
        assert refused.status_code == 400
        assert refused.json()["code"] == "DISPATCH_CAN_NOT_BE_CANCELED"
        state = (await api.get("/_emulator/state")).json()
        assert state["dispatches"][1]["status"] == "TARIFFING"  # the emulator's own view

        await advance(api, 5)

        assert (await api.get("/sms-api/dispatches/2")).json()["status"] == "ACTIVE"
        assert (await api.get("/sms-api/finance/balance")).json()["balance"] == 41.0


async def test_nulls_leaves_optional_looking_fields_null_or_out() -> None:
    async with speaking("nulls") as (_, api):
        assert_json(
            await api.get("/sms-api/dispatches/1"),
            200,
            '{"idDispatch": 1, "dateSend": "01.02.2019 11:22:00", '
            '"dateToClose": "01.02.2019 22:44:00", "status": "IN_QUEUE", "messagesCount": 1, '
            '"messagesSent": null, "messagesDelivered": null, "comment": null, "text": null, '
            '"dispatchSource": null}',
        )
        await create(api, ["380711234567", "380711234568"], dateSend=LATER)
        assert_json(
            await api.get("/sms-api/dispatches/2"),
            200,
            '{"idDispatch": 2, "dateSend": "10.01.2030 12:00:45", '
            '"dateToClose": "10.01.2030 12:05:45", "status": "IN_QUEUE", "messagesCount": 2, '
            '"messagesSent": null, "messagesDelivered": null, "comment": null, "text": "Тест", '
            '"dispatchSource": "API"}',
        )

        await advance(api, 3 * 3600 + 45 + 35)  # sending, half-way
        sending = (await api.get("/sms-api/dispatches/2")).json()
        assert (sending["status"], sending["messagesSent"], sending["messagesDelivered"]) == (
            "ACTIVE",
            1,
            0,
        )
        # The web interface's dispatch, moved on, is still the web interface's.
        assert (await api.post("/_emulator/dispatches/1/advance")).status_code == 200
        moved = (await api.get("/sms-api/dispatches/1")).json()
        assert (moved["status"], moved["messagesSent"], moved["text"]) == ("TARIFFING", 0, None)

        contacts = await api.get("/sms-api/addressbooks/3/contacts")
        assert '{"phone": "380711258324"}, ' in text(contacts)  # no "comment" key at all
        rows = contacts.json()
        assert rows[0] == {"phone": "380711234567", "comment": "Иванов Пётр"}
        assert sum("comment" not in row for row in rows) == 4


async def test_odd_contacts_mixes_bad_rows_into_every_contacts_list() -> None:
    async with speaking("odd_contacts") as (emulator, api):
        assert_json(
            await api.get("/sms-api/addressbooks/1/contacts"),
            200,
            '[{"phone": null, "comment": "Номер удалён"}, '
            '{"phone": "380710000000", "comment": "Контакт 1"}, '
            '{"phone": 380711112233, "comment": "Импорт из Excel"}, '
            '{"phone": "380719999999", "comment": "Контакт 2"}, '
            '{"phone": "n/a", "comment": "Нет номера"}]',
        )
        empty_book = (await api.get("/sms-api/addressbooks/2/contacts")).json()
        assert [row["phone"] for row in empty_book] == [None, 380711112233, "n/a"]
        rows = (await api.get("/sms-api/addressbooks/3/contacts")).json()
        good = [contact.phone for contact in emulator.state.books[3].contacts]
        assert len(rows) == len(good) + 3
        assert [i for i, row in enumerate(rows) if row["phone"] not in good] == [8, 17, 27]
        assert [row["phone"] for row in rows if row["phone"] in good] == good
        books = (await api.get("/_emulator/state")).json()["addressBooks"]
        assert {"id": 1, "name": "name1", "size": 2} in books  # the book is as it was

        created = await create(api, ["380710000000", "380719999999"])
        assert_json(created, 200, "2")
        assert (await api.get("/sms-api/dispatches/2")).json()["messagesCount"] == 2
        garbage = await create(api, ["380710000000", "n/a"])
        assert garbage.status_code == 400
        assert garbage.json()["code"] == "INVALID_FORMAT"


# Refusals: Spring Security's login redirect, Spring Boot's error body.


@pytest.mark.parametrize("access", ["missing", "wrong", "blocked"])
async def test_login_redirect_sends_a_client_without_access_to_the_login_page(
    access: str,
) -> None:
    async with speaking("login_redirect") as (emulator, api):
        params = {"missing": {}, "wrong": {"token": "wrong"}, "blocked": {"token": TOKEN}}[access]
        if access == "blocked":
            await api.post("/_emulator/access", json={"blocked": True})
        async with httpx.AsyncClient(base_url=emulator.url) as client:
            balance = await client.get("/sms-api/finance/balance", params=params)
            creation = await client.post(
                "/sms-api/dispatches",
                params=params,
                json={"message": "Тест", "phonesList": ["380711234567"]},
            )

        for response in (balance, creation):
            assert response.status_code == 302
            assert response.headers["location"] == f"{emulator.url}/login"
            assert response.content == b""
            assert response.headers["content-length"] == "0"
            assert "content-type" not in response.headers
            assert SEED_HEADERS.items() <= response.headers.items()
            cookie = response.headers["set-cookie"]
            assert cookie.startswith("JSESSIONID=")
            assert {"HttpOnly", "Path=/"} <= {part.strip() for part in cookie.split(";")}
        assert list(emulator.state.dispatches) == [1]  # nothing was created


async def test_login_redirect_leads_to_an_html_login_form() -> None:
    async with (
        speaking("login_redirect") as (emulator, api),
        httpx.AsyncClient(base_url=emulator.url, follow_redirects=True) as browser,
    ):
        response = await browser.get("/sms-api/addressbooks", params={"token": "wrong"})

        assert [step.status_code for step in response.history] == [302]
        assert str(response.url) == f"{emulator.url}/login"
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html;charset=UTF-8"
        page = response.text
        assert page.startswith("<!DOCTYPE html>")
        assert '<form class="form-signin" method="post" action="/login">' in page
        assert '<input type="text" id="username" name="username" required autofocus>' in page
        assert '<input type="password" id="password" name="password" required>' in page

        signed_in = await browser.post("/login", data={"username": "u", "password": "p"})
        assert str(signed_in.history[0].headers["location"]).endswith("/login?error")

        # The right token gets the API as ever; the control API still answers 401.
        assert_json(await api.get("/sms-api/dispatches/1"), 200, SEED_DISPATCH)
        control = await api.get("/_emulator/state", params={"token": "wrong"})
        assert control.status_code == 401
        assert control.json()["code"] == "UNAUTHORIZED"


async def test_spring_errors_answers_refusals_with_spring_boots_error_body() -> None:
    async with speaking("spring_errors") as (_, api):
        assert_json(
            await api.get("/sms-api/dispatches/99"),
            404,
            f'{{"timestamp": "{START_STAMP}", "status": 404, "error": "Not Found", '
            '"path": "/sms-api/dispatches/99"}',
        )
        await advance(api, 1.5)
        stamp = "2030-01-10T06:00:01.500+00:00"

        refusals = {
            "/sms-api/dispatches": (400, "Bad Request", await create(api, [], message="")),
            "/sms-api/dispatches/cancel": (
                404,
                "Not Found",
                await api.post("/sms-api/dispatches/cancel", json={"idDispatch": 99}),
            ),
            "/sms-api/dispatches/run": (
                400,
                "Bad Request",
                await api.post("/sms-api/dispatches/run", json={"idDispatch": 1}),
            ),
            "/sms-api/addressbooks/9/contacts": (
                404,
                "Not Found",
                await api.get("/sms-api/addressbooks/9/contacts"),
            ),
            "/sms-api/finance/balance": (
                401,
                "Unauthorized",
                await api.get("/sms-api/finance/balance", params={"token": "wrong"}),
            ),
        }
        for path, (status, reason, response) in refusals.items():
            assert_json(
                response,
                status,
                f'{{"timestamp": "{stamp}", "status": {status}, "error": "{reason}", '
                f'"path": "{path}"}}',
            )

        # Answers that are not refusals, and the control API's own, stay as they were.
        assert_json(await api.get("/sms-api/dispatches/1"), 200, SEED_DISPATCH)
        control = await api.post("/_emulator/clock/advance", json={})
        assert control.status_code == 400
        assert control.json()["code"] == "BAD_REQUEST"


# Dialects combine.


async def test_every_dialect_at_once() -> None:
    async with speaking(*ALL_DIALECTS) as (emulator, api):
        base = emulator.url
        assert (await api.get("/_emulator/state")).json()["dialects"] == ALL_DIALECTS
        created = await create(api, ["380711234567"])
        assert (created.status_code, created.content) == (200, b"")

        assert (await api.get("/sms-api/dispatches/2")).json() == {
            "idDispatch": "2",
            "dateSend": "10.01.2030 09:00",
            "dateToClose": "10.01.2030 09:05",
            "status": "MODERATION",
            "messagesCount": "1",
            "messagesSent": "0",
            "messagesDelivered": "0",
            "comment": None,
            "text": "Тест",
            "dispatchSource": "API",
            "createdBy": "api",
            "version": "1",
            "_links": {"self": {"href": f"{base}/sms-api/dispatches/2"}},
        }
        seed = (await api.get("/sms-api/dispatches/1")).json()
        assert [seed[key] for key in ("messagesSent", "text", "dateSend", "version")] == [
            None,
            None,
            "01.02.2019 11:22",
            "0",
        ]
        credit = (await api.get("/sms-api/finance/balance")).json()["creditLimit"]
        assert credit == {
            "limit": "200.00",
            "dateStart": "01.01.2019 00:00:00",
            "dateEnd": "01.02.2019 00:00:00",
            "createdBy": "web",
            "version": "0",
        }
        await set_credit(api, None)
        assert (await api.get("/sms-api/finance/balance")).json()["creditLimit"] == {}
        contacts = (await api.get("/sms-api/addressbooks/1/contacts")).json()
        assert [row["phone"] for row in contacts] == [
            None,
            "380710000000",
            "380711112233",  # a number, so a string too
            "380719999999",
            "n/a",
        ]
        assert all(row["createdBy"] == "web" for row in contacts)
        missing = await api.get("/sms-api/dispatches/99")
        assert missing.json() == {
            "timestamp": START_STAMP,
            "status": "404",
            "error": "Not Found",
            "path": "/sms-api/dispatches/99",
        }
        refused = await api.get("/sms-api/dispatches/1", params={"token": "wrong"})
        assert (refused.status_code, refused.content) == (302, b"")


@pytest.mark.parametrize(
    "pair",
    [(a, b) for i, a in enumerate(ALL_DIALECTS) for b in ALL_DIALECTS[i + 1 :]],
    ids="+".join,
)
async def test_any_two_dialects_combine(pair: tuple[str, str]) -> None:
    async with speaking(*pair) as (_, api):
        created = await create(api, ["380711234567"], dateSend="10.01.2030 09:00:05")
        answers = [
            await api.get("/sms-api/addressbooks"),
            await api.get("/sms-api/addressbooks/3/contacts"),
            await api.get("/sms-api/dispatches/1"),
            await api.get("/sms-api/dispatches/2"),
            await api.get("/sms-api/finance/balance"),
        ]
        await advance(api, 10)
        answers.append(await api.get("/sms-api/dispatches/2"))
        cancel = await api.post("/sms-api/dispatches/cancel", json={"idDispatch": 2})
        missing = await api.get("/sms-api/dispatches/99")

        assert created.status_code == 200
        if "create_no_body" in pair:
            assert created.content == b""
        else:
            assert created.json() in (2, "2")
        for answer in answers:
            assert answer.status_code == 200, answer.text
            answer.json()
        assert (cancel.status_code, cancel.content) == (200, b"")
        assert missing.status_code == 404
        assert ("code" in missing.json()) != ("spring_errors" in pair)
