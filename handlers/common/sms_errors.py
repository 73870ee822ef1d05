"""Every way an SMS API call can fail, in words a manager understands."""

from __future__ import annotations

from core.sms import (
    AddressBookNotFound,
    ArgumentNotValid,
    DispatchCancelNotFound,
    DispatchCanNotBeCanceled,
    DispatchCanNotBeRun,
    DispatchNotFound,
    DispatchOutcomeUnknown,
    InvalidDispatchDate,
    InvalidFormat,
    InvalidResponse,
    ServiceUnavailable,
    SmsApiCodeError,
    SmsApiError,
    TokenRejected,
    UnknownApiError,
)
from handlers.common.formatting import esc
from handlers.common.i18n import Translator

_KEYS: tuple[tuple[type[SmsApiError], str], ...] = (
    (AddressBookNotFound, "sms_errors.address_book_not_found"),
    (DispatchNotFound, "sms_errors.dispatch_not_found"),
    (DispatchCancelNotFound, "sms_errors.dispatch_not_found"),
    (InvalidDispatchDate, "sms_errors.invalid_dispatch_date"),
    (InvalidFormat, "sms_errors.invalid_format"),
    (ArgumentNotValid, "sms_errors.argument_not_valid"),
    (DispatchCanNotBeCanceled, "sms_errors.can_not_be_canceled"),
    (DispatchCanNotBeRun, "sms_errors.can_not_be_run"),
    (TokenRejected, "sms_errors.token_rejected"),
    (DispatchOutcomeUnknown, "sms_errors.outcome_unknown"),
    (InvalidResponse, "sms_errors.not_understood"),
    (ServiceUnavailable, "sms_errors.unavailable"),
)


def describe_sms_error(error: SmsApiError, t: Translator) -> str:
    """An HTML-safe sentence; the server's own words are added where they help."""
    for kind, key in _KEYS:
        if isinstance(error, kind):
            text = t(key)
            break
    else:
        if isinstance(error, UnknownApiError) and error.code.startswith("HTTP "):
            text = t("sms_errors.refused", status=error.http_status)
        else:
            text = t("sms_errors.other")
    if isinstance(error, SmsApiCodeError) and error.server_message:
        text += "\n" + t("sms_errors.server_said", message=esc(error.server_message))
    return text
