"""The runtime contract: every setting the bot reads, with its default.

Values come from the environment and from ``.env`` in the working directory; the
environment wins. A missing or malformed value stops the start with one line naming it.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal, NamedTuple, Self
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BeforeValidator,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_BOT_TOKEN = re.compile(r"^\d+:[\w-]{20,}$")
# What Telegram accepts as setWebhook's secret_token.
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
LogLevel = Literal["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"]
LogFormat = Literal["text", "json"]
TELEGRAM_CLOUD = "https://api.telegram.org"


class ListenAddress(NamedTuple):
    """Where one of the bot's HTTP listeners binds: ``host:port`` (``[::1]:port`` for IPv6)."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def _listen_address(value: object) -> object:
    if not isinstance(value, str):
        return value
    match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:(\d{1,5})|([\w.-]+):(\d{1,5})", value.strip())
    if match is None:
        raise ValueError("must be host:port, such as 127.0.0.1:8081 or [::1]:8081")
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4))
    if not 1 <= port <= 65535:
        raise ValueError("must name a port from 1 to 65535")
    return ListenAddress(host, port)


Listen = Annotated[ListenAddress, NoDecode, BeforeValidator(_listen_address)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", case_sensitive=True, extra="ignore"
    )

    BOT_TOKEN: SecretStr
    TELEGRAM_API_URL: str = "https://api.telegram.org"
    SMS_API_URL: str = "http://10.128.1.50:7890"
    SMS_API_TOKEN: SecretStr
    ADMIN_IDS: Annotated[frozenset[int], NoDecode] = frozenset()
    DATABASE_PATH: Path = Path("data/bot.sqlite3")
    POLL_INTERVAL: float = Field(default=60.0, gt=0, le=86400)
    BALANCE_THRESHOLD: Decimal = Field(default=Decimal(100), ge=0)
    SMS_API_TIMEZONE: str = "Europe/Moscow"
    LOG_LEVEL: LogLevel = "INFO"
    # A folder for a record of every SMS API exchange (token and phone numbers removed).
    SMS_API_RECORD_DIR: Path | None = None
    # Webhook mode (docs/operations.md): Telegram POSTs updates to WEBHOOK_URL, which a
    # reverse proxy hands to the listener at WEBHOOK_LISTEN. Empty: long polling.
    WEBHOOK_URL: str = ""
    WEBHOOK_LISTEN: Listen = ListenAddress("127.0.0.1", 8081)
    WEBHOOK_SECRET: SecretStr | None = None
    # /healthz, /readyz and /metrics; off unless set.
    HEALTH_LISTEN: Annotated[Listen | None, NoDecode] = None
    LOG_FORMAT: LogFormat = "text"
    # A folder the running bot writes a copy of its database to every BACKUP_EVERY hours,
    # keeping the newest BACKUP_KEEP; empty or unset: no periodic backups.
    BACKUP_DIR: Path | None = None
    BACKUP_EVERY: float = Field(default=24.0, gt=0, le=24 * 366)
    BACKUP_KEEP: int = Field(default=7, ge=1, le=10_000)

    @field_validator("BOT_TOKEN")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr) -> SecretStr:
        if not _BOT_TOKEN.match(value.get_secret_value()):
            raise ValueError("must look like 123456:ABC... (the token from @BotFather)")
        return value

    @field_validator("SMS_API_TOKEN")
    @classmethod
    def _sms_token_present(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("TELEGRAM_API_URL", "SMS_API_URL")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("ADMIN_IDS", mode="before")
    @classmethod
    def _comma_separated_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(re.fullmatch(r"\d+", part) for part in parts):
                raise ValueError("must be comma-separated numeric Telegram user ids")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("BACKUP_DIR", mode="before")
    @classmethod
    def _empty_is_off(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("SMS_API_TIMEZONE")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Europe/Moscow") from None
        return value

    @field_validator("LOG_LEVEL", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("LOG_FORMAT", mode="before")
    @classmethod
    def _lower_format(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("WEBHOOK_URL")
    @classmethod
    def _webhook_url(cls, value: str) -> str:
        value = value.strip()
        if value and not re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", value):
            raise ValueError(
                "must be an https:// URL without a query, e.g. https://bot.example.com/tg"
            )
        return value

    @field_validator("WEBHOOK_SECRET", "HEALTH_LISTEN", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("WEBHOOK_SECRET")
    @classmethod
    def _webhook_secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError(
                "must be 16 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)"
            )
        return value

    @model_validator(mode="after")
    def _webhook_complete(self) -> Self:
        if not self.WEBHOOK_URL:
            return self
        if self.WEBHOOK_SECRET is None:
            raise ValueError("WEBHOOK_SECRET is required when WEBHOOK_URL is set")
        if self.WEBHOOK_URL.startswith("http://") and self.TELEGRAM_API_URL == TELEGRAM_CLOUD:
            # Only a local Bot API server delivers to plain http.
            raise ValueError("WEBHOOK_URL must be https:// for api.telegram.org")
        if self.HEALTH_LISTEN == self.WEBHOOK_LISTEN:
            raise ValueError("HEALTH_LISTEN and WEBHOOK_LISTEN must differ")
        return self

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.SMS_API_TIMEZONE)

    @property
    def webhook_path(self) -> str:
        """The path the webhook listener serves: WEBHOOK_URL's, so a proxy passes it on."""
        return urlsplit(self.WEBHOOK_URL).path or "/"

    def secrets(self) -> tuple[str, ...]:
        found = [self.BOT_TOKEN.get_secret_value(), self.SMS_API_TOKEN.get_secret_value()]
        if self.WEBHOOK_SECRET is not None:
            found.append(self.WEBHOOK_SECRET.get_secret_value())
        return tuple(found)


class SettingsError(SystemExit):
    """Raised with the one line that names what is wrong."""


def describe_errors(error: ValidationError) -> str:
    problems = []
    for item in error.errors(include_input=False, include_url=False):
        name = ".".join(str(part) for part in item["loc"]) or "settings"
        message = "is required" if item["type"] == "missing" else item["msg"]
        message = message.removeprefix("Value error, ")
        # A rule across settings names them in its message.
        problems.append(f"{name} {message}" if item["loc"] else message)
    return "Configuration error: " + "; ".join(problems)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, or stop with one line naming each bad variable (no traceback)."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        print(describe_errors(error), file=sys.stderr)
        raise SettingsError(2) from None
