"""A big file of numbers uploaded at the recipients step while someone else uses the bot.

One manager sends a .txt of short lines (2 MB and 20 MB: a million and ten million
lines, none a valid number, the worst case for the report of what did not fit); another
asks for /balance over and over meanwhile. Measured: the longest the other user waited
for an answer while the upload was read, the upload's own answer time, and the bot's peak
RSS over its idle RSS. The baseline is the same /balance loop with no upload, in the same
run.

    .venv/bin/python -m bench.uploads
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.conversation import TEXTS, prompt_holding
from bench.processes import MIB
from bench.rig import Rig, open_rig
from bench.stats import median, ratio
from testbed.standin import SimUser

UPLOADER = 4100
NEIGHBOUR = 4200
SIZES = {"2 MB": 2_000_000, "20 MB": 20_000_000}  # Telegram lets a bot fetch up to 20 MB
WAIT = 120.0
BASELINE_SECONDS = 2.0


@dataclass(frozen=True)
class Upload:
    label: str
    size: int
    answered_seconds: float  # the file sent -> the bot's answer to it
    neighbour_max: float  # the longest /balance wait of the other user meanwhile
    neighbour_median: float
    peak_over_idle_mib: float


async def _balance_once(rig: Rig, user: SimUser) -> float:
    queued = rig.standin.state.updates.queued_at
    await user.send_text("/balance")
    update_id = rig.standin.state.updates.last_update_id
    assert update_id is not None
    await user.wait_for_reply(timeout=WAIT)
    return time.time() - queued[update_id]


async def _neighbour(rig: Rig, user: SimUser, stop: asyncio.Event) -> list[float]:
    waits = []
    while not stop.is_set():
        waits.append(await _balance_once(rig, user))
    return waits


async def baseline(rig: Rig) -> list[float]:
    neighbour = rig.standin.user(NEIGHBOUR, "Nina", language_code="en")
    stop = asyncio.Event()
    loop = asyncio.create_task(_neighbour(rig, neighbour, stop))
    await asyncio.sleep(BASELINE_SECONDS)
    stop.set()
    return await loop


async def measure(rig: Rig, label: str, size: int) -> Upload:
    uploader = rig.standin.user(UPLOADER, "Uma", language_code="en")
    neighbour = rig.standin.user(NEIGHBOUR, "Nina", language_code="en")
    await uploader.send_text("/send")
    await uploader.wait_for_reply(prompt_holding(TEXTS["en"].recipients), WAIT)
    content = b"1\n" * (size // 2)
    idle = rig.process.rss_bytes()
    rig.process.reset_peak_rss()

    stop = asyncio.Event()
    loop = asyncio.create_task(_neighbour(rig, neighbour, stop))
    await asyncio.sleep(0.2)  # the neighbour is already waiting on the bot
    started = time.time()
    await uploader.send_document("numbers.txt", content, "text/plain")
    await uploader.wait_for_reply(timeout=WAIT)  # the step, edited with why nothing fits
    answered = time.time() - started
    stop.set()
    waits = await loop
    peak = rig.process.peak_rss_bytes()
    await uploader.send_text("/cancel")
    await uploader.wait_for_reply(timeout=WAIT)
    return Upload(label, size, answered, max(waits), median(waits), (peak - idle) / MIB)


async def run(folder: Path) -> tuple[list[float], list[Upload]]:
    async with open_rig("bot", folder, managers=(UPLOADER, NEIGHBOUR)) as rig:
        calm = await baseline(rig)
        uploads = [await measure(rig, label, size) for label, size in SIZES.items()]
    return calm, uploads


def report(calm: list[float], uploads: list[Upload]) -> str:
    lines = [
        f"/balance with no upload: median {median(calm) * 1000:.1f} ms, "
        f"max {max(calm) * 1000:.1f} ms ({len(calm)} answers)"
    ]
    for upload in uploads:
        lines.append(
            f"{upload.label} upload: answered in {upload.answered_seconds:.2f} s; the other "
            f"user's longest wait {upload.neighbour_max * 1000:.0f} ms "
            f"({ratio(upload.neighbour_max, max(calm)):.1f}x the calm max), median "
            f"{upload.neighbour_median * 1000:.1f} ms; "
            f"peak RSS +{upload.peak_over_idle_mib:.0f} MiB"
        )
    return "\n".join(lines)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as folder:
        calm, uploads = asyncio.run(run(Path(folder)))
    print(report(calm, uploads))


if __name__ == "__main__":
    main()
