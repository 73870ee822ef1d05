"""``python -m testbed.emulator``: serve the emulated SMS API until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from collections.abc import Sequence
from pathlib import Path

from .config import EmulatorConfig
from .dialects import DIALECTS, describe_dialects
from .server import serve
from .state import EmulatorState

TOKEN_VARIABLE = "SMS_API_TOKEN"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    defaults = EmulatorConfig()
    parser = argparse.ArgumentParser(
        prog="python -m testbed.emulator",
        description="Emulator of the Phoenix SMS API v2.8.1.",
        epilog="dialects (--dialect NAME, repeatable; none by default):\n" + describe_dialects(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7890, help="0 picks a free port")
    parser.add_argument(
        "--token",
        default=os.environ.get(TOKEN_VARIABLE),
        help=f"the API token clients must send (default: ${TOKEN_VARIABLE})",
    )
    parser.add_argument("--data", type=Path, help="a JSON file shaped like default_data.json")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="emulated seconds per real second (0 freezes)"
    )
    parser.add_argument("--timezone", default=defaults.timezone, help="IANA zone of the dates")
    parser.add_argument("--price-per-sms", default=str(defaults.price_per_sms))
    parser.add_argument("--tariffing-seconds", type=float, default=defaults.tariffing_seconds)
    parser.add_argument("--sending-seconds", type=float, default=defaults.sending_seconds)
    parser.add_argument("--close-after-seconds", type=float, default=defaults.close_after_seconds)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument(
        "--dialect",
        dest="dialects",
        action="append",
        default=[],
        choices=sorted(DIALECTS),
        metavar="NAME",
        help="answer as a real server that departs from the reference this way "
        "(repeatable; the dialects are listed below)",
    )
    args = parser.parse_args(argv)
    if not args.token:
        parser.error(f"give --token or set {TOKEN_VARIABLE}")
    return args


def build_config(args: argparse.Namespace) -> EmulatorConfig:
    return EmulatorConfig(
        token=args.token,
        timezone=args.timezone,
        speed=args.speed,
        data_path=args.data,
        price_per_sms=args.price_per_sms,
        tariffing_seconds=args.tariffing_seconds,
        sending_seconds=args.sending_seconds,
        close_after_seconds=args.close_after_seconds,
        seed=args.seed,
        dialects=args.dialects,
    )


async def run(state: EmulatorState, host: str, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    emulator = await serve(state, host, port)
    print(f"SMS API emulator listening on {emulator.url}", flush=True)
    try:
        await stop.wait()
    finally:
        await emulator.stop()


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        state = EmulatorState(build_config(args))
        asyncio.run(run(state, args.host, args.port))
    except (OSError, ValueError, KeyError) as error:
        # A bad setting, an unreadable data file or a busy port: one line, no traceback.
        raise SystemExit(f"testbed.emulator: {error}") from None


if __name__ == "__main__":
    main()
