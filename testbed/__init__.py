"""What the bot is tested and tried against, never part of the running product: the SMS
API emulator, the Bot API stand-in, and the sandbox and demo that wire them to the bot."""
