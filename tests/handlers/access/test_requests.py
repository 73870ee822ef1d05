"""Strangers ask for access; admins approve or deny on their board; nobody without a role
reaches the SMS API."""

from __future__ import annotations

from datetime import timedelta

from handlers.access.callbacks import (
    AccessDecision,
    Decision,
    DenyAll,
    DenyAllStep,
    PendingDecision,
    PendingPage,
)
from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.i18n import translator
from storage import RequestStatus, Role
from storage.dates import to_db
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from testbed.standin.validation import reply_button_texts
from tests.support.access import (
    boards_settled,
    decision_button,
    forge_callback,
    is_access_request,
    is_closed_board,
    messages_sent_to,
    quiet_the_poller,
)
from tests.support.harness import ADMIN_ID, BotUnderTest
from tests.support.texts import plain
from tests.support.waiting import updates_handled

RU, EN = translator("ru"), translator("en")
STRANGER_TEXTS = {
    t(key) for t in (RU, EN) for key in ("access.requested", "access.pending", "access.no_access")
}


async def request_access(
    bot: BotUnderTest, stranger: SimUser, admin: SimUser
) -> tuple[int, StandinMessage]:
    """The stranger writes once; returns the request's id and the admin's board."""
    await stranger.send_text("Здравствуйте")
    await stranger.wait_for_reply()
    board = await admin.wait_for_reply(is_access_request)
    pending = await bot.store.access_requests.pending()
    assert [request.user_id for request in pending] == [stranger.user_id]
    assert f"№{pending[0].id}" in (board.text or "")
    return pending[0].id, board


