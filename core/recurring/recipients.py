"""Who an occurrence goes to: the one place where a schedule's recipients become numbers."""

from __future__ import annotations

from contextlib import suppress

from core.phones import PhoneList, collect_book_phones
from core.sms import InvalidResponse, SmsApiClient
from storage import Draft


async def resolve_recipients(sms: SmsApiClient, occurrence: Draft) -> PhoneList:
    """The numbers of one occurrence, read when it is created: the book as it is now
    (it may have changed since the schedule was saved), or the numbers typed for it.

    For typed numbers a cheap GET first, as a one-off send does: when the service is down
    it fails there, where nothing can have been created, and the keeper simply tries
    again, instead of at the create, where a lost answer would leave the outcome unknown.
    """
    if occurrence.book_id is not None:
        phones = collect_book_phones(await sms.contact_phones(occurrence.book_id))
    else:
        with suppress(InvalidResponse):
            await sms.balance()
        phones = PhoneList(valid=list(occurrence.phones))
    # stop list: applied here
    return phones
