"""/users and /audit: roles changed and revoked by admins, the audit log paged; nobody else
gets in, not even with forged buttons."""

from __future__ import annotations

from handlers.access.callbacks import Decision
from handlers.admin.callbacks import AuditPage, UserAction, UserActionKind, UsersPage
from handlers.common.formatting import MESSAGE_LIMIT
from handlers.common.i18n import translator
from storage import Role
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from testbed.standin.validation import reply_button_texts
from tests.support.access import (
    decision_button,
    forge_callback,
    is_access_request,
    quiet_the_poller,
)
from tests.support.harness import ADMIN_ID, MANAGER_ID, OBSERVER_ID, BotUnderTest
from tests.support.texts import plain

RU, EN = translator("ru"), translator("en")


USERS_PAGE, USER_CARD, AUDIT_PAGE = "👥", "👤", "🧾"


async def screen(admin: SimUser, head: str) -> StandinMessage:
    """The admin's next screen (new or edited) that starts with ``head``; notifications
    arriving meanwhile are not mistaken for it."""
    return await admin.wait_for_reply(lambda m: (m.text or "").startswith(head))


async def open_users(admin: SimUser) -> str:
    await admin.send_text("/users")
    return (await screen(admin, USERS_PAGE)).text or ""


async def test_managers_and_observers_asking_for_admin_commands_are_told_only_for_admins(
    bot: BotUnderTest, manager: SimUser, observer: SimUser
):
    await manager.send_text("/users")
    assert (await manager.wait_for_reply()).text == RU("admin.only_admins")
    await manager.send_text("/audit")
    assert (await manager.wait_for_reply()).text == RU("admin.only_admins")
    await observer.send_text(RU("menu.users"))
    assert (await observer.wait_for_reply()).text == RU("admin.only_admins")


async def test_forged_admin_buttons_from_a_manager_and_an_observer_do_nothing(
    bot: BotUnderTest, standin: BotApiStandin, manager: SimUser, observer: SimUser
):
    for user in (manager, observer):
        await user.send_text("/start")
        await user.wait_for_reply()
    forged = [
        (manager, UserAction(action=UserActionKind.REVOKE_CONFIRMED, user_id=OBSERVER_ID, page=0)),
        (observer, UserAction(action=UserActionKind.MANAGER, user_id=OBSERVER_ID, page=0)),
        (observer, UsersPage(page=1)),
        (manager, AuditPage(page=0)),
    ]
    for user, data in forged:
        before = len(user.messages)
        answer = await user.wait_for_callback_answer(
            await forge_callback(standin, user, data.pack())
        )
        assert answer.text == RU("admin.not_allowed")
        assert len(user.messages) == before  # no page, no card, no edit

    assert (await bot.store.users.get(OBSERVER_ID)).role is Role.OBSERVER
    assert await bot.store.audit.count() == 0


async def test_admin_makes_a_manager_an_observer_and_the_user_is_told(
    bot: BotUnderTest, admin: SimUser, manager: SimUser, observer: SimUser
):
    page = await open_users(admin)
    assert "Alla" in page and "Max" in page and "Olga" in page
    assert "2000" in page and RU("access.role_manager") in page

    await admin.tap("👔 Max")
    card = await screen(admin, USER_CARD)
    assert card.text and card.text.startswith("👤 Max")
    assert card.button_texts() == [
        RU("admin.button_make_observer"),
        RU("admin.button_revoke"),
        RU("admin.button_back"),
    ]

    await admin.tap(RU("admin.button_make_observer"))
    answer = await admin.wait_for_callback_answer()
    told = await manager.wait_for_reply()
    card = await screen(admin, USER_CARD)

    assert answer.text == RU("admin.role_changed", name="Max", role=RU("access.role_observer"))
    assert told.text == RU("admin.told_role", role=RU("access.role_observer"))
    assert RU("menu.send") not in reply_button_texts(told.reply_keyboard or {})
    assert RU("access.role_observer") in (card.text or "")
    assert (await bot.store.users.get(MANAGER_ID)).role is Role.OBSERVER
    [entry] = await bot.store.audit.recent(5)
    assert (entry.actor_id, entry.action) == (ADMIN_ID, "user.role")
    assert entry.details == {"user": MANAGER_ID, "from": "manager", "to": "observer"}

    await admin.tap(RU("admin.button_back"))
    page_again = await screen(admin, USERS_PAGE)
    assert (page_again.text or "").startswith("👥 Пользователи с доступом")


