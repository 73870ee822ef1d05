"""Tap-to-answer: from the update being queued in the stand-in to the bot's reply call
arriving there, the SMS API answering at once.

- ``/balance``: update -> the ``sendMessage`` with the balance (the echo bot: the echo).
- A tap in the send conversation (the address book on step 1): update -> the
  ``answerCallbackQuery`` (answered first), and update -> the first message after it
  (the wizard edited to step 2). The echo bot answers the query, then sends a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.conversation import TEXTS, prompt_holding
from bench.rig import Rig
from testbed.standin import RecordedCall, SimUser

USER_ID = 2000
WAIT = 15.0


@dataclass
class TapLatency:
    balance: list[float] = field(default_factory=list)  # seconds
    tap_answer: list[float] = field(default_factory=list)
    tap_message: list[float] = field(default_factory=list)


def _first_call(rig: Rig, since: int, method: str, **params: object) -> RecordedCall:
    """The first call since ``since`` of ``method`` (or of any in "a|b") with ``params``."""
    methods = {name.lower() for name in method.split("|")}
    for call in rig.standin.calls[since:]:
        if call.method.lower() in methods and all(
            str(call.params.get(key)) == str(value) for key, value in params.items()
        ):
            return call
    raise LookupError(f"no {method} call with {params}")


async def measure(rig: Rig, balance_samples: int, tap_samples: int, warmup: int = 5) -> TapLatency:
    """``warmup`` rounds of each go first, unrecorded (first-use imports and caches)."""
    if warmup:
        await measure(rig, warmup, warmup, warmup=0)
    user = rig.standin.user(USER_ID, first_name="Max", language_code="en")
    result = TapLatency()
    queued_at = rig.standin.state.updates.queued_at
    for _ in range(balance_samples):
        since = len(rig.standin.calls)
        await user.send_text("/balance")
        update_id = rig.standin.state.updates.last_update_id
        assert update_id is not None
        await user.wait_for_reply(timeout=WAIT)
        call = _first_call(rig, since, "sendMessage", chat_id=user.chat_id)
        result.balance.append(call.time - queued_at[update_id])
    tap = _book_tap if rig.kind == "bot" else _echo_tap
    for _ in range(tap_samples):
        answered, messaged = await tap(rig, user)
        result.tap_answer.append(answered)
        result.tap_message.append(messaged)
    return result


async def _timed_tap(rig: Rig, user: SimUser, update: dict, since: int) -> tuple[float, float]:
    started = rig.standin.state.updates.queued_at[update["update_id"]]
    query_id = update["callback_query"]["id"]
    await user.wait_for_callback_answer(query_id, timeout=WAIT)
    await user.wait_for_reply(timeout=WAIT)
    answered = _first_call(rig, since, "answerCallbackQuery", callback_query_id=query_id)
    # The bot edits its wizard message in place; the echo bot sends a new one.
    messaged = _first_call(rig, since, "sendMessage|editMessageText", chat_id=user.chat_id)
    return answered.time - started, messaged.time - started


async def _book_tap(rig: Rig, user: SimUser) -> tuple[float, float]:
    """/send, then the timed tap on book "name1", then /cancel (untimed)."""
    texts = TEXTS["en"]
    await user.send_text("/send")
    prompt = await user.wait_for_reply(prompt_holding(texts.recipients), WAIT)
    since = len(rig.standin.calls)
    update = await user.tap("name1", prompt)
    timed = await _timed_tap(rig, user, update, since)
    await user.wait_for_reply(prompt_holding(texts.text_prompt), WAIT)
    await user.send_text("/cancel")
    await user.wait_for_reply(timeout=WAIT)
    return timed


async def _echo_tap(rig: Rig, user: SimUser) -> tuple[float, float]:
    await user.send_text("hello")
    echoed = await user.wait_for_reply(timeout=WAIT)
    since = len(rig.standin.calls)
    update = await user.send_callback("sb:1:book", echoed)
    return await _timed_tap(rig, user, update, since)
