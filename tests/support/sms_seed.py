"""The SMS API reference's example answers, byte for byte, for the client's tests."""

from core.sms import (
    AddressBookNotFound,
    ArgumentNotValid,
    DispatchCancelNotFound,
    DispatchCanNotBeCanceled,
    DispatchCanNotBeRun,
    DispatchNotFound,
    InvalidDispatchDate,
    InvalidFormat,
)

# Bodies exactly as printed in the seed, with the Content-Length it gives for each.
ADDRESS_BOOKS = (
    74,
    '[ {\n  "id" : 1,\n  "name" : "name1"\n}, {\n  "id" : 2,\n  "name" : "name2"\n} ]',
)
CONTACTS = (
    134,
    '[ {\n  "phone" : "380710000000",\n  "comment" : "Контакт 1"\n}, {\n'
    '  "phone" : "380719999999",\n  "comment" : "Контакт 2"\n} ]',
)
DISPATCH = (
    291,
    "{\n"
    '  "idDispatch" : 1,\n'
    '  "dateSend" : "01.02.2019 11:22:00",\n'
    '  "dateToClose" : "01.02.2019 22:44:00",\n'
    '  "status" : "IN_QUEUE",\n'
    '  "messagesCount" : 1,\n'
    '  "messagesSent" : 0,\n'
    '  "messagesDelivered" : 0,\n'
    '  "comment" : "Комментарий",\n'
    '  "text" : "Текст",\n'
    '  "dispatchSource" : "API"\n'
    "}",
)
BALANCE = (
    237,
    "{\n"
    '  "balance" : 42.0,\n'
    '  "beginningPeriodBalance" : 66.0,\n'
    '  "limit" : 100.0,\n'
    '  "creditLimit" : {\n'
    '    "limit" : 200.0,\n'
    '    "dateStart" : "01.01.2019",\n'
    '    "dateEnd" : "01.02.2019"\n'
    "  },\n"
    '  "currentPayments" : 200.0,\n'
    '  "currentFees" : 100.0\n'
    "}",
)
CREATED = (1, "1")


def error_body(code: str, message: str) -> str:
    return f'{{\n  "code" : "{code}",\n  "message" : "{message}"\n}}'


# (path, HTTP status, seed Content-Length, body, exception); the seed prints the
# CAN_NOT_BE_CANCELED body split in two, its Content-Length is that of the whole.
SEED_ERRORS = [
    ("GET", "/sms-api/addressbooks/2/contacts", 404, 106,
     error_body("ADDRESS_BOOK_NOT_FOUND", "Адресная книга 2 не найдена"), AddressBookNotFound),
    ("GET", "/sms-api/dispatches/2", 404, 91,
     error_body("DISPATCH_NOT_FOUND", "Рассылка 2 не найдена"), DispatchNotFound),
    ("POST", "/sms-api/dispatches", 400, 144,
     error_body("INVALID_DISPATCH_DATE", "Рассылка не может быть создана прошедшим числом"),
     InvalidDispatchDate),
    ("POST", "/sms-api/dispatches", 400, 160,
     error_body(
         "INVALID_FORMAT",
         "Телефонный номер 1234567 должен быть в формате 38071xxxxxxx либо 71xxxxxxx",
     ),
     InvalidFormat),
    ("POST", "/sms-api/dispatches", 400, 96,
     error_body("ARGUMENT_NOT_VALID", "message не может быть пусто"), ArgumentNotValid),
    ("POST", "/sms-api/dispatches/cancel", 404, 98,
     error_body("DISPATCH_CANCEL_NOT_FOUND", "Рассылка 2 не найдена"), DispatchCancelNotFound),
    ("POST", "/sms-api/dispatches/cancel", 400, 123,
     error_body("DISPATCH_CAN_NOT_BE_CANCELED", "Рассылка 3 не может быть отменена"),
     DispatchCanNotBeCanceled),
    ("POST", "/sms-api/dispatches/run", 404, 91,
     error_body("DISPATCH_NOT_FOUND", "Рассылка 2 не найдена"), DispatchNotFound),
    ("POST", "/sms-api/dispatches/run", 400, 118,
     error_body("DISPATCH_CAN_NOT_BE_RUN", "Рассылка 3 не может быть запущена"),
     DispatchCanNotBeRun),
]  # fmt: skip
