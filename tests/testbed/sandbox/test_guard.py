"""The sandbox answers only the page it served: without the page's token, under a
foreign Host, from a foreign Origin or with a body that is not JSON, a control call is
refused and changes nothing; the page's own calls work; the Bot API is left alone."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from aiohttp.test_utils import make_mocked_request

from testbed.sandbox.guard import TOKEN_HEADER, PageGuard, exposure_warning, is_loopback
from testbed.sandbox.runner import Sandbox
from tests.support.sandbox import MANAGER, page_token, running_sandbox


def chat_length(sandbox: Sandbox) -> int:
    return len(sandbox.standin.state.chats[MANAGER.user_id].messages)


def port_of(sandbox: Sandbox) -> int:
    return int(sandbox.standin.url.rsplit(":", 1)[1])


async def test_the_page_carries_the_token_and_its_own_calls_work():
    async with running_sandbox() as (sandbox, client):
        page = await client.get("/")
        token = page_token(page.text)
        assert token == sandbox.page_token and len(token) >= 32
        config = await client.get("/_sandbox/config", headers={TOKEN_HEADER: token})
        assert config.status_code == 200
        origin = f"http://127.0.0.1:{port_of(sandbox)}"
        sent = await client.post(
            f"/_standin/users/{MANAGER.user_id}/text",
            json={"text": "/start"},
            headers={TOKEN_HEADER: token, "Origin": origin},
        )
        assert sent.status_code == 200 and chat_length(sandbox) == 1


CONTROL_CALLS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", f"/_standin/users/{MANAGER.user_id}/text", {"text": "/start"}),
    ("POST", "/_standin/users", {"user_id": 9, "first_name": "Mallory"}),
    ("POST", "/_sandbox/emulator/balance", {"set": 0}),
    ("POST", "/_sandbox/emulator/faults", {"down": True}),
    ("GET", f"/_standin/chats/{MANAGER.user_id}", None),
    ("GET", "/_sandbox/feed?wait=0", None),
    ("GET", "/_sandbox/config", None),
    ("GET", "/_standin/calls", None),
]


async def unchanged(sandbox: Sandbox, client: httpx.AsyncClient, users: int) -> None:
    assert chat_length(sandbox) == 0
    assert len(sandbox.standin.users) == users
    state = (await client.get("/_sandbox/emulator/state")).json()["state"]
    assert state["balance"]["balance"] == 42.0 and state["faults"]["down"] is False


async def test_without_the_token_nothing_is_read_or_changed():
    async with running_sandbox() as (sandbox, client):
        users = len(sandbox.standin.users)
        async with httpx.AsyncClient(base_url=sandbox.url) as other:
            for method, path, body in CONTROL_CALLS:
                for token in (None, "", "wrong-token", sandbox.page_token[:-1]):
                    headers = {TOKEN_HEADER: token} if token is not None else {}
                    answer = await other.request(method, path, json=body, headers=headers)
                    assert answer.status_code == 403, (path, token, answer.text)
                    assert TOKEN_HEADER in answer.json()["error"]
        await unchanged(sandbox, client, users)


async def test_a_foreign_host_is_refused_even_for_the_page():
    async with running_sandbox() as (sandbox, client):
        users = len(sandbox.standin.users)
        port = port_of(sandbox)
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1:1", f"[::2]:{port}"):
            foreign = {"Host": host}
            page = await client.get("/", headers=foreign)
            assert page.status_code == 403 and sandbox.page_token not in page.text, host
            for method, path, body in CONTROL_CALLS:
                answer = await client.request(method, path, json=body, headers=foreign)
                assert answer.status_code == 403, (host, path)
        await unchanged(sandbox, client, users)


async def test_the_loopback_names_of_its_own_port_are_its_own():
    async with running_sandbox() as (sandbox, client):
        for name in ("localhost", "LOCALHOST", "127.0.0.1", "[::1]"):
            answer = await client.get("/", headers={"Host": f"{name}:{port_of(sandbox)}"})
            assert answer.status_code == 200, name


async def test_a_foreign_origin_changes_nothing():
    async with running_sandbox() as (sandbox, client):
        users = len(sandbox.standin.users)
        for origin in ("http://evil.example", "null", "http://127.0.0.1:1"):
            for method, path, body in CONTROL_CALLS:
                if method != "POST":
                    continue
                refused = await client.post(path, json=body, headers={"Origin": origin})
                assert refused.status_code == 403, (origin, path)
                assert "Origin" in refused.json()["error"]
        await unchanged(sandbox, client, users)


NOT_JSON = [
    ("text/plain", b'{"text": "/start"}'),
    ("application/x-www-form-urlencoded", b"text=%2Fstart"),
    (
        "multipart/form-data; boundary=x",
        b"--x\r\nContent-Disposition: form-data; name=t\r\n\r\n/start\r\n--x--\r\n",
    ),
    (None, b'{"text": "/start"}'),
]


async def test_a_body_that_is_not_json_is_refused_with_415():
    async with running_sandbox() as (sandbox, client):
        users = len(sandbox.standin.users)
        for content_type, content in NOT_JSON:
            headers = {"Content-Type": content_type} if content_type else {}
            for method, path, _ in CONTROL_CALLS:
                if method != "POST":
                    continue
                refused = await client.post(path, content=content, headers=headers)
                assert refused.status_code == 415, (content_type, path)
        await unchanged(sandbox, client, users)


async def test_the_bot_api_itself_is_not_the_pages_business():
    async with running_sandbox() as (sandbox, _):
        standin = sandbox.standin
        async with httpx.AsyncClient() as bot_client:
            answer = await bot_client.post(
                f"{standin.url}/bot{standin.token}/getMe", headers={"Host": "api.example"}
            )
        assert answer.status_code == 200 and answer.json()["ok"]


def guard_bound_to(host: str, port: int = 8080) -> PageGuard:
    return PageGuard("t" * 32, host, port)


async def verdict(guard: PageGuard, host: str) -> int:
    request = make_mocked_request("GET", "/", headers={"Host": host})
    refusal = await guard(request)
    return 200 if refusal is None else refusal.status


@pytest.mark.parametrize(
    ("bound", "host", "status"),
    [
        ("0.0.0.0", "192.168.1.20:8080", 200),  # reached by one of the machine's addresses
        ("0.0.0.0", "[fe80::1]:8080", 200),
        ("0.0.0.0", "localhost:8080", 200),
        ("0.0.0.0", "sandbox.example:8080", 403),  # a name: what DNS rebinding sends
        ("0.0.0.0", "192.168.1.20:9090", 403),
        ("0.0.0.0", "192.168.1.20", 403),
        ("192.168.1.20", "192.168.1.20:8080", 200),
        ("192.168.1.20", "127.0.0.1:8080", 200),
        ("192.168.1.20", "192.168.1.21:8080", 403),
        ("127.0.0.1", "0.0.0.0:8080", 403),
        ("127.0.0.1", "", 403),
    ],
)
async def test_which_hosts_a_bound_address_answers(bound: str, host: str, status: int):
    assert await verdict(guard_bound_to(bound), host) == status


async def test_on_port_80_the_host_may_leave_the_port_out():
    guard = guard_bound_to("127.0.0.1", 80)
    assert await verdict(guard, "127.0.0.1") == 200
    assert await verdict(guard, "localhost:80") == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "sandbox.example", ""])
def test_beyond_loopback_a_loud_warning(host: str):
    warning = exposure_warning(host)
    assert warning is not None and warning.startswith("WARNING") and "trusted network" in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1"])
def test_on_loopback_no_warning(host: str):
    assert is_loopback(host) and exposure_warning(host) is None
