"""The deployment files: the compose file, the image's healthcheck and the systemd unit.

No container engine runs here, and PyYAML is not among the project's dependencies, so
the compose file is checked by its structure (two-space YAML, block style), the
healthcheck's Python one-liner is run against a real health listener, and the unit is
read as the INI file it is.
"""

from __future__ import annotations

import asyncio
import configparser
import json
import os
import re
import subprocess
import sys

import pytest

from bot.process import EXIT_NEEDS_A_PERSON
from tests.support.harness import BotUnderTest, free_port
from tests.support.paths import ROOT

COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
UNIT = ROOT / "deploy" / "phoenix-sms-bot.service"


def compose_lines() -> list[str]:
    """The compose file without blank lines and comments."""
    return [
        line
        for line in COMPOSE.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def block(lines: list[str], key: str, indent: int) -> list[str]:
    """The lines under ``key:`` at ``indent`` spaces, up to the next key at that indent."""
    start = lines.index(" " * indent + f"{key}:")
    inside = []
    for line in lines[start + 1 :]:
        if len(line) - len(line.lstrip(" ")) <= indent:
            break
        inside.append(line)
    return inside


def compose_healthcheck() -> list[str]:
    test = next(line for line in compose_lines() if line.strip().startswith("test: "))
    return json.loads(test.split("test: ", 1)[1])  # a YAML flow sequence of strings


def dockerfile_healthcheck() -> list[str]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    found = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", text, re.MULTILINE)
    assert found is not None, "the Dockerfile has no HEALTHCHECK in exec form"
    return json.loads(found.group(1))


def test_the_compose_file_is_two_space_block_yaml() -> None:
    text = COMPOSE.read_text()
    assert "\t" not in text
    for line in compose_lines():
        assert (len(line) - len(line.lstrip(" "))) % 2 == 0, line
        assert re.match(r"^ *(- .+|[A-Za-z_][\w-]*:( .+)?)$", line), line


def test_the_compose_service_has_its_env_file_volume_restart_and_health_listener() -> None:
    lines = compose_lines()
    service = block(block(lines, "services", 0), "bot", 2)
    assert "    env_file: .env" in service
    assert "    restart: unless-stopped" in service
    assert block(service, "volumes", 4) == ["      - phoenix-data:/app/data"]
    environment = [line.strip() for line in block(service, "environment", 4)]
    assert "HEALTH_LISTEN: 127.0.0.1:8080" in environment
    assert "DATABASE_PATH: /app/data/bot.sqlite3" in environment
    assert block(lines, "volumes", 0) == ["  phoenix-data:"]  # a named volume
    assert any(line.strip() == "healthcheck:" for line in service)


def test_compose_and_the_image_check_health_with_the_same_python_one_liner() -> None:
    command = compose_healthcheck()
    assert command[:3] == ["CMD", "python", "-c"] and "/healthz" in command[3]
    assert dockerfile_healthcheck() == command[1:]  # the Dockerfile's CMD says "CMD"


def test_the_image_keeps_the_data_folder_private_and_runs_as_its_user() -> None:
    text = DOCKERFILE.read_text()
    assert "chmod 700 /app/data" in text
    assert re.search(r"^USER phoenix$", text, re.MULTILINE)
    assert "HEALTH_LISTEN=127.0.0.1:8080" in text


def test_the_systemd_unit_is_hardened_and_does_not_restart_what_a_person_must_fix() -> None:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # type: ignore[assignment,method-assign]  # systemd's keys
    unit.read_string(UNIT.read_text())
    service = unit["Service"]
    assert service["User"] not in ("", "root") and service["Group"] == service["User"]
    assert service["ExecStart"].endswith("/python -m bot")
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"] == str(EXIT_NEEDS_A_PERSON)
    hardening = {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "UMask": "0077",
        "StateDirectoryMode": "0700",
    }
    assert {key: service.get(key) for key in hardening} == hardening
    data = f"/var/lib/{service['StateDirectory']}"
    assert service["ReadWritePaths"] == data == service["WorkingDirectory"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.slow  # runs the healthcheck's command as Docker would: a process of its own
async def test_the_healthcheck_passes_against_a_running_bot_and_fails_without_one(
    health_bot: BotUnderTest,
) -> None:
    _, _, code = dockerfile_healthcheck()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}

    def run(listen: str) -> int:
        return subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "HEALTH_LISTEN": listen},
            capture_output=True,
            timeout=30,
        ).returncode

    alive = await asyncio.to_thread(run, str(health_bot.settings.HEALTH_LISTEN))
    nobody = await asyncio.to_thread(run, f"127.0.0.1:{free_port()}")
    assert (alive, nobody) == (0, 1)
