"""The API's error answers: code, HTTP status and the seed's Russian message."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An answer ``{"code": ..., "message": ...}`` with an HTTP error status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


def address_book_not_found(book_id: int) -> ApiError:
    return ApiError(404, "ADDRESS_BOOK_NOT_FOUND", f"Адресная книга {book_id} не найдена")


def dispatch_not_found(dispatch_id: int) -> ApiError:
    return ApiError(404, "DISPATCH_NOT_FOUND", f"Рассылка {dispatch_id} не найдена")


def dispatch_cancel_not_found(dispatch_id: int) -> ApiError:
    return ApiError(404, "DISPATCH_CANCEL_NOT_FOUND", f"Рассылка {dispatch_id} не найдена")


def dispatch_can_not_be_canceled(dispatch_id: int) -> ApiError:
    return ApiError(
        400, "DISPATCH_CAN_NOT_BE_CANCELED", f"Рассылка {dispatch_id} не может быть отменена"
    )


def dispatch_can_not_be_run(dispatch_id: int) -> ApiError:
    return ApiError(
        400, "DISPATCH_CAN_NOT_BE_RUN", f"Рассылка {dispatch_id} не может быть запущена"
    )


def invalid_dispatch_date() -> ApiError:
    return ApiError(400, "INVALID_DISPATCH_DATE", "Рассылка не может быть создана прошедшим числом")


def invalid_phone_format(phone: str) -> ApiError:
    return ApiError(
        400,
        "INVALID_FORMAT",
        f"Телефонный номер {phone} должен быть в формате 38071xxxxxxx либо 71xxxxxxx",
    )


def argument_not_valid(message: str) -> ApiError:
    return ApiError(400, "ARGUMENT_NOT_VALID", message)


def unauthorized() -> ApiError:
    return ApiError(
        401, "UNAUTHORIZED", "Доступ к API запрещён: неверный токен или пользователь заблокирован"
    )
