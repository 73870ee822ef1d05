"""What counts as typed input at a step: plain text that is neither a command nor the
label of a main-menu button (those are answered with the step's hint instead)."""

from handlers.common.menu import typed_text

TYPED_INPUT = typed_text
