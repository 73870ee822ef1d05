"""Step 1: an address book, typed numbers or a file of numbers.

A file is read as a stream in a worker thread, within the limits of ``core/phones.py``,
so a big upload neither freezes the other users' taps nor fills the memory.
"""

from __future__ import annotations

import asyncio
import codecs
import io
import logging
from collections.abc import Iterator, Sequence

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Document, Message
from aiohttp import ClientError

from core.phones import (
    PhoneFileError,
    PhoneList,
    collect_book_phones,
    parse_phone_csv,
    parse_phone_list,
)
from core.sms import (
    AddressBook,
    AddressBookNotFound,
    Contact,
    ContactPhone,
    SmsApiClient,
    SmsApiError,
)
from core.stoplist import without_stopped
from handlers.common.replies import answer, edit_quietly, tapped_message, within_tap_budget
from handlers.common.sms_errors import describe_sms_error
from handlers.send import keyboards, render
from handlers.send.callbacks import SendCallback, draft_token
from handlers.send.flow import SendFlow
from handlers.send.render import RecipientCounts
from handlers.send.states import SendForm
from storage import Draft

log = logging.getLogger(__name__)

# Telegram lets a bot download files of up to 20 MB.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILE_MB = MAX_FILE_BYTES // (1024 * 1024)
DOWNLOAD_SECONDS = 30
# The book list the recipients step showed names the tapped book for this long.
BOOK_LIST_REUSE_SECONDS = 10.0
TEXT_TYPES = {"text/plain": "txt", "text/csv": "csv", "application/csv": "csv"}


async def books_page(
    query: CallbackQuery, callback_data: SendCallback, flow: SendFlow, draft: Draft
) -> None:
    await answer(query)
    try:
        books = await flow.ordered_books()
        failed = None
    except SmsApiError as error:
        books, failed = None, describe_sms_error(error, flow.t)
    counts = await flow.counts()
    text = render.wizard_text(
        flow.t, draft, counts, SendForm.recipients, render.recipients_question(flow.t, failed),
        flow.ctx.tz,
    )  # fmt: skip
    markup = keyboards.books_keyboard(flow.t, draft_token(draft.id), books, callback_data.value)
    await edit_quietly(tapped_message(query), text, markup)


async def book_picked(
    query: CallbackQuery, callback_data: SendCallback, flow: SendFlow, draft: Draft
) -> None:
    # Answered once the book is read (within the tap budget, under Telegram's limit), so
    # that a failure is a toast and the step stays as it is.
    try:
        book, contacts = await within_tap_budget(_book_with_contacts(flow.sms, callback_data.value))
    except SmsApiError as error:
        return await answer(query, describe_sms_error(error, flow.t), alert=True)
    if book is None:
        return await answer(query, flow.t("send.book_gone"), alert=True)
    await answer(query)
    phones = await asyncio.to_thread(collect_book_phones, contacts)
    del contacts  # a million of them would be held across the Telegram and SQLite waits
    await _use_recipients(flow, draft, phones, book=book, new=False)


async def _book_with_contacts(
    sms: SmsApiClient, book_id: int
) -> tuple[AddressBook | None, Sequence[ContactPhone | Contact]]:
    """The book (looked up again: the button carries only its id) and its contacts.

    Its name comes from the list the step showed a moment ago when that is recent (a
    request less per tap); its contacts are always read now, and a book gone since the
    list was read is gone (None) all the same."""
    book = _book_in(await sms.recent_address_books(BOOK_LIST_REUSE_SECONDS), book_id)
    if book is None:  # added after that list was read, or gone
        book = _book_in(await sms.address_books(), book_id)
    if book is None:
        return None, []
    try:
        # Only the phones: a book's comments would double what a million contacts hold.
        return book, await sms.contact_phones(book_id)
    except AddressBookNotFound:
        return None, []


def _book_in(books: list[AddressBook], book_id: int) -> AddressBook | None:
    return next((book for book in books if book.id == book_id), None)


async def numbers_typed(message: Message, flow: SendFlow) -> None:
    phones = await asyncio.to_thread(parse_phone_list, message.text or "")
    await _accept_numbers(flow, phones)


