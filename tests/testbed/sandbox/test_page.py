"""The sandbox over HTTP, as the chat page uses it: the page's files, the people, the
chat feed, tap answers, the command menu and the emulator's side panel.

The real bot runs behind all of it, wired as `python -m bot` wires it."""

from __future__ import annotations

import asyncio
import base64
import time
from pathlib import Path

import pytest

from handlers.common.i18n import DEFAULT_LANGUAGE
from storage import Role
from testbed.sandbox.options import SandboxOptions
from testbed.sandbox.runner import sandbox_settings
from tests.support.paths import ROOT
from tests.support.sandbox import (
    ADMIN,
    EN,
    MANAGER,
    STRANGER,
    running_sandbox,
    wait_for_message,
)
from tests.support.send import step_head
from tests.support.texts import head, plain

JSON = "application/json"


async def test_the_page_and_its_two_files_are_served_with_a_same_origin_policy():
    async with running_sandbox() as (_, client):
        page = await client.get("/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert 'id="messages"' in page.text and "/page/app.js" in page.text
        policy = page.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        script = await client.get("/page/app.js")
        assert script.headers["content-type"].startswith("text/javascript")
        assert "innerHTML" not in script.text.replace("Nothing is ever assigned to innerHTML", "")
        style = await client.get("/page/style.css")
        assert style.headers["content-type"].startswith("text/css")
        for other in ("/page/runner.py", "/page/index.html", "/page/..%2Frunner.py", "/nothing"):
            assert (await client.get(other)).status_code == 404, other


def test_the_page_loads_nothing_from_outside():
    root = ROOT / "testbed" / "sandbox" / "page"
    for name in ("index.html", "app.js", "style.css"):
        text = (root / name).read_text()
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", ""), name
        assert "https://" not in text, name
        assert "@import" not in text and "url(" not in text, name


async def test_config_names_the_admin_the_manager_and_the_stranger():
    async with running_sandbox() as (sandbox, client):
        config = (await client.get("/_sandbox/config")).json()
        kinds = {person["kind"]: person for person in config["people"]}
        assert list(kinds) == ["admin", "manager", "stranger"]
        assert kinds["admin"]["user_id"] in sandbox.app.settings.ADMIN_IDS
        assert kinds["manager"]["role"] == "manager" and kinds["stranger"]["role"] is None
        assert config["bot"]["is_bot"] and config["language"] == "en"


async def test_no_token_reaches_the_page():
    async with running_sandbox() as (sandbox, client):
        answers = [
            (await client.get(path)).text
            for path in ("/", "/page/app.js", "/_sandbox/config", "/_sandbox/feed?wait=0")
        ]
        answers.append((await client.get("/_sandbox/emulator/state")).text)
        secrets = sandbox.app.settings.secrets()
        assert all(secret not in answer for secret in secrets for answer in answers)


async def test_the_bot_is_the_production_wiring_with_local_urls():
    async with running_sandbox() as (sandbox, _):
        settings = sandbox.app.settings
        assert settings.TELEGRAM_API_URL == sandbox.standin.url
        assert settings.SMS_API_URL == sandbox.emulator.url
        assert settings.SMS_API_TOKEN.get_secret_value() == sandbox.emulator.token
        assert settings.BOT_TOKEN.get_secret_value() == sandbox.standin.token
        assert settings.DATABASE_PATH.name == "bot.sqlite3"
        manager = await sandbox.app.store.users.get(MANAGER.user_id)
        assert manager is not None and manager.role is Role.MANAGER
    assert not settings.DATABASE_PATH.parent.exists()  # the temporary database is gone


def test_sandbox_settings_ignore_the_env_file_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / ".env").write_text("BOT_TOKEN=999:real-token-from-the-file-xxxxxxxx\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SMS_API_URL", "http://10.128.1.50:7890")
    monkeypatch.setenv("ADMIN_IDS", "42")
    options = SandboxOptions()
    settings = sandbox_settings(
        options, "http://127.0.0.1:1", "http://127.0.0.1:2", tmp_path / "db.sqlite3"
    )
    assert settings.SMS_API_URL == "http://127.0.0.1:2"
    assert settings.BOT_TOKEN.get_secret_value() == options.bot_token
    assert settings.ADMIN_IDS == {ADMIN.user_id}


