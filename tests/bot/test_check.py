"""The preflight check: ``python -m bot check`` and ``/check``, read-only, one line each."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from core.preflight import Level, check_database
from handlers.common.i18n import translator
from testbed.emulator import RunningEmulator
from testbed.emulator.dialects import SECONDS_EVERYWHERE, STRINGS_FOR_NUMBERS
from testbed.standin import BotApiStandin, SimUser
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
