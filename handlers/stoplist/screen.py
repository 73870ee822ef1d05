"""What the stop list's screen shows: how many numbers, a page of them, and the buttons;
what adding or removing came to; the file it is exported as."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.phones import PhoneList
from handlers.admin.settings.callbacks import SettingsAction, SettingsCallback
from handlers.common.formatting import esc
from handlers.common.i18n import Translator
from handlers.common.paging import page_count
from handlers.send.render import phones_note
from handlers.stoplist.callbacks import StopListAction, StopListCallback

PER_PAGE = 30


def screen_text(t: Translator, total: int, phones: Sequence[str], page: int) -> str:
    lines = [t.plural("stoplist.title", total), t("stoplist.rule")]
    if not total:
        lines += ["", t("stoplist.empty")]
        return "\n".join(lines)
    lines += ["", t("stoplist.page", page=page + 1, pages=page_count(total, PER_PAGE))]
    lines += [f"<code>+{esc(phone)}</code>" for phone in phones]
    return "\n".join(lines)


def screen_keyboard(t: Translator, total: int, page: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()

    def add(text: str, action: StopListAction, to_page: int = 0) -> None:
        builder.button(text=text, callback_data=StopListCallback(action=action, page=to_page))

    add(t("stoplist.button_add"), StopListAction.ADD)
    sizes = [1]
    if total:
        add(t("stoplist.button_remove"), StopListAction.REMOVE)
        sizes = [2]
    pages = page_count(total, PER_PAGE)
    turns = 0
    if page > 0:
        add("◀️", StopListAction.SHOW, page - 1)
        turns += 1
    if page < pages - 1:
        add("▶️", StopListAction.SHOW, page + 1)
        turns += 1
    if turns:
        sizes.append(turns)
    if total:
        add(t("stoplist.button_export"), StopListAction.EXPORT)
        sizes.append(1)
    builder.button(
        text=t("stoplist.button_settings"),
        callback_data=SettingsCallback(action=SettingsAction.SHOW),
    )
    builder.adjust(*sizes, 1)
    return builder.as_markup()


def question_keyboard(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("stoplist.button_cancel"),
        callback_data=StopListCallback(action=StopListAction.CANCEL),
    )
    return builder.as_markup()


def added_text(t: Translator, phones: PhoneList, added: int) -> str:
    lines = [t("stoplist.added", added=added, already=len(phones.valid) - added)]
    return _with_left_out(t, lines, phones)


def removed_text(t: Translator, phones: PhoneList, removed: int) -> str:
    lines = [t("stoplist.removed", removed=removed, absent=len(phones.valid) - removed)]
    return _with_left_out(t, lines, phones)


def _with_left_out(t: Translator, lines: list[str], phones: PhoneList) -> str:
    note = phones_note(t, phones)
    return "\n".join([*lines, note] if note else lines)


def export_file(phones: Sequence[str]) -> bytes:
    """One number a line, as a file of numbers is read back (to a book, or to the list)."""
    return "".join(f"{phone}\n" for phone in phones).encode()