async def test_admin_revokes_access_after_confirming_and_the_user_is_a_stranger_again(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser, manager: SimUser
):
    await open_users(admin)
    await admin.tap("👔 Max")
    await screen(admin, USER_CARD)

    # First thoughts: "No" keeps everything as it was.
    await admin.tap(RU("admin.button_revoke"))
    confirmation = await screen(admin, "Отозвать доступ")
    assert confirmation.text == plain(RU("admin.revoke_confirm", name="Max"))
    await admin.tap(RU("admin.button_revoke_no"))
    await admin.wait_for_reply(lambda m: (m.text or "").startswith("👤 Max"))
    assert (await bot.store.users.get(MANAGER_ID)).role is Role.MANAGER

    await admin.tap(RU("admin.button_revoke"))
    await screen(admin, "Отозвать доступ")
    await admin.tap(RU("admin.button_revoke_yes"))
    answer = await admin.wait_for_callback_answer()
    told = await manager.wait_for_reply()

    assert answer.text == RU("admin.revoked", name="Max")
    assert told.text == RU("admin.told_revoked")
    assert manager.reply_keyboard is None  # the menu is gone with the access
    assert (await bot.store.users.get(MANAGER_ID)).role is None
    [entry] = await bot.store.audit.recent(5)
    assert (entry.action, entry.details) == ("user.revoke", {"user": MANAGER_ID, "from": "manager"})

    # The same tap delivered again finds nobody left to revoke.
    again = UserAction(action=UserActionKind.REVOKE_CONFIRMED, user_id=MANAGER_ID, page=0).pack()
    answer = await admin.wait_for_callback_answer(await forge_callback(standin, admin, again))
    assert answer.text == RU("admin.user_gone")
    assert await bot.store.audit.count() == 1

    await quiet_the_poller(bot)
    await manager.send_text("/balance")
    assert (await manager.wait_for_reply()).text == RU("access.requested")
    board = await admin.wait_for_reply(is_access_request)
    assert "Max" in (board.text or "")
    assert bot.sms_requests() == []


async def test_admin_from_admin_ids_cannot_be_demoted_here(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser, manager: SimUser
):
    await open_users(admin)
    await admin.tap("👑 Alla")
    card = await screen(admin, USER_CARD)

    assert RU("admin.configured_card_note") in (card.text or "")
    assert card.button_texts() == [RU("admin.button_back")]

    for action in (UserActionKind.OBSERVER, UserActionKind.REVOKE_CONFIRMED):
        forged = UserAction(action=action, user_id=ADMIN_ID, page=0).pack()
        answer = await admin.wait_for_callback_answer(await forge_callback(standin, admin, forged))
        assert answer.text == RU("admin.cannot_change_configured")
    assert (await bot.store.users.get(ADMIN_ID)).role is Role.ADMIN
    assert await bot.store.audit.count() == 0


async def test_users_lists_pending_requests_with_their_buttons(
    bot: BotUnderTest, admin: SimUser, stranger: SimUser
):
    await stranger.send_text("hello")
    await stranger.wait_for_reply()
    await admin.wait_for_reply(is_access_request)

    page = await open_users(admin)
    listed = await admin.wait_for_reply(is_access_request)

    assert RU.plural("admin.pending_below", 1) in page
    assert "Stan" in (listed.text or "")
    [request] = await bot.store.access_requests.pending()
    await admin.tap(decision_button(request.id, Decision.OBSERVER), listed)
    await admin.wait_for_callback_answer()
    await stranger.wait_for_reply()
    assert (await bot.store.users.get(stranger.user_id)).role is Role.OBSERVER
    shown_again = await admin.wait_for_reply(lambda m: m.message_id == listed.message_id)
    assert RU("access.pending_none") in (shown_again.text or "")


