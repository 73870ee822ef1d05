"""``python -m bot sandbox [--host H] [--port P] [--open-browser yes|no] ...``

Options are checked before anything heavy is imported, so a typo answers at once.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from handlers.common.i18n import LANGUAGES

from .options import SandboxOptions


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    defaults = SandboxOptions()
    parser = argparse.ArgumentParser(
        prog="python -m bot sandbox",
        description=(
            "Run the whole bot on this machine: the SMS API emulator, a stand-in for the "
            "Telegram Bot API with a chat page for the browser, and the real bot."
        ),
    )
    parser.add_argument("--host", default=defaults.host, help="address of the chat page")
    parser.add_argument(
        "--port", type=int, default=defaults.port, help="port of the chat page; 0 picks one"
    )
    parser.add_argument(
        "--open-browser",
        choices=("yes", "no"),
        default="yes",
        help="open the page in the desktop's browser, if there is a desktop",
    )
    parser.add_argument(
        "--pace",
        type=float,
        default=defaults.pace,
        help="how many times faster than usual dispatches move by themselves; "
        f"default {defaults.pace:g}",
    )
    parser.add_argument(
        "--frozen-clock",
        action="store_true",
        help="stop the emulator's clock: only the side panel moves dispatches on",
    )
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=defaults.poll_interval,
        help=f"the bot's POLL_INTERVAL in seconds; default {defaults.poll_interval:g}",
    )
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        default=defaults.language,
        help="the language of the people's Telegram apps",
    )
    parser.add_argument(
        "--log-level",
        choices=("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"),
        default=defaults.log_level,
    )
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error("--port must lie between 0 and 65535")
    if not 0 < args.pace <= 1000:
        parser.error("--pace must lie above 0 and at most 1000")
    if not 0 < args.poll_interval <= 3600:
        parser.error("--poll-interval must lie between 0 and 3600 seconds")
    return args


def options_from(args: argparse.Namespace) -> SandboxOptions:
    return SandboxOptions(
        host=args.host,
        port=args.port,
        pace=args.pace,
        frozen_clock=args.frozen_clock,
        poll_interval=args.poll_interval,
        language=args.language,
        log_level=args.log_level,
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    options = options_from(args)
    # Imported once the options are known to be good: aiogram takes a few seconds.
    from bot.logging_setup import configure_logging

    from .guard import exposure_warning
    from .runner import PageAddressUnavailable, serve

    configure_logging(options.log_level, (options.bot_token, options.sms_token))
    warning = exposure_warning(options.host)
    if warning is not None:
        print(f"sandbox: {warning}", file=sys.stderr, flush=True)
    try:
        asyncio.run(serve(options, open_browser=args.open_browser == "yes"))
    except KeyboardInterrupt:
        pass
    except PageAddressUnavailable as error:
        print(f"sandbox: {error}; pick another with --port", file=sys.stderr)
        raise SystemExit(1) from None
