"""Keep secrets out of every log record, and out of everything the process prints.

httpx logs each request URL at INFO, and the SMS token travels in the query string;
tracebacks of HTTP libraries carry URLs too. A filter only on a logger does not see
records propagated from its children, and a filter on a handler misses handlers added
later, so ``install_secret_redaction`` cleans records where they are created (a log
record factory) and also guards the root handlers and the HTTP loggers.
"""

import json
import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import quote, quote_plus

MASK = "***"
HTTP_LOGGERS = ("httpx", "httpcore")


def _spellings(secret: str) -> set[str]:
    # A token with reserved characters shows up percent-encoded inside URLs, and escaped
    # inside a JSON log line.
    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }


class SecretRedactingFilter(logging.Filter):
    """Replaces every known secret in a record's message, arguments and traceback
    text with ``***``. It never drops a record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: list[str] = []
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        known = set(self._secrets)
        for secret in secrets:
            if secret:
                known |= _spellings(secret)
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted(known, key=len, reverse=True)

    def clear(self) -> None:
        self._secrets = []

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text

    def _carries_secret(self, text: str) -> bool:
        return any(secret in text for secret in self._secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep what can be shown
            message = f"{record.msg} {record.args!r}"
        if self._carries_secret(message) or self._carries_secret(repr(record.args)):
            # Freeze the message already rendered, so no argument is formatted later.
            record.msg = self.redact(message)
            record.args = ()
        traceback_text = record.exc_text
        if record.exc_info and not traceback_text:
            traceback_text = logging.Formatter().formatException(record.exc_info)
        if traceback_text and self._carries_secret(traceback_text):
            # Formatters reuse exc_text; without exc_info none can render the raw one.
            record.exc_text = self.redact(traceback_text)
            record.exc_info = None
        if record.stack_info and self._carries_secret(record.stack_info):
            record.stack_info = self.redact(record.stack_info)
        return True


@dataclass(frozen=True)
class _Installation:
    redacting: SecretRedactingFilter
    previous_factory: Callable[..., logging.LogRecord]
    factory: Callable[..., logging.LogRecord]


_installation: _Installation | None = None


def install_secret_redaction(*secrets: str) -> None:
    """Mask ``secrets`` in all logging from now on. Calling it again adds secrets."""
    global _installation
    if _installation is None:
        redacting = SecretRedactingFilter(secrets)
        previous = logging.getLogRecordFactory()

        def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            redacting.filter(record)
            return record

        logging.setLogRecordFactory(redacting_factory)
        _installation = _Installation(redacting, previous, redacting_factory)
    else:
        _installation.redacting.add(*secrets)
    # Records rebuilt by makeLogRecord (filled in after the factory ran) are caught at
    # the root handlers and the HTTP loggers.
    for target in _guarded():
        if _installation.redacting not in target.filters:
            target.addFilter(_installation.redacting)


def uninstall_secret_redaction() -> None:
    """Undo ``install_secret_redaction`` (for tests and embedding applications)."""
    global _installation
    if _installation is None:
        return
    if logging.getLogRecordFactory() is _installation.factory:
        logging.setLogRecordFactory(_installation.previous_factory)
    else:
        # Another factory wraps ours: leave the chain intact, only make ours inert.
        _installation.redacting.clear()
    for target in _guarded():
        target.removeFilter(_installation.redacting)
    _installation = None


def _guarded() -> list[logging.Filterer]:
    targets: list[logging.Filterer] = list(logging.getLogger().handlers)
    return targets + [logging.getLogger(name) for name in HTTP_LOGGERS]


class _RedactingStream:
    """A text stream (stdout, stderr) whose writes are cleaned of every known secret:
    an uncaught exception's traceback, a print, a library's own output."""

    def __init__(self, stream: TextIO, redacting: SecretRedactingFilter) -> None:
        self._stream = stream
        self._redacting = redacting

    def write(self, text: str) -> int:
        self._stream.write(self._redacting.redact(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def install_output_redaction(*secrets: str) -> None:
    """Mask ``secrets`` in everything the process prints from now on (and in logging)."""
    install_secret_redaction(*secrets)
    assert _installation is not None
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, _RedactingStream):
            setattr(sys, name, _RedactingStream(stream, _installation.redacting))
