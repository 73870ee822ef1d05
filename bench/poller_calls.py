"""The poller: SMS API calls per cycle and cycle time with many tracked dispatches, and
(with `bench.fanout`) how long 300 notifications take.

    .venv/bin/python -m bench.poller_calls

Everything runs on loopback and in this process (the poller's work is the subject, not
Telegram): the SMS API emulator answering in 20 ms, its clock frozen and moved by hand.

1,000 tracked dispatches, 900 of them scheduled three days ahead, 100 live for the whole
run (the account has no money, so they wait in NOT_ENOUGH_MONEY and are fetched every
cycle). Measured: the API calls of the first cycles (nothing seen yet; at most 500
dispatches a cycle), of the steady cycles after them, and on average over two hours of
60-second cycles (the queued ones are re-read about once an hour, spread out), and the
time of a steady cycle. The baseline is the naive poller measured on the same data: one
GET per tracked dispatch every cycle, with the same concurrency.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from bench.fanout import measure as time_to_notify
from bench.poller_rig import PHONE, open_poller_rig
from core.sms import SmsApiClient
from core.watch.poller import CONCURRENT_GETS

LATENCY_MS = 20


@dataclass(frozen=True)
class PollerCalls:
    first_cycles: list[int]  # API calls in cycles 1 and 2
    steady_calls: list[int]  # API calls in cycles 3 to 5
    average_calls: float  # per cycle over two hours of cycles
    steady_cycle_seconds: float  # median time of cycles 3 to 5
    naive_calls: int  # baseline: every tracked dispatch, every cycle (+ the balance)
    naive_cycle_seconds: float


async def calls_per_cycle(folder: Path, tracked: int = 1000, cycles: int = 120) -> PollerCalls:
    async with open_poller_rig(folder / "calls") as rig:
        rig.emulator.state.set_balance(Decimal(0))
        later = rig.emulator.clock.now() + timedelta(days=3)
        scheduled = tracked * 9 // 10
        for n in range(tracked):
            date_send = later if n < scheduled else None
            dispatch_id = await rig.sms.create_dispatch(f"Bench {n}", [PHONE], date_send)
            await rig.store.dispatches.track(dispatch_id, None, "1 number", f"Bench {n}", date_send)
        rig.emulator.state.faults.update({"latency_ms": LATENCY_MS})
        poller = rig.poller()
        first = [(await poller.run_cycle()).api_calls]
        steady, steady_seconds = [], []
        for cycle in range(4):
            rig.emulator.clock.advance(60)
            started = time.perf_counter()
            report = await poller.run_cycle()
            if cycle == 0:
                first.append(report.api_calls)
            else:
                steady.append(report.api_calls)
                steady_seconds.append(time.perf_counter() - started)
        # The 2-hour average counts calls, not time: without the latency it runs faster.
        rig.emulator.state.faults.update({"latency_ms": 0})
        total = 0
        for _ in range(cycles):
            rig.emulator.clock.advance(60)
            total += (await poller.run_cycle()).api_calls
        rig.emulator.state.faults.update({"latency_ms": LATENCY_MS})
        naive_seconds = await _naive_cycle(rig.sms, list(rig.emulator.state.dispatches))
        return PollerCalls(
            first_cycles=first,
            steady_calls=steady,
            average_calls=total / cycles,
            steady_cycle_seconds=statistics.median(steady_seconds),
            naive_calls=tracked + 1,
            naive_cycle_seconds=naive_seconds,
        )


async def _naive_cycle(sms: SmsApiClient, dispatch_ids: list[int]) -> float:
    """One GET per tracked dispatch, CONCURRENT_GETS at a time, and the balance."""
    gate = asyncio.Semaphore(CONCURRENT_GETS)

    async def fetch(dispatch_id: int) -> None:
        async with gate:
            await sms.dispatch(dispatch_id)

    started = time.perf_counter()
    await sms.balance()
    await asyncio.gather(*(fetch(dispatch_id) for dispatch_id in dispatch_ids))
    return time.perf_counter() - started


async def main() -> None:

    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        result = await calls_per_cycle(Path(folder) / "calls")
        notified = await time_to_notify(Path(folder) / "notify")
    print("1,000 tracked dispatches, 900 scheduled 3 days ahead, SMS API answering in 20 ms:")
    print(f"  cycles 1-2 (nothing seen yet): {result.first_cycles} API calls")
    print(f"  cycles 3-5: {result.steady_calls} API calls, {result.steady_cycle_seconds:.2f} s")
    print(f"  average over 2 h of 60 s cycles: {result.average_calls:.1f} API calls per cycle")
    print(
        f"  naive poller: {result.naive_calls} API calls, "
        f"{result.naive_cycle_seconds:.2f} s per cycle"
    )
    print(f"{notified.people} subscribers of one dispatch, stand-in at 30 messages/s:")
    print(
        f"  {notified.delivered} status messages delivered in {notified.seconds:.2f} s, "
        f"{notified.rate_limited} answered 429 (floor: {notified.floor_seconds:.2f} s)"
    )


if __name__ == "__main__":
    asyncio.run(main())
