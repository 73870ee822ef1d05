""" "📱 Test to me" on the summary: the number shared once with the contact button (the
user's own contact only), one dispatch per tap to that number, and the summary back in
place with the dispatch's number."""

from __future__ import annotations

from storage import DraftState
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from tests.support.harness import BotUnderTest
from tests.support.send import (
    RU,
    card_head,
    confirm,
    creates,
    current_draft,
    reply_with,
    summary_for_book,
    summary_head,
)
from tests.support.texts import CUT, head, plain
from tests.support.waiting import updates_handled

TEST_BUTTON = RU("send.button_test_to_me")


def data_of_the_test_button(summary: StandinMessage) -> str:
    found = summary.find_button(TEST_BUTTON)
    assert found is not None, summary.button_texts()
    return str(found["callback_data"])


async def share_own_number(user: SimUser, summary: StandinMessage) -> None:
    """Tap the test without a number: the contact button comes; share the contact."""
    await user.tap(TEST_BUTTON, summary)
    assert (await user.wait_for_callback_answer()).text == RU("send.test_share_first")
    prompt = await reply_with(user, head(RU("send.test_share_prompt")))
    assert prompt.reply_keyboard is not None
    await user.share_contact()
    await reply_with(user, head(RU("send.contact_saved", phone=CUT)))


async def test_a_test_goes_once_to_the_senders_own_number_and_the_summary_stays(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager, "Check me")
    draft = await current_draft(bot, manager)
    await share_own_number(manager, summary)
    assert await bot.store.own_phones.get(manager.user_id) == manager.phone_number
    assert manager.reply_keyboard is not None
    assert RU("menu.send") in str(manager.reply_keyboard)  # the menu came back

    await manager.tap(TEST_BUTTON, summary)
    dispatch_id_line = head(RU("send.test_sent", id=CUT, phone=CUT))
    back = await reply_with(manager, dispatch_id_line)
    assert back.message_id == summary.message_id  # the same summary, edited in place
    assert summary_head() in (back.text or "") and RU("send.button_confirm") in back.button_texts()
    posts = creates(bot)
    assert [post["body"]["phonesList"] for post in posts] == [[manager.phone_number.lstrip("+")]]
    assert posts[0]["body"]["message"] == "Check me"
    test_id = max(bot.emulator.state.dispatches)
    assert f"№{test_id}" in (back.text or "")
    entry = next(e for e in await bot.store.audit.recent(5) if e.action == "dispatch.create")
    assert entry.details["test"] == "to self" and entry.dispatch_id == test_id

    # The draft itself is untouched: it is still confirmed as usual.
    kept = await bot.store.drafts.get(draft.id)
    assert kept is not None and kept.state is DraftState.PENDING
    await confirm(manager, back)
    await reply_with(manager, card_head())
    assert len(creates(bot)) == 2


async def test_without_a_shared_number_nothing_is_sent_and_the_contact_button_is_offered(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager)
    await manager.tap(TEST_BUTTON, summary)
    answer = await manager.wait_for_callback_answer()
    assert answer.text == RU("send.test_share_first")
    prompt = await reply_with(manager, head(RU("send.test_share_prompt")))
    assert prompt.reply_keyboard is not None
    assert any(
        button.get("request_contact")
        for row in prompt.reply_keyboard["keyboard"]
        for button in row
        if isinstance(button, dict)
    )
    await updates_handled(bot)
    assert creates(bot) == []
    assert await bot.store.own_phones.get(manager.user_id) is None
    assert (await current_draft(bot, manager)).state is DraftState.PENDING


