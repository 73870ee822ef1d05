"""What counts as typed input at a step: plain text that is neither a command nor the
label of a main-menu button (those are answered with the step's hint instead)."""

from __future__ import annotations

from aiogram import F

from bot.i18n import LANGUAGES, translator
from handlers import menu

MENU_ITEMS = (
    menu.SEND, menu.DISPATCHES, menu.BALANCE, menu.BOOKS, menu.ALERTS, menu.HELP,
    menu.USERS, menu.AUDIT,
)  # fmt: skip

MENU_LABELS = frozenset(
    menu.menu_label(translator(language), item) for language in LANGUAGES for item in MENU_ITEMS
)

TYPED_INPUT = F.text & ~F.text.startswith("/") & ~F.text.in_(MENU_LABELS)