async def test_users_are_paged_and_long_names_are_escaped_and_cut(
    bot: BotUnderTest, admin: SimUser
):
    for number in range(20):
        user_id = 10_000 + number
        await bot.store.users.upsert_seen(
            user_id, f"<b>User {number:02d}</b>" + "x" * 80, None, "ru"
        )
        await bot.store.users.set_role(user_id, Role.OBSERVER)

    first = await open_users(admin)
    assert "(стр. 1 из 3)" in first
    assert "<b>User 00</b>" in first  # shown as typed, not as markup

    await admin.tap(RU("admin.button_next"))
    second = (await screen(admin, USERS_PAGE)).text or ""
    assert "(стр. 2 из 3)" in second and "\n9. " in second and "\n16. " in second

    await admin.tap(RU("admin.button_next"))
    third = await screen(admin, USERS_PAGE)
    assert "(стр. 3 из 3)" in (third.text or "")
    assert RU("admin.button_next") not in third.button_texts()
    for message in admin.messages:
        assert len(message.text or "") <= MESSAGE_LIMIT


async def test_audit_is_paged_newest_first_with_zone_and_stays_under_the_limit(
    bot: BotUnderTest, admin: SimUser
):
    await bot.store.users.upsert_seen(MANAGER_ID, "M" * 200, None, "ru")
    for number in range(40):
        await bot.store.audit.record(
            MANAGER_ID,
            "dispatch.create" if number % 2 else "some.future_action_" + "z" * 100,
            dispatch_id=100 + number,
            details={"note": f"entry {number} <&> " + "long " * 200},
        )

    await admin.send_text("/audit")
    first = await screen(admin, AUDIT_PAGE)
    lines = (first.text or "").splitlines()

    assert lines[0] == plain(RU("admin.audit_title", page=1, pages=3))
    assert len(lines) == 16
    assert "№139" in lines[1] and "entry 39 <&>" in lines[1]  # the newest first, escaped
    assert "(MSK)" in lines[1]
    assert RU("admin.action.dispatch.create") in lines[1]
    assert "some.future_action_" in lines[2]
    assert len(first.text or "") <= MESSAGE_LIMIT

    await admin.tap(RU("admin.button_older"))
    second = await screen(admin, AUDIT_PAGE)
    assert "№124" in (second.text or "").splitlines()[1]
    await admin.tap(RU("admin.button_older"))
    third = await screen(admin, AUDIT_PAGE)
    third_lines = (third.text or "").splitlines()
    assert len(third_lines) == 11 and "№100" in third_lines[-1]
    assert third.button_texts() == [RU("admin.button_newer")]

    await admin.tap(RU("admin.button_newer"))
    back = await screen(admin, AUDIT_PAGE)
    assert "стр. 2 из 3" in (back.text or "")


async def test_audit_in_english_names_actors_and_actions_in_words(
    bot: BotUnderTest, admin: SimUser, stranger: SimUser
):
    english_admin = await bot.user(1600, None, language="en", first_name="Erin")
    await bot.store.users.upsert_seen(1600, "Erin", None, "en")  # wrote to the bot before
    await bot.store.users.set_role(1600, Role.ADMIN)
    await stranger.send_text("hi")
    await stranger.wait_for_reply()
    board = await english_admin.wait_for_reply(is_access_request)
    [request] = await bot.store.access_requests.pending()
    await english_admin.tap(decision_button(request.id, Decision.DENY, EN), board)
    await english_admin.wait_for_callback_answer()
    await bot.store.audit.record(None, "dispatch.run", dispatch_id=7)

    await english_admin.send_text("/audit")
    page = await english_admin.wait_for_reply(lambda m: "Audit log" in (m.text or ""))
    lines = (page.text or "").splitlines()

    assert lines[0] == plain(EN("admin.audit_title", page=1, pages=1))
    assert "bot · re-ran a dispatch · dispatch #7" in lines[1]
    assert "Erin (1600) · denied an access request" in lines[2]
    assert page.inline_keyboard is None


async def test_empty_audit_log_says_so(admin: SimUser):
    await admin.send_text("/audit")
    page = await screen(admin, AUDIT_PAGE)

    assert (page.text or "").splitlines()[1] == RU("admin.audit_empty")