async def test_the_feed_waits_for_news_and_then_gives_only_what_is_new():
    async with running_sandbox() as (_, client):
        seq = (await client.get("/_sandbox/feed", params={"wait": 0})).json()["seq"]
        started = time.monotonic()
        quiet = (await client.get("/_sandbox/feed", params={"since": seq, "wait": 0.3})).json()
        assert time.monotonic() - started >= 0.25
        assert quiet == {"seq": seq, "reset": False, "chats": {}}

        waiting = asyncio.create_task(client.get("/_sandbox/feed", params={"since": seq}))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        await client.post(f"/_standin/users/{MANAGER.user_id}/text", json={"text": "/start"})
        feed = (await asyncio.wait_for(waiting, 5)).json()
        events = feed["chats"][str(MANAGER.user_id)]["events"]
        assert events[0]["kind"] == "sent" and events[0]["message"]["text"] == "/start"
        assert all(event["seq"] > seq for event in events)

        greeting, _ = await wait_for_message(
            client, MANAGER.user_id, lambda m: "Max" in (m["text"] or ""), since=seq
        )
        assert head(EN("start.greeting_manager", name="Max")) in greeting["text"]
        assert greeting["reply_keyboard"]["keyboard"]


async def test_a_page_older_than_the_standin_gets_everything_again():
    async with running_sandbox() as (_, client):
        await client.post(f"/_standin/users/{ADMIN.user_id}/text", json={"text": "hello"})
        feed = (await client.get("/_sandbox/feed", params={"since": 10_000, "wait": 0})).json()
        assert feed["reset"] is True
        assert feed["chats"][str(ADMIN.user_id)]["events"][0]["message"]["text"] == "hello"


@pytest.mark.parametrize(
    "query", [{"since": "soon"}, {"wait": "-1"}, {"wait": "nan"}, {"wait": "forever"}]
)
async def test_bad_feed_queries_are_refused(query: dict[str, str]):
    async with running_sandbox() as (_, client):
        assert (await client.get("/_sandbox/feed", params=query)).status_code == 400


async def test_the_stranger_asks_and_the_admin_approves_in_their_own_chat():
    async with running_sandbox() as (sandbox, client):
        await client.post(f"/_standin/users/{STRANGER.user_id}/text", json={"text": "hi"})
        asked, _ = await wait_for_message(client, STRANGER.user_id, lambda m: True)
        assert asked["text"] == plain(EN("access.requested"))
        board, _ = await wait_for_message(
            client, ADMIN.user_id, lambda m: bool(m["inline_keyboard"])
        )
        assert "Stan" in board["text"] and str(STRANGER.user_id) in board["text"]
        [pending] = await sandbox.app.store.access_requests.pending()
        approve = EN("access.button_list_manager", id=pending.id)
        tapped = await client.post(
            f"/_standin/users/{ADMIN.user_id}/tap",
            json={"button": approve, "message_id": board["message_id"]},
        )
        assert tapped.status_code == 200
        welcome, _ = await wait_for_message(
            client, STRANGER.user_id, lambda m: "🎉" in (m["text"] or "")
        )
        assert welcome["text"] == plain(EN("access.welcome_manager"))
        # The page's chips read the roles the bot has now: the stranger is a manager.
        roles = {p["user_id"]: p["role"] for p in (await client.get("/_sandbox/people")).json()}
        assert roles == {
            ADMIN.user_id: "admin",
            MANAGER.user_id: "manager",
            STRANGER.user_id: "manager",
        }


