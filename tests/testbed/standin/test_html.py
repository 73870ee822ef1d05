"""Telegram's HTML parse mode as the stand-in reads it: entities, offsets and refusals."""

from __future__ import annotations

import pytest

from testbed.standin.errors import ApiError
from testbed.standin.html_parse import EntityParseError, parse_html
from testbed.standin.validation import formatted_text


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("<b>a</b><strong>b</strong>", "ab", [("bold", 0, 1), ("bold", 1, 1)]),
        ("<i>a</i><em>b</em>", "ab", [("italic", 0, 1), ("italic", 1, 1)]),
        ("<u>a</u><ins>b</ins>", "ab", [("underline", 0, 1), ("underline", 1, 1)]),
        (
            "<s>a</s><strike>b</strike><del>c</del>",
            "abc",
            [("strikethrough", n, 1) for n in range(3)],
        ),
        (
            '<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>',
            "ab",
            [("spoiler", 0, 1), ("spoiler", 1, 1)],
        ),
        ("<code>x</code>", "x", [("code", 0, 1)]),
        ("<pre>x</pre>", "x", [("pre", 0, 1)]),
        ("<blockquote>q</blockquote>", "q", [("blockquote", 0, 1)]),
        ("<blockquote expandable>q</blockquote>", "q", [("expandable_blockquote", 0, 1)]),
        ("<b>a<i>b</i></b>", "ab", [("bold", 0, 2), ("italic", 1, 1)]),
        ("<b></b>x", "x", []),
        ("a > b", "a > b", []),
        ("&lt;&gt;&amp;&quot;&#1046;&#x416;&amp", '<>&"ЖЖ&', []),
    ],
)
def test_supported_markup(html: str, text: str, entities: list[tuple[str, int, int]]) -> None:
    parsed = parse_html(html)

    assert parsed.text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed.entities] == entities


def test_offsets_are_in_utf16_code_units() -> None:
    parsed = parse_html("😀 Ж <b>x</b>")

    assert parsed.entities == [{"type": "bold", "offset": 5, "length": 1}]


def test_links_languages_and_custom_emoji_keep_their_arguments() -> None:
    parsed = parse_html(
        '<a href="https://e.org/?a=1&amp;b=2">l</a>'
        '<pre><code class="language-python">p</code></pre>'
        '<code class="language-go">c</code>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )

    assert parsed.entities == [
        {"type": "text_link", "offset": 0, "length": 1, "url": "https://e.org/?a=1&b=2"},
        {"type": "pre", "offset": 1, "length": 1, "language": "python"},
        {"type": "code", "offset": 2, "length": 1},
        {
            "type": "custom_emoji",
            "offset": 3,
            "length": 2,
            "custom_emoji_id": "5368324170671202286",
        },
    ]


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("<a href", 'Unclosed start tag "a" at byte offset 0'),
        ('<a href="x"', "Unclosed start tag at byte offset 0"),
        ('<a ="x">y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
        (
            "<b x>y</b>",
            'Expected equal sign in declaration of an attribute of the tag "b" at byte offset 0',
        ),
        ("<a href=x/>y</a>", "Unexpected end of name token at byte offset 8"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ('<tg-emoji emoji-id="x">y</tg-emoji>', "Invalid custom emoji identifier specified"),
        ("ё<p>", 'Unsupported start tag "p" at byte offset 2'),
        ("a & b", 'Unsupported HTML entity "&" at byte offset 2'),
        ("&copy;", 'Unsupported HTML entity "&copy" at byte offset 0'),
        ("&#0;", 'Unsupported HTML entity "&#0" at byte offset 0'),
    ],
)
def test_broken_markup_is_refused_with_telegrams_words(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as refused:
        parse_html(html)

    assert str(refused.value) == error


def test_surrounding_whitespace_is_trimmed_and_entities_follow() -> None:
    formatted = formatted_text("\n  <b>Итог</b> \n", "HTML", None)

    assert formatted.text == "Итог"
    assert formatted.entities == [{"type": "bold", "offset": 0, "length": 4}]


def test_unknown_parse_mode_is_refused() -> None:
    with pytest.raises(ApiError) as refused:
        formatted_text("x", "BBCode", None)

    assert (refused.value.status, refused.value.description) == (
        400,
        "Bad Request: unsupported parse_mode",
    )


def test_explicit_entities_are_kept_as_given() -> None:
    entity = {"type": "bold", "offset": 0, "length": 2}

    formatted = formatted_text("<b>", "HTML", [entity])

    assert (formatted.text, formatted.entities) == ("<b>", [entity])
