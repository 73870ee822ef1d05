"""The set-up wizard's steps, and what it keeps between them in the FSM data.

A set-up is a plain dict under one key (:data:`SETUP`): the recipients (a book, typed
numbers, or the send draft they came from), the text, the rule's parts, the period and
the wizard message. It serves a new schedule and the change of one part of an existing
one (``edit``: its id, ``part``: which part).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, time
from typing import Any
from uuid import uuid4

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup

from core.recurring.rules import Kind, Rule
from handlers.recurring.callbacks import SETUP_TOKEN_LENGTH
from storage import Schedule

SETUP = "recurring_setup"
KINDS = tuple(Kind)  # a kind button carries its index here


class RecurringForm(StatesGroup):
    recipients = State()
    text = State()
    kind = State()
    weekdays = State()
    month_day = State()
    time = State()
    period = State()
    summary = State()


class Part:
    """Which part of an existing schedule a set-up changes."""

    TEXT = "text"
    TIME = "time"
    RULE = "rule"
    PERIOD = "period"


@dataclass(frozen=True)
class Setup:
    key: str = field(default_factory=lambda: uuid4().hex[:12])
    edit: int = 0  # the schedule being changed; 0: a new one
    part: str = ""  # with ``edit``: the one part being changed
    book_id: int | None = None
    book_name: str | None = None
    phones: tuple[str, ...] = ()
    source_draft: str | None = None  # the send draft the recipients and text came from
    numbers: int = 0  # how many valid numbers the recipients have (typed, or the draft's)
    text: str = ""
    kind: str | None = None
    weekdays: int = 0  # bit 0 = Monday
    month_day: int | None = None
    at_minute: int | None = None
    starts_on: str | None = None  # ISO dates
    ends_on: str | None = None
    send_late: bool = False
    prompt_id: int | None = None
    to_summary: bool = False  # a step opened from the summary goes back to it

    @property
    def token(self) -> str:
        return self.key[:SETUP_TOKEN_LENGTH]

    @property
    def has_recipients(self) -> bool:
        return self.book_id is not None or bool(self.phones) or self.source_draft is not None

    def but(self, **changes: Any) -> Setup:
        return replace(self, **changes)

    def rule(self) -> Rule:
        """The rule chosen so far (RuleRefused while a part is missing or wrong)."""
        assert self.kind is not None and self.at_minute is not None
        return Rule(
            kind=Kind(self.kind),
            at=time(self.at_minute // 60, self.at_minute % 60),
            weekdays=frozenset(day for day in range(7) if self.weekdays >> day & 1),
            month_day=self.month_day,
            starts_on=date.fromisoformat(self.starts_on) if self.starts_on else None,
            ends_on=date.fromisoformat(self.ends_on) if self.ends_on else None,
        )

    def with_rule(self, rule: Rule) -> Setup:
        stored = rule.stored()
        return self.but(
            kind=stored.kind,
            weekdays=stored.weekdays,
            month_day=stored.month_day,
            at_minute=stored.at_minute,
            starts_on=stored.starts_on.isoformat() if stored.starts_on else None,
            ends_on=stored.ends_on.isoformat() if stored.ends_on else None,
        )

    @classmethod
    def editing(cls, schedule: Schedule, part: str) -> Setup:
        setup = cls(
            edit=schedule.id,
            part=part,
            book_id=schedule.book_id,
            book_name=schedule.book_name,
            phones=tuple(schedule.phones),
            numbers=len(schedule.phones),
            text=schedule.text,
            send_late=schedule.send_late,
        )
        return setup.with_rule(Rule.from_stored(schedule.rule))


async def load_setup(state: FSMContext) -> Setup | None:
    raw = (await state.get_data()).get(SETUP)
    if not isinstance(raw, dict):
        return None
    raw = dict(raw)
    raw["phones"] = tuple(raw.get("phones") or ())
    try:
        return Setup(**raw)
    except TypeError:  # kept by an older version of the bot
        return None


async def save_setup(state: FSMContext, setup: Setup) -> None:
    data = asdict(setup)
    data["phones"] = list(setup.phones)
    await state.update_data({SETUP: data})


async def forget_setup(state: FSMContext) -> None:
    data = await state.get_data()
    if SETUP in data:
        await state.set_data({key: value for key, value in data.items() if key != SETUP})
    if await state.get_state() in RecurringForm.__all_states_names__:
        await state.set_state(None)
