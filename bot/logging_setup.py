"""Logging for the bot process: one format, and no secret in any record."""

from __future__ import annotations

import logging

from core.sms.redaction import install_secret_redaction


def configure_logging(level: str, secrets: tuple[str, ...]) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx writes one INFO line per request: useful only when debugging.
    if level != "DEBUG":
        logging.getLogger("httpx").setLevel(logging.WARNING)
    install_secret_redaction(*secrets)
