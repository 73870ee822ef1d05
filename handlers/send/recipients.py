"""Step 1: an address book, typed numbers or a file of numbers."""

from __future__ import annotations

import logging
from io import BytesIO

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Document, Message
from aiohttp import ClientError

from core.phones import PhoneList, collect_book_phones, parse_phone_csv, parse_phone_list
from core.sms import AddressBook, Contact, SmsApiClient, SmsApiError
from handlers.common.replies import answer, edit_quietly, tapped_message, within_tap_budget
from handlers.common.sms_errors import describe_sms_error
from handlers.send import keyboards, render
from handlers.send.callbacks import SendAction, SendCallback, draft_token
from handlers.send.flow import SendFlow
from handlers.send.render import RecipientCounts
from storage import Draft

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILE_MB = MAX_FILE_BYTES // (1024 * 1024)
DOWNLOAD_SECONDS = 10
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
    await edit_quietly(
        tapped_message(query),
        render.recipients_prompt(flow.t, failed),
        keyboards.books_keyboard(flow.t, draft_token(draft.id), books, callback_data.value),
    )


async def book_picked(query: CallbackQuery, callback_data: SendCallback, flow: SendFlow) -> None:
    await answer(query, flow.t("send.counting_book"))
    try:
        book, contacts = await within_tap_budget(_book_with_contacts(flow.sms, callback_data.value))
    except SmsApiError as error:
        return await flow.report_error(error)
    if book is None:
        return await flow.say(flow.t("send.book_gone"))
    phones = collect_book_phones(contacts)
    await flow.say(render.phones_report(flow.t, phones, book.name))
    if not phones.valid:
        return None  # the step stays: another book, or numbers
    counts = RecipientCounts(len(phones.valid), len(phones.invalid))
    updated = await flow.set_recipients(counts, book_id=book.id, book_name=book.name, phones=[])
    if updated is None:
        return await flow.gone()
    await flow.step_done(updated)


async def _book_with_contacts(
    sms: SmsApiClient, book_id: int
) -> tuple[AddressBook | None, list[Contact]]:
    """The book (looked up again: the button carries only its id) and its contacts."""
    book = next((book for book in await sms.address_books() if book.id == book_id), None)
    return book, (await sms.contacts(book_id) if book is not None else [])


async def how_to_type(query: CallbackQuery, callback_data: SendCallback, flow: SendFlow) -> None:
    await answer(query)
    numbers = callback_data.action is SendAction.NUMBERS
    key = "send.numbers_prompt" if numbers else "send.upload_prompt"
    await flow.say(flow.t(key, limit_mb=MAX_FILE_MB))


async def numbers_typed(message: Message, flow: SendFlow) -> None:
    await _accept_numbers(flow, parse_phone_list(message.text or ""))


async def numbers_file(message: Message, flow: SendFlow) -> None:
    document = message.document
    assert document is not None  # the filter says so
    kind = file_kind(document)
    if kind is None:
        await flow.say(flow.t("send.file_wrong_type"))
        return
    content = None
    if (document.file_size or 0) <= MAX_FILE_BYTES:
        content = await _download(flow.ctx.bot, document)
        if content is None:
            await flow.say(flow.t("send.file_download_failed"))
            return
    if content is None or len(content) > MAX_FILE_BYTES:
        await flow.say(flow.t("send.file_too_big", limit_mb=MAX_FILE_MB))
        return
    text = decode_numbers_file(content)
    if text is None:
        await flow.say(flow.t("send.file_not_text"))
        return
    phones = parse_phone_csv(text) if kind == "csv" else parse_phone_list(text)
    await _accept_numbers(flow, phones)


async def _accept_numbers(flow: SendFlow, phones: PhoneList) -> None:
    await flow.say(render.phones_report(flow.t, phones))
    if not phones.valid:
        return  # the step stays
    counts = RecipientCounts(len(phones.valid), len(phones.invalid))
    updated = await flow.set_recipients(counts, book_id=None, book_name=None, phones=phones.valid)
    if updated is None:
        return await flow.gone()
    await flow.step_done(updated)


def file_kind(document: Document) -> str | None:
    """ "csv" or "txt" by the file's name, else by its type; None for anything else."""
    name = (document.file_name or "").lower()
    for extension in ("csv", "txt"):
        if name.endswith("." + extension):
            return extension
    if "." in name:
        return None
    return TEXT_TYPES.get((document.mime_type or "").lower())


def decode_numbers_file(content: bytes) -> str | None:
    """UTF-8 (with or without a BOM), else Windows-1251; None for a binary file."""
    if b"\x00" in content:
        return None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1251", errors="replace")


async def _download(bot: Bot, document: Document) -> bytes | None:
    try:
        buffer = await bot.download(document, destination=BytesIO(), timeout=DOWNLOAD_SECONDS)
    except (TelegramAPIError, ClientError, TimeoutError) as error:
        log.warning("File of numbers not downloaded: %s", type(error).__name__)
        return None
    return buffer.getvalue() if isinstance(buffer, BytesIO) else None
