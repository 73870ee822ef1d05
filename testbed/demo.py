"""``python -m bot demo``: the real bot on real Telegram, with the SMS API emulated.

For someone who wants to try the bot on their phone before they have access to the
operator's API. ``BOT_TOKEN``, ``TELEGRAM_API_URL``, ``ADMIN_IDS`` and the rest come from
the settings as for ``python -m bot``; the SMS API is the project's emulator, started
inside this process on loopback, with a made-up token: ``SMS_API_URL`` and
``SMS_API_TOKEN`` are neither needed nor used, so not one request leaves for the operator.

Only this subcommand turns demo mode on; no setting or variable does, so the production
bot cannot run against the emulator by accident. In demo mode the bot logs a warning at
start, tells the admins, and says DEMO on every balance screen. The database is a fresh
temporary one (the emulator forgets everything at exit too), and the lock beside
``DATABASE_PATH`` is held, so the demo and the production bot never poll one token at once.
"""

from __future__ import annotations

import argparse
import logging
import secrets
import shutil
import sys
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from core.settings import Settings, load_settings

if TYPE_CHECKING:  # the heavy imports wait until the options are known to be good
    from handlers.common.outbox import Outbox
    from storage import Storage

log = logging.getLogger(__name__)

# Notifications should follow a demo dispatch within seconds, not a production minute.
DEMO_POLL_INTERVAL = 5.0
# Enough for many demo dispatches, and above the default low-balance threshold (100).
DEMO_BALANCE = Decimal(1000)
DEMO_PACE = 10.0
# Settings must be complete before the emulator runs; its real URL replaces this one.
EMULATOR_URL_PENDING = "http://127.0.0.1"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot demo",
        description=(
            "Run the bot on real Telegram with an emulated SMS API inside this process: "
            "nothing reaches the operator and no SMS is sent. Reads BOT_TOKEN, "
            "TELEGRAM_API_URL, ADMIN_IDS and the rest as `python -m bot` does."
        ),
    )
    parser.add_argument(
        "--pace",
        type=float,
        default=DEMO_PACE,
        help=f"how many times faster than usual dispatches move; default {DEMO_PACE:g}",
    )
    args = parser.parse_args(argv)
    if not 0 < args.pace <= 1000:
        parser.error("--pace must lie above 0 and at most 1000")
    return args


def demo_settings(settings: Settings, emulator_url: str, database: Path) -> Settings:
    """The operator's settings with the SMS API swapped for the embedded emulator."""
    return settings.model_copy(
        update={
            "SMS_API_URL": emulator_url,
            "DATABASE_PATH": database,
            "POLL_INTERVAL": min(settings.POLL_INTERVAL, DEMO_POLL_INTERVAL),
        }
    )


async def announce_demo_mode(outbox: Outbox, settings: Settings, store: Storage) -> None:
    """A dispatcher startup hook: every admin hears that this is a demo."""
    from handlers.common.admin_alerts import alert_admins

    told = await alert_admins(outbox, store, settings.ADMIN_IDS, lambda t: t("demo.started"))
    if not told:
        log.warning(
            "No admin was told about demo mode: has an admin of ADMIN_IDS written to the bot yet?"
        )


async def run_demo(settings: Settings, pace: float) -> None:
    from bot.app import BotApp
    from testbed.emulator import start_emulator
    from testbed.sandbox.emulated import emulator_timing

    workdir = Path(tempfile.mkdtemp(prefix="phoenix-demo-"))
    emulator = await start_emulator(
        token=settings.SMS_API_TOKEN.get_secret_value(), **emulator_timing(pace, False)
    )
    try:
        emulator.state.set_balance(DEMO_BALANCE)
        log.warning(
            "DEMO MODE: the SMS API is an emulator inside this process (%s); no request "
            "goes to the operator and no SMS is sent",
            emulator.url,
        )
        app = await BotApp.open(
            demo_settings(settings, emulator.url, workdir / "demo.sqlite3"), demo=True
        )
        app.dispatcher.startup.register(announce_demo_mode)
        await app.run(handle_signals=True)
    finally:
        await emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # The emulator's token is made up here: a real SMS_API_TOKEN is never needed or sent.
    settings = load_settings(
        SMS_API_URL=EMULATOR_URL_PENDING, SMS_API_TOKEN=secrets.token_urlsafe(18)
    )

    from bot.process import run_locked

    # The production bot's lock: one poller per token, demo or not.
    run_locked(settings, lambda _lock: run_demo(settings, args.pace))
