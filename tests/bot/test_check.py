"""The preflight check: ``python -m bot check`` and ``/check``, read-only, one line each."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.types import WebhookInfo

from core.preflight import CheckLine, Level, check_database
from handlers.admin.preflight import check_telegram, webhook_mode_line
from handlers.common.i18n import translator
from testbed.emulator import RunningEmulator
from testbed.emulator.dialects import SECONDS_EVERYWHERE, STRINGS_FOR_NUMBERS
from testbed.standin import BotApiStandin, SimUser
from testbed.standin.testing import bot_for
from tests.support.harness import BOT_TOKEN, SMS_TOKEN, BotUnderTest
from tests.support.paths import ROOT

RU = translator("ru")


async def run_check(
    standin: BotApiStandin, emulator: RunningEmulator, database: Path, sms_token: str = SMS_TOKEN
) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": standin.url,
        "SMS_API_URL": emulator.url,
        "SMS_API_TOKEN": sms_token,
        "DATABASE_PATH": str(database),
        "PYTHONPATH": str(ROOT),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check", env=env, cwd=database.parent,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.mark.slow
async def test_against_the_emulator_every_line_is_ok(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
):
    code, out, err = await run_check(standin, emulator, tmp_path / "bot.sqlite3")
    assert code == 0, out + err
    lines = out.strip().splitlines()
    assert len(lines) >= 7 and all(line.startswith("ok ") for line in lines), out
    assert SMS_TOKEN not in out + err and BOT_TOKEN not in out + err
    # Read-only: not a single create, cancel or run.
    assert [e for e in emulator.state.requests.entries() if e["method"] == "POST"] == []


@pytest.mark.slow
async def test_a_wrong_token_fails_and_names_the_setting(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
):
    code, out, err = await run_check(
        standin, emulator, tmp_path / "bot.sqlite3", sms_token="not-the-token"
    )
    assert code == 1
    failed = [line for line in out.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and "SMS_API_TOKEN" in failed[0]
    assert "not-the-token" not in out + err


@pytest.mark.slow
async def test_a_dialect_is_listed_difference_by_difference(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
):
    emulator.state.set_dialects([STRINGS_FOR_NUMBERS, SECONDS_EVERYWHERE])
    code, out, _ = await run_check(standin, emulator, tmp_path / "bot.sqlite3")
    assert code == 0  # the bot reads it all
    assert "warning  SMS API GET finance/balance" in out
    assert "balance: expected a decimal number, got the text '42.00'" in out
    assert "id: expected an integer, got the text '1'" in out


async def test_check_in_chat_for_an_admin_and_not_for_others(
    bot: BotUnderTest, admin: SimUser, manager: SimUser, emulator: RunningEmulator
):
    emulator.state.set_dialects([STRINGS_FOR_NUMBERS])
    await admin.send_text("/check")
    report = await admin.wait_for_reply(lambda m: "Проверка" in (m.text or ""))
    text = report.text or ""
    assert "✅ Telegram" in text and "⚠️ SMS API GET finance/balance" in text
    assert len(text) < 4096 and SMS_TOKEN not in text
    await manager.send_text("/check")
    assert (await manager.wait_for_reply()).text == RU("admin.only_admins")


async def test_a_damaged_database_fails_with_what_to_do(tmp_path: Path):
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4096)
    lines, _ = await check_database(path)
    assert [line.level for line in lines] == [Level.FAILED]
    assert "restore" in lines[0].advice


# -- the webhook line, in webhook mode (in this process, against the stand-in) --------


WEBHOOK_URL = "https://bot.example.com/telegram/updates"


@pytest.fixture
async def telegram(standin: BotApiStandin) -> AsyncIterator[Bot]:
    bot = bot_for(standin)
    yield bot
    await bot.session.close()


async def webhook_line(bot: Bot, webhook_url: str = WEBHOOK_URL) -> CheckLine:
    lines = await check_telegram(bot, webhook_url)
    assert lines[0].level is Level.OK
    return lines[1]


async def test_in_polling_mode_a_set_webhook_is_a_warning(telegram: Bot) -> None:
    await telegram.set_webhook(WEBHOOK_URL)
    line = (await check_telegram(telegram))[1]
    assert line.level is Level.WARNING and "removes it at start and polls" in line.detail


async def test_in_webhook_mode_no_webhook_yet_is_fine(telegram: Bot) -> None:
    line = await webhook_line(telegram)
    assert (line.level, line.detail) == (
        Level.OK,
        "none set yet (0 updates waiting): python -m bot sets it at start",
    )


async def test_in_webhook_mode_the_webhook_set_to_webhook_url_is_fine(telegram: Bot) -> None:
    await telegram.set_webhook(WEBHOOK_URL)
    line = await webhook_line(telegram)
    assert (line.level, line.detail) == (Level.OK, "set to WEBHOOK_URL (0 updates waiting)")


async def test_in_webhook_mode_another_url_is_a_warning(telegram: Bot) -> None:
    await telegram.set_webhook("https://elsewhere.example.com/hook")
    line = await webhook_line(telegram)
    assert line.level is Level.WARNING and "set to another URL" in line.detail
    assert "elsewhere" not in line.detail  # the other URL may carry a secret path


async def test_in_webhook_mode_a_recent_delivery_failure_is_a_warning(
    telegram: Bot, standin: BotApiStandin
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{probe.getsockname()[1]}/hook"
    await telegram.set_webhook(nobody)
    await standin.user(4200).send_text("hi")
    await standin.state.wait_for(lambda: standin.webhook.last_error_message, 5)

    line = await webhook_line(telegram, nobody)

    assert line.level is Level.WARNING
    assert line.detail == (
        "set (1 updates waiting); a delivery failed 0 min ago: Connection refused"
    )
    assert line.advice is not None and "WEBHOOK_LISTEN" in line.advice


def test_in_webhook_mode_an_old_delivery_failure_is_history() -> None:
    now = datetime(2025, 3, 2, 12, 0, tzinfo=UTC)
    info = WebhookInfo(
        url=WEBHOOK_URL,
        has_custom_certificate=False,
        pending_update_count=0,
        last_error_date=now - timedelta(hours=2),
        last_error_message="Connection refused",
    )
    line = webhook_mode_line(info, WEBHOOK_URL, now)
    assert (line.level, line.detail) == (Level.OK, "set to WEBHOOK_URL (0 updates waiting)")
