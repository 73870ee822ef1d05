"""Looking for the dispatch a create may have made when its answer was lost (or came
without a number), by its traits: never by creating again.

The API has no list and no idempotency key, but its ids grow: the dispatch, if it
exists, has an id above the newest one the bot knew when it sent the create. A few
times over the next minutes (``SEARCH_AFTER``), the watch reads the ids above that one
(a few in a row that do not exist end the read), and compares each with what was sent:
the text, the number of messages (numbers, or numbers times parts), the send time
(asked for, or about when the create went out) and the API as the source. When the bot
knew no dispatch yet (a new bot, or a server that never gives the number), it first
finds the newest id there is by doubling and halving, and reads the ids just below it.
When exactly one matches, its creator hears "found: probably No. N" with a button to
follow it, and the audit log keeps it. When none or several match, or the ids are not
sequential, or other clients' dispatches fill the ids in between so that the search runs
out of candidates, the creator hears that it could not be found and is asked to check
the web interface.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from core.sms import Dispatch, DispatchNotFound, SmsApiClient, SmsApiError
from core.watch.audience import Audience
from core.watch.messenger import Messenger
from storage import LostCreate, Storage

log = logging.getLogger(__name__)

AUDIT_FOUND = "dispatch.create_found"
AUDIT_NOT_FOUND = "dispatch.create_not_found"
# When to look again after each try (the first try comes FIRST_SEARCH_AFTER after the
# create, see core/sending.py): three tries in about five minutes.
SEARCH_AFTER = (timedelta(minutes=1), timedelta(minutes=3))
CANDIDATES = 10  # ids compared per try, at most
MISSING_IN_A_ROW = 3  # ids that do not exist, one after another: nothing newer yet
NEWEST_ID_READS = 64  # GETs to find the newest id when none is known (ids below 2**31)
SEARCHES_PER_CYCLE = 5
# A dispatch sent "now" carries a send time near the moment the create went out.
NOW_SLACK = timedelta(minutes=2)


class LostCreateWatch:
    def __init__(self, store: Storage, sms: SmsApiClient, messenger: Messenger) -> None:
        self._store = store
        self._sms = sms
        self._messenger = messenger

    async def run(self, audience: Audience, now: datetime) -> None:
        for lost in await self._store.lost_creates.due(now, SEARCHES_PER_CYCLE):
            try:
                await self._try(lost, audience, now)
            except SmsApiError as error:  # no answer: the same try again next cycle
                log.info("Search for draft %s's dispatch put off: %s", lost.draft_id, error)

    async def _try(self, lost: LostCreate, audience: Audience, now: datetime) -> None:
        if lost.after_id is not None:
            candidates = range(lost.after_id + 1, lost.after_id + 1 + CANDIDATES)
        else:
            newest = await self._newest_id()
            candidates = range(newest, max(newest - CANDIDATES, 0), -1)
        matches = await self._matches(lost, candidates)
        if len(matches) == 1:
            return await self._settle(lost, matches[0].id, audience)
        if len(matches) > 1 or lost.attempts >= len(SEARCH_AFTER):
            return await self._settle(lost, None, audience)
        await self._store.lost_creates.tried(lost.draft_id, now + SEARCH_AFTER[lost.attempts])

    async def _matches(self, lost: LostCreate, candidates: range) -> list[Dispatch]:
        matches = []
        missing = 0
        for dispatch_id in candidates:
            if await self._store.dispatches.get(dispatch_id) is not None:
                continue  # the bot knows this one: not the lost create's
            try:
                dispatch = await self._sms.dispatch(dispatch_id)
            except DispatchNotFound:
                missing += 1
                if missing >= MISSING_IN_A_ROW and candidates.step > 0:
                    break  # nothing newer exists yet
                continue
            missing = 0
            if resembles(dispatch, lost):
                matches.append(dispatch)
        return matches

    async def _newest_id(self) -> int:
        """The highest dispatch id that exists (0: none), by doubling then halving."""
        reads = 0

        async def exists(dispatch_id: int) -> bool:
            nonlocal reads
            reads += 1
            try:
                await self._sms.dispatch(dispatch_id)
            except DispatchNotFound:
                return False
            return True

        low, high = 0, 1
        while reads < NEWEST_ID_READS // 2 and await exists(high):
            low, high = high, high * 2
        while high - low > 1 and reads < NEWEST_ID_READS:
            middle = (low + high) // 2
            low, high = (middle, high) if await exists(middle) else (low, middle)
        return low

    async def _settle(self, lost: LostCreate, found: int | None, audience: Audience) -> None:
        if not await self._store.lost_creates.settle(lost.draft_id, found):
            return  # another process settled it
        await self._store.audit.record(
            None,
            AUDIT_FOUND if found is not None else AUDIT_NOT_FOUND,
            dispatch_id=found,
            draft_id=lost.draft_id,
            details={"creator": lost.user_id},
        )
        person = audience.get(lost.user_id)
        if person is None:
            return  # no access any more, or blocked the bot
        if found is not None:
            log.info("Draft %s probably made dispatch %d", lost.draft_id, found)
            await self._messenger.announce_lost_create_found(person, lost, found)
        else:
            log.info("The dispatch of draft %s was not found", lost.draft_id)
            await self._messenger.announce_lost_create_not_found(person, lost)


def resembles(dispatch: Dispatch, lost: LostCreate) -> bool:
    """Whether ``dispatch`` looks like what the lost create sent."""
    if dispatch.text is not None and dispatch.text != lost.text:
        return False
    if dispatch.dispatch_source not in (None, "API"):
        return False
    count, phones = dispatch.messages_count, lost.phones
    if count is not None and phones is not None and count not in (phones, phones * lost.segments):
        return False
    if lost.date_send is not None:
        return abs(dispatch.date_send - lost.date_send) < timedelta(seconds=1)
    return lost.posted_at - NOW_SLACK <= dispatch.date_send <= lost.posted_at + NOW_SLACK
