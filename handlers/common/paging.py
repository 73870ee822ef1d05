"""Page arithmetic shared by the lists: pages count from 0, there is always one."""

from __future__ import annotations


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def clamp_page(page: int, pages: int) -> int:
    """A page that exists: an old button may name one that no longer does."""
    return min(max(page, 0), pages - 1)
