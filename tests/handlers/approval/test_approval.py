"""Approval of big sends through the real dispatcher: a manager's send above a limit
waits, an admin approves it (one POST, whatever the taps), rejects it, or it expires."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.approval_rules import REQUEST_LIFETIME
from handlers.approval import expiry
from handlers.send.callbacks import ConfirmCallback
from storage import ApprovalState, DraftState, Role
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import BotUnderTest
from tests.support.send import (
    BOOK1_PHONES,
    RU,
    card_head,
    confirm,
    creates,
    current_draft,
    forge_tap,
    pick_book,
    prompt_with,
    reply_with,
    start_send,
    summary_for_book,
    summary_head,
    type_text,
)
from tests.support.sendpath import (
    audit_actions,
    button_data,
    latest_request,
    request_message,
    set_limits,
    stored_admin,
)
from tests.support.texts import CUT, head, plain

WAITING = head(RU("approval.waiting", id=CUT, moment=CUT))


async def held_summary(bot: BotUnderTest, manager: SimUser):
    """A manager's send to book 1 (two numbers) above a limit of one recipient: the
    summary, now saying it waits."""
    await set_limits(bot, recipients=1)
    summary = await summary_for_book(manager)
    await confirm(manager, summary)
    waiting = await reply_with(manager, WAITING)
    assert waiting.message_id == summary.message_id and not waiting.inline_keyboard
    return waiting


async def test_a_managers_big_send_waits_and_an_approval_sends_it_once(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    summary = await held_summary(bot, manager)
    asked = await request_message(admin)
    text = asked.text or ""
    assert "Max" in text and "name1" in text and "Hello from the bot" in text
    assert plain(RU("approval.above_recipients", limit=1)) in text
    assert creates(bot) == []
    assert (await current_draft(bot, manager)).state is DraftState.PENDING

    await admin.tap(RU("approval.button_approve"), asked)
    card = await reply_with(manager, card_head())
    assert card.message_id == summary.message_id  # the summary became the live card
    assert plain(RU("approval.told_approved", admin="Alla")) in (card.text or "")
    posts = creates(bot)
    assert len(posts) == 1 and posts[0]["body"]["phonesList"] == BOOK1_PHONES
    dispatch_id = max(bot.emulator.state.dispatches)
    decided = await reply_with(admin, plain(RU("approval.approved", admin="Alla", id=dispatch_id)))
    assert decided.message_id == asked.message_id and not decided.inline_keyboard

    request = await latest_request(bot, manager.user_id)
    assert (request.state, request.dispatch_id) == (ApprovalState.APPROVED, dispatch_id)
    assert request.decided_by == admin.user_id
    draft = await current_draft(bot, manager)
    assert (draft.state, draft.dispatch_id) == (DraftState.SENT, dispatch_id)
    tracked = await bot.store.dispatches.get(dispatch_id)
    assert tracked is not None and tracked.creator_id == manager.user_id
    assert await bot.store.subscriptions.is_subscribed(dispatch_id, manager.user_id)
    notice = await bot.store.notices.notice(dispatch_id, manager.user_id)
    assert notice.message_id == summary.message_id
    actions = await audit_actions(bot)
    assert (manager.user_id, "approval.request") in actions
    assert (admin.user_id, "approval.approve") in actions
    assert (admin.user_id, "dispatch.create") in actions


async def test_the_same_approve_delivered_twice_posts_once(
    bot: BotUnderTest, manager: SimUser, admin: SimUser, standin: BotApiStandin
):
    await held_summary(bot, manager)
    asked = await request_message(admin)
    update = await admin.tap(RU("approval.button_approve"), asked)
    await reply_with(manager, card_head())
    answers = len(standin.calls_to("answerCallbackQuery"))
    await standin.redeliver(update)
    again = await standin.wait_for_call("answerCallbackQuery", answers + 1, answered=False)
    dispatch_id = max(bot.emulator.state.dispatches)
    assert again.params["text"] == RU("approval.already_approved", admin="Alla", id=dispatch_id)
    assert len(creates(bot)) == 1


async def test_two_admins_approving_at_once_make_one_dispatch(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    boris = await stored_admin(bot)
    await held_summary(bot, manager)
    first = await request_message(admin)
    second = await request_message(boris)
    bot.emulator.state.faults.update({"latency_ms": 400})  # both taps land during the create
    taps = [
        await admin.send_callback(button_data(first, RU("approval.button_approve")), first),
        await boris.send_callback(button_data(second, RU("approval.button_approve")), second),
    ]
    answers = [
        (await user.wait_for_callback_answer(tap["callback_query"]["id"])).text
        for user, tap in zip((admin, boris), taps, strict=True)
    ]
    # One of them sends; the other is told so at once, whoever came first.
    assert sorted(answers) == sorted([RU("approval.sending"), RU("approval.being_sent")])
    await reply_with(manager, card_head())
    assert len(creates(bot)) == 1
    request = await latest_request(bot, manager.user_id)
    assert request.state is ApprovalState.APPROVED
    assert sum(1 for _, action in await audit_actions(bot) if action == "approval.approve") == 1


async def test_a_second_admin_during_the_create_hears_it_is_being_sent(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    boris = await stored_admin(bot)
    await held_summary(bot, manager)
    first = await request_message(admin)
    second = await request_message(boris)
    bot.emulator.state.faults.update({"latency_ms": 600})
    await admin.tap(RU("approval.button_approve"), first)
    assert (await admin.wait_for_callback_answer()).text == RU("approval.sending")
    assert (await latest_request(bot, manager.user_id)).state is ApprovalState.APPROVING

    await boris.tap(RU("approval.button_approve"), second)
    answer = await boris.wait_for_callback_answer()
    assert (answer.text, answer.show_alert) == (RU("approval.being_sent"), True)
    await reply_with(manager, card_head())
    assert len(creates(bot)) == 1
    # Once sent, Boris's message says who sent it, and a late tap says the same.
    dispatch_id = max(bot.emulator.state.dispatches)
    line = plain(RU("approval.approved", admin="Alla", id=dispatch_id))
    decided = await reply_with(boris, line)
    assert decided.message_id == second.message_id and not decided.inline_keyboard
    await boris.send_callback(button_data(second, RU("approval.button_approve")), second)
    late = await boris.wait_for_callback_answer()
    assert late.text == RU("approval.already_approved", admin="Alla", id=dispatch_id)
    assert len(creates(bot)) == 1


async def test_an_approval_after_a_restart_sends_once(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    summary = await held_summary(bot, manager)
    asked = await request_message(admin)
    await bot.restart()
    await admin.tap(RU("approval.button_approve"), asked)
    card = await reply_with(manager, card_head())
    assert card.message_id == summary.message_id
    assert len(creates(bot)) == 1


async def test_a_rejected_send_is_never_posted_and_the_manager_hears_why(
    bot: BotUnderTest, manager: SimUser, admin: SimUser, standin: BotApiStandin
):
    boris = await stored_admin(bot)
    summary = await held_summary(bot, manager)
    asked = await request_message(admin)
    at_boris = await request_message(boris)
    await admin.tap(RU("approval.button_reject"), asked)
    reasons = await admin.wait_for_reply(lambda m: m.message_id == asked.message_id)
    assert RU("approval.reason_button_tx") in reasons.button_texts()
    await admin.tap(RU("approval.reason_button_tx"), reasons)

    told = await reply_with(manager, plain(RU("approval.reason_tx")))
    assert told.message_id == summary.message_id and not told.inline_keyboard
    assert "Alla" in (told.text or "")
    line = plain(RU("approval.rejected", admin="Alla", reason=RU("approval.reason_tx")))
    await reply_with(boris, line)  # every admin's message says so
    assert (await current_draft(bot, manager)).state is DraftState.ABANDONED
    request = await latest_request(bot, manager.user_id)
    assert (request.state, request.reason) == (ApprovalState.REJECTED, "tx")

    # Boris's old Approve, forged from his message: nothing is sent.
    query_id = await forge_tap(
        standin, boris, at_boris, button_data(at_boris, RU("approval.button_approve"))
    )
    answer = await boris.wait_for_callback_answer(query_id)
    assert answer.text == RU("approval.already_rejected", admin="Alla")
    assert creates(bot) == []
    assert (admin.user_id, "approval.reject") in await audit_actions(bot)


async def test_reject_and_back_keep_the_request_waiting(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    await held_summary(bot, manager)
    asked = await request_message(admin)
    await admin.tap(RU("approval.button_reject"), asked)
    reasons = await admin.wait_for_reply(lambda m: m.message_id == asked.message_id)
    await admin.tap(RU("approval.button_back"), reasons)
    back = await admin.wait_for_reply(lambda m: m.message_id == asked.message_id)
    assert RU("approval.button_approve") in back.button_texts()
    assert (await latest_request(bot, manager.user_id)).state is ApprovalState.WAITING


async def test_a_forged_reason_is_refused(
    bot: BotUnderTest, manager: SimUser, admin: SimUser, standin: BotApiStandin
):
    await held_summary(bot, manager)
    asked = await request_message(admin)
    request = await latest_request(bot, manager.user_id)
    query_id = await forge_tap(standin, admin, asked, f"ap:x:{request.id}:zz")
    answer = await admin.wait_for_callback_answer(query_id)
    assert answer.text == RU("approval.stale_button")
    assert (await latest_request(bot, manager.user_id)).state is ApprovalState.WAITING


@pytest.mark.parametrize("data", ["ap:a:999999:", "ap:r:999999:", "ap:b:999999:", "ap:x:999999:tx"])
async def test_a_tap_forged_for_a_request_that_never_was_sends_nothing(
    bot: BotUnderTest, manager: SimUser, admin: SimUser, standin: BotApiStandin, data: str
):
    await held_summary(bot, manager)
    asked = await request_message(admin)
    query_id = await forge_tap(standin, admin, asked, data)
    answer = await admin.wait_for_callback_answer(query_id)
    assert (answer.text, answer.show_alert) == (RU("approval.gone"), True)
    assert creates(bot) == []
    assert (await latest_request(bot, manager.user_id)).state is ApprovalState.WAITING


@pytest.mark.parametrize("data", ["ap:a:abc:", "ap:a::", "ap:q:1:", "ap:a:1:2:3", "ap:a:1"])
async def test_a_malformed_approval_tap_is_answered_and_sends_nothing(
    bot: BotUnderTest, manager: SimUser, admin: SimUser, standin: BotApiStandin, data: str
):
    await held_summary(bot, manager)
    asked = await request_message(admin)
    query_id = await forge_tap(standin, admin, asked, data)
    answer = await admin.wait_for_callback_answer(query_id)
    assert answer.text == RU("fallback.button_unavailable")  # no handler takes it
    assert creates(bot) == []
    assert (await latest_request(bot, manager.user_id)).state is ApprovalState.WAITING


async def test_an_expired_request_says_so_everywhere_and_sends_nothing(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    summary = await held_summary(bot, manager)
    asked = await request_message(admin)
    assert bot.app is not None
    later = bot.app.clock.now() + REQUEST_LIFETIME + timedelta(minutes=1)
    bot.app.clock.source = lambda: later
    sweeper = bot.app.dispatcher[expiry.SWEEPER]
    assert [request.state for request in await sweeper.sweep()] == [ApprovalState.EXPIRED]

    hours = int(REQUEST_LIFETIME.total_seconds() // 3600)
    told = await reply_with(manager, head(RU.plural("approval.told_expired", hours)))
    assert told.message_id == summary.message_id
    expired = await reply_with(admin, plain(RU("approval.expired")))
    assert expired.message_id == asked.message_id and not expired.inline_keyboard
    assert (await current_draft(bot, manager)).state is DraftState.ABANDONED

    await admin.send_callback(button_data(asked, RU("approval.button_approve")), asked)
    answer = await admin.wait_for_callback_answer()
    assert answer.text == RU("approval.expired_toast")
    assert creates(bot) == []
    assert (None, "approval.expire") in await audit_actions(bot)


async def test_an_approve_after_the_time_is_up_expires_the_request_itself(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    await held_summary(bot, manager)
    asked = await request_message(admin)
    assert bot.app is not None
    later = bot.app.clock.now() + REQUEST_LIFETIME + timedelta(minutes=1)
    bot.app.clock.source = lambda: later  # the sweep has not come by yet
    await admin.tap(RU("approval.button_approve"), asked)
    answer = await admin.wait_for_callback_answer()
    assert answer.text == RU("approval.expired_toast")
    hours = int(REQUEST_LIFETIME.total_seconds() // 3600)
    await reply_with(manager, head(RU.plural("approval.told_expired", hours)))
    assert creates(bot) == []
    assert (await latest_request(bot, manager.user_id)).state is ApprovalState.EXPIRED


async def test_the_sweep_runs_by_itself(
    bot: BotUnderTest, manager: SimUser, admin: SimUser, monkeypatch: pytest.MonkeyPatch
):
    await held_summary(bot, manager)
    await request_message(admin)
    monkeypatch.setattr(expiry, "SWEEP_EVERY_SECONDS", 0.1)
    await bot.restart()
    assert bot.app is not None
    later = bot.app.clock.now() + REQUEST_LIFETIME + timedelta(minutes=1)
    bot.app.clock.source = lambda: later
    hours = int(REQUEST_LIFETIME.total_seconds() // 3600)
    await reply_with(manager, head(RU.plural("approval.told_expired", hours)))
    assert (await latest_request(bot, manager.user_id)).state is ApprovalState.EXPIRED


async def test_a_scheduled_send_waits_no_longer_than_its_time(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    await set_limits(bot, recipients=1)
    prompt = await start_send(manager)
    await pick_book(manager, prompt)
    time_prompt = await type_text(manager, "In an hour")
    await manager.tap(RU("send.button_in_hour"), time_prompt)
    summary = await prompt_with(manager, summary_head())
    await confirm(manager, summary)
    await reply_with(manager, WAITING)
    request = await latest_request(bot, manager.user_id)
    draft = await current_draft(bot, manager)
    assert draft.date_send is not None and request.expires_at == draft.date_send


async def test_the_requester_cannot_approve_their_own_request(
    bot: BotUnderTest, manager: SimUser, admin: SimUser, standin: BotApiStandin
):
    waiting = await held_summary(bot, manager)
    asked = await request_message(admin)
    data = button_data(asked, RU("approval.button_approve"))
    # As a manager, the button is not theirs at all.
    query_id = await forge_tap(standin, manager, waiting, data)
    assert (await manager.wait_for_callback_answer(query_id)).text == RU("admin.not_allowed")
    # Made an admin while the request waits: still not their own request.
    await bot.store.users.set_role(manager.user_id, Role.ADMIN)
    query_id = await forge_tap(standin, manager, waiting, data)
    assert (await manager.wait_for_callback_answer(query_id)).text == RU("approval.own_request")
    reject = data.replace("ap:a:", "ap:x:") + "rc"
    query_id = await forge_tap(standin, manager, waiting, reject)
    assert (await manager.wait_for_callback_answer(query_id)).text == RU("approval.own_request")
    assert creates(bot) == []
    assert (await latest_request(bot, manager.user_id)).state is ApprovalState.WAITING


async def test_the_requesters_own_confirm_does_nothing_while_it_waits(
    bot: BotUnderTest, manager: SimUser, admin: SimUser, standin: BotApiStandin
):
    waiting = await held_summary(bot, manager)
    draft = await current_draft(bot, manager)
    query_id = await forge_tap(standin, manager, waiting, ConfirmCallback(draft_id=draft.id).pack())
    assert (await manager.wait_for_callback_answer(query_id)).text == RU("send.already_waiting")
    assert not await bot.store.drafts.claim_for_sending(draft.id)  # SQL says the same
    assert await bot.store.drafts.update_content(draft.id, text="changed") is None
    assert creates(bot) == []


async def test_an_admins_own_big_send_is_not_held(bot: BotUnderTest, admin: SimUser):
    await set_limits(bot, recipients=1)
    summary = await summary_for_book(admin)
    await confirm(admin, summary)
    await reply_with(admin, card_head())
    assert len(creates(bot)) == 1
    assert await bot.store.db.fetchone("SELECT id FROM approval_requests") is None


async def test_a_send_within_the_limits_is_not_held(bot: BotUnderTest, manager: SimUser):
    await set_limits(bot, recipients=2, parts=2)
    summary = await summary_for_book(manager)
    await confirm(manager, summary)
    await reply_with(manager, card_head())
    assert len(creates(bot)) == 1


async def test_the_parts_and_cost_limits_hold_a_send(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    await set_limits(bot, cost=Decimal("0.50"), price=Decimal("0.35"))
    summary = await summary_for_book(manager)  # 2 numbers × 1 part × 0,35 ₽ = 0,70 ₽
    await confirm(manager, summary)
    await reply_with(manager, WAITING)
    asked = await request_message(admin)
    assert plain(RU("approval.cost", cost=RU.money(Decimal("0.70")))) in (asked.text or "")
    assert plain(RU("approval.above_cost", limit=RU.money(Decimal("0.50")))) in (asked.text or "")

    await set_limits(bot, parts=1)
    second = await summary_for_book(manager, "Second")
    await confirm(manager, second)
    await reply_with(manager, WAITING)
    asked = await request_message(admin)
    assert plain(RU("approval.above_parts", limit=1)) in (asked.text or "")
    assert creates(bot) == []


async def test_a_cost_limit_without_a_price_holds_nothing(bot: BotUnderTest, manager: SimUser):
    await set_limits(bot, cost=Decimal("0.01"))
    summary = await summary_for_book(manager)
    await confirm(manager, summary)
    await reply_with(manager, card_head())
    assert len(creates(bot)) == 1


async def test_the_service_down_at_approval_keeps_the_request_waiting(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    summary = await held_summary(bot, manager)
    asked = await request_message(admin)
    bot.emulator.state.faults.update({"down": True})
    await admin.tap(RU("approval.button_approve"), asked)
    again = await admin.wait_for_reply(
        lambda m: m.message_id == asked.message_id and bool(m.inline_keyboard)
    )
    assert plain(RU("sms_errors.unavailable")) in (again.text or "")
    assert (await latest_request(bot, manager.user_id)).state is ApprovalState.WAITING
    assert (await current_draft(bot, manager)).state is DraftState.PENDING
    assert creates(bot) == []

    bot.emulator.state.faults.update({"down": False})
    await admin.tap(RU("approval.button_approve"), again)
    card = await reply_with(manager, card_head())
    assert card.message_id == summary.message_id
    assert len(creates(bot)) == 1


async def test_a_lost_answer_at_approval_is_unknown_and_never_sent_again(
    bot: BotUnderTest, manager: SimUser, admin: SimUser, standin: BotApiStandin
):
    await held_summary(bot, manager)
    asked = await request_message(admin)
    bot.emulator.state.faults.update({"lose_create_rate": 1.0})
    await admin.tap(RU("approval.button_approve"), asked)
    await reply_with(manager, head(RU("send.outcome_unknown")))
    await reply_with(admin, plain(RU("approval.approved_unknown", admin="Alla")))
    bot.emulator.state.faults.update({"lose_create_rate": 0.0})
    query_id = await forge_tap(
        standin, admin, asked, button_data(asked, RU("approval.button_approve"))
    )
    answer = await admin.wait_for_callback_answer(query_id)
    assert answer.text == RU("approval.already_approved_unnumbered", admin="Alla")
    assert len(creates(bot)) == 1
    assert (await current_draft(bot, manager)).state is DraftState.UNKNOWN


async def test_a_crash_mid_approval_is_settled_at_start_and_never_resent(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    await held_summary(bot, manager)
    asked = await request_message(admin)
    request = await latest_request(bot, manager.user_id)
    assert await bot.store.approvals.claim(request.id, admin.user_id)  # the crash came here

    await bot.restart()

    await reply_with(admin, head(RU("approval.approved_unknown", admin=CUT)))
    settled = await latest_request(bot, manager.user_id)
    assert settled.state is ApprovalState.APPROVED
    assert (await current_draft(bot, manager)).state is DraftState.UNKNOWN
    await admin.send_callback(button_data(asked, RU("approval.button_approve")), asked)
    answer = (await admin.wait_for_callback_answer()).text or ""
    assert answer.startswith(head(RU("approval.already_approved_unnumbered", admin=CUT)))
    assert creates(bot) == []


async def test_every_admin_but_the_requester_is_asked(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    boris = await stored_admin(bot)
    await held_summary(bot, manager)
    await request_message(admin)
    await request_message(boris)
    request = await latest_request(bot, manager.user_id)
    told = {admin_id for admin_id, _ in await bot.store.approvals.messages(request.id)}
    assert told == {admin.user_id, boris.user_id}
