"""LOG_FORMAT=json: one JSON object per line, the update's fields when it has them, and the
same secret redaction as the text format."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bot.logging_setup import JsonFormatter
from core.sms.redaction import (
    SecretRedactingFilter,
    install_secret_redaction,
    uninstall_secret_redaction,
)
from tests.support.paths import ROOT

SECRET = "tok-SECRET-123"


@pytest.fixture(autouse=True)
def no_redaction_left_behind() -> Iterator[None]:
    uninstall_secret_redaction()
    yield
    uninstall_secret_redaction()


@pytest.fixture
def json_log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger of its own writing JSON lines into a buffer."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.json_log")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, out
    logger.removeHandler(handler)


def lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_line_has_time_level_logger_and_message(json_log) -> None:
    logger, out = json_log
    logger.warning("Dispatch %d: %s", 42, "Привет")
    (entry,) = lines(out)
    assert set(entry) == {"time", "level", "logger", "message"}
    assert entry["level"] == "WARNING" and entry["logger"] == "tests.json_log"
    assert entry["message"] == "Dispatch 42: Привет"
    assert str(entry["time"]).endswith("+00:00") and "T" in str(entry["time"])


def test_an_updates_fields_are_kept_and_other_extras_are_not(json_log) -> None:
    logger, out = json_log
    logger.info(
        "Update handled",
        extra={
            "update_id": 7,
            "kind": "message",
            "handler": "balance.show_balance",
            "latency_ms": 3.5,
            "phone": "380711234567",  # not a field of the format: never written
        },
    )
    (entry,) = lines(out)
    assert entry["update_id"] == 7 and entry["kind"] == "message"
    assert entry["handler"] == "balance.show_balance" and entry["latency_ms"] == 3.5
    assert "phone" not in entry and "380711234567" not in out.getvalue()


def test_a_traceback_is_one_field_of_the_same_line(json_log) -> None:
    logger, out = json_log
    try:
        raise ValueError("broken")
    except ValueError:
        logger.exception("It failed")
    (entry,) = lines(out)
    assert entry["message"] == "It failed"
    assert "Traceback" in str(entry["exception"]) and "ValueError: broken" in str(
        entry["exception"]
    )


def test_secrets_are_masked_in_message_arguments_and_traceback(json_log) -> None:
    install_secret_redaction(SECRET)
    logger, out = json_log
    logger.info("GET %s", f"/sms-api/finance/balance?token={SECRET}")
    try:
        raise RuntimeError(f"refused {SECRET}")
    except RuntimeError:
        logger.error("Call failed", exc_info=True)
    text = out.getvalue()
    assert SECRET not in text
    first, second = lines(out)
    assert first["message"] == "GET /sms-api/finance/balance?token=***"
    assert "refused ***" in str(second["exception"])


def test_a_secret_that_json_escapes_is_masked_in_its_escaped_spelling() -> None:
    secret = 'pa"ss\\wörd'
    redacting = SecretRedactingFilter([secret])
    for spelling in (json.dumps(secret), json.dumps(secret, ensure_ascii=False)):
        assert redacting.redact(f'{{"message": {spelling}}}') == '{"message": "***"}'


@pytest.mark.slow  # a Python process of its own: logging is set up once per process
def test_configured_json_logging_writes_clean_json_lines_to_stderr() -> None:
    script = f"""
import logging
from bot.logging_setup import configure_logging
configure_logging("INFO", ({SECRET!r},), "json")
logging.getLogger("httpx").info("GET /x?token={SECRET}")  # below WARNING: not written
logging.getLogger("aiogram.event").info("Update id=1 is handled")  # the metrics line's
logging.getLogger("bot").info("Started with %s", {SECRET!r})
try:
    raise RuntimeError("token {SECRET}")
except RuntimeError:
    logging.getLogger("bot").exception("Failed")
print("printed {SECRET}")
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert SECRET not in result.stderr + result.stdout
    assert result.stdout.strip() == "printed ***"
    entries = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(e["logger"], e["message"]) for e in entries] == [
        ("bot", "Started with ***"),
        ("bot", "Failed"),
    ]
    assert "RuntimeError: token ***" in str(entries[1]["exception"])
