"""Telegram's HTML parse mode: plain text plus entities, or the error Telegram gives.

The scanner follows the Bot API server's own parser (tdlib's `parse_html`): the same
tags, the same attribute rules and the same error texts with byte offsets. One
deliberate difference: a bare `&` that starts no entity is refused, as the Bot API
documentation demands, where the server would let it through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's own wording."""


@dataclass
class FormattedText:
    """Text as the user sees it, with entities in UTF-16 code units."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    utf16_offset: int
    text_offset: int
    byte_offset: int


def utf16_length(text: str) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def parse_html(source: str) -> FormattedText:
    return _HtmlScanner(source).run()


class _HtmlScanner:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.out_len = 0
        self.utf16 = 0
        self.open_tags: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def run(self) -> FormattedText:
        while self.pos < len(self.src):
            char = self.src[self.pos]
            if char == "&":
                self._emit(self._entity_at(self.pos, in_text=True))
            elif char == "<":
                if self._peek(1) == "/":
                    self._end_tag()
                else:
                    self._start_tag()
            else:
                self._emit(char)
                self.pos += 1
        if self.open_tags:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.open_tags[-1].name}"'
            )
        for entity in self.entities:
            if entity["type"] == "code":
                # a language only survives on a <pre>; on a lone <code> Telegram drops it
                entity.pop("language", None)
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return FormattedText("".join(self.out), self.entities)

    # -- helpers -----------------------------------------------------------

    def _peek(self, ahead: int = 0) -> str:
        index = self.pos + ahead
        return self.src[index] if index < len(self.src) else ""

    def _byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8"))

    def _emit(self, chars: str) -> None:
        self.out.append(chars)
        self.out_len += len(chars)
        self.utf16 += utf16_length(chars)

    def _skip_spaces(self) -> None:
        while self._peek().isspace():
            self.pos += 1

    def _entity_at(self, start: int, *, in_text: bool) -> str:
        """Decode the reference at `start` and move past it; a bare `&` stays as is."""
        decoded, end = _decode_reference(self.src, start)
        if decoded is None:
            if in_text:
                snippet = self.src[start : max(end, start + 1)]
                raise EntityParseError(
                    f'Unsupported HTML entity "{snippet}" at byte offset {self._byte_offset(start)}'
                )
            self.pos = start + 1
            return "&"
        if 0xD800 <= ord(decoded) <= 0xDFFF:
            raise EntityParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        self.pos = end
        return decoded

    # -- tags --------------------------------------------------------------

    def _start_tag(self) -> None:
        begin = self.pos
        begin_bytes = self._byte_offset(begin)
        self.pos += 1
        while self.pos < len(self.src) and not self._peek().isspace() and self._peek() != ">":
            self.pos += 1
        if self.pos >= len(self.src):
            raise EntityParseError(f"Unclosed start tag at byte offset {begin_bytes}")
        name = self.src[begin + 1 : self.pos].lower()
        if name not in ENTITY_TYPES:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {begin_bytes}')
        attributes = self._attributes(name, begin_bytes)
        self.pos += 1  # the closing '>'
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin_bytes}'
            )
        self.open_tags.append(_OpenTag(name, attributes, self.utf16, self.out_len, begin_bytes))

    def _attributes(self, tag: str, begin_bytes: int) -> dict[str, str]:
        attributes: dict[str, str] = {}
        while self._peek() != ">":
            self._skip_spaces()
            if self._peek() == ">":
                break
            if self._peek() == "":
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin_bytes}')
            name_start = self.pos
            while self._peek() and not self._peek().isspace() and self._peek() not in "=>":
                self.pos += 1
            name = self.src[name_start : self.pos].lower()
            if not name:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {begin_bytes}'
                )
            self._skip_spaces()
            if self._peek() != "=":
                if tag == "blockquote" and name == "expandable":
                    attributes[name] = ""
                    continue
                if self._peek() == "":
                    raise EntityParseError(
                        f'Unclosed start tag "{tag}" at byte offset {begin_bytes}'
                    )
                raise EntityParseError(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {begin_bytes}'
                )
            self.pos += 1
            self._skip_spaces()
            if self._peek() == "":
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin_bytes}')
            attributes[name] = self._attribute_value(begin_bytes)
            if self._peek() == "":
                raise EntityParseError(f"Unclosed start tag at byte offset {begin_bytes}")
        return attributes

    def _attribute_value(self, begin_bytes: int) -> str:
        quote = self._peek()
        if quote not in ("'", '"'):
            token_start = self.pos
            while self._peek() and (self._peek().isalnum() or self._peek() in ".-"):
                self.pos += 1
            if not self._peek().isspace() and self._peek() != ">":
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {self._byte_offset(token_start)}"
                )
            return self.src[token_start : self.pos].lower()
        self.pos += 1
        value: list[str] = []
        while self._peek() and self._peek() != quote:
            if self._peek() == "&":
                value.append(self._entity_at(self.pos, in_text=False))
            else:
                value.append(self._peek())
                self.pos += 1
        if self._peek() == "":
            raise EntityParseError(f"Unclosed start tag at byte offset {begin_bytes}")
        self.pos += 1
        return "".join(value)

    def _end_tag(self) -> None:
        begin = self.pos
        begin_bytes = self._byte_offset(begin)
        if not self.open_tags:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin_bytes}")
        self.pos += 2
        while self._peek() and not self._peek().isspace() and self._peek() != ">":
            self.pos += 1
        name = self.src[begin + 2 : self.pos]
        self._skip_spaces()
        if self._peek() != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {begin_bytes}")
        self.pos += 1
        opened = self.open_tags.pop()
        if name and name != opened.name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin_bytes}, expected "</{opened.name}>", '
                f'found "</{name}>"'
            )
        if self.utf16 > opened.utf16_offset:
            self._add_entity(opened)

    def _add_entity(self, opened: _OpenTag) -> None:
        offset, length = opened.utf16_offset, self.utf16 - opened.utf16_offset
        entity: dict[str, Any] = {"type": ENTITY_TYPES[opened.name], "offset": offset}
        entity["length"] = length
        if opened.name == "a":
            url = opened.attributes.get("href") or "".join(self.out)[opened.text_offset :]
            if not url.strip():
                return  # Telegram keeps the text and drops a link without a target
            entity["url"] = url
        elif opened.name == "tg-emoji":
            emoji_id = opened.attributes.get("emoji-id", "")
            if not emoji_id.isdigit() or int(emoji_id) == 0:
                raise EntityParseError("Invalid custom emoji identifier specified")
            entity["custom_emoji_id"] = emoji_id
        elif opened.name == "blockquote" and "expandable" in opened.attributes:
            entity["type"] = "expandable_blockquote"
        elif opened.name == "code":
            language = opened.attributes.get("class", "")
            previous = self.entities[-1] if self.entities else None
            if language.startswith("language-") and _same_span(previous, "pre", offset, length):
                previous["language"] = language.removeprefix("language-")
                return
            if language.startswith("language-"):
                entity["language"] = language.removeprefix("language-")
        elif opened.name == "pre":
            previous = self.entities[-1] if self.entities else None
            if _same_span(previous, "code", offset, length) and "language" in previous:
                previous["type"] = "pre"
                return
        self.entities.append(entity)


def _same_span(entity: dict[str, Any] | None, kind: str, offset: int, length: int) -> bool:
    return (
        entity is not None
        and entity["type"] == kind
        and entity["offset"] == offset
        and entity["length"] == length
    )


def _decode_reference(text: str, start: int) -> tuple[str | None, int]:
    """Decode `&...` at `start`: (character or None, index just past the reference)."""
    end = start + 1
    if end < len(text) and text[end] == "#":
        end += 1
        hexadecimal = end < len(text) and text[end] == "x"
        if hexadecimal:
            end += 1
        digits_start = end
        allowed = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while end < len(text) and text[end] in allowed:
            end += 1
        digits = text[digits_start:end]
        value = int(digits, 16 if hexadecimal else 10) if digits else 0
        if value == 0 or value >= 0x10FFFF or end - start >= 10:
            return None, end
        decoded = chr(value)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        named = NAMED_ENTITIES.get(text[start + 1 : end])
        if named is None:
            return None, end
        decoded = named
    if end < len(text) and text[end] == ";":
        end += 1
    return decoded, end
