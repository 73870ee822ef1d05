import re
import string

import pytest

from handlers.common.i18n import LANGUAGES, load_catalog, pick_language, plural_form, translator

FIELD = string.Formatter()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in FIELD.parse(text) if name}


def _texts(value: object) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]  # type: ignore[list-item]


def test_every_language_has_every_key() -> None:
    keys = {language: set(load_catalog(language)) for language in LANGUAGES}
    reference = keys["ru"]
    for language, found in keys.items():
        assert found == reference, (
            f"{language}: missing {sorted(reference - found)}, extra {sorted(found - reference)}"
        )


def test_placeholders_agree_between_languages() -> None:
    ru, en = load_catalog("ru"), load_catalog("en")
    for key, value in ru.items():
        ru_fields = set().union(*(_fields(text) for text in _texts(value)))
        en_fields = set().union(*(_fields(text) for text in _texts(en[key])))
        assert ru_fields == en_fields, key


@pytest.mark.parametrize("language", LANGUAGES)
def test_texts_are_valid_telegram_html(language: str) -> None:
    allowed = {"b", "i", "u", "s", "code", "pre", "blockquote", "a", "tg-spoiler"}
    for key, value in load_catalog(language).items():
        if key.startswith("commands."):  # command descriptions are plain text, not HTML
            continue
        for text in _texts(value):
            for tag in re.findall(r"</?([a-zA-Z-]+)[^>]*>", text):
                assert tag in allowed, f"{language}:{key} uses <{tag}>"
            stripped = re.sub(r"</?[a-zA-Z-]+[^>]*>", "", text)
            assert "<" not in stripped and ">" not in stripped, f"{language}:{key}"
            assert not re.search(r"&(?!lt;|gt;|amp;|quot;|#\d+;)", stripped), f"{language}:{key}"


def test_russian_plural_forms() -> None:
    forms = {n: plural_form("ru", n) for n in (1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111)}
    assert forms == {
        1: "one", 2: "few", 4: "few", 5: "many", 11: "many", 12: "many", 14: "many",
        21: "one", 22: "few", 25: "many", 101: "one", 111: "many",
    }  # fmt: skip
    assert plural_form("en", 1) == "one" and plural_form("en", 2) == "other"


def test_language_choice_beats_telegram_and_russian_is_default() -> None:
    assert pick_language(None, "en-US") == "en"
    assert pick_language(None, "uk") == "ru"
    assert pick_language(None, None) == "ru"
    assert pick_language("ru", "en") == "ru"
    assert pick_language("en", "ru") == "en"


def test_translator_formats_placeholders() -> None:
    assert "42" in translator("en")("card.title", id=42)
