"""Notifications as Telegram shows them: their texts, the admins' alerts, and the one
rate-limited way every message reaches Telegram."""
