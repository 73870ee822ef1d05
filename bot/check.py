"""``python -m bot check``: try, read-only, everything the bot depends on, and print one
line per check. Exits 0 when the bot could work, 1 when something failed."""

from __future__ import annotations

import asyncio

from bot.app import create_bot, create_sms_client
from core.clock import Clock
from core.preflight import verdict
from core.settings import Settings
from handlers.admin.preflight import as_text, preflight


async def run_check(settings: Settings) -> bool:
    bot = create_bot(settings)
    sms = create_sms_client(settings)
    try:
        lines = await preflight(bot, sms, settings, Clock())
    finally:
        await bot.session.close()
        await sms.aclose()
    print(as_text(lines), flush=True)
    return verdict(lines)


def main(settings: Settings) -> None:
    if not asyncio.run(run_check(settings)):
        raise SystemExit(1)
