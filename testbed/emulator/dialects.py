"""Dialects: the ways the operator's real server plausibly departs from the v2.8.1 reference.

The real service is a Spring application nobody here has seen, and its reference contradicts
itself. Each dialect makes the emulator answer as one such server would; none is on by
default, and any of them combine. They change what ``/sms-api/...`` answers (and add
``/login``); the control API under ``/_emulator/...`` keeps its own shapes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

DIALECTS: dict[str, str] = {}  # name -> what real-server behaviour it stands for


def _dialect(name: str, meaning: str) -> str:
    DIALECTS[name] = meaning
    return name


SECONDS_EVERYWHERE = _dialect(
    "seconds_everywhere",
    "the credit limit's dates carry a time, dd.MM.yyyy HH:mm:ss, as the general rule says",
)
MINUTES_ONLY = _dialect(
    "minutes_only",
    "a dispatch's dateSend and dateToClose are written dd.MM.yyyy HH:mm, without seconds",
)
EMPTY_OBJECTS = _dialect(
    "empty_objects", "an absent credit limit is {} (the rule for empty objects), not null"
)
STRINGS_FOR_NUMBERS = _dialect(
    "strings_for_numbers",
    'every number is a JSON string: money "42.00", ids, counts, the create\'s answer',
)
CREATE_NO_BODY = _dialect(
    "create_no_body", "a successful create answers 200 with no body, as the reference's table says"
)
LOGIN_REDIRECT = _dialect(
    "login_redirect",
    "a bad token or a blocked user gets Spring Security's 302 to its /login form",
)
SPRING_ERRORS = _dialect(
    "spring_errors",
    "refusals carry Spring Boot's {timestamp, status, error, path}, not {code, message}",
)
EXTRA_FIELDS = _dialect(
    "extra_fields", "every object carries fields the reference does not list (version, _links...)"
)
UNKNOWN_STATUS = _dialect(
    "unknown_status", "a dispatch being tariffed reports MODERATION, a status the reference lacks"
)
NULLS = _dialect(
    "nulls",
    "web-made dispatches' comment/text/source and queued counts are null; no null comments",
)
ODD_CONTACTS = _dialect(
    "odd_contacts",
    'every contacts list also has rows whose phone is null, a number and "n/a"',
)


def check_dialects(names: Iterable[str]) -> frozenset[str]:
    """``names`` as a frozenset; ValueError naming the known dialects if one is unknown."""
    if isinstance(names, str | bytes):
        raise ValueError(f"dialects must be a list of names, not the string {names!r}")
    chosen = list(names)
    for name in chosen:
        if not isinstance(name, str):
            raise ValueError(f"a dialect's name must be a string, not {name!r}")
    unknown = sorted(set(chosen) - DIALECTS.keys())
    if unknown:
        raise ValueError(
            f"unknown dialect {', '.join(map(repr, unknown))}; known: {', '.join(sorted(DIALECTS))}"
        )
    return frozenset(chosen)


def describe_dialects() -> str:
    """One line per dialect, name and meaning, for ``--help``."""
    width = max(map(len, DIALECTS)) + 4
    return "\n".join(
        textwrap.fill(
            meaning, 79, initial_indent=f"  {name:<{width - 2}}", subsequent_indent=" " * width
        )
        for name, meaning in DIALECTS.items()
    )
