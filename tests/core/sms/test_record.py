"""The record of SMS API exchanges: what it keeps, what it never keeps, and that a
recorded file replays through the client as the server answered."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, quote_plus
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.sms import SmsApiClient
from core.sms import recorder as recorder_module
from core.sms.recorder import ExchangeRecorder, read_records, replay_transport
from testbed.emulator import start_emulator
from testbed.emulator.dialects import CREATE_NO_BODY, STRINGS_FOR_NUMBERS

MOSCOW = ZoneInfo("Europe/Moscow")
TOKEN = "tok/en+SECRET=1"  # every spelling of it differs: plain, %-quoted, +-quoted


async def record_session(folder: Path, dialects: list[str]) -> tuple[list[dict], dict]:
    emulator = await start_emulator(token=TOKEN, speed=0, dialects=dialects)
    seen: dict[str, object] = {}
    try:
        recorder = ExchangeRecorder(folder, [TOKEN])
        async with SmsApiClient(emulator.url, TOKEN, MOSCOW, recorder=recorder) as client:
            seen["balance"] = await client.balance()
            seen["books"] = await client.address_books()
            seen["contacts"] = await client.contacts(1)
            seen["created"] = await client.create_dispatch("Привет", ["380711234567"])
            seen["dispatch"] = await client.dispatch(max(emulator.state.dispatches))
    finally:
        await emulator.stop()
    return list(read_records(folder / recorder_module.FILE_NAME)), seen


@pytest.mark.parametrize("dialects", [[], [STRINGS_FOR_NUMBERS, CREATE_NO_BODY]])
async def test_a_recorded_session_replays_through_the_client(tmp_path: Path, dialects):
    records, seen = await record_session(tmp_path, dialects)
    assert [(r["method"], r["status"]) for r in records] == [
        ("GET", 200), ("GET", 200), ("GET", 200), ("POST", 200), ("GET", 200),
    ]  # fmt: skip
    async with SmsApiClient(
        "http://replay", "x", MOSCOW, transport=replay_transport(records)
    ) as client:
        assert await client.balance() == seen["balance"]
        assert await client.address_books() == seen["books"]
        assert len(await client.contacts(1)) == len(seen["contacts"])
        dispatch = seen["dispatch"]
        assert await client.dispatch(dispatch.id) == dispatch
        assert await client.create_dispatch("Привет", ["380711234567"]) == seen["created"]


async def test_the_record_holds_no_token_and_no_phone_number(tmp_path: Path):
    records, _ = await record_session(tmp_path, [])
    text = (tmp_path / recorder_module.FILE_NAME).read_text(encoding="utf-8")
    for spelling in (TOKEN, quote(TOKEN, safe=""), quote_plus(TOKEN)):
        assert spelling not in text
    assert "380711234567" not in text and "380710000000" not in text
    post = next(r for r in records if r["method"] == "POST")
    assert post["sent"] == '{"message": "Привет", "phonesList": ["<phone>"]}'


def test_a_server_that_echoes_the_token_is_recorded_without_it(tmp_path: Path):
    recorder = ExchangeRecorder(tmp_path, [TOKEN])
    echo = httpx.Response(
        400,
        headers={"Location": f"/x?token={quote_plus(TOKEN)}"},
        text=f'{{"message": "bad token {quote(TOKEN, safe="")} for +380711234567"}}',
    )
    recorder.record("GET", "/sms-api/finance/balance", None, echo)
    recorder.close()
    [entry] = read_records(tmp_path / recorder_module.FILE_NAME)
    assert entry["body"] == '{"message": "bad token *** for <phone>"}'
    assert entry["headers"]["location"] == "/x?token=***"


def test_the_record_rotates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(recorder_module, "FILE_BYTES", 2000)
    recorder = ExchangeRecorder(tmp_path, [TOKEN])
    for _ in range(100):
        recorder.record("GET", "/sms-api/addressbooks", None, httpx.Response(200, text="x" * 300))
    recorder.close()
    files = sorted(path.name for path in tmp_path.iterdir())
    assert len(files) == recorder_module.FILES_KEPT + 1
    assert all(path.stat().st_size <= 2000 for path in tmp_path.iterdir())
