"""Entry point: ``python -m bot``."""

from __future__ import annotations

from bot.settings import load_settings


def main() -> None:
    load_settings()
    raise SystemExit("The bot's handlers are not wired yet: only the settings were checked.")


if __name__ == "__main__":
    main()
