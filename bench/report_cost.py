"""What ``/report`` costs the bot process, measured on ``python -m bot``.

    .venv/bin/python -m bench.report_cost [--runs 3] [--dispatches 300]

Per run: the idle RSS (settled, no report made yet), a 30-day report over ``--dispatches``
dispatches and 30 days of hourly balance readings (tap -> summary, -> chart, -> table),
the SMS API requests the report made, the RSS once the chart's library is loaded, and how
long another user's /balance took while the chart was being drawn (the drawing runs in a
worker thread) against the same /balance at idle.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bench.processes import MIB
from bench.rig import Rig, open_rig
from storage import Storage
from testbed.standin import SimUser

REPORTER, BYSTANDER = 6100, 6101
SETTLE_SECONDS = 1.0


@dataclass(frozen=True)
class ReportCost:
    idle_rss_mib: float
    after_rss_mib: float
    to_summary: float
    to_chart: float
    to_table: float
    sms_requests: int
    again_to_table: float  # a second report: the libraries are loaded by then
    balance_idle: float
    balance_while_drawing: float


async def seed(database: Path, dispatches: int) -> None:
    now = datetime.now(UTC)
    store = await Storage.open(database)
    try:
        for n in range(dispatches):
            sent_at = now - timedelta(days=29) + timedelta(minutes=n * 29 * 24 * 60 // dispatches)
            dispatch_id = 10_000 + n
            await store.dispatches.track(
                dispatch_id, REPORTER, "Clients", f"Offer {n}: -20% до пятницы", sent_at
            )
            await store.dispatches.record_observation(
                dispatch_id, "CLOSED", 300, 290, 300, True, None
            )
        for hour in range(30 * 24):
            await store.balance_history.record(
                Decimal(100_000 - hour * 7), now - timedelta(hours=30 * 24 - hour)
            )
    finally:
        await store.close()


async def balance_latency(user: SimUser) -> float:
    started = time.perf_counter()
    await user.send_text("/balance")
    await user.wait_for_reply(timeout=30)
    return time.perf_counter() - started


async def measure(rig: Rig) -> ReportCost:
    await asyncio.sleep(SETTLE_SECONDS)
    idle = rig.process.rss_bytes() / MIB
    reporter = rig.standin.user(REPORTER, language_code="en")
    bystander = rig.standin.user(BYSTANDER, language_code="en")
    balance_idle = await balance_latency(bystander)
    await reporter.send_text("/report")
    await reporter.wait_for_reply(timeout=30)
    requests_before = len(rig.emulator.state.requests.entries())
    started = time.perf_counter()
    await reporter.tap("30 days")
    await reporter.wait_for_reply(lambda m: "Spent" in (m.text or ""), timeout=30)
    to_summary = time.perf_counter() - started
    # What the report asked of the SMS API (the poller reads once a minute: not now).
    report_requests = rig.emulator.state.requests.entries()[requests_before:]
    # The chart is being drawn now: the bot must still answer others at once.
    while_drawing = await balance_latency(bystander)
    await reporter.wait_for_reply(lambda m: bool(m.photo), timeout=60)
    to_chart = time.perf_counter() - started
    await reporter.wait_for_reply(lambda m: bool(m.document), timeout=60)
    to_table = time.perf_counter() - started
    await asyncio.sleep(SETTLE_SECONDS)
    after = rig.process.rss_bytes() / MIB
    await reporter.tap("📊 Another period")
    await reporter.wait_for_reply(lambda m: m.text == "📊 Report\nFor which period?", timeout=30)
    again = time.perf_counter()
    await reporter.tap("30 days")
    await reporter.wait_for_reply(lambda m: bool(m.document), timeout=60)
    again_to_table = time.perf_counter() - again
    return ReportCost(
        idle_rss_mib=idle,
        after_rss_mib=after,
        to_summary=to_summary,
        to_chart=to_chart,
        to_table=to_table,
        sms_requests=len(report_requests),
        again_to_table=again_to_table,
        balance_idle=balance_idle,
        balance_while_drawing=while_drawing,
    )


async def run(runs: int, dispatches: int) -> list[ReportCost]:
    results = []
    with tempfile.TemporaryDirectory(prefix="report-cost-") as folder:
        for number in range(runs):
            where = Path(folder) / str(number)
            async with open_rig("bot", where, managers=[REPORTER, BYSTANDER]) as rig:
                await seed(rig.database, dispatches)
                results.append(await measure(rig))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dispatches", type=int, default=300)
    args = parser.parse_args()
    results = asyncio.run(run(args.runs, args.dispatches))
    for field in ReportCost.__dataclass_fields__:
        values = [getattr(result, field) for result in results]
        shown = ", ".join(f"{value:.3f}" for value in values)
        print(f"{field:24} median {statistics.median(values):9.3f}   ({shown})")


if __name__ == "__main__":
    main()