async def test_stranger_is_told_once_and_the_admin_gets_one_board_with_the_request(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    stranger = standin.user(4100, first_name="<Stan & Co>", username="stan_b", language_code="de")

    await stranger.send_text("hi, who are you?")
    first = await stranger.wait_for_reply()
    board = await admin.wait_for_reply(is_access_request)

    assert first.text == RU("access.requested")
    text = board.text or ""
    assert text.startswith(plain(RU.plural("access.pending_title", 1)))
    assert "<Stan & Co>" in text  # escaped on the way, shown as typed
    assert "@stan_b" in text and "4100" in text and "язык de" in text
    [request] = await bot.store.access_requests.pending()
    assert board.button_texts() == [
        f"✅ №{request.id}",
        f"👁 №{request.id}",
        f"⛔️ №{request.id}",
        "⛔️ Отклонить все (1)",
    ]
    for button in board.buttons:
        assert len(button["callback_data"].encode()) < 64

    await stranger.send_text("hello??")
    second = await stranger.wait_for_reply()
    await stranger.send_sticker()
    third = await stranger.wait_for_reply()

    assert second.text == third.text == RU("access.pending")
    await boards_settled(bot)
    assert messages_sent_to(standin, ADMIN_ID) == 1
    assert len(await bot.store.access_requests.pending()) == 1


async def test_stranger_with_english_telegram_is_answered_in_english(
    bot: BotUnderTest, admin: SimUser
):
    stranger = await bot.user(4200, None, language="en", first_name="Eve")

    await stranger.send_text("/start")
    reply = await stranger.wait_for_reply()
    board = await admin.wait_for_reply(is_access_request)

    assert reply.text == EN("access.requested")
    assert "Eve" in (board.text or "")  # the admin reads it in their own language (Russian)
    assert "Ждёт решения" in (board.text or "")


async def test_approved_manager_gets_the_menu_and_reaches_the_features(
    bot: BotUnderTest, admin: SimUser, stranger: SimUser
):
    request_id, board = await request_access(bot, stranger, admin)

    await admin.tap(decision_button(request_id, Decision.MANAGER), board)
    answer = await admin.wait_for_callback_answer()
    welcome = await stranger.wait_for_reply()
    closed = await admin.wait_for_reply(is_closed_board)

    assert answer.text == RU("access.done_approved", role=RU("access.role_manager"))
    assert welcome.text == plain(RU("access.welcome_manager"))
    assert RU("menu.send") in reply_button_texts(welcome.reply_keyboard or {})
    assert closed.message_id == board.message_id  # the same message, edited
    assert (closed.text or "").startswith(RU("access.board_closed"))
    assert "Alla" in (closed.text or "") and "Одобрено" in (closed.text or "")
    assert (await bot.store.users.get(stranger.user_id)).role is Role.MANAGER
    request = await bot.store.access_requests.get(request_id)
    assert request.status is RequestStatus.APPROVED and request.decided_by == ADMIN_ID
    [entry] = await bot.store.audit.recent(10)
    assert (entry.actor_id, entry.action) == (ADMIN_ID, "access.approve")
    assert entry.details == {"request": request_id, "user": stranger.user_id, "role": "manager"}

    await quiet_the_poller(bot)
    await stranger.send_text("/balance")
    reply = await stranger.wait_for_reply()
    assert reply.text not in STRANGER_TEXTS  # handled by the features now, not the access flow
    assert bot.sms_requests("/balance")  # the balance feature asked the SMS API for them


async def test_approved_observer_has_a_read_only_menu_and_cannot_send(
    bot: BotUnderTest, admin: SimUser, stranger: SimUser
):
    request_id, board = await request_access(bot, stranger, admin)

    await admin.tap(decision_button(request_id, Decision.OBSERVER), board)
    welcome = await stranger.wait_for_reply()

    assert welcome.text == plain(RU("access.welcome_observer"))
    menu = reply_button_texts(welcome.reply_keyboard or {})
    assert RU("menu.balance") in menu and RU("menu.send") not in menu
    assert (await bot.store.users.get(stranger.user_id)).role is Role.OBSERVER

    await stranger.send_text("/send")
    reply = await stranger.wait_for_reply()
    assert reply.text not in STRANGER_TEXTS
    assert [r for r in bot.sms_requests("/dispatches") if r["method"] == "POST"] == []


async def test_denied_stranger_is_told_and_may_ask_again_only_after_24_hours(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser, stranger: SimUser
):
    request_id, board = await request_access(bot, stranger, admin)

    await admin.tap(decision_button(request_id, Decision.DENY), board)
    answer = await admin.wait_for_callback_answer()
    told = await stranger.wait_for_reply()
    closed = await admin.wait_for_reply(is_closed_board)

    assert answer.text == RU("access.done_denied")
    assert told.text == RU("access.denied")
    assert "Отклонено" in (closed.text or "")
    assert (await bot.store.users.get(stranger.user_id)).role is None
    [entry] = await bot.store.audit.recent(10)
    assert (entry.action, entry.details) == (
        "access.deny",
        {"request": request_id, "user": stranger.user_id},
    )

    await stranger.send_text("please, let me in")
    again = await stranger.wait_for_reply()
    assert again.text and again.text.startswith("⛔️ В доступе отказано")
    assert "24 часа" in again.text
    await boards_settled(bot)
    assert messages_sent_to(standin, ADMIN_ID) == 1  # no spam to the admins
    assert await bot.store.access_requests.pending() == []

    # A day later the stranger may ask once more: a new board, which the admin hears.
    day_ago = bot.store.db.now() - timedelta(hours=24, minutes=1)
    await bot.store.db.execute(
        "UPDATE access_requests SET decided_at = ? WHERE id = ?", (to_db(day_ago), request_id)
    )
    await stranger.send_text("it has been a day")
    later = await stranger.wait_for_reply()
    assert later.text == RU("access.requested")
    second = await admin.wait_for_reply(is_access_request)
    assert second.message_id != board.message_id
    assert messages_sent_to(standin, ADMIN_ID) == 2


async def test_two_admins_tap_at_once_and_the_request_is_decided_once(
    bot: BotUnderTest, admin: SimUser, stranger: SimUser
):
    second = await bot.user(1500, None, first_name="Boris")
    await bot.store.users.set_role(second.user_id, Role.ADMIN)
    await stranger.send_text("hello")
    await stranger.wait_for_reply()
    board = await admin.wait_for_reply(is_access_request)
    other_board = await second.wait_for_reply(is_access_request)
    [request] = await bot.store.access_requests.pending()

    await admin.tap(decision_button(request.id, Decision.MANAGER), board)
    await second.tap(decision_button(request.id, Decision.OBSERVER), other_board)
    answers = [
        (await admin.wait_for_callback_answer()).text,
        (await second.wait_for_callback_answer()).text,
    ]

    winners = [text for text in answers if not (text or "").startswith("Запрос уже решён")]
    assert len(winners) == 1, answers
    loser = next(text for text in answers if text not in winners)
    role = (await bot.store.users.get(stranger.user_id)).role
    winner_name = "Alla" if role is Role.MANAGER else "Boris"
    assert loser == RU("access.already_decided", admin=winner_name)
    welcome = await stranger.wait_for_reply()
    assert welcome.text == plain(RU(f"access.welcome_{role.value}"))
    # Both admins' boards end up showing the one decision, without buttons.
    for person in (admin, second):
        shown = await person.wait_for_reply(is_closed_board)
        assert winner_name in (shown.text or "")
    approvals = [e for e in await bot.store.audit.recent(10) if e.action == "access.approve"]
    assert len(approvals) == 1
    welcomes = [m for m in stranger.messages if m.from_bot and "Доступ открыт" in (m.text or "")]
    assert len(welcomes) == 1


async def test_a_requests_own_message_from_before_the_boards_still_decides_it(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser, stranger: SimUser
):
    request_id, _ = await request_access(bot, stranger, admin)
    old_button = AccessDecision(request_id=request_id, decision=Decision.OBSERVER).pack()
    answer = await admin.wait_for_callback_answer(await forge_callback(standin, admin, old_button))

    assert answer.text == RU("access.done_approved", role=RU("access.role_observer"))
    assert (await stranger.wait_for_reply()).text == plain(RU("access.welcome_observer"))
    await admin.wait_for_reply(is_closed_board)  # the board follows


async def test_stranger_never_causes_a_single_sms_api_request(
    bot: BotUnderTest, standin: BotApiStandin, stranger: SimUser
):
    await quiet_the_poller(bot)
    commands = ["/start", "/send", "/balance", "/status 1", "/books", "/dispatches", "/track 1"]
    for command in commands:
        await stranger.send_text(command)
        reply = await stranger.wait_for_reply()
        assert reply.text in {RU("access.requested"), RU("access.pending")}

    forged = CardCallback(action=CardAction.REFRESH, dispatch_id=1).pack()
    query_id = await forge_callback(standin, stranger, forged)
    answer = await stranger.wait_for_callback_answer(query_id)

    assert answer.text == RU("access.no_access")
    assert bot.sms_requests() == []


async def test_forged_decisions_from_a_manager_decide_nothing(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser, manager: SimUser, stranger: SimUser
):
    request_id, _ = await request_access(bot, stranger, admin)
    await manager.send_text("/start")
    await manager.wait_for_reply()

    for forged in (
        AccessDecision(request_id=request_id, decision=Decision.MANAGER).pack(),
        PendingDecision(request_id=request_id, decision=Decision.MANAGER, page=0).pack(),
        PendingPage(page=0).pack(),
        DenyAll(step=DenyAllStep.YES, up_to=request_id).pack(),
    ):
        query_id = await forge_callback(standin, manager, forged)
        answer = await manager.wait_for_callback_answer(query_id)
        assert answer.text == RU("access.not_allowed"), forged

    request = await bot.store.access_requests.get(request_id)
    assert request.status is RequestStatus.PENDING
    assert (await bot.store.users.get(stranger.user_id)).role is None
    assert await bot.store.audit.count() == 0


async def test_admin_tapping_a_request_that_no_longer_exists_is_told_so(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    await admin.send_text("/start")
    await admin.wait_for_reply(lambda m: (m.text or "").startswith("👋"))

    for forged in (
        AccessDecision(request_id=999, decision=Decision.DENY).pack(),
        PendingDecision(request_id=999, decision=Decision.DENY, page=0).pack(),
    ):
        answer = await admin.wait_for_callback_answer(await forge_callback(standin, admin, forged))
        assert answer.text == RU("access.not_found")
    assert await bot.store.audit.count() == 0


async def test_blocking_the_bot_in_private_is_no_request_and_changes_no_one(
    bot: BotUnderTest, stranger: SimUser, manager: SimUser
):
    await bot.store.users.set_active(manager.user_id, False)  # a 403 told the outbox so
    await stranger.block_bot()
    await manager.block_bot()
    await manager.unblock_bot()
    await updates_handled(bot)

    assert await bot.store.users.get(stranger.user_id) is None
    assert await bot.store.access_requests.pending() == []
    assert not (await bot.store.users.get(manager.user_id)).active  # until they write
