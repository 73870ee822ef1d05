"""The same text to the same recipients minutes after: the summary says so, with the
earlier dispatch's number, and only an explicit "Send again" makes a second one."""

from __future__ import annotations

from storage import Role
from testbed.standin import SimUser
from tests.support.harness import BotUnderTest
from tests.support.send import (
    RU,
    card_head,
    confirm,
    creates,
    reply_with,
    summary_for_book,
)
from tests.support.texts import CUT, head

TEXT = "Скидки до пятницы"


def warning_head() -> str:
    return head(RU("send.repeat_sent", ago=CUT, id=CUT))


async def send_once(user: SimUser, text: str = TEXT) -> int:
    summary = await summary_for_book(user, text)
    await confirm(user, summary)
    card = await reply_with(user, card_head())
    return int((card.text or "").split("№", 1)[1].split()[0])


async def test_a_repeat_minutes_later_is_named_and_needs_send_again(
    bot: BotUnderTest, manager: SimUser
):
    first = await send_once(manager)
    summary = await summary_for_book(manager, TEXT)
    assert warning_head() in (summary.text or "")
    assert f"№{first}" in (summary.text or "")
    assert RU("send.button_confirm_again") in summary.button_texts()
    assert RU("send.button_confirm") not in summary.button_texts()
    await manager.tap(RU("send.button_edit"), summary)
    await manager.tap(RU("send.button_back"), await manager.wait_for_reply())
    summary = await manager.wait_for_reply()  # back from "Change": still a second send
    assert RU("send.button_confirm_again") in summary.button_texts()

    await manager.tap(RU("send.button_confirm_again"), summary)
    await reply_with(manager, card_head())
    assert len(creates(bot)) == 2


async def test_a_summary_shown_before_the_first_went_out_asks_again_instead_of_sending(
    bot: BotUnderTest, manager: SimUser
):
    colleague = await bot.user(2100, Role.MANAGER, first_name="Vera")
    stale = await summary_for_book(colleague, TEXT)  # nothing went out yet: a plain Confirm
    assert warning_head() not in (stale.text or "")
    first = await send_once(manager)

    await confirm(colleague, stale)
    asked = await reply_with(colleague, warning_head())
    assert f"№{first}" in (asked.text or "") and asked.message_id == stale.message_id
    assert len(creates(bot)) == 1  # the old Confirm sent nothing
    await colleague.tap(RU("send.button_confirm_again"), asked)
    await reply_with(colleague, card_head())
    assert len(creates(bot)) == 2


async def test_another_text_or_another_book_is_no_repeat(bot: BotUnderTest, manager: SimUser):
    await send_once(manager)
    other_text = await summary_for_book(manager, TEXT + "!")
    assert warning_head() not in (other_text.text or "")
    assert RU("send.button_confirm") in other_text.button_texts()
