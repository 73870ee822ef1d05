"""Exceptions of the SMS API client.

None of them carries a request URL (the token is in its query string) or the text of
an underlying httpx exception.
"""

from typing import ClassVar

from core.sms.problems import FormatProblem


class SmsApiError(Exception):
    """Anything that kept an SMS API call from giving its documented answer."""


class SmsApiCodeError(SmsApiError):
    """The server refused with its documented error body ``{"code", "message"}``."""

    CODE: ClassVar[str | None] = None

    def __init__(self, code: str, server_message: str | None, http_status: int) -> None:
        super().__init__(code, server_message, http_status)
        self.code = code
        self.server_message = server_message
        self.http_status = http_status

    def __str__(self) -> str:
        text = f"{self.code} (HTTP {self.http_status})"
        return f"{text}: {self.server_message}" if self.server_message else text


class AddressBookNotFound(SmsApiCodeError):
    CODE = "ADDRESS_BOOK_NOT_FOUND"


class DispatchNotFound(SmsApiCodeError):
    CODE = "DISPATCH_NOT_FOUND"


class InvalidDispatchDate(SmsApiCodeError):
    CODE = "INVALID_DISPATCH_DATE"


class InvalidFormat(SmsApiCodeError):
    CODE = "INVALID_FORMAT"


class ArgumentNotValid(SmsApiCodeError):
    CODE = "ARGUMENT_NOT_VALID"


class DispatchCancelNotFound(SmsApiCodeError):
    CODE = "DISPATCH_CANCEL_NOT_FOUND"


class DispatchCanNotBeCanceled(SmsApiCodeError):
    CODE = "DISPATCH_CAN_NOT_BE_CANCELED"


class DispatchCanNotBeRun(SmsApiCodeError):
    CODE = "DISPATCH_CAN_NOT_BE_RUN"


class UnknownApiError(SmsApiCodeError):
    """The documented error shape with a code the seed does not list."""


class TokenRejected(SmsApiError):
    """The service refuses access: 401/403, a redirect (to a login page, as Spring Security
    does), or a web page instead of data. The token is wrong or the operator blocked the
    client."""

    def __init__(self, http_status: int, how: str = "") -> None:
        text = f"the SMS API refused access (HTTP {http_status}{', ' + how if how else ''})"
        super().__init__(text)
        self.http_status = http_status


class ServiceUnavailable(SmsApiError):
    """Network error, timeout, 5xx or throttling: nothing to do but try later."""


class InvalidResponse(SmsApiError):
    """An answer the bot cannot read: what differs is in ``problem``."""

    def __init__(self, problem: FormatProblem) -> None:
        super().__init__(
            f"{problem.endpoint}: {problem.field}: expected {problem.expected}, got {problem.got}"
        )
        self.problem = problem


class DispatchOutcomeUnknown(SmsApiError):
    """A create whose answer was lost after the request may have reached the server.

    The dispatch may or may not exist, and the API has no way to look it up by
    content: never retry blindly.
    """


ERRORS_BY_CODE: dict[str, type[SmsApiCodeError]] = {
    cls.CODE: cls
    for cls in (
        AddressBookNotFound,
        DispatchNotFound,
        InvalidDispatchDate,
        InvalidFormat,
        ArgumentNotValid,
        DispatchCancelNotFound,
        DispatchCanNotBeCanceled,
        DispatchCanNotBeRun,
    )
    if cls.CODE is not None
}


def error_for_code(code: str, server_message: str | None, http_status: int) -> SmsApiCodeError:
    """The typed exception for a documented error body."""
    return ERRORS_BY_CODE.get(code, UnknownApiError)(code, server_message, http_status)
