"""The sandbox's team group over HTTP, as the chat page uses it: the group in the config,
the bot in it from the start, its messages in the feed, and members writing and tapping
there as the person the page chose, behind the same guard as every control call."""

from __future__ import annotations

from typing import Any

import httpx

from testbed.sandbox.guard import TOKEN_HEADER
from testbed.sandbox.people import TEAM
from tests.support.sandbox import ADMIN, EN, MANAGER, STRANGER, running_sandbox, wait_for_message
from tests.support.texts import head
from tests.support.waiting import eventually

SCREEN = head(EN("group_alerts.title", title="Team"))
FINAL_OFF = EN("group_alerts.button_final", mark=EN("alerts.mark_off"))
FINAL_ON = EN("group_alerts.button_final", mark=EN("alerts.mark_on"))
GROUP = f"/_standin/groups/{TEAM.chat_id}"


def is_screen(message: dict[str, Any]) -> bool:
    return SCREEN in (message["text"] or "") and bool(message["inline_keyboard"])


async def tap_as(client: httpx.AsyncClient, who: int, button: str, message_id: int) -> Any:
    update = await client.post(
        f"{GROUP}/tap", json={"user_id": who, "button": button, "message_id": message_id}
    )
    assert update.status_code == 200, update.text
    query_id = update.json()["callback_query"]["id"]
    return (await client.get(f"/_sandbox/answers/{query_id}")).json()


async def test_the_team_group_is_on_the_page_and_the_admin_binds_it_there():
    async with running_sandbox() as (sandbox, client):
        config = (await client.get("/_sandbox/config")).json()
        assert config["groups"] == [
            {
                "chat_id": TEAM.chat_id,
                "title": "Team",
                "kind": "group",
                "members": [ADMIN.user_id, MANAGER.user_id, STRANGER.user_id],
            }
        ]

        async def bot_is_in() -> bool:
            return await sandbox.app.store.group_chats.get(TEAM.chat_id) is not None

        await eventually(bot_is_in, timeout=10)  # the admin added it at the start

        written = await client.post(
            f"{GROUP}/text", json={"user_id": ADMIN.user_id, "text": "/alerts"}
        )
        assert written.status_code == 200 and written.json()["sender"]["id"] == ADMIN.user_id
        screen, since = await wait_for_message(client, TEAM.chat_id, is_screen)
        assert screen["inline_keyboard"][0][0]["text"] == FINAL_OFF

        # Tapped as the manager: a toast saying why, and the screen stays.
        answer = await tap_as(client, MANAGER.user_id, FINAL_OFF, screen["message_id"])
        assert answer["text"] == EN("group_alerts.admins_only_tap") and answer["show_alert"]
        # Tapped as the admin: the same message, edited.
        answer = await tap_as(client, ADMIN.user_id, FINAL_OFF, screen["message_id"])
        assert answer["answered"]
        edited, _ = await wait_for_message(
            client, TEAM.chat_id, lambda m: FINAL_ON in str(m["inline_keyboard"]), since=since
        )
        assert edited["message_id"] == screen["message_id"] and edited["edit_date"]

        group = (await client.get(GROUP)).json()
        assert group["chat"]["title"] == "Team" and group["bot_status"] == "member"
        said = [m for m in group["messages"] if not m["from_bot"] and m["text"]]
        assert [(m["sender"]["first_name"], m["text"]) for m in said] == [("Alla", "/alerts")]
        alerts = await sandbox.app.store.group_alerts.get(TEAM.chat_id)
        assert alerts is not None and alerts.final_states


async def test_the_groups_calls_answer_only_the_page():
    async with running_sandbox() as (sandbox, client):
        body = {"user_id": ADMIN.user_id, "text": "/alerts"}
        async with httpx.AsyncClient(base_url=sandbox.url) as bare:
            assert (await bare.get(GROUP)).status_code == 403  # no token
            assert (await bare.post(f"{GROUP}/text", json=body)).status_code == 403
        token = {TOKEN_HEADER: sandbox.page_token}
        elsewhere = await client.post(
            f"{GROUP}/text", json=body, headers={**token, "Origin": "http://evil.example"}
        )
        assert elsewhere.status_code == 403
        form = await client.post(f"{GROUP}/text", data={"user_id": "1001", "text": "/alerts"})
        assert form.status_code == 415
        assert (
            await client.post(f"{GROUP}/text", json={"user_id": 9, "text": "x"})
        ).status_code == 404
        assert await sandbox.app.store.group_alerts.get(TEAM.chat_id) is None
