"""The scripted SMS API stand-in of the client's tests (tests/support/sms_stub.py)."""

import httpx

from tests.support.sms_stub import Reply, stub_api


async def test_stub_serves_the_scripted_bytes_and_records_the_request() -> None:
    async with stub_api() as stub, httpx.AsyncClient() as http:
        stub.reply("GET", "/x", Reply(503), Reply(200, b"1"))
        first = await http.get(f"{stub.url}/x?token=t")
        second = await http.get(f"{stub.url}/x")
        third = await http.get(f"{stub.url}/x")
    assert [first.status_code, second.status_code, third.status_code] == [503, 200, 200]
    assert third.content == b"1"
    assert third.headers["X-Frame-Options"] == "DENY"
    assert stub.requests[0].query == {"token": "t"}
    assert len(stub.seen("GET", "/x")) == 3


async def test_stub_can_drop_the_connection() -> None:
    async with stub_api() as stub, httpx.AsyncClient() as http:
        stub.reply("POST", "/x", Reply(drop=True))
        try:
            await http.post(f"{stub.url}/x", json={})
        except httpx.RemoteProtocolError:
            dropped = True
        else:
            dropped = False
    assert dropped
    assert len(stub.seen("POST", "/x")) == 1
