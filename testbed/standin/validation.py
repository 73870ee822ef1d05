"""Telegram's limits on what a bot sends, with the 400 answers Telegram gives."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .html_parse import EntityParseError, FormattedText, parse_html, utf16_length

MESSAGE_TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_TEXT_LIMIT = 200
CALLBACK_DATA_BYTES = 64
KEYBOARD_BUTTON_LIMIT = 100
COMMAND_LIMIT = 100
COMMAND_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
COMMAND_DESCRIPTION_LIMIT = 256
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass
class ReplyMarkup:
    """A checked reply_markup: exactly one of its kinds is set."""

    inline_keyboard: list[list[dict[str, Any]]] | None = None
    keyboard: dict[str, Any] | None = None  # ReplyKeyboardMarkup as sent
    remove_keyboard: bool = False
    force_reply: bool = False


def formatted_text(
    text: Any,
    parse_mode: Any,
    entities: Any,
    *,
    limit: int = MESSAGE_TEXT_LIMIT,
    caption: bool = False,
) -> FormattedText:
    """Parse and check a message text (or a caption) as Telegram does."""
    source = "" if text is None else str(text)
    if entities is not None:
        if not isinstance(entities, list):
            raise bad_request("can't parse entities JSON object")
        formatted = FormattedText(source, [dict(entity) for entity in entities])
    else:
        formatted = _parse(source, parse_mode)
    formatted = _strip(formatted)
    if not formatted.text and not caption:
        raise bad_request("message text is empty")
    if utf16_length(formatted.text) > limit:  # Telegram counts UTF-16 code units
        raise bad_request("message caption is too long" if caption else "message is too long")
    return formatted


def _parse(source: str, parse_mode: Any) -> FormattedText:
    mode = str(parse_mode or "").lower()
    if mode == "html":
        try:
            return parse_html(source)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    if mode in ("", "markdown", "markdownv2"):
        # Markdown modes are taken as plain text: the project writes HTML
        return FormattedText(source)
    raise bad_request("unsupported parse_mode")


def _strip(formatted: FormattedText) -> FormattedText:
    """Telegram trims surrounding whitespace after parsing and moves entities with it."""
    text = formatted.text
    stripped = text.strip()
    if stripped == text:
        return formatted
    shift = utf16_length(text[: len(text) - len(text.lstrip())])
    total = utf16_length(stripped)
    entities = []
    for entity in formatted.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(stripped, entities)


def reply_markup(markup: Any) -> ReplyMarkup | None:
    """Check reply_markup as sent (already JSON-decoded)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = _rows(markup["inline_keyboard"])
        _check_button_count(rows)
        for row in rows:
            for button in row:
                _check_inline_button(button)
        return ReplyMarkup(inline_keyboard=rows or None)
    if "keyboard" in markup:
        rows = _rows(markup["keyboard"])
        _check_button_count(rows)
        for row in rows:
            for button in row:
                if not _reply_button_text(button):
                    raise bad_request("keyboard button text must be non-empty")
        return ReplyMarkup(keyboard=markup)
    if markup.get("remove_keyboard"):
        return ReplyMarkup(remove_keyboard=True)
    if markup.get("force_reply"):
        return ReplyMarkup(force_reply=True)
    raise bad_request("can't parse reply keyboard markup JSON object")


def _rows(value: Any) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return value


def _check_button_count(rows: list[list[Any]]) -> None:
    if sum(len(row) for row in rows) > KEYBOARD_BUTTON_LIMIT:
        raise bad_request("reply markup is too long")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(str(data).encode("utf-8"))
        if not isinstance(data, str) or not 1 <= size <= CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
        return
    if not any(action in button for action in INLINE_ACTIONS):
        raise bad_request("text buttons are unallowed in the inline keyboard")


def _reply_button_text(button: Any) -> str:
    if isinstance(button, str):
        return button
    if isinstance(button, dict) and isinstance(button.get("text"), str):
        return button["text"]
    return ""


def reply_button_texts(keyboard: dict[str, Any]) -> list[str]:
    return [_reply_button_text(button) for row in keyboard.get("keyboard", []) for button in row]


def reply_buttons(keyboard: dict[str, Any]) -> list[dict[str, Any]]:
    """The reply keyboard's buttons as objects (a bare string is a text button)."""
    return [
        button if isinstance(button, dict) else {"text": _reply_button_text(button)}
        for row in keyboard.get("keyboard", [])
        for button in row
    ]


def callback_answer_text(text: Any) -> str | None:
    if text is None:
        return None
    if len(str(text)) > CALLBACK_ANSWER_TEXT_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")
    return str(text)


def bot_commands(commands: Any) -> list[dict[str, str]]:
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > COMMAND_LIMIT:
        raise bad_request("too many commands")
    checked = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand")
        name = str(command.get("command", ""))
        description = str(command.get("description", ""))
        if not COMMAND_PATTERN.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= COMMAND_DESCRIPTION_LIMIT:
            raise bad_request("command description is empty or too long")
        checked.append({"command": name, "description": description})
    return checked


def chat_action(action: Any) -> str:
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return str(action)
