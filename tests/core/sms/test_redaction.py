"""The SMS token never shows in logs or in the client's exceptions."""

import io
import logging
import sys
import traceback
from collections.abc import Awaitable, Callable, Iterator
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.sms import (
    SecretRedactingFilter,
    SmsApiClient,
    SmsApiError,
    install_secret_redaction,
    uninstall_secret_redaction,
)
from tests.support.sms_seed import BALANCE, CONTACTS, DISPATCH, SEED_ERRORS, error_body
from tests.support.sms_stub import Reply, StubApi, closed_port_url

TOKEN = "tok-SECRET-123"
MOSCOW = ZoneInfo("Europe/Moscow")
Call = Callable[[SmsApiClient], Awaitable[object]]


@pytest.fixture(autouse=True)
def no_redaction_left_behind() -> Iterator[None]:
    uninstall_secret_redaction()  # start clean even if an earlier test installed it
    yield
    uninstall_secret_redaction()


def record(msg: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("x", logging.INFO, __file__, 1, msg, args, exc_info)  # type: ignore[arg-type]


def exception_texts(error: BaseException) -> str:
    """Everything an exception can show: its chain, args, and formatted traceback."""
    parts: list[str] = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        parts += [str(current), repr(current), repr(current.args), repr(vars(current))]
        todo += [current.__cause__, current.__context__]
    return "\n".join(parts)


# --- the filter ----------------------------------------------------------------


def test_filter_masks_secrets_in_message_and_arguments() -> None:
    redacting = SecretRedactingFilter([TOKEN])
    rec = record("GET %s -> %d", f"http://h/x?token={TOKEN}", 200)
    assert redacting.filter(rec) is True
    assert rec.getMessage() == "GET http://h/x?token=*** -> 200"
    assert TOKEN not in repr(rec.args)


def test_filter_masks_the_percent_encoded_secret() -> None:
    redacting = SecretRedactingFilter(["a+b/c"])
    rec = record("GET http://h/x?token=a%2Bb%2Fc")
    redacting.filter(rec)
    assert rec.getMessage() == "GET http://h/x?token=***"


def test_filter_masks_secrets_in_tracebacks() -> None:
    redacting = SecretRedactingFilter([TOKEN])
    try:
        raise RuntimeError(f"failed on http://h/?token={TOKEN}")
    except RuntimeError:
        rec = record("request failed", exc_info=sys.exc_info())
    redacting.filter(rec)
    text = logging.Formatter().format(rec)
    assert "RuntimeError: failed on http://h/?token=***" in text
    assert TOKEN not in text


def test_filter_leaves_clean_records_alone() -> None:
    redacting = SecretRedactingFilter([TOKEN, ""])
    rec = record("%d dispatches", 3)
    redacting.filter(rec)
    assert (rec.msg, rec.args) == ("%d dispatches", (3,))


def test_records_of_loggers_that_do_not_propagate_are_cleaned() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    isolated = logging.getLogger("tests.sms.isolated")
    isolated.propagate = False
    isolated.addHandler(handler)
    try:
        install_secret_redaction(TOKEN)
        isolated.error("token is %s", TOKEN)
    finally:
        isolated.removeHandler(handler)
    assert stream.getvalue() == "token is ***\n"


def test_installing_again_adds_secrets(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    install_secret_redaction(TOKEN)
    install_secret_redaction("bot-token-456")
    logging.getLogger("tests.sms").info("%s and %s", TOKEN, "bot-token-456")
    assert caplog.records[-1].getMessage() == "*** and ***"


def test_root_handlers_and_http_loggers_get_the_filter() -> None:
    handler = logging.NullHandler()
    logging.getLogger().addHandler(handler)
    try:
        install_secret_redaction(TOKEN)
        guarded = [handler, logging.getLogger("httpx"), logging.getLogger("httpcore")]
        assert all(any(isinstance(f, SecretRedactingFilter) for f in g.filters) for g in guarded)
        uninstall_secret_redaction()
        assert not any(
            f for g in guarded for f in g.filters if isinstance(f, SecretRedactingFilter)
        )
    finally:
        logging.getLogger().removeHandler(handler)


async def test_httpx_request_log_is_cleaned_once_installed(
    stub: StubApi, caplog: pytest.LogCaptureFixture
) -> None:
    """httpx itself logs the full URL; this is why the bot installs the redaction."""
    caplog.set_level(logging.DEBUG)
    stub.reply("GET", "/x", Reply(body="[]"))
    async with httpx.AsyncClient() as http:
        await http.get(f"{stub.url}/x", params={"token": TOKEN})
        assert TOKEN in caplog.text  # the danger is real
        caplog.clear()
        install_secret_redaction(TOKEN)
        await http.get(f"{stub.url}/x", params={"token": TOKEN})
    assert "token=***" in caplog.text
    assert TOKEN not in caplog.text


# --- the client ------------------------------------------------------------------

SUCCESSES: list[tuple[str, str, str, Call]] = [
    ("GET", "/sms-api/addressbooks", "[ ]", lambda c: c.address_books()),
    ("GET", "/sms-api/addressbooks/1/contacts", CONTACTS[1], lambda c: c.contacts(1)),
    ("GET", "/sms-api/dispatches/1", DISPATCH[1], lambda c: c.dispatch(1)),
    ("GET", "/sms-api/finance/balance", BALANCE[1], lambda c: c.balance()),
    ("POST", "/sms-api/dispatches", "1", lambda c: c.create_dispatch("t", ["380710000000"])),
    ("POST", "/sms-api/dispatches/cancel", "", lambda c: c.cancel_dispatch(1)),
    ("POST", "/sms-api/dispatches/run", "", lambda c: c.run_dispatch(1)),
]
FAILURES: list[Reply] = [
    *[Reply(status, body) for _, _, status, _, body, _ in SEED_ERRORS],
    Reply(404, error_body("NEW_CODE", f"no page /sms-api/x?token={TOKEN}")),  # echoes the query
    Reply(401),
    Reply(403),
    Reply(429),
    Reply(500),
    Reply(503),
    Reply(200, "<html>not json</html>"),
    Reply(404, "<html>not json</html>"),
    Reply(drop=True),
    Reply(delay=30),
]


async def exercise_client(stub: StubApi, base_url: str) -> list[SmsApiError]:
    """Every endpoint through success and every kind of failure; the errors raised."""
    errors: list[SmsApiError] = []
    async with SmsApiClient(
        base_url, TOKEN, MOSCOW, timeout=0.1, create_timeout=0.1, backoff=0.0, get_attempts=2
    ) as client:
        for method, path, body, call in SUCCESSES:
            stub.reply(method, path, Reply(body=body))
            await call(client)
            for failure in FAILURES:
                stub.reply(method, path, failure)
                try:
                    await call(client)
                except SmsApiError as error:
                    errors.append(error)
    return errors


async def test_client_logs_and_errors_never_show_the_token(
    stub: StubApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    install_secret_redaction(TOKEN)
    errors = await exercise_client(stub, stub.url)
    async with SmsApiClient(closed_port_url(), TOKEN, MOSCOW, backoff=0.0) as client:
        for _, _, _, call in SUCCESSES:
            with pytest.raises(SmsApiError) as caught:
                await call(client)
            errors.append(caught.value)

    assert len(errors) >= len(SUCCESSES) * (len(FAILURES) - 2)
    assert any("HTTP Request" in r.getMessage() for r in caplog.records)  # httpx did log
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    assert TOKEN not in caplog.text
    for rec in caplog.records:
        assert TOKEN not in rec.getMessage()
        assert TOKEN not in repr(rec.args)
    for error in errors:
        assert TOKEN not in exception_texts(error)
    assert len({r.query["token"] for r in stub.requests}) == 1  # yet it was sent every time


async def test_client_errors_and_logs_are_clean_without_the_redaction(
    stub: StubApi, caplog: pytest.LogCaptureFixture
) -> None:
    """The client keeps the token off the request httpx logs and off its own errors."""
    caplog.set_level(logging.DEBUG)
    errors = await exercise_client(stub, stub.url)
    assert errors
    for error in errors:
        assert TOKEN not in exception_texts(error)
    assert TOKEN not in caplog.text
    assert stub.requests[0].query == {"token": TOKEN}


async def test_errors_raised_while_handling_another_do_not_carry_the_token(stub: StubApi) -> None:
    stub.reply("GET", "/sms-api/finance/balance", Reply(503))
    async with SmsApiClient(stub.url, TOKEN, MOSCOW, backoff=0.0) as client:
        try:
            raise KeyError("outer")
        except KeyError:
            with pytest.raises(SmsApiError) as caught:
                await client.balance()
    # The only context is the caller's own exception, not an httpx one.
    assert isinstance(caught.value.__context__, KeyError)
    assert caught.value.__cause__ is None
