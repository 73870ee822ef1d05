"""A big address book (100,000 contacts, and a city's 1,000,000): the tap on the book to
the next step, Confirm to the create POST arriving at the SMS API, and the bot's peak RSS
over its idle RSS while it picks the book and sends to it.

The POST body is what the seed specifies: ``message`` and the full ``phonesList``. The
baselines are the bare I/O of the same work, measured here with a plain httpx client:
one GET of the contacts' bytes (beside the tap), and that GET plus one POST of the
numbers' bytes, written beforehand, up to the POST's arrival (beside Confirm), timed
as the bot's.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import httpx
from aiohttp import web

from bench.conversation import TEXTS, Outcome, ScriptedManager, prompt_holding
from bench.processes import MIB
from bench.rig import Rig

CONTACTS = 100_000
CITY = 1_000_000
USER_ID = 3000
BOOK_NAME = "Big book"
CREATE_PATH = "/sms-api/dispatches"
WAIT = 120.0


@dataclass(frozen=True)
class BigBook:
    contacts: int
    pick_seconds: float  # tap on the book -> the next prompt (the book counted)
    confirm_to_post: float  # Confirm queued -> the create POST arriving
    peak_over_idle_mib: float
    phones_posted: int
    outcome: Outcome | None
    bare_get_seconds: float  # baseline: GET the contacts' bytes, plain httpx
    bare_io_seconds: float  # baseline: GET the contacts + POST their numbers (to its arrival)
    book_json_mib: float  # the size of the contacts' answer


class PostClock:
    """An aiohttp middleware that notes when each create POST arrives, before the
    emulator reads its body."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []

        @web.middleware
        async def note_posts(request: web.Request, handler: Any) -> web.StreamResponse:
            if request.method == "POST" and request.path == CREATE_PATH:
                self.arrivals.append(time.time())
            return await handler(request)

        self.middleware = note_posts


async def measure(rig: Rig, clock: PostClock, contacts: int = CONTACTS) -> BigBook:
    book = rig.emulator.state.add_book(BOOK_NAME, contacts)
    idle = rig.process.rss_bytes()
    rig.process.reset_peak_rss()
    user = rig.standin.user(USER_ID, "Big", language_code="en")
    manager = ScriptedManager(user, "en", WAIT)
    texts = TEXTS["en"]

    await user.send_text("/send")
    prompt = await manager.reply(prompt_holding(texts.recipients))
    picked = await user.tap(BOOK_NAME, prompt)
    await manager.reply(prompt_holding(texts.text_prompt))
    pick_seconds = time.time() - rig.standin.state.updates.queued_at[picked["update_id"]]
    await user.send_text("A big hello")
    time_prompt = await manager.reply(prompt_holding(texts.time_prompt))
    await user.tap(texts.t("send.button_now"), time_prompt)
    summary = await manager.reply(prompt_holding(texts.summary))

    posts_before = len(clock.arrivals)
    confirm_id = (rig.standin.state.updates.last_update_id or 0) + 1  # the tap, next
    await manager.confirm(summary)
    confirmed_at = rig.standin.state.updates.queued_at[confirm_id]
    confirm_to_post = clock.arrivals[posts_before] - confirmed_at
    peak = rig.process.peak_rss_bytes()
    created = max(rig.emulator.state.dispatches)
    bare_get, bare_io = await _bare_io(rig, clock, book.id)
    return BigBook(
        contacts=contacts,
        pick_seconds=pick_seconds,
        confirm_to_post=confirm_to_post,
        peak_over_idle_mib=(peak - idle) / MIB,
        phones_posted=len(rig.emulator.state.dispatches[created].phones),
        outcome=manager.run.outcome,
        bare_get_seconds=bare_get,
        bare_io_seconds=bare_io,
        book_json_mib=len(book.contacts_json or b"") / MIB,
    )


async def _bare_io(rig: Rig, clock: PostClock, book_id: int) -> tuple[float, float]:
    """Seconds for the GET alone, and from the GET to the POST's arrival: the bytes over
    the same loopback, nothing decoded or encoded in between."""
    phones = [contact.phone for contact in rig.emulator.state.books[book_id].contacts]
    body = json.dumps({"message": "Bare", "phonesList": phones}).encode()
    token = {"token": rig.emulator.token}
    headers = {"Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=rig.emulator.url, params=token, timeout=60) as http:
        started = time.time()
        answer = await http.get(f"/sms-api/addressbooks/{book_id}/contacts")
        answer.raise_for_status()
        got = time.time()
        posted = await http.post(CREATE_PATH, content=body, headers=headers)
        posted.raise_for_status()
        return got - started, clock.arrivals[-1] - started
