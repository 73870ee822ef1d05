"""``/books``: the address books, and a book's contacts a page at a time.

A book may hold 100,000 contacts: a page shows at most CONTACTS_PAGE of them, and the
buttons carry only the book's id and the page number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.sms import AddressBook, AddressBookNotFound, Contact, SmsApiClient, SmsApiError
from handlers.common.context import Context
from handlers.common.formatting import esc, shorten
from handlers.common.i18n import Translator
from handlers.common.ids import is_api_id
from handlers.common.menu import BOOKS, menu_button
from handlers.common.replies import Screen, answer, explain_failure, show, within_tap_budget
from handlers.common.roles import can_read

BOOKS_PAGE = 10
CONTACTS_PAGE = 20
BOOK_NAME = 40
COMMENT = 60


class BooksPage(CallbackData, prefix="bp"):
    page: int


class BookContacts(CallbackData, prefix="bc"):
    book_id: int
    page: int


async def list_books(message: Message, ctx: Context) -> None:
    try:
        books = await ctx.sms.address_books()
    except SmsApiError as error:
        await message.answer(await explain_failure(ctx, error))
        return
    screen = books_screen(ctx.t, books, 0)
    await message.answer(screen.text, reply_markup=screen.keyboard)


async def turn_books_page(query: CallbackQuery, callback_data: BooksPage, ctx: Context) -> None:
    try:
        books = await within_tap_budget(ctx.sms.address_books())
    except SmsApiError as error:
        await answer(query, await explain_failure(ctx, error), alert=True)
        return
    await answer(query)
    await show(query, ctx, books_screen(ctx.t, books, callback_data.page))


async def show_contacts(query: CallbackQuery, callback_data: BookContacts, ctx: Context) -> None:
    book_id = callback_data.book_id
    if not is_api_id(book_id):  # forged: the API has no such id
        await answer(query, ctx.t("books.not_found"), alert=True)
        return
    try:
        books, contacts = await within_tap_budget(_book_and_contacts(ctx.sms, book_id))
    except SmsApiError as error:
        text = (
            ctx.t("books.not_found")
            if isinstance(error, AddressBookNotFound)
            else await explain_failure(ctx, error)
        )
        await answer(query, text, alert=True)
        return
    await answer(query)
    await show(query, ctx, contacts_screen(ctx.t, books, book_id, contacts, callback_data.page))


def build_router() -> Router:
    router = Router(name="books")
    router.message.filter(can_read)
    router.callback_query.filter(can_read)
    router.message.register(list_books, Command("books"))
    router.message.register(list_books, menu_button(BOOKS))
    router.callback_query.register(turn_books_page, BooksPage.filter())
    router.callback_query.register(show_contacts, BookContacts.filter())
    return router


async def _book_and_contacts(
    sms: SmsApiClient, book_id: int
) -> tuple[list[AddressBook], list[Contact]]:
    # The list gives the book's name; the contacts say whether the book still exists.
    return await sms.address_books(), await sms.contacts(book_id)


def books_screen(t: Translator, books: Sequence[AddressBook], page: int) -> Screen:
    if not books:
        return Screen(t("books.empty"))
    page, pages = _clamp(page, len(books), BOOKS_PAGE)
    lines = [t("books.title", count=len(books))]
    if pages > 1:
        lines.append(t("books.page", page=page + 1, pages=pages))
    lines.append(t("books.pick"))
    builder = InlineKeyboardBuilder()
    for book in books[page * BOOKS_PAGE : (page + 1) * BOOKS_PAGE]:
        builder.button(
            text=shorten(book.name, BOOK_NAME), callback_data=BookContacts(book_id=book.id, page=0)
        )
    builder.adjust(1)
    _add_turns(builder, t, page, pages, lambda number: BooksPage(page=number).pack())
    return Screen("\n".join(lines), builder.as_markup())


def contacts_screen(
    t: Translator,
    books: Sequence[AddressBook],
    book_id: int,
    contacts: Sequence[Contact],
    page: int,
) -> Screen:
    position = next((i for i, book in enumerate(books) if book.id == book_id), None)
    name = books[position].name if position is not None else f"#{book_id}"
    page, pages = _clamp(page, len(contacts), CONTACTS_PAGE)
    lines = [
        t(
            "books.book_title",
            name=esc(shorten(name, BOOK_NAME)),
            count=t.plural("books.contacts", len(contacts)),
        )
    ]
    if pages > 1:
        lines.append(t("books.page", page=page + 1, pages=pages))
    lines.append("")
    first = page * CONTACTS_PAGE
    for number, contact in enumerate(contacts[first : first + CONTACTS_PAGE], start=first + 1):
        lines.append(_contact_line(t, number, contact))
    if not contacts:
        lines.append(t("books.no_contacts"))

    builder = InlineKeyboardBuilder()
    _add_turns(
        builder, t, page, pages, lambda number: BookContacts(book_id=book_id, page=number).pack()
    )
    books_page = (position or 0) // BOOKS_PAGE
    builder.row(
        InlineKeyboardButton(
            text=t("books.button_back"), callback_data=BooksPage(page=books_page).pack()
        )
    )
    return Screen("\n".join(lines), builder.as_markup())


def _contact_line(t: Translator, number: int, contact: Contact) -> str:
    phone = esc(contact.phone)
    if contact.comment:
        comment = esc(shorten(" ".join(contact.comment.split()), COMMENT))
        return t("books.contact_with_comment", number=number, phone=phone, comment=comment)
    return t("books.contact", number=number, phone=phone)


def _clamp(page: int, total: int, size: int) -> tuple[int, int]:
    """The page to show (a forged or stale one past either end shows the nearest) and
    how many pages there are."""
    pages = max(-(-total // size), 1)
    return min(max(page, 0), pages - 1), pages


def _add_turns(
    builder: InlineKeyboardBuilder,
    t: Translator,
    page: int,
    pages: int,
    data: Callable[[int], str],
) -> None:
    turns = []
    if page > 1:
        turns.append(InlineKeyboardButton(text=t("books.button_first"), callback_data=data(0)))
    if page > 0:
        turns.append(
            InlineKeyboardButton(text=t("books.button_previous"), callback_data=data(page - 1))
        )
    if page < pages - 1:
        turns.append(
            InlineKeyboardButton(text=t("books.button_next"), callback_data=data(page + 1))
        )
    if page < pages - 2:
        turns.append(
            InlineKeyboardButton(text=t("books.button_last"), callback_data=data(pages - 1))
        )
    if turns:
        builder.row(*turns)
