"""Requests nobody decided in time: a sweep expires them (their drafts are closed) and
says so on every admin's message and to the requester. It runs while the bot runs, and
an Approve that comes after the time is up expires the request itself."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from aiogram import Dispatcher

from core.approval import expire_due, settle_interrupted
from core.approval_rules import REQUEST_LIFETIME
from core.settings import Settings
from handlers.access.render import display_name
from handlers.approval.board import write_outcome
from handlers.approval.render import approved_line, expired_line, unknown_line
from handlers.approval.requester import tell_closed
from handlers.common.i18n import Translator
from handlers.common.outbox import Outbox
from storage import ApprovalRequest, ApprovalState, Storage

log = logging.getLogger(__name__)

SWEEP_EVERY_SECONDS = 30.0
SWEEPER = "approval_sweeper"  # its name in the dispatcher's data


async def tell_expired(
    outbox: Outbox, store: Storage, settings: Settings, request: ApprovalRequest
) -> None:
    hours = int(REQUEST_LIFETIME.total_seconds() // 3600)
    await write_outcome(outbox, store, settings, request, expired_line)
    await tell_closed(
        outbox, store, settings, request, lambda t: t.plural("approval.told_expired", hours)
    )


class ExpirySweeper:
    def __init__(self, outbox: Outbox, store: Storage, settings: Settings, every: float) -> None:
        self._outbox = outbox
        self._store = store
        self._settings = settings
        self.every = every
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="approval-expiry")

    async def sweep(self) -> list[ApprovalRequest]:
        """Expire what is due now, and tell everyone concerned."""
        expired = await expire_due(self._store)
        for request in expired:
            await tell_expired(self._outbox, self._store, self._settings, request)
        return expired

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.sweep()
            except Exception:  # one failed sweep must not stop the next ones
                log.exception("Approval requests were not swept")


async def open_sweeper(
    dispatcher: Dispatcher, outbox: Outbox, store: Storage, settings: Settings
) -> None:
    """A start-up hook of the approval feature: after the send feature's (the drafts a
    crash left sending are unknown by now), approvals cut short are settled, and the
    sweep starts."""
    for request in await settle_interrupted(store):
        settled = await store.approvals.get(request.id)
        if settled is not None and settled.state is ApprovalState.APPROVED:
            await _write_settled(outbox, store, settings, settled)
    sweeper = dispatcher[SWEEPER] = ExpirySweeper(outbox, store, settings, SWEEP_EVERY_SECONDS)
    sweeper.start()


async def _write_settled(
    outbox: Outbox, store: Storage, settings: Settings, request: ApprovalRequest
) -> None:
    decider = request.decided_by
    admin = display_name(await store.users.get(decider), decider) if decider else "—"

    def line(t: Translator) -> str:
        if request.dispatch_id is not None:
            return approved_line(t, admin, request.dispatch_id)
        return unknown_line(t, admin)

    await write_outcome(outbox, store, settings, request, line)


async def close_sweeper(dispatcher: Dispatcher) -> None:
    sweeper = dispatcher.workflow_data.pop(SWEEPER, None)
    if isinstance(sweeper, ExpirySweeper):
        await sweeper.close()
