"""Demo mode: the real bot on Telegram (here: the stand-in) with the emulator embedded in
its process. Only `python -m bot demo` turns it on, it says so, and it never touches the
operator's API or the production database."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import BotApp
from bot.instance_lock import InstanceLock
from handlers.common.i18n import translator
from testbed.demo import DEMO_BALANCE
from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import ADMIN_ID, BOT_TOKEN, SMS_TOKEN, BotUnderTest, make_settings
from tests.support.paths import ROOT
from tests.support.texts import plain

RU, EN = translator("ru"), translator("en")
# Nothing listens here: a demo that used SMS_API_URL would fail, not reach anything.
UNUSED_SMS_API_URL = "http://127.0.0.1:9"
START_SECONDS = 30.0


def demo_env(standin: BotApiStandin, home: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(home),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": standin.url,
        "ADMIN_IDS": str(ADMIN_ID),
        "DATABASE_PATH": str(home / "data" / "bot.sqlite3"),
        "SMS_API_URL": UNUSED_SMS_API_URL,
        **extra,
    }


async def run_bot(env: dict[str, str], cwd: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args,
        env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def production_files(home: Path) -> list[str]:
    data = home / "data"
    return sorted(path.name for path in data.iterdir()) if data.exists() else []


def demo_folders(home: Path) -> list[Path]:
    """The demo's temporary database folders (TMPDIR is the test's folder)."""
    return list(home.glob("phoenix-demo-*"))


@pytest.fixture
async def demo(standin: BotApiStandin, tmp_path: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await run_bot(demo_env(standin, tmp_path), tmp_path, "demo")
    yield process
    if process.returncode is None:
        process.kill()
        await process.wait()


@pytest.mark.slow
async def test_demo_tells_the_admin_says_demo_on_the_balance_and_stops_cleanly(
    demo: asyncio.subprocess.Process, standin: BotApiStandin, tmp_path: Path
):
    admin = standin.user(ADMIN_ID, first_name="Alla", language_code="en")
    told = await admin.wait_for_reply(timeout=START_SECONDS)
    # The admin has not written yet, so the bot does not know their language: Russian.
    assert told.text == plain(RU("demo.started"))

    await admin.send_text("/balance")
    screen = await admin.wait_for_reply(lambda m: bool(m.inline_keyboard), timeout=10)
    assert (screen.text or "").startswith(plain(EN("demo.balance_banner")))
    balance_line = plain(EN("balance.balance", amount=EN.money(DEMO_BALANCE)))
    assert balance_line in (screen.text or "")  # the embedded emulator's, not the seed's 42

    demo.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(demo.communicate(), 10)
    log = (out + err).decode()
    assert demo.returncode == 0, log
    assert "Traceback" not in log
    warnings = [line for line in log.splitlines() if "WARNING" in line and "DEMO MODE" in line]
    assert len(warnings) == 1, log
    assert BOT_TOKEN not in log
    # The production database was never opened: only its lock was held meanwhile.
    assert production_files(tmp_path) == ["bot.sqlite3.lock"]
    assert demo_folders(tmp_path) == []


@pytest.mark.slow
async def test_demo_needs_no_sms_token_but_a_bot_token(standin: BotApiStandin, tmp_path: Path):
    env = demo_env(standin, tmp_path)
    del env["BOT_TOKEN"]
    process = await run_bot(env, tmp_path, "demo")
    _, err = await asyncio.wait_for(process.communicate(), START_SECONDS)
    assert process.returncode == 2
    assert err.decode().strip().splitlines() == ["Configuration error: BOT_TOKEN is required"]


@pytest.mark.slow
async def test_demo_does_not_start_beside_a_running_bot_on_the_same_database(
    standin: BotApiStandin, tmp_path: Path
):
    lock = InstanceLock(tmp_path / "data" / "bot.sqlite3")
    lock.acquire()
    try:
        process = await run_bot(demo_env(standin, tmp_path), tmp_path, "demo")
        _, err = await asyncio.wait_for(process.communicate(), START_SECONDS)
    finally:
        lock.release()
    assert process.returncode == 1
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "Another bot process" in lines[0], lines
    assert standin.calls_to("getUpdates") == []


@pytest.mark.slow
@pytest.mark.parametrize("args", [["demo", "--pace", "0"], ["demo", "now"], ["demo-mode"]])
async def test_a_mistyped_demo_command_runs_nothing(
    standin: BotApiStandin, tmp_path: Path, args: list[str]
):
    process = await run_bot(demo_env(standin, tmp_path), tmp_path, *args)
    _, err = await asyncio.wait_for(process.communicate(), START_SECONDS)
    assert process.returncode == 2, err.decode()
    assert "usage" in err.decode().lower()
    assert standin.calls == []


@pytest.mark.slow
async def test_python_m_bot_never_turns_demo_on_whatever_the_environment_says(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
):
    env = demo_env(
        standin,
        tmp_path,
        SMS_API_URL=emulator.url,
        SMS_API_TOKEN=SMS_TOKEN,
        DEMO="1",
        DEMO_MODE="true",
        BOT_DEMO="yes",
    )
    process = await run_bot(env, tmp_path)
    try:
        admin = standin.user(ADMIN_ID, first_name="Alla", language_code="en")
        await standin.wait_for_call("getUpdates", timeout=START_SECONDS, answered=False)
        await admin.send_text("/balance")
        screen = await admin.wait_for_reply(lambda m: bool(m.inline_keyboard), timeout=10)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 10)
    assert "DEMO" not in (screen.text or "")
    assert "DEMO" not in (out + err).decode()
    # The operator's SMS_API_URL (here the test's emulator) answered, not an embedded one.
    paths = [entry["path"] for entry in emulator.state.requests.entries()]
    assert "/sms-api/finance/balance" in paths
    assert production_files(tmp_path) != ["bot.sqlite3.lock"]


async def test_the_production_wiring_shows_no_demo_banner(bot: BotUnderTest, admin: SimUser):
    await admin.send_text("/balance")
    screen = await admin.wait_for_reply(lambda m: bool(m.inline_keyboard))
    assert "DEMO" not in (screen.text or "")


@pytest.mark.parametrize(("language", "t"), [("ru", RU), ("en", EN)])
async def test_in_demo_mode_every_balance_screen_says_demo(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path, language: str, t
):
    app = await BotApp.open(make_settings(standin, emulator, tmp_path / "bot.sqlite3"), demo=True)
    task = asyncio.create_task(app.run(handle_signals=False, polling_timeout=1))
    try:
        await standin.wait_for_call("getUpdates", answered=False)
        admin = standin.user(ADMIN_ID, first_name="Alla", language_code=language)
        await admin.send_text("/balance")
        screen = await admin.wait_for_reply(lambda m: bool(m.inline_keyboard))
        assert (screen.text or "").startswith(plain(t("demo.balance_banner")))
        emulator.state.add_balance(5)  # so that the refreshed screen differs
        await admin.tap(t("balance.button_refresh"), screen)
        refreshed = await admin.wait_for_reply()
        assert refreshed.message_id == screen.message_id and refreshed.edit_date is not None
        assert (refreshed.text or "").startswith(plain(t("demo.balance_banner")))
    finally:
        await app.stop()
        await asyncio.wait_for(task, 15)
