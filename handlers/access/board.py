"""Each admin's board: one message listing the pending access requests, kept current.

A request that arrives or is decided marks the boards changed (:meth:`PendingBoard.changed`);
a moment later (``DELAY``) every admin's board is drawn afresh and edited in place
through the outbox, so a burst of 500 strangers makes a handful of edits per admin, not
500 messages, and stays within Telegram's limits. While requests wait the board is the
same message (kept in ``storage.access_boards`` across restarts); once none is left it
says so and closes, and the next request starts a new message, which the admin hears.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from aiogram import Dispatcher

from core.settings import Settings
from core.watch.delivery import Outcome
from handlers.access.pending_view import closed_board_text, load_pending, pending_screen
from handlers.common.admin_alerts import admin_ids
from handlers.common.i18n import Translator, user_translator
from handlers.common.outbox import Outbox
from handlers.common.replies import Screen
from storage import Storage

log = logging.getLogger(__name__)

# How long changes gather before the boards are drawn again: long enough for a burst to
# land in one edit, short enough that an admin sees a request at once.
DELAY = 1.0
BOARD = "pending_board"  # its name in the dispatcher's data: handlers take ``pending_board``


class PendingBoard:
    def __init__(
        self, outbox: Outbox, store: Storage, settings: Settings, delay: float = DELAY
    ) -> None:
        self._outbox = outbox
        self._store = store
        self._settings = settings
        self.delay = delay
        self._pending_change = False
        self._task: asyncio.Task[None] | None = None
        # What each admin's board shows now, so that a redraw that changes nothing costs
        # no call to Telegram.
        self._shown: dict[int, tuple[int, Screen]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    def changed(self) -> None:
        """A request arrived or was decided: the boards are redrawn shortly."""
        self._pending_change = True
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._redraw_when_quiet(), name="access-board")

    async def settled(self) -> None:
        """Until no redraw is due or running (tests, and a graceful stop)."""
        while self._task is not None and not self._task.done():
            await asyncio.wait({self._task})

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task

    async def redraw(self, admin_id: int | None = None) -> None:
        """Draw the boards now (one admin's, or every admin's)."""
        admins = (
            [admin_id]
            if admin_id is not None
            else await admin_ids(self._store, self._settings.ADMIN_IDS)
        )
        await asyncio.gather(*(self._redraw_one(admin) for admin in admins))

    async def is_board(self, admin_id: int, message_id: int) -> bool:
        """Whether this message of the admin's chat is their board."""
        return await self._store.access_boards.message_id(admin_id) == message_id

    # -- inside ----------------------------------------------------------------

    async def _redraw_when_quiet(self) -> None:
        while self._pending_change:
            await asyncio.sleep(self.delay)
            self._pending_change = False
            try:
                await self.redraw()
            except Exception:  # one failed redraw must not stop the next ones
                log.exception("The access request boards were not redrawn")

    async def _redraw_one(self, admin_id: int) -> None:
        # One draw of an admin's board at a time: two would race for one message. What
        # is drawn is read inside, so the later draw always shows the later state.
        lock = self._locks.setdefault(admin_id, asyncio.Lock())
        async with lock:
            profile = await self._store.users.get(admin_id)
            if profile is not None and not profile.active:
                return  # blocked the bot: the board waits until they write again
            await self._draw(admin_id, user_translator(profile))

    async def _draw(self, admin_id: int, t: Translator) -> None:
        store = self._store
        listed = await load_pending(store, 0)
        message_id = await store.access_boards.message_id(admin_id)
        if listed.total == 0:
            if message_id is not None:
                await self._show(admin_id, message_id, Screen(await self._closed_text(t)))
                await store.access_boards.forget(admin_id)
                self._shown.pop(admin_id, None)
            return
        screen = pending_screen(t, listed, self._settings.timezone, board=True)
        if message_id is not None:
            outcome = await self._show(admin_id, message_id, screen)
            if outcome is not Outcome.GONE:
                return
        delivery = await self._outbox.send(admin_id, screen.text, keyboard=screen.keyboard)
        if delivery.message_id is not None:
            await store.access_boards.set(admin_id, delivery.message_id)
            self._shown[admin_id] = (delivery.message_id, screen)

    async def _show(self, admin_id: int, message_id: int, screen: Screen) -> Outcome:
        if self._shown.get(admin_id) == (message_id, screen):
            return Outcome.UNCHANGED
        delivery = await self._outbox.edit(
            admin_id, message_id, screen.text, keyboard=screen.keyboard
        )
        if delivery.outcome in (Outcome.SENT, Outcome.UNCHANGED):
            self._shown[admin_id] = (message_id, screen)
        return delivery.outcome

    async def _closed_text(self, t: Translator) -> str:
        store = self._store
        last = await store.access_requests.last_decided()
        profile = await store.users.get(last.user_id) if last else None
        decider = await store.users.get(last.decided_by) if last and last.decided_by else None
        return closed_board_text(t, last, profile, decider, self._settings.timezone)


async def open_board(
    dispatcher: Dispatcher, outbox: Outbox, store: Storage, settings: Settings
) -> None:
    """A start-up hook of the access feature."""
    dispatcher[BOARD] = PendingBoard(outbox, store, settings)


async def close_board(dispatcher: Dispatcher) -> None:
    """A shutdown hook of the access feature."""
    board = dispatcher.workflow_data.pop(BOARD, None)
    if isinstance(board, PendingBoard):
        await board.close()
