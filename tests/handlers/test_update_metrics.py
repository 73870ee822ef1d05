"""Each update counted and timed by update type and handler (code names only), failures
counted apart, and in JSON logs one INFO line per update with its id, handler and time."""

from __future__ import annotations

import logging

import pytest

from core.sms import SmsApiClient
from handlers.common.metrics import GATE
from storage import Role
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import MANAGER_ID, BotUnderTest
from tests.support.metrics import sample, until_handled


async def test_an_update_is_counted_and_timed_under_its_handler(
    bot: BotUnderTest, manager: SimUser
) -> None:
    await manager.send_text("/balance")
    await manager.wait_for_reply()
    await manager.send_text("/balance")
    await manager.wait_for_reply()
    await until_handled(bot, 2)

    labels = {"kind": "message", "handler": "balance.show_balance"}
    assert sample(bot, "updates_handled_total", **labels) == 2
    assert sample(bot, "handler_seconds_count", handler="balance.show_balance") == 2
    assert sample(bot, "handler_seconds_sum", handler="balance.show_balance") > 0
    assert sample(bot, "update_errors_total", **labels) == 0


async def test_a_strangers_update_is_counted_under_the_access_gate(
    bot: BotUnderTest, stranger: SimUser
) -> None:
    await stranger.send_text("/start")
    await stranger.wait_for_reply()
    await until_handled(bot, 1)
    assert sample(bot, "updates_handled_total", kind="message", handler=GATE) == 1


async def test_a_handler_that_raises_is_counted_as_an_error(
    bot: BotUnderTest, manager: SimUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken_balance(self: SmsApiClient) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(SmsApiClient, "balance", broken_balance)
    await manager.send_text("/balance")
    await manager.wait_for_reply()  # the apology
    await until_handled(bot, 1)

    labels = {"kind": "message", "handler": "balance.show_balance"}
    assert sample(bot, "update_errors_total", **labels) == 1
    assert sample(bot, "updates_handled_total", **labels) == 1


async def test_text_logs_keep_the_per_update_line_at_debug(
    bot: BotUnderTest, manager: SimUser, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="handlers.common.metrics"):
        await manager.send_text("/balance")
        await manager.wait_for_reply()
        await until_handled(bot, 1)
    assert [r for r in caplog.records if r.name == "handlers.common.metrics"] == []


async def test_json_logs_get_one_info_line_per_update_with_id_handler_and_latency(
    json_logging_bot: BotUnderTest, standin: BotApiStandin, caplog: pytest.LogCaptureFixture
) -> None:
    manager = await json_logging_bot.user(MANAGER_ID, Role.MANAGER)
    with caplog.at_level(logging.INFO, logger="handlers.common.metrics"):
        await manager.send_text("/balance")
        await manager.wait_for_reply()
        await until_handled(json_logging_bot, 1)

    lines = [r for r in caplog.records if r.name == "handlers.common.metrics"]
    assert len(lines) == 1
    line = lines[0]
    assert line.levelno == logging.INFO
    assert line.update_id == standin.state.updates.last_update_id  # type: ignore[attr-defined]
    assert line.handler == "balance.show_balance"  # type: ignore[attr-defined]
    assert line.kind == "message"  # type: ignore[attr-defined]
    assert isinstance(line.latency_ms, float) and line.latency_ms > 0  # type: ignore[attr-defined]
