"""User-facing text, looked up by key in the locale files.

Each language is a folder of TOML files under ``locales/`` (one file per feature, so
features do not edit one shared file). A key is ``file.name`` plus the key inside, e.g.
``send.ask_text``. A plural entry is a table with ``one``/``few``/``many`` (Russian) or
``one``/``other`` (English) and is read with :meth:`Translator.plural`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any

from storage import User

DEFAULT_LANGUAGE = "ru"
LANGUAGES = ("ru", "en")

Catalog = Mapping[str, str | Mapping[str, str]]


def _flatten(prefix: str, table: Mapping[str, Any], into: dict[str, Any]) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(value, Mapping) and not _is_plural(value):
            _flatten(key, value, into)
        else:
            into[key] = value


def _is_plural(value: Mapping[str, Any]) -> bool:
    return "one" in value and ("other" in value or "many" in value)


@cache
def load_catalog(language: str) -> Catalog:
    catalog: dict[str, Any] = {}
    folder = resources.files("locales") / language
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".toml"):
            table = tomllib.loads(entry.read_text(encoding="utf-8"))
            _flatten(entry.name.removesuffix(".toml"), table, catalog)
    return catalog


def plural_form(language: str, count: int) -> str:
    if language != "ru":
        return "one" if count == 1 else "other"
    tail, tens = abs(count) % 10, abs(count) % 100
    if tail == 1 and tens != 11:
        return "one"
    if 2 <= tail <= 4 and not 12 <= tens <= 14:
        return "few"
    return "many"


def pick_language(chosen: str | None, telegram_code: str | None) -> str:
    """The user's own choice first, then Telegram's language; Russian for everyone else."""
    if chosen in LANGUAGES:
        return chosen
    if telegram_code and telegram_code.split("-")[0].lower() == "en":
        return "en"
    return DEFAULT_LANGUAGE


class Translator:
    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._catalog = load_catalog(self.language)

    def __call__(self, key: str, /, **values: object) -> str:
        text = self._catalog[key]
        if not isinstance(text, str):
            raise KeyError(f"{key} is a plural entry; use plural()")
        return text.format(**values) if values else text

    def plural(self, key: str, count: int, /, **values: object) -> str:
        forms = self._catalog[key]
        if isinstance(forms, str):
            return forms.format(n=count, **values)
        form = plural_form(self.language, count)
        text = forms.get(form) or forms.get("other") or forms["many"]
        return text.format(n=count, **values)

    def has(self, key: str) -> bool:
        return key in self._catalog

    def money(self, amount: Decimal | None) -> str:
        """Roubles the way people write them: ``1 234,50 ₽`` in Russian, ``₽1,234.50``
        in English; a dash when unknown."""
        if amount is None:
            return "—"
        cents = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        sign = "-" if cents < 0 else ""
        whole, _, fraction = f"{abs(cents):f}".partition(".")
        if self.language == "ru":
            grouped = f"{int(whole):,}".replace(",", "\u00a0")
            return f"{sign}{grouped},{fraction}\u00a0₽"
        return f"{sign}₽{int(whole):,}.{fraction}"

    def number(self, count: int) -> str:
        """A whole number the way people write it: ``1 234`` in Russian, ``1,234`` in English."""
        grouped = f"{count:,}"
        return grouped.replace(",", "\u00a0") if self.language == "ru" else grouped

    def percent(self, value: Decimal | None) -> str:
        """One decimal place: ``95,8 %`` in Russian, ``95.8%`` in English; a dash when unknown."""
        if value is None:
            return "—"
        rounded = f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}"
        if self.language == "ru":
            return rounded.replace(".", ",") + "\u00a0%"
        return rounded + "%"


@cache
def translator(language: str) -> Translator:
    return Translator(language)


def user_translator(profile: User | None) -> Translator:
    """The translator for a stored user: their own choice, else their Telegram language."""
    if profile is None:
        return translator(DEFAULT_LANGUAGE)
    return translator(pick_language(profile.language, profile.telegram_language))
