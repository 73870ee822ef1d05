"""Reading a Bot API call's parameters the way Telegram accepts them: query string,
url-encoded or multipart form (complex values JSON-encoded, files as parts) or JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .errors import bad_request

JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "link_preview_options",
        "allowed_updates",
        "commands",
        "scope",
        "reply_parameters",
        "media",
        "results",
        "permissions",
    }
)
INT_FIELDS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "user_id",
        "message_thread_id",
        "reply_to_message_id",
        "max_connections",
    }
)
BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "allow_paid_broadcast",
    }
)
JSON_ERRORS = {
    "reply_markup": "can't parse reply keyboard markup JSON object",
    "entities": "can't parse entities JSON object",
}
ATTACH_PREFIX = "attach://"
INTEGER = re.compile(r"-?\d+")


@dataclass(frozen=True)
class Upload:
    """A file the bot uploaded in a multipart request."""

    filename: str
    content: bytes
    content_type: str | None

    def describe(self) -> dict[str, Any]:
        return {
            "upload": self.filename,
            "size": len(self.content),
            "content_type": self.content_type,
        }


async def read_params(request: web.Request) -> dict[str, Any]:
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON request body")
        values.update(body)
    elif request.body_exists:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                uploads[key] = Upload(value.filename, value.file.read(), value.content_type)
            else:
                values[key] = value
    params = {key: decode_field(key, value) for key, value in values.items()}
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith(ATTACH_PREFIX):
            params[key] = uploads.pop(value.removeprefix(ATTACH_PREFIX), value)
    # A file part named after the parameter itself is also accepted by Telegram.
    for key, upload in uploads.items():
        params.setdefault(key, upload)
    return params


def decode_field(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(JSON_ERRORS.get(key, f"can't parse {key} JSON object")) from None
    if key in INT_FIELDS and INTEGER.fullmatch(value):
        return int(value)
    if key in BOOL_FIELDS and value in ("true", "false"):
        return value == "true"
    return value


def json_safe(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters for a JSON view of the call log: uploads are described, not inlined."""
    return {
        key: value.describe() if isinstance(value, Upload) else value
        for key, value in params.items()
    }
