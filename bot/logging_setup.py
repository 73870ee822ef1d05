"""Logging for the bot process: one format, and no secret in any record or any line the
process prints (tracebacks included)."""

from __future__ import annotations

import logging

from core.sms.redaction import install_output_redaction


def configure_logging(level: str, secrets: tuple[str, ...]) -> None:
    # First: the log handler below writes to the redacting stderr.
    install_output_redaction(*secrets)
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx writes one INFO line per request: useful only when debugging.
    if level != "DEBUG":
        logging.getLogger("httpx").setLevel(logging.WARNING)
