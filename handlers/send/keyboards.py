"""Inline keyboards of the send conversation (the calendar's are in calendar.py).

Every step has Back (but the first) and Cancel; labels stay short, for a narrow phone.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup

from core.sms import AddressBook
from handlers.common.formatting import shorten
from handlers.common.i18n import Translator
from handlers.common.keyboard import InlineKeyboardBuilder
from handlers.send.callbacks import ConfirmCallback, SendAction, SendCallback
from storage import Template

BOOKS_PAGE_SIZE = 8
TEMPLATES_PAGE_SIZE = 8
BUTTON_TEXT = 48


def _button(
    builder: InlineKeyboardBuilder, text: str, action: SendAction, token: str, value: int = 0
) -> None:
    builder.button(text=text, callback_data=SendCallback(action=action, draft=token, value=value))


def _pager_row(
    builder: InlineKeyboardBuilder, action: SendAction, token: str, page: int, pages: int
) -> int:
    """◀️ ▶️ under a paged list; returns how many buttons it added."""
    added = 0
    if page > 0:
        _button(builder, "◀️", action, token, page - 1)
        added += 1
    if page < pages - 1:
        _button(builder, "▶️", action, token, page + 1)
        added += 1
    return added


def _back_and_cancel(builder: InlineKeyboardBuilder, t: Translator, token: str) -> None:
    _button(builder, t("send.button_back"), SendAction.STEP_BACK, token)
    _button(builder, t("send.button_cancel"), SendAction.CANCEL, token)


def pages_of(count: int, size: int) -> int:
    return max((count + size - 1) // size, 1)


def books_keyboard(
    t: Translator, token: str, books: Sequence[AddressBook] | None, page: int
) -> InlineKeyboardMarkup:
    """``books`` in the order to show (recently used first); None when they could not be
    fetched, and a retry button stands in their place."""
    builder = InlineKeyboardBuilder()
    rows: list[int] = []
    if books is None:
        _button(builder, t("send.button_retry_books"), SendAction.BOOKS_PAGE, token, 0)
        rows.append(1)
    else:
        pages = pages_of(len(books), BOOKS_PAGE_SIZE)
        page = min(max(page, 0), pages - 1)
        shown = books[page * BOOKS_PAGE_SIZE : (page + 1) * BOOKS_PAGE_SIZE]
        for book in shown:
            name = shorten(book.name, BUTTON_TEXT) or f"#{book.id}"
            _button(builder, name, SendAction.BOOK, token, book.id)
        rows += [2] * (len(shown) // 2) + [1] * (len(shown) % 2)
        pager = _pager_row(builder, SendAction.BOOKS_PAGE, token, page, pages)
        if pager:
            rows.append(pager)
    _button(builder, t("send.button_cancel"), SendAction.CANCEL, token)
    builder.adjust(*rows, 1)
    return builder.as_markup()


def text_keyboard(t: Translator, token: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _button(builder, t("send.button_templates"), SendAction.TEMPLATES, token, 0)
    _back_and_cancel(builder, t, token)
    builder.adjust(1, 2)
    return builder.as_markup()


def paste_keyboard(t: Translator, token: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _button(builder, t("send.button_paste_yes"), SendAction.PASTE_YES, token)
    _button(builder, t("send.button_paste_no"), SendAction.PASTE_NO, token)
    builder.adjust(1)
    return builder.as_markup()


def templates_keyboard(
    t: Translator, token: str, templates: Sequence[Template], page: int, pages: int
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for template in templates:
        name = shorten(template.name, BUTTON_TEXT) or f"#{template.id}"
        _button(builder, f"📄 {name}", SendAction.TEMPLATE, token, template.id)
    rows = [1] * len(templates)
    pager = _pager_row(builder, SendAction.TEMPLATES, token, page, pages)
    if pager:
        rows.append(pager)
    _button(builder, t("send.button_back"), SendAction.TEXT_BACK, token)
    builder.adjust(*rows, 1)
    return builder.as_markup()


def time_keyboard(t: Translator, token: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _button(builder, t("send.button_now"), SendAction.NOW, token)
    _button(builder, t("send.button_in_hour"), SendAction.IN_HOUR, token)
    _button(builder, t("send.button_tomorrow"), SendAction.TOMORROW, token)
    _button(builder, t("send.button_calendar"), SendAction.CALENDAR, token)
    _back_and_cancel(builder, t, token)
    builder.adjust(2, 2, 2)
    return builder.as_markup()


def summary_keyboard(
    t: Translator,
    draft_id: str,
    token: str,
    *,
    scheduled: bool,
    again: bool = False,
    test_key: int | None = None,
) -> InlineKeyboardMarkup:
    """``again``: the same send went out minutes ago; Confirm says it is a second one.
    ``test_key``: the key of this summary's "test to me" (handlers/send/to_myself.py)."""
    builder = InlineKeyboardBuilder()
    if again:
        confirm = t("send.button_confirm_again")
    else:
        confirm = t("send.button_confirm_later" if scheduled else "send.button_confirm")
    builder.button(text=confirm, callback_data=ConfirmCallback(draft_id=draft_id, again=again))
    _button(builder, t("send.button_edit"), SendAction.EDIT, token)
    _button(builder, t("send.button_save_template"), SendAction.SAVE_TEMPLATE, token)
    _button(builder, t("send.button_repeat_on_schedule"), SendAction.REPEAT_ON_SCHEDULE, token)
    if test_key is not None:
        _button(builder, t("send.button_test_to_me"), SendAction.TEST_TO_ME, token, test_key)
    _button(builder, t("send.button_cancel"), SendAction.CANCEL, token)
    builder.adjust(1, 2, 1, 2 if test_key is not None else 1)  # short labels share a row
    return builder.as_markup()


def edit_keyboard(t: Translator, token: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _button(builder, t("send.button_edit_recipients"), SendAction.EDIT_RECIPIENTS, token)
    _button(builder, t("send.button_edit_text"), SendAction.EDIT_TEXT, token)
    _button(builder, t("send.button_edit_time"), SendAction.EDIT_TIME, token)
    _button(builder, t("send.button_back"), SendAction.SUMMARY_BACK, token)
    builder.adjust(3, 1)
    return builder.as_markup()


def resume_keyboard(t: Translator, token: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _button(builder, t("send.button_resume"), SendAction.RESUME, token)
    _button(builder, t("send.button_discard"), SendAction.DISCARD, token)
    builder.adjust(2)
    return builder.as_markup()