async def test_a_taps_answer_is_waited_for_and_given_to_the_page():
    async with running_sandbox() as (_, client):
        await client.post(f"/_standin/users/{MANAGER.user_id}/text", json={"text": "/balance"})
        screen, _ = await wait_for_message(
            client, MANAGER.user_id, lambda m: bool(m["inline_keyboard"])
        )
        assert "42.00" in screen["text"]
        update = (
            await client.post(
                f"/_standin/users/{MANAGER.user_id}/tap",
                json={"button": EN("balance.button_refresh"), "message_id": screen["message_id"]},
            )
        ).json()
        query_id = update["callback_query"]["id"]
        answer = (await client.get(f"/_sandbox/answers/{query_id}")).json()
        assert answer == {
            "answered": True,
            "text": EN("balance.no_changes"),
            "show_alert": False,
            "url": None,
        }
        assert (await client.get("/_sandbox/answers/nope")).status_code == 404


async def test_the_command_menu_is_the_one_telegram_shows_each_person():
    async with running_sandbox() as (_, client):
        admin = (await client.get(f"/_sandbox/commands/{ADMIN.user_id}")).json()
        manager = (await client.get(f"/_sandbox/commands/{MANAGER.user_id}")).json()
        names = [command["command"] for command in admin]
        assert "users" in names and "audit" in names
        assert "send" in [c["command"] for c in manager] and "users" not in str(manager)
        assert {"command": "balance", "description": EN("commands.balance")} in manager
        assert (await client.get("/_sandbox/commands/5")).status_code == 404
        assert (await client.get("/_sandbox/commands/me")).status_code == 400


def test_the_sandbox_opens_in_the_bots_default_language():
    assert SandboxOptions().language == DEFAULT_LANGUAGE == "ru"


async def test_the_russian_sandbox_speaks_russian():
    async with running_sandbox(language="ru") as (_, client):
        await client.post(f"/_standin/users/{MANAGER.user_id}/text", json={"text": "/balance"})
        screen, _ = await wait_for_message(
            client, MANAGER.user_id, lambda m: bool(m["inline_keyboard"])
        )
        assert "Баланс" in screen["text"]
        menu = (await client.get(f"/_sandbox/commands/{MANAGER.user_id}")).json()
        assert {"command": "balance", "description": "Баланс"} in menu


async def test_a_file_of_numbers_uploaded_at_the_numbers_step_is_read_by_the_bot():
    async with running_sandbox() as (_, client):
        await client.post(f"/_standin/users/{MANAGER.user_id}/text", json={"text": "/send"})
        await wait_for_message(client, MANAGER.user_id, lambda m: bool(m["inline_keyboard"]))
        content = base64.b64encode(b"380711112233\n0711112234\n").decode()
        sent = await client.post(
            f"/_standin/users/{MANAGER.user_id}/document",
            json={"filename": "clients.txt", "content_base64": content, "mime_type": "text/plain"},
        )
        assert sent.status_code == 200
        step, _ = await wait_for_message(
            client,
            MANAGER.user_id,
            lambda m: step_head(2, EN) in (m["text"] or ""),
        )
        assert step["inline_keyboard"]


# -- the side panel ----------------------------------------------------------------


async def test_the_panel_state_waits_for_a_change_and_wakes_at_a_top_up():
    async with running_sandbox() as (_, client):
        first = (await client.get("/_sandbox/emulator/state")).json()
        assert first["state"]["balance"]["balance"] == 42.0
        version = first["version"]
        started = time.monotonic()
        same = await client.get("/_sandbox/emulator/state", params={"after": version, "wait": 0.3})
        assert time.monotonic() - started >= 0.25 and same.json()["version"] == version

        waiting = asyncio.create_task(
            client.get("/_sandbox/emulator/state", params={"after": version})
        )
        await asyncio.sleep(0.05)
        topped = await client.post("/_sandbox/emulator/balance", json={"add": 100})
        assert topped.status_code == 200 and topped.json()["balance"] == 142.0
        changed = (await asyncio.wait_for(waiting, 5)).json()
        assert changed["version"] != version
        assert changed["state"]["balance"]["balance"] == 142.0


