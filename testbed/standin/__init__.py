"""A local stand-in for the Telegram Bot API, for running the real bot in tests.

    standin = await BotApiStandin.start(bot_token="123456:TEST")
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(standin.url)))
    ann = standin.user(501, first_name="Ann", language_code="ru")
    await ann.send_text("/start")
    reply = await ann.wait_for_reply()
    await ann.tap("Confirm")
    await ann.share_contact()   # a request_contact button: the user's own contact
    team = standin.group(-1001, "Sales team", [ann])   # a group chat, see `groups`
    await team.add_bot(by=ann)
    ...
    await standin.stop()

`testing.bot_for` and `testing.polling` do the aiogram side; `/_standin/...` (see
`control`) drives the same state over HTTP. Once a bot calls setWebhook, the stand-in
POSTs the updates to it as Telegram does instead (`standin.webhook`, see `webhook`).
"""

from .client import SimUser
from .clock import ManualClock
from .errors import ApiError
from .flood import FloodLimits
from .groups import SimGroup
from .routes import route_params
from .server import BotApiStandin
from .state import CallbackAnswer, RecordedCall, StandinMessage

__all__ = [
    "ApiError",
    "BotApiStandin",
    "CallbackAnswer",
    "FloodLimits",
    "ManualClock",
    "RecordedCall",
    "SimGroup",
    "SimUser",
    "StandinMessage",
    "route_params",
]
