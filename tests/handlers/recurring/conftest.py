"""The recurring dispatches' tests use the root and handler fixtures (the bot on the
emulator's clock: ``aligned_clock``); nothing of their own."""
