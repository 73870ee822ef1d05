"""``python -m bot`` as an operator runs it in production: webhook mode, the health
listener and JSON logs, in a process of its own against the stand-in and the emulator."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bench.processes import ADMIN_ID, BotProcess, bot_env
from bot.webhook import SECRET_HEADER
from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import WEBHOOK_SECRET, free_port, webhook_settings
from tests.support.send import (
    RU,
    card_head,
    confirm,
    reply_with,
    summary_for_numbers,
    toast_said,
)

pytestmark = pytest.mark.slow  # python -m bot in its own process

TYPED = "+380 71 123 45 67, 380719876543"
PHONE_DIGITS = ("711234567", "719876543")
TEXT = "Quarterly promo, private words"
CREATE_PATH = "/sms-api/dispatches"
WAIT = 15.0


@pytest.fixture
async def production(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> AsyncIterator[BotProcess]:
    env = bot_env(
        standin,
        emulator,
        tmp_path / "data" / "bot.sqlite3",
        POLL_INTERVAL="0.2",
        HEALTH_LISTEN=f"127.0.0.1:{free_port()}",
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        **webhook_settings(),
    )
    process = BotProcess("bot", env, tmp_path / "bot.log")
    await process.start(standin)
    yield process
    await process.stop()


def health_url(process: BotProcess, path: str) -> str:
    return f"http://{process.env['HEALTH_LISTEN']}{path}"


async def get(process: BotProcess, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(health_url(process, path)) as response:
        return response.status, await response.text()


async def readiness_becomes(process: BotProcess, ready: bool) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT
    while True:
        status, text = await get(process, "/readyz")
        body = json.loads(text)
        assert status == (200 if body["ready"] else 503)
        if body["ready"] is ready or time.monotonic() > deadline:
            assert body["ready"] is ready, body
            return body
        await asyncio.sleep(0.1)


def creates(emulator: RunningEmulator) -> list[dict[str, Any]]:
    return [
        entry
        for entry in emulator.state.requests.entries()
        if entry["method"] == "POST" and entry["path"] == CREATE_PATH
    ]


async def send_to_numbers(admin: SimUser) -> dict[str, Any]:
    """A whole send conversation to typed numbers; returns the Confirm update."""
    summary = await summary_for_numbers(admin, TYPED, TEXT)
    update = await confirm(admin, summary)
    await reply_with(admin, card_head(), timeout=WAIT)
    return update


async def test_webhook_mode_answers_refuses_the_secretless_and_handles_a_redelivery_once(
    production: BotProcess, standin: BotApiStandin, emulator: RunningEmulator
) -> None:
    assert standin.webhook.url == production.env["WEBHOOK_URL"]
    assert standin.calls_to("getUpdates") == []
    admin = standin.user(ADMIN_ID, first_name="Alla")
    await admin.send_text("/balance")
    assert "Баланс: 42,00\u00a0₽" in ((await admin.wait_for_reply(timeout=WAIT)).text or "")

    forged = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "/balance"}}
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {SECRET_HEADER: "wrong-secret_0123456789"}):
            async with http.post(production.env["WEBHOOK_URL"], json=forged, headers=headers) as r:
                assert r.status == 401

    standin.webhook.fail_next(500, reached_bot=True)  # the bot's answer lost on the way
    await admin.send_text("/balance")
    update_id = standin.state.updates.last_update_id
    await admin.wait_for_reply(timeout=WAIT)
    await standin.state.wait_for(
        lambda: any(a.delivered for a in standin.webhook.attempts_for(update_id or 0)) or None,
        WAIT,
    )
    await asyncio.sleep(0.5)  # a second handling would have answered by now
    assert len(standin.webhook.attempts_for(update_id or 0)) == 2
    assert sum(1 for m in admin.messages if m.from_bot and "Баланс" in (m.text or "")) == 2

    update = await send_to_numbers(admin)
    await standin.redeliver(update)  # the same Confirm tap under a new update id
    dispatch_id = max(emulator.state.dispatches)
    await toast_said(standin, RU("send.already_sent", id=dispatch_id), RU("send.already_sending"))
    assert len(creates(emulator)) == 1

    assert await production.stop() == 0
    assert "Traceback" not in production.output()


async def test_health_readiness_and_metrics_of_the_running_process(
    production: BotProcess, standin: BotApiStandin, emulator: RunningEmulator
) -> None:
    assert (await get(production, "/healthz"))[0] == 200
    ready = await readiness_becomes(production, True)
    assert {name for name, check in ready["checks"].items() if check["ok"]} == {
        "telegram",
        "sms_api",
        "database",
    }

    admin = standin.user(ADMIN_ID, first_name="Alla")
    await admin.send_text("/balance")
    await admin.wait_for_reply(timeout=WAIT)
    await send_to_numbers(admin)
    await asyncio.sleep(0.5)  # the Confirm's handler returns after the card is shown

    status, text = await get(production, "/metrics")
    assert status == 200
    names = {sample.name for f in text_string_to_metric_families(text) for sample in f.samples}
    for series in (
        "phoenix_updates_handled_total",
        "phoenix_handler_seconds_bucket",
        "phoenix_sms_api_requests_total",
        "phoenix_sms_api_request_seconds_bucket",
        "phoenix_poller_cycles_total",
        "phoenix_poller_cycle_seconds_bucket",
        "phoenix_poller_dispatches_checked_total",
        "phoenix_notifications_total",
        "phoenix_notification_refusals_total",
        "phoenix_drafts",
        "phoenix_dispatches_created_total",
        "phoenix_dispatch_outcomes_unknown_total",
    ):
        assert series in names, series
    assert 'handler="balance.show_balance",kind="message"} 1.0' in text
    assert 'phoenix_sms_api_requests_total{endpoint="POST dispatches",status="200"} 1.0' in text
    assert "phoenix_dispatches_created_total 1.0" in text
    assert 'phoenix_drafts{state="sent"} 1.0' in text
    label_values = [
        value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        for value in sample.labels.values()
    ]
    for secret_or_personal in (
        standin.token,
        emulator.token,
        WEBHOOK_SECRET,
        TEXT,
        "Alla",
        *PHONE_DIGITS,
    ):
        assert not any(secret_or_personal in value for value in label_values)

    emulator.state.faults.update({"down": True})
    down = await readiness_becomes(production, False)
    assert down["checks"]["sms_api"]["ok"] is False
    assert "HTTP 503" in down["checks"]["sms_api"]["reason"]
    emulator.state.faults.update({"down": False})
    await readiness_becomes(production, True)


async def test_json_logs_have_one_line_per_update_and_nothing_personal_or_secret(
    production: BotProcess, standin: BotApiStandin, emulator: RunningEmulator
) -> None:
    admin = standin.user(ADMIN_ID, first_name="Alla")
    await send_to_numbers(admin)
    await asyncio.sleep(0.5)
    assert await production.stop() == 0

    output = production.output()
    entries = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    handled = [e for e in entries if "handler" in e]
    assert [e["handler"] for e in handled] == [
        "send.entry.new_dispatch",
        "send.recipients.numbers_typed",
        "send.text_step.text_typed",
        "send.schedule.quick_time",
        "send.confirm.confirmed",
    ]
    assert all(e["level"] == "INFO" and isinstance(e["update_id"], int) for e in handled)
    assert all(e["latency_ms"] >= 0 for e in handled)
    for secret_or_personal in (standin.token, emulator.token, WEBHOOK_SECRET, TEXT):
        assert secret_or_personal not in output
    compact = output.replace(" ", "").replace("+", "")
    assert not any(digits in compact for digits in PHONE_DIGITS)


async def test_a_taken_port_stops_the_start_with_one_line(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = bot_env(
            standin, emulator, tmp_path / "bot.sqlite3", HEALTH_LISTEN=f"127.0.0.1:{port}"
        )
        process = BotProcess("bot", env, tmp_path / "bot.log")
        with pytest.raises(RuntimeError, match="exited at start"):
            await process.start(standin)
        code = await process.stop()

    output = process.output()
    assert code == 1
    assert "Traceback" not in output
    last = output.strip().splitlines()[-1]
    assert last.startswith("The bot stopped: cannot listen for HTTP")
    assert f"HEALTH_LISTEN (127.0.0.1:{port})" in last
