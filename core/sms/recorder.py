"""A record of what the SMS API said: each exchange as one JSON line, in rotating files.

Off unless ``SMS_API_RECORD_DIR`` names a folder. Meant for the first days against the
real server: an admin who meets an answer the bot does not understand hands the file to
the maintainers, and the tests replay such files through the client
(:func:`replay_transport`). The token (in every spelling) and anything that looks like a
phone number are replaced before a byte is written; bodies are cut at ``BODY_LIMIT``.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import httpx

FILE_NAME = "sms-api-exchanges.jsonl"
FILE_BYTES = 5 * 1024 * 1024
FILES_KEPT = 5
BODY_LIMIT = 64 * 1024
# 9 or more digits in a row, alone or with a leading +: a phone number in any spelling
# the API or a person uses (ids, counts and amounts are shorter).
_PHONE = re.compile(r"\+?(?<!\d)\d{9,15}(?!\d)")
_HEADERS_KEPT = ("content-type", "content-length", "location", "date", "server")


class ExchangeRecorder:
    def __init__(self, folder: Path, secrets: Iterable[str]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        forms = {
            form
            for secret in secrets
            if secret
            for form in (secret, quote(secret, safe=""), quote_plus(secret))
        }
        self._secrets = sorted(forms, key=len, reverse=True)  # a longer form first
        self._log = logging.Logger(f"sms-api-exchanges:{folder}")  # never propagates
        handler = RotatingFileHandler(
            folder / FILE_NAME, maxBytes=FILE_BYTES, backupCount=FILES_KEPT, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(message)s"))
        self._log.addHandler(handler)
        self.path = folder / FILE_NAME

    def record(
        self,
        method: str,
        path: str,
        sent: Any,
        response: httpx.Response | None,
        failure: str | None = None,
    ) -> None:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "method": method,
            "path": path,
            "sent": self._clean(json.dumps(sent, ensure_ascii=False)) if sent is not None else None,
        }
        if response is None:
            entry["failure"] = failure
        else:
            entry["status"] = response.status_code
            entry["headers"] = {
                name: self._clean(value)
                for name, value in response.headers.items()
                if name.lower() in _HEADERS_KEPT
            }
            entry["body"] = self._clean(_body_text(response.content))
        self._log.info(json.dumps(entry, ensure_ascii=False))

    def close(self) -> None:
        for handler in list(self._log.handlers):
            handler.close()
            self._log.removeHandler(handler)

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _PHONE.sub("<phone>", text)


def _body_text(content: bytes) -> str:
    text = content[:BODY_LIMIT].decode("utf-8", errors="replace")
    if len(content) > BODY_LIMIT:
        text += f"…(cut: {len(content)} bytes in all)"
    return text


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def replay_transport(records: Iterable[dict[str, Any]]) -> httpx.MockTransport:
    """An httpx transport that answers each request with the next recorded answer for
    its method and path, as the server gave it."""
    queues: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in records:
        if "status" in record:
            queues.setdefault((record["method"], record["path"]), []).append(record)

    def answer(request: httpx.Request) -> httpx.Response:
        queue = queues.get((request.method, request.url.path))
        if not queue:
            return httpx.Response(
                599, text=f"nothing recorded for {request.method} {request.url.path}"
            )
        record = queue.pop(0) if len(queue) > 1 else queue[0]
        return httpx.Response(
            record["status"],
            headers={k: v for k, v in record["headers"].items() if k.lower() != "content-length"},
            content=record["body"].encode("utf-8"),
        )

    return httpx.MockTransport(answer)
