"""Sharing a contact as Telegram's apps do: the reply keyboard's request_contact button
sends the user's own contact (with their user_id); a contact card from the address book
is someone else's."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from testbed.standin import BotApiStandin, SimUser

SHARE = "📱 Share my number"


async def offer_the_button(standin: BotApiStandin, user: SimUser) -> None:
    markup = {
        "keyboard": [[{"text": SHARE, "request_contact": True}], ["Not now"]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }
    await standin.methods.call(
        "sendMessage", {"chat_id": user.chat_id, "text": "Share?", "reply_markup": markup}
    )


async def updates(standin: BotApiStandin) -> list[dict[str, Any]]:
    return await standin.methods.call("getUpdates", {"timeout": 0})


async def test_the_contact_button_sends_the_users_own_contact(standin: BotApiStandin) -> None:
    ann = standin.user(41, first_name="Ann", phone_number="+380711234567")
    await offer_the_button(standin, ann)
    shared = await ann.share_contact()
    own = {"phone_number": "+380711234567", "first_name": "Ann", "user_id": 41}
    assert shared.contact == own and shared.text is None
    update = (await updates(standin))[-1]
    assert update["message"]["contact"] == own
    assert update["message"]["from"]["id"] == 41


async def test_tapping_the_contact_button_by_its_text_shares_too(standin: BotApiStandin) -> None:
    ann = standin.user(42)
    await offer_the_button(standin, ann)
    shared = await ann.tap_reply(SHARE)
    assert shared.contact is not None and shared.contact["user_id"] == 42
    assert shared.contact["phone_number"] == ann.phone_number == "+380710000042"
    plain = await ann.tap_reply("Not now")  # a plain button is its text, as before
    assert plain.text == "Not now" and plain.contact is None


async def test_no_contact_button_no_sharing(standin: BotApiStandin) -> None:
    ann = standin.user(43)
    with pytest.raises(LookupError, match="no request_contact button"):
        await ann.share_contact()


async def test_a_contact_card_carries_someone_elses_user_id_or_none(
    standin: BotApiStandin,
) -> None:
    ann = standin.user(44)
    card = await ann.send_contact("+380711110000", "Boris", user_id=99, last_name="B")
    assert card.contact == {
        "phone_number": "+380711110000", "first_name": "Boris", "last_name": "B", "user_id": 99,
    }  # fmt: skip
    bare = await ann.send_contact("+380711110001", "Offline")
    assert bare.contact == {"phone_number": "+380711110001", "first_name": "Offline"}


async def test_the_control_api_shares_a_contact_for_the_sandbox_page(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    ann = standin.user(45)
    await offer_the_button(standin, ann)
    async with http.post(f"{standin.url}/_standin/users/45/reply_tap", json={"text": SHARE}) as r:
        assert r.status == 200
    async with http.get(f"{standin.url}/_standin/chats/45") as response:
        chat = await response.json()
    assert chat["messages"][-1]["contact"]["user_id"] == 45
