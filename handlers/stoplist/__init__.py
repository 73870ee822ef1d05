"""The stop list (admins): numbers that never receive an SMS. ``/stoplist`` or the button
on ``/settings`` shows it; numbers are added and removed typed or in a file, and it is
exported as a file (``editing.py``). Every send leaves these numbers out right before
the POST (``core/stoplist.py``, called by ``core/sending.py``).

Included after the send feature: a ``/stoplist`` typed in the middle of a send parks
the draft there first, as any other command does.
"""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter

from handlers.admin.guard import not_allowed, only_for_admins
from handlers.common.filters import InLoop
from handlers.common.menu import ALL_LABELS, typed_text
from handlers.common.roles import is_admin
from handlers.stoplist import editing
from handlers.stoplist.callbacks import StopListAction, StopListCallback

elsewhere = InLoop(F.text.startswith("/") | F.text.in_(ALL_LABELS))


def build_router() -> Router:
    router = Router(name="stoplist")
    admins = Router(name="stoplist.admins")
    admins.message.filter(is_admin)
    admins.callback_query.filter(is_admin)
    message, tap = admins.message.register, admins.callback_query.register
    asking = StateFilter(editing.StopListInput.adding, editing.StopListInput.removing)

    def on(action: StopListAction) -> CallbackQueryFilter:
        return StopListCallback.filter(F.action == action)

    message(editing.show_stop_list, Command("stoplist"))
    message(editing.leave_for_command, asking, elsewhere)
    message(editing.numbers_typed, asking, typed_text)
    message(editing.numbers_file, asking, InLoop(F.document))
    message(editing.not_numbers, asking)
    tap(editing.page_tapped, on(StopListAction.SHOW))
    tap(editing.add_tapped, on(StopListAction.ADD))
    tap(editing.remove_tapped, on(StopListAction.REMOVE))
    tap(editing.cancel_tapped, on(StopListAction.CANCEL))
    tap(editing.export_tapped, on(StopListAction.EXPORT))

    others = Router(name="stoplist.guard")
    others.message.register(only_for_admins, Command("stoplist"))
    others.callback_query.register(not_allowed, StopListCallback.filter())
    router.include_routers(admins, others)
    return router
