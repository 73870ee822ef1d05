"""Each admin's board of pending access requests: one message, edited in place as
requests arrive and are decided, bounded whatever the strangers are called; /users
pages them in one message; "deny all" asks first, decides once and tells everyone."""

from __future__ import annotations

import asyncio

from handlers.access.callbacks import Decision, DenyAll, DenyAllStep
from handlers.access.pending_view import PAGE_SIZE
from handlers.common.i18n import translator
from storage import RequestStatus, Role
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from testbed.standin.html_parse import utf16_length
from tests.support.access import (
    boards_settled,
    decision_button,
    forge_callback,
    is_access_request,
    is_closed_board,
    messages_sent_to,
)
from tests.support.harness import ADMIN_ID, BotUnderTest
from tests.support.texts import plain

RU = translator("ru")


def calls_to_admin(standin: BotApiStandin, method: str) -> int:
    return sum(1 for call in standin.calls_to(method) if call.params.get("chat_id") == ADMIN_ID)


async def strangers_write(
    standin: BotApiStandin, count: int, first_id: int = 50_000
) -> list[SimUser]:
    strangers = [standin.user(first_id + n, f"Guest {n}") for n in range(count)]
    await asyncio.gather(*(stranger.send_text("hello") for stranger in strangers))
    for stranger in strangers:
        await stranger.wait_for_reply()
    return strangers


async def current_board(bot: BotUnderTest, admin: SimUser) -> StandinMessage:
    await boards_settled(bot)
    return next(m for m in reversed(admin.messages) if is_access_request(m) or is_closed_board(m))


