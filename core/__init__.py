"""The Telegram-free core: settings, the SMS API client, phones and segments, the send
service, and the poller's decisions. It knows nothing of aiogram."""