async def test_a_double_tap_makes_one_test_and_the_next_summary_the_next(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager)
    await share_own_number(manager, summary)
    data = data_of_the_test_button(summary)
    first = await manager.send_callback(data, summary)
    second = await manager.send_callback(data, summary)  # before any answer
    back = await reply_with(manager, head(RU("send.test_sent", id=CUT, phone=CUT)))
    answers = {
        (await manager.wait_for_callback_answer(tap["callback_query"]["id"])).text
        for tap in (first, second)
    }
    test_id = max(bot.emulator.state.dispatches)
    assert answers == {RU("send.test_sending"), RU("send.test_already", id=test_id)}
    await updates_handled(bot)
    assert len(creates(bot)) == 1

    assert data_of_the_test_button(back) != data  # a new summary, a new test
    await manager.tap(TEST_BUTTON, back)
    await reply_with(manager, f"№{test_id + 1}")
    assert len(creates(bot)) == 2


async def test_a_number_that_is_not_phoenix_is_refused_with_why(
    bot: BotUnderTest, manager: SimUser
):
    manager.phone_number = "+79991234567"
    summary = await summary_for_book(manager)
    await manager.tap(TEST_BUTTON, summary)
    await manager.wait_for_callback_answer()
    await reply_with(manager, head(RU("send.test_share_prompt")))
    await manager.share_contact()
    await reply_with(manager, head(RU("send.contact_not_phoenix", phone=CUT)))
    await manager.tap(TEST_BUTTON, summary)
    answer = await manager.wait_for_callback_answer()
    assert answer.text == plain(RU("send.test_not_phoenix", phone="+79991234567"))
    assert answer.show_alert
    await updates_handled(bot)
    assert creates(bot) == []


async def test_someone_elses_contact_is_refused_and_not_kept(bot: BotUnderTest, manager: SimUser):
    summary = await summary_for_book(manager)
    await manager.send_contact("+380711119999", "Colleague", user_id=555)
    await reply_with(manager, RU("send.contact_not_yours"))
    await manager.send_contact("+380711118888", "Not on Telegram")  # no user id at all
    await reply_with(manager, RU("send.contact_not_yours"))
    assert await bot.store.own_phones.get(manager.user_id) is None
    await manager.tap(TEST_BUTTON, summary)
    assert (await manager.wait_for_callback_answer()).text == RU("send.test_share_first")
    await updates_handled(bot)
    assert creates(bot) == []


async def test_not_now_brings_the_menu_back(bot: BotUnderTest, manager: SimUser):
    summary = await summary_for_book(manager)
    await manager.tap(TEST_BUTTON, summary)
    await reply_with(manager, head(RU("send.test_share_prompt")))
    await manager.tap_reply(RU("send.button_not_now"))
    await reply_with(manager, RU("send.contact_not_now"))
    assert RU("menu.send") in str(manager.reply_keyboard)
    assert (await current_draft(bot, manager)).state is DraftState.PENDING


async def test_a_stopped_own_number_gets_no_test(bot: BotUnderTest, manager: SimUser):
    summary = await summary_for_book(manager)
    await share_own_number(manager, summary)
    await bot.store.stop_list.add([manager.phone_number.lstrip("+")], None)
    await manager.tap(TEST_BUTTON, summary)
    refused = await reply_with(manager, head(RU("send.test_stopped", phone=CUT)))
    assert refused.message_id == summary.message_id
    assert creates(bot) == []


async def test_the_service_down_leaves_the_summary_with_why(bot: BotUnderTest, manager: SimUser):
    summary = await summary_for_book(manager)
    await share_own_number(manager, summary)
    bot.emulator.state.faults.update({"down": True})
    await manager.tap(TEST_BUTTON, summary)
    refused = await reply_with(manager, plain(RU("sms_errors.unavailable")))
    assert refused.message_id == summary.message_id and refused.inline_keyboard
    assert creates(bot) == []


async def test_an_observer_cannot_make_a_test(
    bot: BotUnderTest, manager: SimUser, observer: SimUser, standin: BotApiStandin
):
    summary = await summary_for_book(manager)
    await observer.send_text("/start")
    message = await observer.wait_for_reply()
    update = await observer.send_callback(data_of_the_test_button(summary), message)
    answer = await observer.wait_for_callback_answer(update["callback_query"]["id"])
    assert answer.text == RU("send.read_only")
    assert creates(bot) == []
