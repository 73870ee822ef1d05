"""Load under faults: many managers send at once while the SMS API fails.

The emulator answers ~10% of requests with a 5xx, holds ~5% and then drops them (a
timeout), and loses the answer to some creates after creating the dispatch. Checked:
every user gets an answer; no dispatch is created twice; every lost answer is shown to
its user as "outcome unknown"; no draft is lost (each confirmed draft is sent, unknown,
or still pending with nothing created); the stand-in rejected no Bot API call; no secret
is in the bot's log (DEBUG). The short version runs in CI (tests/bench/test_load_faults.py),
the full one (500 users) from ``python -m bench``.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.conversation import Outcome, ScriptedManager, SendRun
from bench.processes import BOT_TOKEN, SMS_TOKEN
from bench.rig import Rig, open_rig
from storage import DraftState, Storage

FIRST_USER = 500_000
TEXT = "Load {user_id}: spring offer"
NUMBERS = "380711234567, 0711234568"
STEP_SECONDS = 90.0
FAULTS: dict[str, Any] = {
    "error_rate": 0.10,
    "timeout_rate": 0.05,
    "lose_create_rate": 0.05,
    "hang_seconds": 1.0,
    "seed": 7,
}


@dataclass
class LoadReport:
    users: int
    seconds: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)
    created: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    unanswered: list[int] = field(default_factory=list)
    stuck_at: dict[int, list[str]] = field(default_factory=dict)  # the last answers seen
    created_twice: list[str] = field(default_factory=list)
    lost_not_unknown: list[int] = field(default_factory=list)
    drafts_lost: list[str] = field(default_factory=list)
    rejected_calls: list[str] = field(default_factory=list)
    secrets_in_log: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        found = {
            "users without an answer": [f"{u}: {self.stuck_at.get(u)}" for u in self.unanswered],
            "dispatches created twice": self.created_twice,
            "lost answers not shown as unknown": self.lost_not_unknown,
            "drafts lost": self.drafts_lost,
            "Bot API calls rejected": self.rejected_calls,
            "secrets in the log": self.secrets_in_log,
        }
        return [f"{name}: {items[:5]}" for name, items in found.items() if items]


def text_of(user_id: int) -> str:
    return TEXT.format(user_id=user_id)


async def run_load(users: int, folder: Path, faults: dict[str, Any] | None = None) -> LoadReport:
    ids = list(range(FIRST_USER, FIRST_USER + users))
    env = {"LOG_LEVEL": "DEBUG"}
    async with open_rig("bot", folder, managers=ids, env=env) as rig:
        rig.emulator.state.faults.update(faults or FAULTS)
        report = LoadReport(users)
        started = time.perf_counter()
        runs = await asyncio.gather(*(_one_user(rig, user_id) for user_id in ids))
        report.seconds = time.perf_counter() - started
        rig.emulator.state.faults.update({"error_rate": 0, "timeout_rate": 0})
    # The bot has stopped: its log is complete and its database closed.
    await _check(rig, runs, report)
    return report


async def _one_user(rig: Rig, user_id: int) -> SendRun | None:
    language = "ru" if user_id % 2 else "en"
    user = rig.standin.user(user_id, f"U{user_id}", language_code=language)
    manager = ScriptedManager(user, language, STEP_SECONDS)
    book = "name1" if user_id % 3 else None  # a third type the numbers
    try:
        return await manager.send(text_of(user_id), book=book, numbers=NUMBERS)
    except (TimeoutError, AssertionError, LookupError):
        manager.run.outcome = None
        return manager.run


async def _check(rig: Rig, runs: list[SendRun | None], report: LoadReport) -> None:
    by_user = {run.user_id: run for run in runs if run is not None}
    for user_id, run in by_user.items():
        report.outcomes[str(run.outcome)] += 1
        if run.outcome in (None, Outcome.OTHER):
            report.unanswered.append(user_id)
            report.stuck_at[user_id] = run.log[-3:]

    texts = Counter(
        dispatch.text for dispatch in rig.emulator.state.dispatches.values()
        if dispatch.text.startswith("Load ")
    )  # fmt: skip
    report.created = sum(texts.values())
    report.created_twice = [text for text, count in texts.items() if count > 1]

    log = rig.emulator.state.requests.entries()
    report.faults = Counter(entry["fault"] for entry in log if entry.get("fault"))
    lost_texts = {
        entry["body"]["message"]
        for entry in log
        if entry.get("fault") == "lose_create" and isinstance(entry.get("body"), dict)
    }
    for user_id, run in by_user.items():
        if text_of(user_id) in lost_texts and run.outcome is not Outcome.UNKNOWN:
            report.lost_not_unknown.append(user_id)

    store = await Storage.open(rig.database)
    try:
        rows = await store.db.fetchall(
            "SELECT id, text, state, dispatch_id FROM drafts WHERE text LIKE 'Load %'"
        )
    finally:
        await store.close()
    for row in rows:
        state, text = DraftState(row["state"]), row["text"]
        created = texts.get(text, 0)
        sent_right = state is DraftState.SENT and row["dispatch_id"] is not None and created == 1
        pending_right = state is DraftState.PENDING and created == 0
        if not (sent_right or pending_right or state is DraftState.UNKNOWN):
            report.drafts_lost.append(f"{text} {state} created={created}")
    missing = set(texts) - {row["text"] for row in rows}
    report.drafts_lost += [f"{text}: created with no draft" for text in missing]

    report.rejected_calls = [
        f"{call.method} {call.status} {call.description}" for call in rig.rejected_calls()
    ]
    output = rig.process.output()
    secrets = (BOT_TOKEN, BOT_TOKEN.split(":")[1], SMS_TOKEN)
    report.secrets_in_log = [secret[:6] + "…" for secret in secrets if secret in output]
