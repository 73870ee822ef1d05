"""Entry point: ``python -m bot`` runs the bot with long polling.

Two explicit subcommands run it differently, and nothing else turns them on:
``python -m bot sandbox`` (everything local, with a chat page in the browser, see
``testbed/sandbox``) and ``python -m bot demo`` (real Telegram, emulated SMS API, see
``testbed/demo.py``).
"""

from __future__ import annotations

import sys

from core.settings import load_settings


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["sandbox"]:
        from testbed.sandbox.cli import main as sandbox_main

        sandbox_main(args[1:])
        return
    if args[:1] == ["demo"]:
        from testbed.demo import main as demo_main

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
    from bot.instance_lock import InstanceLock
    from bot.process import run_locked

    async def run(lock: InstanceLock) -> None:
        app = await BotApp.open(settings, lock)
        await app.run(handle_signals=True)

    run_locked(settings, run)


if __name__ == "__main__":
    main()