async def numbers_file(message: Message, flow: SendFlow) -> None:
    draft = await flow.draft()
    if draft is None:
        return await flow.gone()
    document = message.document
    assert document is not None  # the filter says so
    kind = file_kind(document)
    if kind is None:
        return await flow.refuse(SendForm.recipients, draft, flow.t("send.file_wrong_type"))
    if (document.file_size or 0) > MAX_FILE_BYTES:
        too_big = flow.t("send.file_too_big", limit_mb=MAX_FILE_MB)
        return await flow.refuse(SendForm.recipients, draft, too_big)
    content = await download(flow.ctx.bot, document)
    if content is None:
        failed = flow.t("send.file_download_failed")
        return await flow.refuse(SendForm.recipients, draft, failed)
    if len(content) > MAX_FILE_BYTES:
        too_big = flow.t("send.file_too_big", limit_mb=MAX_FILE_MB)
        return await flow.refuse(SendForm.recipients, draft, too_big)
    try:
        phones = await asyncio.to_thread(read_numbers_file, content, kind)
    except UnicodeDecodeError:
        return await flow.refuse(SendForm.recipients, draft, flow.t("send.file_not_text"))
    except PhoneFileError as error:
        unreadable = flow.t("send.file_unreadable", reason=str(error)[:100])
        return await flow.refuse(SendForm.recipients, draft, unreadable)
    await _accept_numbers(flow, phones)


async def _accept_numbers(flow: SendFlow, phones: PhoneList) -> None:
    draft = await flow.draft()
    if draft is None:
        return await flow.gone()
    await _use_recipients(flow, draft, phones, book=None, new=True)


async def _use_recipients(
    flow: SendFlow, draft: Draft, phones: PhoneList, *, book: AddressBook | None, new: bool
) -> None:
    """The valid numbers, counted less the stop list, become the draft's recipients and
    the next step comes; with no number left the step refuses. The stop list is applied
    again at Confirm, as it is then: a book is read again there, and typed numbers are
    all kept (one taken off the list meanwhile gets its SMS)."""
    if not phones.valid:
        return await flow.refuse(SendForm.recipients, draft, render.no_numbers(flow.t, phones))
    kept, stopped = await without_stopped(flow.store, phones.valid)
    if not kept:
        refusal = render.all_stopped(flow.t, stopped)
        return await flow.refuse(SendForm.recipients, draft, refusal)
    counts = RecipientCounts(len(kept), phones.invalid_count, stopped)
    del kept
    if book is not None:
        recipients = {"book_id": book.id, "book_name": book.name, "phones": []}
    else:
        recipients = {"book_id": None, "book_name": None, "phones": phones.valid}
    updated = await flow.set_recipients(counts, **recipients)
    if updated is None:
        return await flow.gone()
    note = render.joined(render.phones_note(flow.t, phones), render.stopped_note(flow.t, stopped))
    await flow.step_done(updated, new=new, note=note)


def file_kind(document: Document) -> str | None:
    """ "csv" or "txt" by the file's name, else by its type; None for anything else."""
    name = (document.file_name or "").lower()
    for extension in ("csv", "txt"):
        if name.endswith("." + extension):
            return extension
    if "." in name:
        return None
    return TEXT_TYPES.get((document.mime_type or "").lower())


def read_numbers_file(content: bytes, kind: str) -> PhoneList:
    """Numbers from a file, read line by line (in a worker thread: it may be 20 MB).

    UTF-8 (with or without a BOM), else Windows-1251; UnicodeDecodeError for a file that
    is not text (a NUL byte, or bytes neither encoding reads).
    """
    if b"\x00" in content:
        raise UnicodeDecodeError("utf-8", content[:1], 0, 1, "a NUL byte: not a text file")
    encoding = "utf-8-sig" if _is_utf8(content) else "cp1251"
    lines = _lines(content, encoding)
    return parse_phone_csv(lines) if kind == "csv" else parse_phone_list(lines)


def _is_utf8(content: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(content), 1 << 20):
            decoder.decode(content[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _lines(content: bytes, encoding: str) -> Iterator[str]:
    with io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="") as stream:
        yield from stream


async def download(bot: Bot, document: Document) -> bytes | None:
    try:
        buffer = await bot.download(document, destination=io.BytesIO(), timeout=DOWNLOAD_SECONDS)
    except (TelegramAPIError, ClientError, TimeoutError) as error:
        log.warning("File not downloaded: %s", type(error).__name__)
        return None
    return buffer.getvalue() if isinstance(buffer, io.BytesIO) else None
