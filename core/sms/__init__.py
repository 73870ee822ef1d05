"""Typed async client of the Phoenix client SMS API v2.8.1."""

from core.sms.client import SmsApiClient
from core.sms.dates import format_api_datetime, parse_api_date, parse_api_datetime
from core.sms.errors import (
    ERRORS_BY_CODE,
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
    error_for_code,
)
from core.sms.models import (
    AddressBook,
    Balance,
    Contact,
    ContactPhone,
    CreditLimit,
    Dispatch,
    DispatchStatus,
)
from core.sms.problems import FormatProblem, ProblemBook
from core.sms.redaction import (
    SecretRedactingFilter,
    install_secret_redaction,
    uninstall_secret_redaction,
)

__all__ = [
    "ERRORS_BY_CODE",
    "AddressBook",
    "AddressBookNotFound",
    "ArgumentNotValid",
    "Balance",
    "Contact",
    "ContactPhone",
    "CreditLimit",
    "Dispatch",
    "DispatchCanNotBeCanceled",
    "DispatchCanNotBeRun",
    "DispatchCancelNotFound",
    "DispatchNotFound",
    "DispatchOutcomeUnknown",
    "DispatchStatus",
    "FormatProblem",
    "InvalidDispatchDate",
    "InvalidFormat",
    "InvalidResponse",
    "ProblemBook",
    "SecretRedactingFilter",
    "ServiceUnavailable",
    "SmsApiClient",
    "SmsApiCodeError",
    "SmsApiError",
    "TokenRejected",
    "UnknownApiError",
    "error_for_code",
    "format_api_datetime",
    "install_secret_redaction",
    "parse_api_date",
    "parse_api_datetime",
    "uninstall_secret_redaction",
]
