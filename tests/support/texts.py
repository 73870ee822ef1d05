"""Locale texts as a chat shows them."""

from __future__ import annotations

import html
import re


def plain(html_text: str) -> str:
    """A locale text as the user sees it: tags gone, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


CUT = "\x00"  # a placeholder value where head() stops


def head(html_text: str) -> str:
    """The first line of a locale text, as shown, up to the first CUT: enough to
    recognise the message whatever the values filled in after it."""
    return plain(html_text).split("\n")[0].split(CUT)[0].strip()
