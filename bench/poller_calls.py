"""Measure the poller: SMS API calls per cycle, and how long 300 notifications take.

    .venv/bin/python -m bench.poller_calls

Everything runs on loopback: the SMS API emulator (clock frozen, moved by hand) and the
Bot API stand-in enforcing Telegram's limits (30 messages a second, one a second per chat).

1. 1,000 tracked dispatches, 900 of them scheduled three days ahead: API calls in the
   first cycles (nothing seen yet; at most 500 dispatches a cycle), in the cycles after
   them, and on average over two hours of 60-second cycles (the queued ones are re-read
   about once an hour, spread out). The other 100 stay live for the whole run (the
   account has no money, so they wait in NOT_ENOUGH_MONEY and are fetched every cycle).
2. 300 people follow one dispatch that starts sending: time from the start of the cycle
   until all 300 status messages are delivered, and how many 429s Telegram answered.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from bot.app import create_bot, create_sms_client
from bot.emulator import RunningEmulator, start_emulator
from bot.notifications import NotifyClock, Poller
from bot.settings import Settings
from bot.telegram_standin import BotApiStandin, FloodLimits
from storage import Role, Storage

BOT_TOKEN = "123456:BENCH-bot-token-abcdefghijklmnopqrstuvwxyz"
SMS_TOKEN = "bench-sms-token"
PHONE = "380711234567"


def settings_for(standin: BotApiStandin, emulator: RunningEmulator, folder: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        BOT_TOKEN=BOT_TOKEN,
        SMS_API_TOKEN=SMS_TOKEN,
        TELEGRAM_API_URL=standin.url,
        SMS_API_URL=emulator.url,
        DATABASE_PATH=folder / "bench.sqlite3",
        POLL_INTERVAL=60,
        BALANCE_THRESHOLD=0,
    )


async def calls_per_cycle(folder: Path) -> None:
    emulator = await start_emulator(token=SMS_TOKEN, speed=0)
    standin = await BotApiStandin.start(bot_token=BOT_TOKEN)
    settings = settings_for(standin, emulator, folder / "calls")
    store = await Storage.open(settings.DATABASE_PATH)
    sms = create_sms_client(settings)
    bot = create_bot(settings)
    try:
        emulator.state.set_balance(Decimal(0))
        later = emulator.clock.now() + timedelta(days=3)
        for n in range(1000):
            date_send = later if n < 900 else None
            dispatch_id = await sms.create_dispatch(f"Bench {n}", [PHONE], date_send)
            await store.dispatches.track(dispatch_id, None, "1 number", f"Bench {n}", date_send)
        poller = Poller(
            bot=bot, store=store, sms=sms, settings=settings, clock=NotifyClock(emulator.clock.now)
        )
        first = await poller.run_cycle()
        following = []
        for _ in range(4):
            emulator.clock.advance(60)
            following.append((await poller.run_cycle()).api_calls)
        total, cycles = 0, 120
        for _ in range(cycles):
            emulator.clock.advance(60)
            total += (await poller.run_cycle()).api_calls
        print("1,000 tracked dispatches, 900 scheduled 3 days ahead, POLL_INTERVAL 60 s:")
        print(f"  cycles 1-2 (nothing seen yet): {[first.api_calls, following[0]]} API calls")
        print(f"  cycles 3-5: {following[1:]} API calls (100 GET dispatch + 1 GET balance)")
        print(
            f"  average over {cycles} cycles (2 h, hourly re-reads included): "
            f"{total / cycles:.1f} API calls per cycle"
        )
    finally:
        await bot.session.close()
        await sms.aclose()
        await store.close()
        await standin.stop()
        await emulator.stop()


async def time_to_notify(folder: Path, people: int = 300) -> None:
    emulator = await start_emulator(token=SMS_TOKEN, speed=0)
    standin = await BotApiStandin.start(bot_token=BOT_TOKEN)
    standin.enable_flood_control(FloodLimits())
    settings = settings_for(standin, emulator, folder / "notify")
    store = await Storage.open(settings.DATABASE_PATH)
    sms = create_sms_client(settings)
    bot = create_bot(settings)
    try:
        dispatch_id = await sms.create_dispatch("Bench", [PHONE], None)
        await store.dispatches.track(dispatch_id, None, "1 number", "Bench", None)
        for n in range(people):
            user_id = 10_000 + n
            standin.user(user_id, first_name=f"U{n}", language_code="en")
            await store.users.upsert_seen(user_id, f"U{n}", None, "en")
            await store.users.set_role(user_id, Role.OBSERVER)
            await store.subscriptions.subscribe(dispatch_id, user_id)
        poller = Poller(
            bot=bot, store=store, sms=sms, settings=settings, clock=NotifyClock(emulator.clock.now)
        )
        await poller.run_cycle()  # tariffing: nothing to tell yet
        emulator.clock.advance(10)  # sending
        started = time.perf_counter()
        await poller.run_cycle()
        elapsed = time.perf_counter() - started
        delivered = sum(1 for call in standin.calls_to("sendMessage") if call.ok)
        print(f"{people} subscribers of one dispatch, stand-in at 30 messages/s:")
        print(
            f"  {delivered} status messages delivered in {elapsed:.2f} s, "
            f"{standin.rate_limited_count} answered 429 "
            f"(floor: {(people - 1) / 30:.2f} s at 30 a second)"
        )
    finally:
        await bot.session.close()
        await sms.aclose()
        await store.close()
        await standin.stop()
        await emulator.stop()


async def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        await calls_per_cycle(Path(folder))
        await time_to_notify(Path(folder))


if __name__ == "__main__":
    asyncio.run(main())