async def test_requests_arriving_together_make_one_board_edited_in_place(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    await strangers_write(standin, 5)
    first = await current_board(bot, admin)
    assert plain(RU.plural("access.pending_title", 5)) in (first.text or "")
    ids = [request.id for request in await bot.store.access_requests.pending()]
    lines = [line for line in (first.text or "").splitlines() if line.startswith("№")]
    assert [line.split(" ")[0] for line in lines] == [f"№{i}" for i in reversed(ids)]  # newest

    await strangers_write(standin, 3, first_id=60_000)
    second = await current_board(bot, admin)

    assert second.message_id == first.message_id
    assert plain(RU.plural("access.pending_title", 8)) in (second.text or "")
    assert messages_sent_to(standin, ADMIN_ID) == 1
    assert calls_to_admin(standin, "editMessageText") <= 3  # a redraw per burst, not per request


async def test_a_board_of_many_long_names_stays_bounded(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    strangers = [
        standin.user(70_000 + n, "<b>&" + "👩🏽‍💻" * 40, username="u" * 40)
        for n in range(PAGE_SIZE + 22)
    ]
    await asyncio.gather(*(stranger.send_text("hi") for stranger in strangers))
    for stranger in strangers:
        await stranger.wait_for_reply()
    board = await current_board(bot, admin)

    text = board.text or ""
    assert utf16_length(text) < 4096
    assert plain(RU("access.pending_more", more=22)) in text
    assert "<b>&👩🏽" in text  # a name is shown as typed, never as markup
    assert len(board.buttons) == 3 * PAGE_SIZE + 1
    assert all(len(button["callback_data"].encode()) < 64 for button in board.buttons)


async def test_a_decision_on_the_board_redraws_it_at_once(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    strangers = await strangers_write(standin, 2)
    board = await current_board(bot, admin)
    first, second = await bot.store.access_requests.pending()

    await admin.tap(decision_button(first.id, Decision.MANAGER), board)
    redrawn = await admin.wait_for_reply(lambda m: m.message_id == board.message_id)

    assert f"№{first.id}" not in (redrawn.text or "")
    assert f"№{second.id}" in (redrawn.text or "")
    assert (await strangers[0].wait_for_reply()).text == plain(RU("access.welcome_manager"))


async def test_a_board_gone_from_the_chat_is_sent_anew(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    await strangers_write(standin, 1)
    board = await current_board(bot, admin)
    assert bot.app is not None
    await bot.app.bot.delete_message(ADMIN_ID, board.message_id)  # cleared by the admin

    await strangers_write(standin, 1, first_id=61_000)
    again = await current_board(bot, admin)

    assert again.message_id != board.message_id
    assert plain(RU.plural("access.pending_title", 2)) in (again.text or "")
    assert await bot.store.access_boards.message_id(ADMIN_ID) == again.message_id


async def test_after_a_restart_the_same_board_is_edited(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    await strangers_write(standin, 1)
    board = await current_board(bot, admin)
    await bot.restart()

    await strangers_write(standin, 1, first_id=62_000)
    again = await current_board(bot, admin)

    assert again.message_id == board.message_id
    assert messages_sent_to(standin, ADMIN_ID) == 1


async def test_deny_all_asks_first_and_no_keeps_every_request(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    await strangers_write(standin, 3)
    board = await current_board(bot, admin)

    await admin.tap(RU("access.button_deny_all", n=3), board)
    question = await admin.wait_for_reply(lambda m: "Отклонить все" in (m.text or ""))
    assert question.message_id != board.message_id  # a redraw of the board cannot take it away
    assert question.text == plain(RU("access.deny_all_confirm", n=3))
    await admin.tap(RU("access.button_deny_all_no"), question)
    kept = await admin.wait_for_reply(lambda m: m.message_id == question.message_id)

    assert kept.text == RU("access.deny_all_kept") and not kept.inline_keyboard
    assert len(await bot.store.access_requests.pending()) == 3
    assert await bot.store.audit.count() == 0


async def test_deny_all_denies_once_audits_once_and_tells_everyone(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    strangers = await strangers_write(standin, 6)
    board = await current_board(bot, admin)
    await admin.tap(RU("access.button_deny_all", n=6), board)
    question = await admin.wait_for_reply(lambda m: "Отклонить все" in (m.text or ""))
    late = (await strangers_write(standin, 1, first_id=63_000))[0]  # after the question

    await admin.tap(RU("access.button_deny_all_yes", n=6), question)
    answer = await admin.wait_for_callback_answer()
    done = await admin.wait_for_reply(lambda m: m.message_id == question.message_id)

    assert answer.text == RU("access.deny_all_toast", n=6)
    assert "Отклонено запросов: 6" in (done.text or "") and "Alla" in (done.text or "")
    for stranger in strangers:
        assert (await stranger.wait_for_reply()).text == RU("access.denied")
    [still] = await bot.store.access_requests.pending()
    assert still.user_id == late.user_id  # asked after the question: not denied unseen
    [entry] = await bot.store.audit.recent(10)
    assert (entry.actor_id, entry.action) == (ADMIN_ID, "access.deny_all")
    assert entry.details == {"count": 6, "up_to": still.id - 1}
    shown = await current_board(bot, admin)
    assert plain(RU.plural("access.pending_title", 1)) in (shown.text or "")

    # The same "yes" again finds nothing left to deny.
    replay = DenyAll(step=DenyAllStep.YES, up_to=still.id - 1).pack()
    again = await admin.wait_for_callback_answer(await forge_callback(standin, admin, replay))
    assert again.text == RU("access.deny_all_nothing")
    assert await bot.store.audit.count() == 1


async def test_two_admins_denying_all_at_once_deny_each_request_once(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    second = await bot.user(1500, None, first_name="Boris")
    await bot.store.users.set_role(second.user_id, Role.ADMIN)
    await strangers_write(standin, 4)
    await boards_settled(bot)
    up_to = max(request.id for request in await bot.store.access_requests.pending())
    yes = DenyAll(step=DenyAllStep.YES, up_to=up_to).pack()

    queries = [await forge_callback(standin, person, yes) for person in (admin, second)]
    answers = [
        (await person.wait_for_callback_answer(query)).text
        for person, query in zip((admin, second), queries, strict=True)
    ]

    assert sorted(answers) == sorted(
        [RU("access.deny_all_toast", n=4), RU("access.deny_all_nothing")]
    )
    entries = [e for e in await bot.store.audit.recent(10) if e.action == "access.deny_all"]
    assert len(entries) == 1 and entries[0].details["count"] == 4
    decided = [await bot.store.access_requests.get(i) for i in range(1, up_to + 1)]
    assert all(request.status is RequestStatus.DENIED for request in decided)


async def test_users_pages_the_pending_requests_in_one_message(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    await strangers_write(standin, PAGE_SIZE * 2 + 3)
    await boards_settled(bot)
    await admin.send_text("/users")
    listed = await admin.wait_for_reply(
        lambda m: (
            is_access_request(m) and RU("access.pending_page", page=1, pages=3) in (m.text or "")
        )
    )

    await admin.tap(RU("access.button_older"), listed)
    second = await admin.wait_for_reply(lambda m: m.message_id == listed.message_id)
    assert RU("access.pending_page", page=2, pages=3) in (second.text or "")
    page_two = await bot.store.access_requests.pending_newest(PAGE_SIZE, PAGE_SIZE)
    oldest_on_page = page_two[-1].id
    await admin.tap(decision_button(oldest_on_page, Decision.OBSERVER), second)
    redrawn = await admin.wait_for_reply(lambda m: m.message_id == listed.message_id)

    assert RU("access.pending_page", page=2, pages=3) in (redrawn.text or "")
    assert f"№{oldest_on_page} " not in (redrawn.text or "")
    assert (await bot.store.access_requests.get(oldest_on_page)).status is RequestStatus.APPROVED
    # The board, then /users: its page of people and one message of requests, however many.
    assert messages_sent_to(standin, ADMIN_ID) == 3
