"""Pieces every feature and the notifications share: the per-update context, replies,
views (card, money, dates, statuses), callback data, the menu, roles and texts."""