async def test_the_panel_passes_on_the_emulators_refusals():
    async with running_sandbox() as (_, client):
        missing = await client.post("/_sandbox/emulator/dispatches/999/advance", json={})
        assert missing.status_code == 404 and missing.json()["code"] == "DISPATCH_NOT_FOUND"
        for word in ("abc", "²", "-1"):
            refused = await client.post(f"/_sandbox/emulator/dispatches/{word}/advance", json={})
            assert refused.status_code == 400, word
        lots = await client.post("/_sandbox/emulator/balance", json={"add": "lots"})
        assert lots.status_code == 400 and "add" in lots.json()["message"]
        broken = await client.post(
            "/_sandbox/emulator/balance", content=b"{", headers={"Content-Type": JSON}
        )
        assert broken.status_code == 400
        assert (await client.post("/_sandbox/emulator/clock/advance", json={})).status_code == 404


async def test_draining_the_balance_brings_the_admin_a_low_balance_alert():
    async with running_sandbox() as (_, client):
        drained = await client.post("/_sandbox/emulator/balance", json={"set": 0})
        assert drained.json()["balance"] == 0.0
        alert, _ = await wait_for_message(
            client, ADMIN.user_id, lambda m: plain(EN("notify.low_title")) in (m["text"] or "")
        )
        assert "0.00" in alert["text"] or "0,00" in alert["text"]


async def test_the_api_down_switch_makes_the_bot_say_the_service_does_not_answer():
    async with running_sandbox() as (_, client):
        down = await client.post("/_sandbox/emulator/faults", json={"down": True})
        assert down.status_code == 200 and down.json()["down"] is True
        await client.post(f"/_standin/users/{MANAGER.user_id}/text", json={"text": "/balance"})
        answer, _ = await wait_for_message(client, MANAGER.user_id, lambda m: True, timeout=20)
        # "The SMS service does not answer, ..." (the draft part is for the send steps)
        assert plain(EN("sms_errors.unavailable")).split(",")[0] in answer["text"]
        state = (await client.get("/_sandbox/emulator/state")).json()["state"]
        assert state["faults"]["down"] is True


async def test_a_report_s_chart_reaches_the_page_as_a_picture_only_the_page_can_fetch():
    async with running_sandbox() as (sandbox, client):
        store = sandbox.app.store
        await store.dispatches.track(900001, MANAGER.user_id, "Clients", "Hello", None)
        await store.dispatches.record_observation(900001, "CLOSED", 3, 2, 3, True, None)
        await client.post(f"/_standin/users/{MANAGER.user_id}/text", json={"text": "/report"})
        picker, _ = await wait_for_message(
            client, MANAGER.user_id, lambda m: bool(m["inline_keyboard"])
        )
        await client.post(
            f"/_standin/users/{MANAGER.user_id}/tap",
            json={"button": EN("reports.button_7"), "message_id": picker["message_id"]},
        )
        photo, _ = await wait_for_message(client, MANAGER.user_id, lambda m: bool(m["photo"]))
        largest = photo["photo"][-1]
        fetched = await client.get(f"/_standin/files/{largest['file_id']}")
        assert fetched.status_code == 200 and fetched.headers["content-type"] == "image/png"
        assert fetched.content.startswith(b"\x89PNG") and largest["width"] == 1100
        stranger = await client.get(
            f"/_standin/files/{largest['file_id']}", headers={"X-Sandbox-Token": "wrong"}
        )
        assert stranger.status_code == 403
        script = (ROOT / "testbed" / "sandbox" / "page" / "app.js").read_text(encoding="utf-8")
        assert "function photoNode(sizes)" in script and "/_standin/files/" in script
