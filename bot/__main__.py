"""Entry point: ``python -m bot`` runs the bot with long polling.

Two explicit subcommands run it differently, and nothing else turns them on:
``python -m bot sandbox`` (everything local, with a chat page in the browser, see
``bot/sandbox``) and ``python -m bot demo`` (real Telegram, emulated SMS API, see
``bot/demo.py``).
"""

from __future__ import annotations

import asyncio
import sys

from bot.settings import load_settings


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["sandbox"]:
        from bot.sandbox.cli import main as sandbox_main

        sandbox_main(args[1:])
        return
    if args[:1] == ["demo"]:
        from bot.demo import main as demo_main

        demo_main(args[1:])
        return
    if args:
        print(
            f"Unknown arguments: {' '.join(args)}. Usage: python -m bot [sandbox | demo]",
            file=sys.stderr,
        )
        raise SystemExit(2)
    settings = load_settings()

    # Imported after the settings check, so a bad .env answers fast and plainly.
    from bot.app import BotApp
    from bot.instance_lock import AlreadyRunning, InstanceLock
    from bot.logging_setup import configure_logging

    lock = InstanceLock(settings.DATABASE_PATH)
    try:
        lock.acquire()
    except AlreadyRunning as error:
        print(error, file=sys.stderr)
        raise SystemExit(1) from None
    configure_logging(settings.LOG_LEVEL, settings.secrets())

    async def run() -> None:
        app = await BotApp.open(settings, lock)
        await app.run(handle_signals=True)

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    finally:
        lock.release()


if __name__ == "__main__":
    main()
