"""Async client of the Phoenix client SMS API v2.8.1."""

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote, quote_plus
from zoneinfo import ZoneInfo

import httpx
import msgspec
from pydantic import SecretStr, TypeAdapter, ValidationError

from core.metrics import Metrics
from core.sms.dates import format_api_datetime
from core.sms.errors import (
    AddressBookNotFound,
    DispatchCancelNotFound,
    DispatchCanNotBeCanceled,
    DispatchCanNotBeRun,
    DispatchNotFound,
    DispatchOutcomeUnknown,
    InvalidResponse,
    ServiceUnavailable,
    SmsApiCodeError,
    TokenRejected,
    UnknownApiError,
    error_for_code,
)
from core.sms.models import (
    PROBLEMS_CONTEXT_KEY,
    TZ_CONTEXT_KEY,
    AddressBook,
    Balance,
    Contact,
    ContactPhone,
    Dispatch,
    Row,
    decode_contact_phones,
    decode_contacts,
    read_contacts,
)
from core.sms.problems import FormatProblem, ProblemBook, describe
from core.sms.recorder import ExchangeRecorder

logger = logging.getLogger(__name__)

T = TypeVar("T")

# The GET endpoints, as the reference names them (and as problems and counts name them).
BOOKS = "GET addressbooks"
CONTACTS = "GET addressbooks/{id}/contacts"
DISPATCH = "GET dispatches/{id}"
BALANCE = "GET finance/balance"

_ADDRESS_BOOKS = TypeAdapter(list[AddressBook])
_DISPATCH = TypeAdapter(Dispatch)
_BALANCE = TypeAdapter(Balance)

# A 4xx without the documented {code, message} body (Spring's default error body, a
# proxy's page) still says what happened, by the endpoint and the status the reference
# documents for it; anything else is a refusal without a code.
_REFUSALS: dict[tuple[str, int], type[SmsApiCodeError]] = {
    ("GET addressbooks/{id}/contacts", 404): AddressBookNotFound,
    ("GET dispatches/{id}", 404): DispatchNotFound,
    ("POST dispatches/cancel", 404): DispatchCancelNotFound,
    ("POST dispatches/cancel", 400): DispatchCanNotBeCanceled,
    ("POST dispatches/run", 404): DispatchNotFound,
    ("POST dispatches/run", 400): DispatchCanNotBeRun,
}

