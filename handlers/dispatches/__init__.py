"""Dispatches: ``/status``, ``/track``, ``/dispatches`` and the card's buttons.

Every reader role may look and follow; cancelling and re-running need ``can_send`` and
the authority over that dispatch (``authority.py``), and a "yes" with its token.
"""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.menu import DISPATCHES, menu_button, typed_text
from handlers.common.roles import can_read, can_send
from handlers.dispatches import actions, listing, lookup
from handlers.dispatches.confirmation import ConfirmedCommand


def build_router() -> Router:
    router = Router(name="dispatches")
    router.message.filter(can_read)
    router.callback_query.filter(can_read)

    message, tap = router.message.register, router.callback_query.register
    message(lookup.status_command, Command("status"))
    message(lookup.track_command, Command("track"))
    # In the number step only plain text is the answer: commands and menu buttons go on
    # to whoever handles them.
    message(lookup.number_for_card, StateFilter(lookup.AskNumber.for_card), typed_text)
    message(lookup.number_to_follow, StateFilter(lookup.AskNumber.to_follow), typed_text)

    message(listing.list_dispatches, Command("dispatches"))
    message(listing.list_dispatches, menu_button(DISPATCHES))
    tap(listing.turn_page, listing.DispatchPage.filter())
    tap(listing.open_card, listing.OpenDispatch.filter())

    card = CardCallback.filter
    tap(actions.refuse_reader, card(F.action.in_(actions.SENDERS_ONLY)), ~can_send)
    tap(actions.refuse_reader_yes, ConfirmedCommand.filter(), ~can_send)
    tap(actions.refresh, card(F.action.in_({CardAction.REFRESH, CardAction.BACK})))
    tap(actions.ask_to_confirm, card(F.action.in_(set(actions.CONFIRMATIONS))))
    tap(actions.tokenless_yes, card(F.action.in_(set(actions.TOKENLESS_YES))))
    tap(actions.confirmed, ConfirmedCommand.filter())
    tap(actions.start_following, card(F.action == CardAction.FOLLOW))
    tap(actions.stop_following, card(F.action == CardAction.UNFOLLOW))
    return router
