"""The health listener in this process: /healthz, /readyz with each check's reason, and
/metrics with the series an operator watches and no personal data in any label."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.health import Readiness
from bot.telegram_session import BotSession
from storage import Role
from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin
from tests.support.harness import (
    BOT_TOKEN,
    MANAGER_ID,
    SMS_TOKEN,
    WEBHOOK_SECRET,
    BotUnderTest,
    free_port,
    webhook_settings,
)
from tests.support.send import card_head, confirm, reply_with, summary_for_numbers

TYPED = "+380 71 123 45 67, 380719876543"
TEXT = "Scrape me not: a private text"
WAIT = 10.0


def url(bot: BotUnderTest, path: str) -> str:
    return f"http://{bot.settings.HEALTH_LISTEN}{path}"


async def get(bot: BotUnderTest, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url(bot, path)) as response:
        return response.status, await response.text()


async def readiness_becomes(bot: BotUnderTest, ready: bool) -> dict[str, Any]:
    """Asks /readyz until it says ``ready`` (as the poller's cycles come and go)."""
    deadline = time.monotonic() + WAIT
    while True:
        async with aiohttp.ClientSession() as http, http.get(url(bot, "/readyz")) as response:
            body = await response.json()
            assert response.status == (200 if body["ready"] else 503)
        if body["ready"] is ready or time.monotonic() > deadline:
            assert body["ready"] is ready, body
            return body
        assert bot.app is not None
        await bot.app.poller.wait_for_cycles(1)


async def test_healthz_answers_while_the_loop_runs(health_bot: BotUnderTest) -> None:
    assert await get(health_bot, "/healthz") == (200, '{"alive": true}')


async def test_ready_then_not_ready_with_the_reason_while_the_sms_api_is_down(
    health_bot: BotUnderTest, emulator: RunningEmulator
) -> None:
    ready = await readiness_becomes(health_bot, True)
    assert set(ready["checks"]) == {"telegram", "sms_api", "database"}
    assert all(check["ok"] for check in ready["checks"].values())
    assert "succeeded" in ready["checks"]["sms_api"]["reason"]

    emulator.state.faults.update({"down": True})
    down = await readiness_becomes(health_bot, False)
    assert down["checks"]["sms_api"]["ok"] is False
    assert "failed" in down["checks"]["sms_api"]["reason"]
    assert "HTTP 503" in down["checks"]["sms_api"]["reason"]
    assert down["checks"]["telegram"]["ok"] and down["checks"]["database"]["ok"]

    emulator.state.faults.update({"down": False})
    await readiness_becomes(health_bot, True)


async def test_a_database_that_takes_no_write_is_not_ready(
    health_bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refuse(key: str, value: str) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(health_bot.store.state, "set", refuse)
    status, body = await get(health_bot, "/readyz")
    assert status == 503
    assert "a write failed: attempt to write a readonly database" in body


async def test_a_quiet_telegram_is_asked_and_its_silence_is_the_reason(
    health_bot: BotUnderTest, standin: BotApiStandin
) -> None:
    app = health_bot.app
    assert app is not None and isinstance(app.bot.session, BotSession)
    later = Readiness(
        bot=app.bot,
        session=app.bot.session,
        poller=app.poller,
        store=app.store,
        poll_interval=app.settings.POLL_INTERVAL,
        monotonic=lambda: time.monotonic() + 3600,  # nothing heard for an hour
    )
    asked = await later.telegram()
    assert asked.ok and asked.reason == "Telegram answered getMe just now"

    standin.fail_next("getMe", 502, "Bad Gateway")
    failing = await later.telegram()
    assert not failing.ok
    assert failing.reason == "Telegram did not answer getMe (TelegramServerError)"
    standin.fail_next("getMe", 401, "Unauthorized")
    refused = await later.telegram()
    assert (refused.ok, refused.reason) == (False, "Telegram refused getMe: Unauthorized")


async def test_a_poller_that_stopped_cycling_is_not_ready(health_bot: BotUnderTest) -> None:
    app = health_bot.app
    assert app is not None and isinstance(app.bot.session, BotSession)
    await app.poller.wait_for_cycles(1)
    an_hour_later = Readiness(
        bot=app.bot,
        session=app.bot.session,
        poller=app.poller,
        store=app.store,
        poll_interval=app.settings.POLL_INTERVAL,
        monotonic=lambda: time.monotonic() + 3600,
    )
    stale = an_hour_later.sms_api()
    assert not stale.ok
    assert re.fullmatch(
        r"the last poller cycle ended 3\d{3} s ago, one is due every 0.2 s", stale.reason
    )


async def test_the_readiness_body_never_carries_a_secret(
    health_bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def leaky(key: str, value: str) -> None:
        raise sqlite3.OperationalError(f"cannot open {SMS_TOKEN} or {BOT_TOKEN}")

    monkeypatch.setattr(health_bot.store.state, "set", leaky)
    status, body = await get(health_bot, "/readyz")
    assert status == 503 and "cannot open *** or ***" in body
    assert SMS_TOKEN not in body and BOT_TOKEN not in body


async def test_metrics_after_a_balance_and_a_send_without_a_number_text_or_secret_in_labels(
    health_bot: BotUnderTest, standin: BotApiStandin
) -> None:
    manager = await health_bot.user(MANAGER_ID, Role.MANAGER, first_name="Max")
    await manager.send_text("/balance")
    await manager.wait_for_reply(timeout=WAIT)
    summary = await summary_for_numbers(manager, TYPED, TEXT)
    await confirm(manager, summary)
    await reply_with(manager, card_head())
    assert health_bot.app is not None
    await health_bot.app.poller.wait_for_cycles(2)  # one that began after the create

    status, text = await get(health_bot, "/metrics")
    assert status == 200
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }

    def value(name: str, **labels: str) -> float:
        return samples.get((f"phoenix_{name}", tuple(sorted(labels.items()))), 0.0)

    balance = {"kind": "message", "handler": "balance.show_balance"}
    assert value("updates_handled_total", **balance) == 1
    assert value("handler_seconds_count", handler="balance.show_balance") == 1
    assert (
        value("updates_handled_total", kind="callback_query", handler="send.confirm.confirmed") == 1
    )
    assert value("sms_api_requests_total", endpoint="POST dispatches", status="200") == 1
    assert value("sms_api_requests_total", endpoint="GET finance/balance", status="200") >= 2
    assert value("sms_api_request_seconds_count", endpoint="GET finance/balance") >= 2
    assert value("dispatches_created_total") == 1
    assert value("dispatch_outcomes_unknown_total") == 0
    assert value("drafts", state="sent") == 1 and value("drafts", state="unknown") == 0
    assert value("poller_cycles_total", result="ok") >= 1
    assert value("poller_cycle_seconds_count") >= 1
    assert value("poller_dispatches_checked_total") >= 1
    for outcome in ("sent", "unchanged", "gone", "unreachable", "failed"):
        assert ("phoenix_notifications_total", (("outcome", outcome),)) in samples
    assert ("phoenix_notification_refusals_total", (("status", "429"),)) in samples
    assert samples[("process_resident_memory_bytes", ())] > 0

    label_values = [v for _, labels in samples for _, v in labels]
    for secret_or_personal in (SMS_TOKEN, BOT_TOKEN, WEBHOOK_SECRET, TEXT, "Max"):
        assert not any(secret_or_personal in v for v in label_values)
    assert not any(sum(ch.isdigit() for ch in v) >= 9 for v in label_values)  # a phone


async def test_the_webhook_and_the_health_listener_run_side_by_side(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> None:
    both = BotUnderTest(
        standin,
        emulator,
        tmp_path / "bot.sqlite3",
        HEALTH_LISTEN=f"127.0.0.1:{free_port()}",
        **webhook_settings(),
    )
    await both.start()
    try:
        manager = await both.user(MANAGER_ID, Role.MANAGER)
        await manager.send_text("/balance")
        await manager.wait_for_reply(timeout=WAIT)
        ready = await readiness_becomes(both, True)
        assert ready["checks"]["telegram"]["ok"]
        _, text = await get(both, "/metrics")
        assert 'phoenix_updates_handled_total{handler="balance.show_balance"' in text
    finally:
        await both.stop()
