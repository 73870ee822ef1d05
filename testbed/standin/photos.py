"""sendPhoto as Telegram takes it: the image's own size read from its bytes, Telegram's
limits on a photo, and the array of sizes it answers with.

Telegram keeps a photo as a few scaled copies (a thumbnail of 90 px on the longer side,
320, 800, and at most 1280 for the largest) and returns them all, smallest first, as the
message's ``photo``. The stand-in stores the uploaded bytes under every size (it does
not re-encode), so each size's ``file_size`` is the upload's.
"""

from __future__ import annotations

import struct
from typing import Any

from .errors import bad_request
from .state import StandinState, StoredFile

PHOTO_LIMIT_BYTES = 10 * 1024 * 1024  # a photo; a document may be 50 MB
SIDES_SUM_LIMIT = 10_000  # width + height
RATIO_LIMIT = 20
SIZE_STEPS = (90, 320, 800)
LARGEST_SIDE = 1280

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def image_size(content: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, JPEG or GIF; None for anything else."""
    if content.startswith(_PNG) and content[12:16] == b"IHDR" and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return int(width), int(height)
    if content[:6] in (b"GIF87a", b"GIF89a") and len(content) >= 10:
        width, height = struct.unpack("<HH", content[6:10])
        return int(width), int(height)
    if content.startswith(b"\xff\xd8"):
        return _jpeg_size(content)
    return None


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(content):
        if content[at] != 0xFF:
            return None
        marker = content[at + 1]
        (length,) = struct.unpack(">H", content[at + 2 : at + 4])
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return int(width), int(height)
        at += 2 + length
    return None


def image_type(content: bytes) -> str:
    if content.startswith(_PNG):
        return "image/png"
    if content.startswith(b"\xff\xd8"):
        return "image/jpeg"
    return "image/gif"


def checked_size(content: bytes) -> tuple[int, int]:
    """The photo's size, or Telegram's refusal of it."""
    if not content:
        raise bad_request("file must be non-empty")
    if len(content) > PHOTO_LIMIT_BYTES:
        raise bad_request("PHOTO_SAVE_FILE_INVALID")
    size = image_size(content)
    if size is None:
        raise bad_request("IMAGE_PROCESS_FAILED")
    width, height = size
    if (
        width < 1
        or height < 1
        or width + height > SIDES_SUM_LIMIT
        or max(width, height) > RATIO_LIMIT * min(width, height)
    ):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    return width, height


def photo_sizes(state: StandinState, content: bytes) -> list[dict[str, Any]]:
    """Store a photo; its PhotoSize array, smallest first."""
    width, height = checked_size(content)
    longer = max(width, height)
    steps = [side for side in SIZE_STEPS if side < longer] + [min(longer, LARGEST_SIDE)]
    sizes = []
    mime_type = image_type(content)
    for side in steps:
        stored = state.store_file(content, "photo", mime_type=mime_type)
        scale = side / longer
        sizes.append(_photo_size(stored, round(width * scale) or 1, round(height * scale) or 1))
    return sizes


def _photo_size(stored: StoredFile, width: int, height: int) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
        "width": width,
        "height": height,
    }
