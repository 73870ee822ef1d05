"""Run every measurement and print one table, each figure beside its baseline from the
same run (medians over the runs; latencies are medians and p99 over all samples).

    .venv/bin/python -m bench            # 3 runs, 500 users under faults: a few minutes
    .venv/bin/python -m bench --quick    # 1 run, fewer samples, 100 users under faults
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import (
    big_book,
    fanout,
    idle_rss,
    load_faults,
    poller_calls,
    round_trips,
    tap_latency,
    throughput,
)
from bench.rig import Kind, open_rig
from bench.stats import median, percentile, ratio

LATENCY_USER = tap_latency.USER_ID


@dataclass(frozen=True)
class Plan:
    runs: int
    balance_samples: int
    tap_samples: int
    users: int
    load_users: int
    fanout_runs: int


FULL = Plan(runs=3, balance_samples=200, tap_samples=60, users=200, load_users=500, fanout_runs=2)
QUICK = Plan(runs=1, balance_samples=100, tap_samples=30, users=200, load_users=100, fanout_runs=1)


@dataclass
class Gathered:
    idle: dict[str, list[float]] = field(default_factory=lambda: {"bot": [], "echo": []})
    latency: dict[str, tap_latency.TapLatency] = field(default_factory=dict)
    throughput: dict[str, list[throughput.Throughput]] = field(
        default_factory=lambda: {"bot": [], "echo": []}
    )
    books: list[big_book.BigBook] = field(default_factory=list)
    city_books: list[big_book.BigBook] = field(default_factory=list)
    fanouts: list[fanout.Fanout] = field(default_factory=list)
    poller: poller_calls.PollerCalls | None = None
    load: load_faults.LoadReport | None = None
    trips: dict[str, int] = field(default_factory=dict)


async def gather(plan: Plan, folder: Path) -> Gathered:
    got = Gathered()
    for run in range(plan.runs):
        for kind in ("echo", "bot"):
            await _bot_and_echo(got, kind, plan, folder / f"{kind}-{run}")
        for size, books in ((big_book.CONTACTS, got.books), (big_book.CITY, got.city_books)):
            clock = big_book.PostClock()
            async with open_rig(
                "bot", folder / f"book-{size}-{run}", managers=[big_book.USER_ID],
                emulator_middlewares=[clock.middleware],
            ) as rig:  # fmt: skip
                books.append(await big_book.measure(rig, clock, size))
    got.trips = await round_trips.measure(folder / "trips")
    got.poller = await poller_calls.calls_per_cycle(folder / "poller")
    for run in range(plan.fanout_runs):
        got.fanouts.append(await fanout.measure(folder / f"fanout-{run}"))
    got.load = await load_faults.run_load(plan.load_users, folder / "load")
    return got


async def _bot_and_echo(got: Gathered, kind: Kind, plan: Plan, folder: Path) -> None:
    managers = [LATENCY_USER, *throughput.user_ids(plan.users)]
    async with open_rig(kind, folder, managers=managers) as rig:
        got.idle[kind].append(await idle_rss.measure(rig))
        latency = await tap_latency.measure(rig, plan.balance_samples, plan.tap_samples)
        total = got.latency.setdefault(kind, tap_latency.TapLatency())
        total.balance += latency.balance
        total.tap_answer += latency.tap_answer
        total.tap_message += latency.tap_message
        got.throughput[kind].append(await throughput.measure(rig, plan.users))


def table(got: Gathered, plan: Plan) -> str:
    rows: list[tuple[str, str, str, str, str]] = []

    def latency_rows(name: str, label: str) -> None:
        bot, echo = getattr(got.latency["bot"], name), getattr(got.latency["echo"], name)
        for share, what in ((0.5, "median"), (0.99, "p99")):
            mine = median(bot) if share == 0.5 else percentile(bot, share)
            base = median(echo) if share == 0.5 else percentile(echo, share)
            rows.append((
                f"{label}, {what} ({len(bot)} samples)", f"{mine * 1000:.1f} ms",
                f"{base * 1000:.1f} ms (echo bot)", f"{ratio(mine, base):.2f}x", "≤ 1.3x",
            ))  # fmt: skip

    latency_rows("balance", "/balance: update -> reply")
    latency_rows("tap_answer", "tap (book): update -> answerCallbackQuery")
    latency_rows("tap_message", "tap (book): update -> first message")

    bot_rate = statistics.median(t.per_second for t in got.throughput["bot"])
    echo_rate = statistics.median(t.per_second for t in got.throughput["echo"])
    last = got.throughput["bot"][-1]
    rows.append((
        f"throughput, {plan.users} users at once (updates/s)", f"{bot_rate:.0f}",
        f"{echo_rate:.0f} (echo bot)", f"{ratio(bot_rate, echo_rate):.2f}x", "≥ 0.6x",
    ))  # fmt: skip
    rows.append((
        "throughput: dispatches created / Bot API calls rejected",
        f"{last.created} / {last.rejected}", f"{plan.users} / 0", "", f"{plan.users} / 0",
    ))  # fmt: skip

    trips = got.trips
    per_step = ", ".join(str(trips[step]) for step in round_trips.STEPS[:-1])
    rows.append((
        "the cost of a tap: SQLite round trips per step (/send, book, text, time / Confirm)",
        f"{per_step} / {trips['Confirm']}", f"{trips['/balance']} (/balance)", "",
        "≤ 8 per step",
    ))  # fmt: skip

    poll = got.poller
    assert poll is not None
    steady = max(poll.steady_calls)
    rows.append((
        "poller, 1,000 tracked (900 days ahead), API at 20 ms: GETs per cycle",
        f"{steady} (first two: {poll.first_cycles[0]}, {poll.first_cycles[1]})",
        f"{poll.naive_calls} (naive poller)", f"{ratio(steady, poll.naive_calls):.2f}x",
        "≤ 110",
    ))  # fmt: skip
    rows.append((
        "poller: cycle time / average GETs per cycle over 2 h",
        f"{poll.steady_cycle_seconds:.2f} s / {poll.average_calls:.0f}",
        f"{poll.naive_cycle_seconds:.2f} s (naive poller)",
        f"{ratio(poll.steady_cycle_seconds, poll.naive_cycle_seconds):.2f}x", "",
    ))  # fmt: skip
    fan = statistics.median(f.seconds for f in got.fanouts)
    floor = got.fanouts[0].floor_seconds
    rows.append((
        "fan-out, 300 subscribers, 30 msg/s: time to the last delivery",
        f"{fan:.1f} s ({min(f.delivered for f in got.fanouts)} delivered, "
        f"{max(f.rate_limited for f in got.fanouts)} × 429)",
        f"{floor:.1f} s (the limit's floor)", f"{ratio(fan, floor):.2f}x", "≤ 12 s, floor 10 s",
    ))  # fmt: skip
    post = statistics.median(b.confirm_to_post for b in got.books)
    bare = statistics.median(b.bare_io_seconds for b in got.books)
    peak = statistics.median(b.peak_over_idle_mib for b in got.books)
    pick = statistics.median(b.pick_seconds for b in got.books)
    rows.append((
        "100,000-contact book: Confirm -> POST sent (one POST, 100,000 numbers)",
        f"{post:.2f} s", f"{bare:.2f} s (bare GET + POST)", f"{ratio(post, bare):.1f}x", "≤ 2 s",
    ))  # fmt: skip
    rows.append((
        "100,000-contact book: peak RSS above idle / tap on the book -> next step",
        f"{peak:.0f} MiB / {pick:.2f} s", "", "", "≤ 50 MiB",
    ))  # fmt: skip
    city = got.city_books
    pick = statistics.median(b.pick_seconds for b in city)
    bare_get = statistics.median(b.bare_get_seconds for b in city)
    post = statistics.median(b.confirm_to_post for b in city)
    bare = statistics.median(b.bare_io_seconds for b in city)
    peak = statistics.median(b.peak_over_idle_mib for b in city)
    rows.append((
        "1,000,000-contact book: tap on the book -> next step", f"{pick:.2f} s",
        f"{bare_get:.2f} s (bare GET)", f"{ratio(pick, bare_get):.1f}x", "≤ 3 s",
    ))  # fmt: skip
    rows.append((
        f"1,000,000-contact book: Confirm -> POST sent (one POST, "
        f"{min(b.phones_posted for b in city):,} numbers)",
        f"{post:.2f} s", f"{bare:.2f} s (bare GET + POST)", f"{ratio(post, bare):.1f}x", "≤ 5 s",
    ))  # fmt: skip
    rows.append((
        "1,000,000-contact book: peak RSS above idle", f"{peak:.0f} MiB",
        f"{city[0].book_json_mib:.0f} MiB (the book's JSON)",
        f"{ratio(peak, city[0].book_json_mib):.1f}x", "≤ 250 MiB",
    ))  # fmt: skip
    bot_idle, echo_idle = median(got.idle["bot"]), median(got.idle["echo"])
    rows.append((
        "idle RSS", f"{bot_idle:.0f} MiB", f"{echo_idle:.0f} MiB (echo bot)",
        f"+{bot_idle - echo_idle:.0f} MiB", "≤ +30 MiB",
    ))  # fmt: skip
    load = got.load
    assert load is not None
    rows.append((
        f"load under faults, {load.users} users: answered / sent / unknown",
        f"{sum(load.outcomes.values()) - len(load.unanswered)} / "
        f"{load.outcomes['sent']} / {load.outcomes['unknown']}",
        f"faults: {load.faults['error']} × 5xx, {load.faults['timeout']} × timeout, "
        f"{load.faults['lose_create']} × lost create", f"{load.seconds:.0f} s",
        "all answered",
    ))  # fmt: skip
    rows.append((
        "load under faults: created twice / lost answers not 'unknown' / drafts lost / "
        "Bot API calls rejected / secrets in log",
        " / ".join(str(len(items)) for items in (
            load.created_twice, load.lost_not_unknown, load.drafts_lost,
            load.rejected_calls, load.secrets_in_log,
        )),
        "", "", "all 0",
    ))  # fmt: skip

    header = ("measure", "bot", "baseline (same run)", "ratio", "goal")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run, fewer samples")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    logging.basicConfig(level=logging.CRITICAL)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        got = asyncio.run(gather(plan, Path(folder)))
    print(table(got, plan))
    print(f"\n{plan.runs} run(s) in {time.perf_counter() - started:.0f} s")
    if got.load is not None and got.load.problems():
        print("Load under faults found:", *got.load.problems(), sep="\n  ")