MAX_BACKOFF = 2.0
_JSON_BODY = {"Content-Type": "application/json"}
# Failures that happen before any byte of the request can have reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class _TokenTransport(httpx.AsyncBaseTransport):
    """Adds ``?token=`` on the way out.

    The request that httpx logs, and attaches to its exceptions, is the one without
    the token; only the copy handed to the wire carries it.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, token: str) -> None:
        self._inner = inner
        self._token = token

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        wire = httpx.Request(
            request.method,
            request.url.copy_merge_params({"token": self._token}),
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return await self._inner.handle_async_request(wire)

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass(frozen=True)
class _Failure:
    """A request that got no HTTP answer; ``sent`` says whether it may have arrived."""

    reason: str
    sent: bool


class SmsApiClient:
    """Typed calls of the SMS API over one shared ``httpx.AsyncClient``.

    GETs are retried with bounded exponential backoff on network errors, timeouts and
    5xx, within ``max_total_get_time``; POSTs are never retried. Every failure is an
    ``SmsApiError`` whose text and exception chain carry neither URL nor token.
    """

    def __init__(
        self,
        base_url: str,
        token: str | SecretStr,
        tz: ZoneInfo,
        *,
        timeout: float = 5.0,
        create_timeout: float = 25.0,
        get_attempts: int = 3,
        backoff: float = 0.3,
        max_total_get_time: float = 12.0,
        transport: httpx.AsyncBaseTransport | None = None,
        recorder: ExchangeRecorder | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        secret = token.get_secret_value() if isinstance(token, SecretStr) else token
        if not secret:
            raise ValueError("the SMS API token is empty")
        if get_attempts < 1:
            raise ValueError("get_attempts must be at least 1")
        self._secret = secret
        self._tz = tz
        self._timeout = timeout
        self._create_timeout = create_timeout
        self._get_attempts = get_attempts
        self._backoff = backoff
        self._max_total_get_time = max_total_get_time
        self._request_counts: Counter[str] = Counter()
        # The list the last address_books() read, and when (time.monotonic()).
        self._last_books: tuple[float, list[AddressBook]] | None = None
        self.problems = ProblemBook()
        self._recorder = recorder
        self._metrics = metrics or Metrics()
        self.last_server_date: datetime | None = None  # the Date header of the last answer
        inner = transport or httpx.AsyncHTTPTransport(
            limits=httpx.Limits(
                max_connections=10,
                max_keepalive_connections=5,
                # Short, so a connection the server closed while idle is rarely reused
                # for a create (a failure there would make its outcome unknown).
                keepalive_expiry=5.0,
            ),
        )
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            transport=_TokenTransport(inner, secret),
            timeout=httpx.Timeout(timeout),
            headers={"Accept": "application/json"},
            # The API lives in the operator's network; an environment proxy would also
            # bypass the token transport.
            trust_env=False,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()
        if self._recorder is not None:
            self._recorder.close()

    @property
    def request_counts(self) -> Counter[str]:
        """HTTP requests sent so far (retries included), per endpoint."""
        return Counter(self._request_counts)

    # --- endpoints -------------------------------------------------------------

    async def address_books(self) -> list[AddressBook]:
        books = self.read_address_books(await self.raw_get(BOOKS, "/sms-api/addressbooks"))
        self._last_books = (time.monotonic(), books)
        return list(books)

    async def recent_address_books(self, max_age: float) -> list[AddressBook]:
        """The list the last :meth:`address_books` read if it is at most ``max_age``
        seconds old, else read now. Only for naming a book just picked from that list:
        a book can be gone since, so its contacts must still be read (they say so)."""
        last = self._last_books
        if last is not None and time.monotonic() - last[0] <= max_age:
            return list(last[1])
        return await self.address_books()

    async def contacts(self, book_id: int) -> list[Contact]:
        return await self._book(book_id, decode_contacts)

    async def contact_phones(self, book_id: int) -> Sequence[ContactPhone | Contact]:
        """The book's contacts with their phones only (what a send needs): the same
        request as :meth:`contacts`, without reading the comments."""
        return await self._book(book_id, decode_contact_phones)

    async def _book(
        self,
        book_id: int,
        decode: Callable[[bytes, list[tuple[str, str, Any]]], list[Row] | None],
    ) -> list[Row] | list[Contact]:
        path = f"/sms-api/addressbooks/{int(book_id)}/contacts"
        response = await self._get_response(path, CONTACTS)
        # A book may hold a million contacts: read straight from the bytes when it can,
        # else as any JSON the bot reads.
        problems: list[tuple[str, str, Any]] = []
        rows = decode(response.content, problems)
        if rows is None:
            return self.read_contacts(self._decode(response, CONTACTS))
        self._note(CONTACTS, problems, personal=True)
        return rows

    async def dispatch(self, dispatch_id: int) -> Dispatch:
        path = f"/sms-api/dispatches/{int(dispatch_id)}"
        return self.read_dispatch(await self.raw_get(DISPATCH, path))

    async def balance(self) -> Balance:
        return self.read_balance(await self.raw_get(BALANCE, "/sms-api/finance/balance"))

    async def raw_get(self, label: str, path: str) -> Any:
        """A GET's decoded JSON, not yet read into a model (the preflight check also
        compares it with the reference)."""
        return await self._get(path, label)

    # --- reading answers ---------------------------------------------------------

    def read_address_books(self, data: Any) -> list[AddressBook]:
        return self._parse(_ADDRESS_BOOKS, data, BOOKS)

    def read_contacts(self, data: Any) -> list[Contact]:
        problems: list[tuple[str, str, Any]] = []
        try:
            contacts = read_contacts(data, problems)
        except TypeError:
            raise self._unreadable(
                FormatProblem(CONTACTS, "answer", "a list of contacts", describe(data))
            ) from None
        self._note(CONTACTS, problems, personal=True)
        return contacts

    def read_dispatch(self, data: Any) -> Dispatch:
        return self._parse(_DISPATCH, data, DISPATCH)

    def read_balance(self, data: Any) -> Balance:
        return self._parse(_BALANCE, data, BALANCE)

    async def create_dispatch(
        self, message: str, phones: Sequence[str], date_send: datetime | None = None
    ) -> int | None:
        """Create a dispatch; its id, or None when the server said "created" without one
        the bot can read. Never retried: see DispatchOutcomeUnknown.

        Any 2xx means created (the reference's table promises no body, its example a bare
        number); a 4xx means nothing was; only a lost answer (no answer, a 5xx) is unknown.
        """
        if isinstance(phones, str):  # a str is a Sequence[str] of its characters
            raise TypeError("phones must be a sequence of numbers, not one string")
        body: dict[str, Any] = {"message": message}
        if date_send is not None:
            body["dateSend"] = format_api_datetime(date_send, self._tz)
        body["phonesList"] = phones if isinstance(phones, list) else list(phones)
        label = "POST dispatches"
        timeout = httpx.Timeout(self._timeout, read=self._create_timeout)
        outcome = await self._send("POST", "/sms-api/dispatches", label, timeout, body)
        if isinstance(outcome, _Failure):
            if outcome.sent:
                self._metrics.outcomes_unknown.inc()
                raise DispatchOutcomeUnknown(f"{label}: {outcome.reason}; the answer was lost")
            raise ServiceUnavailable(f"{label}: {outcome.reason}; nothing was sent")
        if outcome.is_server_error:
            self._metrics.outcomes_unknown.inc()
            raise DispatchOutcomeUnknown(f"{label}: HTTP {outcome.status_code} from the server")
        self._raise_for_refusal(outcome, label)
        self._metrics.dispatches_created.inc()
        return _created_id(outcome)

    async def cancel_dispatch(self, dispatch_id: int) -> None:
        await self._command("/sms-api/dispatches/cancel", "POST dispatches/cancel", dispatch_id)

    async def run_dispatch(self, dispatch_id: int) -> None:
        await self._command("/sms-api/dispatches/run", "POST dispatches/run", dispatch_id)

    # --- transport -------------------------------------------------------------

    async def _command(self, path: str, label: str, dispatch_id: int) -> None:
        body = {"idDispatch": int(dispatch_id)}
        outcome = await self._send("POST", path, label, httpx.Timeout(self._timeout), body)
        if isinstance(outcome, _Failure):
            raise ServiceUnavailable(f"{label}: {outcome.reason}")
        if outcome.is_server_error:
            raise ServiceUnavailable(f"{label}: HTTP {outcome.status_code} from the server")
        self._raise_for_refusal(outcome, label)
        # Success is a 2xx, with the empty body the reference shows or with anything else:
        # the refusals are 4xx. (A login page served as 200 is caught as a refusal above.)

    async def _get(self, path: str, label: str) -> Any:
        return self._decode(await self._get_response(path, label), label)

    async def _get_response(self, path: str, label: str) -> httpx.Response:
        """A GET's answer with data (retried as the class says), its JSON not yet read."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._max_total_get_time
        attempt = 0
        while True:
            attempt += 1
            remaining = max(deadline - loop.time(), 0.001)
            timeout = httpx.Timeout(min(self._timeout, remaining))
            outcome = await self._send("GET", path, label, timeout, budget=remaining)
            if isinstance(outcome, httpx.Response) and not outcome.is_server_error:
                self._raise_for_refusal(outcome, label)
                return outcome
            reason = (
                outcome.reason
                if isinstance(outcome, _Failure)
                else f"HTTP {outcome.status_code} from the server"
            )
            delay = min(self._backoff * 2 ** (attempt - 1), MAX_BACKOFF)
            if attempt >= self._get_attempts or loop.time() + delay >= deadline:
                raise ServiceUnavailable(f"{label}: {reason} (after {attempt} attempt(s))")
            logger.warning("SMS API %s: %s; retry in %.2f s", label, reason, delay)
            await asyncio.sleep(delay)

    async def _send(
        self,
        method: str,
        path: str,
        label: str,
        phase_timeouts: httpx.Timeout,
        body: dict[str, Any] | None = None,
        budget: float | None = None,
    ) -> httpx.Response | _Failure:
        """One HTTP exchange. Failures come back as values, so that the exceptions
        raised from them are not chained to an httpx exception."""
        self._request_counts[label] += 1
        started = time.perf_counter()
        # The bytes httpx would write for json=body, without its text copy on the way: a
        # create to a million numbers is 16 MB (tests/core/sms/test_contacts.py).
        content = msgspec.json.encode(body) if body is not None else None
        headers = _JSON_BODY if body is not None else None
        try:
            # httpx timeouts are per phase; the budget bounds the whole exchange.
            async with asyncio.timeout(budget):
                response = await self._http.request(
                    method, path, content=content, headers=headers, timeout=phase_timeouts
                )
        except _NOT_SENT as exc:
            failure = _Failure(_describe(exc), sent=False)
        except httpx.RequestError as exc:
            failure = _Failure(_describe(exc), sent=True)
        except TimeoutError:
            failure = _Failure("timed out", sent=True)
        else:
            self._measure(label, str(response.status_code), started)
            # The response and its stream refer to each other: left so, the body (42 MB
            # for a book of a million) would wait for the garbage collector.
            response.stream = httpx.ByteStream(b"")
            self.last_server_date = _server_date(response)
            if self._recorder is not None:
                self._recorder.record(method, path, body, response)
            logger.debug(
                "SMS API %s -> HTTP %d in %.0f ms",
                label,
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )
            return response
        timed_out = failure.reason.startswith("timed out")
        self._measure(label, "timeout" if timed_out else "network_error", started)
        logger.debug("SMS API %s failed: %s", label, failure.reason)
        if self._recorder is not None:
            self._recorder.record(method, path, body, None, failure.reason)
        return failure

    def _measure(self, label: str, status: str, started: float) -> None:
        self._metrics.sms_requests.labels(label, status).inc()
        self._metrics.sms_seconds.labels(label).observe(time.perf_counter() - started)

    def _raise_for_refusal(self, response: httpx.Response, label: str) -> None:
        """Raise for any answer but data (server errors are the caller's to judge)."""
        status = response.status_code
        if response.is_success:
            if _is_web_page(response):
                raise TokenRejected(status, "a web page instead of data")
            return
        if status in (401, 403):
            raise TokenRejected(status)
        if response.is_redirect:
            raise TokenRejected(status, "a redirect, as to a login page")
        if status == 429 or response.is_server_error:
            raise ServiceUnavailable(f"{label}: HTTP {status} from the server")
        code, message = _error_body(response)
        if message is not None:  # a server that echoes the query must not leak it
            message = _without(message, self._secret)
        if code is not None:
            raise error_for_code(code, message, status)
        refusal = _REFUSALS.get((label, status))
        if refusal is not None:
            raise refusal(refusal.CODE or "", message, status)
        raise UnknownApiError(f"HTTP {status}", message, status)

    def _decode(self, response: httpx.Response, label: str) -> Any:
        try:
            # Money as Decimal straight from the JSON text: 42.0 stays Decimal("42.0").
            return json.loads(response.content, parse_float=Decimal)
        except ValueError:
            pass
        kind = response.headers.get("content-type", "no type").split(";")[0]
        got = f"{len(response.content)} bytes of {kind}" if response.content else "no body"
        raise self._unreadable(FormatProblem(label, "answer", "JSON", got))

    def _parse(self, adapter: TypeAdapter[T], data: Any, label: str) -> T:
        problems: list[tuple[str, str, Any]] = []
        context = {TZ_CONTEXT_KEY: self._tz, PROBLEMS_CONTEXT_KEY: problems}
        try:
            parsed = adapter.validate_python(data, context=context)
        except ValidationError as exc:
            detail = exc.errors(include_url=False)[0]
            where = ".".join(str(part) for part in detail["loc"]) or "answer"
            expected = detail["msg"].removeprefix("Value error, ")
            problem = FormatProblem(label, where, expected, describe(detail.get("input")))
            raise self._unreadable(problem) from None
        self._note(label, problems)
        return parsed

    def _unreadable(self, problem: FormatProblem) -> InvalidResponse:
        self.problems.note(problem)
        return InvalidResponse(problem)

    def _note(
        self, label: str, problems: list[tuple[str, str, Any]], *, personal: bool = False
    ) -> None:
        """What was read around, for the admins: each problem once."""
        for field, expected, got in problems:
            self.problems.note(
                FormatProblem(label, field, expected, describe(got, personal=personal))
            )


def _error_body(response: httpx.Response) -> tuple[str | None, str | None]:
    """``(code, message)`` of the documented error body; from Spring's default body
    (``{"status", "error", "message", "path"}``) only its words."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    code = body.get("code") if isinstance(body.get("code"), str) else None
    for key in ("message", "error"):
        if isinstance(body.get(key), str) and body[key].strip():
            return code, body[key]
    return code, None


def _without(text: str, secret: str) -> str:
    for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
        text = text.replace(form, "***")
    return text


def _server_date(response: httpx.Response) -> datetime | None:
    with suppress(TypeError, ValueError):
        return parsedate_to_datetime(response.headers.get("date", ""))
    return None


def _is_web_page(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "").lower()
    return kind.startswith(("text/html", "application/xhtml"))


def _created_id(response: httpx.Response) -> int | None:
    """The new dispatch's id from a create's 2xx: a bare number (or numeric string)."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    if isinstance(body, str) and body.strip().isdigit():
        body = int(body)
    if isinstance(body, bool) or not isinstance(body, int) or body < 1:
        return None
    return body


def _describe(exc: Exception) -> str:
    # Only the class name: httpx texts may quote the URL, and with it the token.
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return f"network error ({type(exc).__name__})"
