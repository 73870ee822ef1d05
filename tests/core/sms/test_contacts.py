"""A book's contacts read straight from the answer's bytes, and the bytes of a create.

A book may hold a million contacts: the documented shape is read without a dict per row
(``decode_contacts``), anything else as before (``read_contacts`` on the decoded JSON),
and both must read the same thing.
"""

from __future__ import annotations

import gc
import json
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.sms import Contact, InvalidResponse, SmsApiClient
from core.sms.models import decode_contact_phones, decode_contacts, read_contacts
from tests.support.sms_seed import CONTACTS, CREATED
from tests.support.sms_stub import Reply, StubApi

MOSCOW = ZoneInfo("Europe/Moscow")
TOKEN = "tok-SECRET-123"
PATH = "/sms-api/addressbooks/1/contacts"

# Rows as a server might send them: the documented ones and every odd kind.
_text = st.text(max_size=12)
_phone = st.one_of(
    _text, st.integers(min_value=-(10**15), max_value=10**15), st.none(), st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False), st.lists(st.integers(), max_size=2),
)  # fmt: skip
_row = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "phone": _phone,
            "comment": st.one_of(_text, st.none(), st.integers()),
            "extra": st.one_of(_text, st.integers(), st.lists(st.integers(), max_size=2)),
        },
    ),
    st.none(),
    _text,
    st.integers(),
)


@pytest.fixture
async def client(stub: StubApi) -> AsyncIterator[SmsApiClient]:
    async with SmsApiClient(stub.url, TOKEN, MOSCOW, backoff=0.01) as api:
        yield api


def _read_as_before(content: bytes) -> tuple[list[Contact], list[tuple[str, str, Any]]]:
    problems: list[tuple[str, str, Any]] = []
    return read_contacts(json.loads(content), problems), problems


@given(st.lists(_row, max_size=8))
def test_the_fast_reading_agrees_with_the_tolerant_one_whenever_it_reads(rows: list[Any]):
    content = json.dumps(rows, ensure_ascii=False).encode()
    problems: list[tuple[str, str, Any]] = []
    fast = decode_contacts(content, problems)
    if fast is not None:
        assert (fast, problems) == _read_as_before(content)


@given(st.lists(_row, max_size=8))
def test_the_phones_alone_agree_with_the_tolerant_reading_whenever_read(rows: list[Any]):
    content = json.dumps(rows, ensure_ascii=False).encode()
    problems: list[tuple[str, str, Any]] = []
    phones = decode_contact_phones(content, problems)
    if phones is not None:
        contacts, expected_problems = _read_as_before(content)
        assert [row.phone for row in phones] == [contact.phone for contact in contacts]
        assert problems == expected_problems


@pytest.mark.parametrize(
    "body",
    [
        CONTACTS[1],
        '[{"phone": "380710000000"}, {"phone": null, "comment": "x"}, {}]',
        '[{"phone": "380710000000", "comment": null, "id": 5, "tags": ["a", {"b": 1}]}]',
        "[]",
    ],
)
def test_the_documented_shape_is_read_without_decoding_json_first(body: str):
    problems: list[tuple[str, str, Any]] = []
    contacts = decode_contacts(body.encode(), problems)
    assert contacts is not None
    assert (contacts, problems) == _read_as_before(body.encode())


@pytest.mark.parametrize(
    "body",
    [
        '[{"phone": 380710000000}]',  # a number: read as its digits by the tolerant reading
        '[{"phone": true}]',
        '[{"phone": "380710000000", "comment": 7}]',
        '["380710000000"]',
        "[null]",
        '{"phone": "380710000000"}',
        "\ufeff[]",  # a byte order mark, which json.loads skips
        '[{"phone": "380710000000", "x": NaN}]',
        "<html>maintenance</html>",
        "",
    ],
)
def test_anything_else_is_left_to_the_tolerant_reading(body: str):
    assert decode_contacts(body.encode()) is None


async def test_the_client_reads_odd_rows_as_before(stub: StubApi, client: SmsApiClient):
    body = '[{"phone": 380710000001}, {"phone": "0710000002", "comment": 5}, null, 7]'
    stub.reply("GET", PATH, Reply(body=body))
    assert await client.contacts(1) == [
        Contact("380710000001"),
        Contact("0710000002"),
        Contact(None),
        Contact(None),
    ]
    [problem] = client.problems.all()
    assert problem.field == "[].phone"


async def test_a_contact_without_a_number_is_noted_once(stub: StubApi, client: SmsApiClient):
    stub.reply("GET", PATH, Reply(body='[{"phone": null}, {}, {"phone": "380710000000"}]'))
    assert await client.contacts(1) == [Contact(None), Contact(None), Contact("380710000000")]
    [problem] = client.problems.all()
    assert (problem.field, problem.expected) == ("[].phone", "a phone number as text")


async def test_an_answer_that_is_not_json_is_still_unreadable(stub: StubApi, client: SmsApiClient):
    stub.reply("GET", PATH, Reply(body="<html>maintenance</html>"))
    with pytest.raises(InvalidResponse) as caught:
        await client.contacts(1)
    assert (caught.value.problem.field, caught.value.problem.expected) == ("answer", "JSON")


async def test_a_send_reads_a_books_phones_without_its_comments(
    stub: StubApi, client: SmsApiClient
):
    body = '[{"phone": "380710000000", "comment": "Иванов Иван"}, {"phone": null, "comment": 5}]'
    stub.reply("GET", PATH, Reply(body=body))
    phones = await client.contact_phones(1)
    assert [row.phone for row in phones] == ["380710000000", None]
    assert not hasattr(phones[0], "comment")
    [problem] = client.problems.all()
    assert problem.field == "[].phone"


async def test_phones_in_another_shape_are_read_as_before(stub: StubApi, client: SmsApiClient):
    stub.reply("GET", PATH, Reply(body='[{"phone": 380710000001}, "x"]'))
    assert await client.contact_phones(1) == [Contact("380710000001"), Contact(None)]


async def test_an_answer_does_not_wait_for_the_garbage_collector(
    stub: StubApi, client: SmsApiClient
):
    # httpx's response and its stream refer to each other; a book's body (42 MB for a
    # million contacts) held on until the next collection of the oldest generation.
    stub.reply("GET", PATH, Reply(body=CONTACTS[1]))
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        await client.contacts(1)
        gc.collect()
        left = [item for item in gc.garbage if isinstance(item, httpx.Response)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []


async def test_a_create_is_sent_as_the_json_httpx_would_write(stub: StubApi, client: SmsApiClient):
    stub.reply("POST", "/sms-api/dispatches", Reply(body=CREATED[1]))
    text = 'Привет, "мир"\n\t\\ 😀 \u2028'
    phones = ["380710000000", "380719999999"]
    await client.create_dispatch(text, phones)
    [sent] = stub.seen("POST", "/sms-api/dispatches")
    expected = {"message": text, "phonesList": phones}
    assert sent.body == httpx.Request("POST", "http://x", json=expected).read()
    assert sent.headers["Content-Type"] == "application/json"
