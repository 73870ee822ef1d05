"""The main-menu reply keyboard: the same actions as the commands, one tap away."""

from __future__ import annotations

from aiogram import F
from aiogram.types import ReplyKeyboardMarkup
from aiogram.utils.keyboard import ReplyKeyboardBuilder

from handlers.common.filters import InLoop
from handlers.common.i18n import LANGUAGES, Translator, translator
from storage.users import Role

SEND, DISPATCHES, BALANCE, BOOKS, ALERTS, HELP, USERS, AUDIT = (
    "send", "dispatches", "balance", "books", "alerts", "help", "users", "audit",
)  # fmt: skip
RECURRING = "recurring"


def menu_label(t: Translator, item: str) -> str:
    return t(f"menu.{item}")


def menu_labels(item: str) -> frozenset[str]:
    """The button's label in every language."""
    return frozenset(menu_label(translator(language), item) for language in LANGUAGES)


def menu_button(item: str) -> InLoop:
    """Matches the button's label in every language, whatever the user's language now."""
    return InLoop(F.text.in_(menu_labels(item)))


ALL_LABELS = frozenset(
    menu_label(translator(language), item)
    for language in LANGUAGES
    for item in (SEND, DISPATCHES, BALANCE, BOOKS, ALERTS, HELP, USERS, AUDIT, RECURRING)
)
# A typed answer to a question: plain text that is neither a command nor a menu button
# (those go on to whoever handles them).
typed_text = InLoop(F.text & ~F.text.startswith("/") & ~F.text.in_(ALL_LABELS))


def main_menu(t: Translator, role: Role | None) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    items = [DISPATCHES, BALANCE, BOOKS, ALERTS, HELP]
    if role in (Role.ADMIN, Role.MANAGER):
        items[:0] = [SEND, RECURRING]
    if role is Role.ADMIN:
        items += [USERS, AUDIT]
    for item in items:
        builder.button(text=menu_label(t, item))
    builder.adjust(2)
    return builder.as_markup(resize_keyboard=True, is_persistent=True)
