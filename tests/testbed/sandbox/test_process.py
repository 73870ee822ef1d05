"""`python -m bot sandbox` as a newcomer runs it: one line with the page's address, a page
that works, and a clean stop on Ctrl-C or SIGTERM."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from testbed.sandbox.guard import TOKEN_HEADER
from tests.support.paths import ROOT
from tests.support.sandbox import page_token

pytestmark = pytest.mark.slow  # python -m bot sandbox in its own process

URL_LINE = re.compile(r"(http://127\.0\.0\.1:\d+/)")
START_SECONDS = 60.0  # the promise: a working chat within a minute


def sandbox_env(tmp_path: Path) -> dict[str, str]:
    # A real token in the environment or in .env must not be picked up.
    (tmp_path / ".env").write_text("BOT_TOKEN=5:from-an-env-file-aaaaaaaaaaaaaaaaaaaaaa\n")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "SMS_API_URL": "http://10.128.1.50:7890",
        "TMPDIR": str(tmp_path),
    }


def leftovers(tmp_path: Path) -> list[Path]:
    """What the sandbox left in its TMPDIR and working folder (a database, a lock)."""
    return [*tmp_path.glob("phoenix-sandbox-*"), *tmp_path.glob("data")]


async def start(tmp_path: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sandbox", "--open-browser", "no", *args,
        cwd=tmp_path, env=sandbox_env(tmp_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


@pytest.fixture
async def sandbox_process(tmp_path: Path) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    process = await start(tmp_path, "--port", "0")
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), START_SECONDS)).decode()
    found = URL_LINE.search(line)
    assert found, line
    yield process, found.group(1)
    if process.returncode is None:
        process.kill()
        await process.wait()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_sandbox_prints_its_url_serves_the_page_and_stops_on_a_signal(
    sandbox_process: tuple[asyncio.subprocess.Process, str], tmp_path: Path, sig: signal.Signals
):
    process, url = sandbox_process
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        page = await client.get("/")
        assert page.status_code == 200 and 'id="phone"' in page.text
        client.headers[TOKEN_HEADER] = page_token(page.text)  # as the page's script does
        await client.post("/_standin/users/2002/text", json={"text": "/balance"})
        feed = {"seq": 0}
        async with asyncio.timeout(20):
            while "42,00" not in str(feed):  # the real bot answered (in Russian, the default)
                feed = (await client.get("/_sandbox/feed", params={"since": 0})).json()
    process.send_signal(sig)
    out, err = await asyncio.wait_for(process.communicate(), 10)
    assert process.returncode == 0, err.decode()
    assert out.decode().strip() == "", "one line only, the URL"
    assert "Traceback" not in err.decode()
    assert "WARNING" not in err.decode()  # on loopback: nothing to warn of
    assert leftovers(tmp_path) == [], "the temporary database is left behind"


async def test_bound_beyond_loopback_it_warns_loudly_and_still_refuses_foreign_names(
    tmp_path: Path,
):
    process = await start(tmp_path, "--host", "0.0.0.0", "--port", "0")
    assert process.stdout is not None and process.stderr is not None
    try:
        warning = (await asyncio.wait_for(process.stderr.readline(), START_SECONDS)).decode()
        ready = (await asyncio.wait_for(process.stdout.readline(), START_SECONDS)).decode()
        assert warning.startswith("sandbox: WARNING: the sandbox listens on 0.0.0.0"), warning
        assert "trusted network" in warning
        port = int(re.search(r"http://0\.0\.0\.0:(\d+)/", ready).group(1))  # type: ignore[union-attr]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            assert (await client.get("/")).status_code == 200
            rebound = await client.get("/", headers={"Host": f"sandbox.example:{port}"})
            assert rebound.status_code == 403
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), 10)


async def test_a_taken_port_is_refused_in_one_line(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = await start(tmp_path, "--port", str(port))
        out, err = await asyncio.wait_for(process.communicate(), START_SECONDS)
    assert process.returncode == 1
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0] and "--port" in lines[0], lines
    assert out == b""
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "args", [["--pace", "0"], ["--port", "70000"], ["--language", "de"], ["--poll-interval", "0"]]
)
async def test_bad_options_are_refused_with_usage(tmp_path: Path, args: list[str]):
    process = await start(tmp_path, *args)
    _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert "usage: python -m bot sandbox" in err.decode()
