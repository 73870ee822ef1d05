"""Logging for the bot process: one format (text, or JSON with LOG_FORMAT=json), and no
secret in any record or any line the process prints (tracebacks included).

What is logged at INFO names people by their Telegram id and dispatches by number; a
phone number or an SMS text is never logged at INFO or above.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from core.sms.redaction import install_output_redaction

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Fields a record may carry beyond its message (handlers/common/metrics.py sets them for
# each handled update); nothing else of a record's extras is written.
EXTRA_FIELDS = ("update_id", "kind", "handler", "latency_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the extra
    fields the record has, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        # The redaction filter may have replaced exc_info by a cleaned exc_text.
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str, secrets: tuple[str, ...], log_format: str = "text") -> None:
    # First: the log handler below writes to the redacting stderr.
    install_output_redaction(*secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    logging.basicConfig(level=level, handlers=[handler])
    # httpx writes one INFO line per request: useful only when debugging.
    if level != "DEBUG":
        logging.getLogger("httpx").setLevel(logging.WARNING)
    if log_format == "json" and level != "DEBUG":
        # Each handled update gets one line with its handler and latency from the update
        # metrics; aiogram's own line per update would repeat it without them.
        logging.getLogger("aiogram.event").setLevel(logging.WARNING)
