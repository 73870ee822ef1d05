"""Async client of the Phoenix client SMS API v2.8.1."""

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Self, TypeVar
from zoneinfo import ZoneInfo

import httpx
from pydantic import SecretStr, TypeAdapter, ValidationError

from core.sms.dates import format_api_datetime
from core.sms.errors import (
    DispatchOutcomeUnknown,
    InvalidResponse,
    ServiceUnavailable,
    SmsApiError,
    TokenRejected,
    error_for_code,
)
from core.sms.models import TZ_CONTEXT_KEY, AddressBook, Balance, Contact, Dispatch

logger = logging.getLogger(__name__)

T = TypeVar("T")

_ADDRESS_BOOKS = TypeAdapter(list[AddressBook])
_CONTACTS = TypeAdapter(list[Contact])
_DISPATCH = TypeAdapter(Dispatch)
_BALANCE = TypeAdapter(Balance)

MAX_BACKOFF = 2.0
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

    @property
    def request_counts(self) -> Counter[str]:
        """HTTP requests sent so far (retries included), per endpoint."""
        return Counter(self._request_counts)

    # --- endpoints -------------------------------------------------------------

    async def address_books(self) -> list[AddressBook]:
        data = await self._get("/sms-api/addressbooks", "GET addressbooks")
        return self._parse(_ADDRESS_BOOKS, data, "address books")

    async def contacts(self, book_id: int) -> list[Contact]:
        data = await self._get(
            f"/sms-api/addressbooks/{int(book_id)}/contacts", "GET addressbooks/{id}/contacts"
        )
        return self._parse(_CONTACTS, data, "contacts")

    async def dispatch(self, dispatch_id: int) -> Dispatch:
        data = await self._get(f"/sms-api/dispatches/{int(dispatch_id)}", "GET dispatches/{id}")
        return self._parse(_DISPATCH, data, "dispatch")

    async def balance(self) -> Balance:
        data = await self._get("/sms-api/finance/balance", "GET finance/balance")
        return self._parse(_BALANCE, data, "balance")

    async def create_dispatch(
        self, message: str, phones: Sequence[str], date_send: datetime | None = None
    ) -> int:
        """Create a dispatch and return its id. Never retried: see DispatchOutcomeUnknown."""
        if isinstance(phones, str):  # a str is a Sequence[str] of its characters
            raise TypeError("phones must be a sequence of numbers, not one string")
        body: dict[str, Any] = {"message": message}
        if date_send is not None:
            body["dateSend"] = format_api_datetime(date_send, self._tz)
        body["phonesList"] = list(phones)
        label = "POST dispatches"
        timeout = httpx.Timeout(self._timeout, read=self._create_timeout)
        outcome = await self._send("POST", "/sms-api/dispatches", label, timeout, body)
        if isinstance(outcome, _Failure):
            if outcome.sent:
                raise DispatchOutcomeUnknown(f"{label}: {outcome.reason}; the answer was lost")
            raise ServiceUnavailable(f"{label}: {outcome.reason}; nothing was sent")
        if outcome.is_server_error:
            raise DispatchOutcomeUnknown(f"{label}: HTTP {outcome.status_code} from the server")
        self._raise_for_refusal(outcome, label)
        dispatch_id = self._decode(outcome, label, invalid=DispatchOutcomeUnknown)
        if isinstance(dispatch_id, bool) or not isinstance(dispatch_id, int):
            raise DispatchOutcomeUnknown(f"{label}: the answer is not a dispatch id")
        return dispatch_id

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
        # Success is a 200 with an empty body. Tolerate JSON there, but not garbage: a
        # broken proxy's page says nothing about whether the command was carried out.
        if outcome.content.strip():
            self._decode(outcome, label)

    async def _get(self, path: str, label: str) -> Any:
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
                return self._decode(outcome, label)
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
        try:
            # httpx timeouts are per phase; the budget bounds the whole exchange.
            async with asyncio.timeout(budget):
                response = await self._http.request(method, path, json=body, timeout=phase_timeouts)
        except _NOT_SENT as exc:
            failure = _Failure(_describe(exc), sent=False)
        except httpx.RequestError as exc:
            failure = _Failure(_describe(exc), sent=True)
        except TimeoutError:
            failure = _Failure("timed out", sent=True)
        else:
            logger.debug(
                "SMS API %s -> HTTP %d in %.0f ms",
                label,
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )
            return response
        logger.debug("SMS API %s failed: %s", label, failure.reason)
        return failure

    def _raise_for_refusal(self, response: httpx.Response, label: str) -> None:
        """Raise for any answer but a 2xx (server errors are the caller's to judge)."""
        status = response.status_code
        if response.is_success:
            return
        if status in (401, 403):
            raise TokenRejected(status)
        if status == 429 or response.is_server_error:
            raise ServiceUnavailable(f"{label}: HTTP {status} from the server")
        error = _documented_error(response)
        if error is not None:
            code, message = error
            if message is not None:  # a server that echoes the query must not leak it
                message = message.replace(self._secret, "***")
            raise error_for_code(code, message, status)
        raise InvalidResponse(f"{label}: HTTP {status} without the documented error body")

    @staticmethod
    def _decode(
        response: httpx.Response,
        label: str,
        invalid: type[SmsApiError] = InvalidResponse,
    ) -> Any:
        try:
            # Money as Decimal straight from the JSON text: 42.0 stays Decimal("42.0").
            return json.loads(response.content, parse_float=Decimal)
        except ValueError:
            pass
        raise invalid(f"{label}: the answer is not JSON (HTTP {response.status_code})")

    def _parse(self, adapter: TypeAdapter[T], data: Any, what: str) -> T:
        try:
            return adapter.validate_python(data, context={TZ_CONTEXT_KEY: self._tz})
        except ValidationError as exc:
            problem = _summarize(exc)
        raise InvalidResponse(f"{what}: the answer does not match the API: {problem}")


def _documented_error(response: httpx.Response) -> tuple[str, str | None] | None:
    """``(code, message)`` of the documented error body, if that is what came."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return None
    message = body.get("message")
    return body["code"], message if isinstance(message, str) else None


def _describe(exc: Exception) -> str:
    # Only the class name: httpx texts may quote the URL, and with it the token.
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return f"network error ({type(exc).__name__})"


def _summarize(exc: ValidationError) -> str:
    first = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "answer"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"
