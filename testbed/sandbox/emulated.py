"""How the sandbox and the demo run the SMS API emulator: dispatches that move by
themselves faster than on the real service, on a clock that keeps real time (so a send
time typed in the chat is judged as the real API would judge it)."""

from __future__ import annotations

from testbed.emulator import EmulatorConfig


def emulator_timing(pace: float, frozen_clock: bool) -> dict[str, float]:
    """The emulator's clock speed and its dispatch timings divided by ``pace``."""
    if pace <= 0:
        raise ValueError("the pace must be above 0")
    usual = EmulatorConfig()
    return {
        "speed": 0.0 if frozen_clock else 1.0,
        "tariffing_seconds": usual.tariffing_seconds / pace,
        "sending_seconds": usual.sending_seconds / pace,
        "close_after_seconds": usual.close_after_seconds / pace,
    }
