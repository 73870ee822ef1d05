"""sendPhoto on the stand-in: a multipart upload answered with Telegram's array of sizes,
and refused where Telegram refuses a photo."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile

from testbed.standin import BotApiStandin, SimUser
from testbed.standin.photos import PHOTO_LIMIT_BYTES, image_size
from testbed.standin.testing import bot_for


def png(width: int, height: int, padding: int = 0) -> bytes:
    """A real PNG of one colour; ``padding`` bytes of an ancillary chunk make it larger."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    extra = chunk(b"tEXt", b"pad\x00" + b"x" * padding) if padding else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


@pytest.fixture
async def bot(standin: BotApiStandin) -> AsyncIterator[Bot]:
    async with bot_for(standin) as client:
        yield client


@pytest.fixture
def ann(standin: BotApiStandin) -> SimUser:
    return standin.user(801, first_name="Ann")


async def refused(call: object) -> str:
    with pytest.raises(TelegramBadRequest) as error:
        await call  # type: ignore[misc]
    return error.value.message


async def test_a_photo_comes_back_as_sizes_smallest_first_and_downloads(
    standin: BotApiStandin, bot: Bot, ann: SimUser
) -> None:
    picture = png(1600, 900)
    sent = await bot.send_photo(
        ann.chat_id,
        BufferedInputFile(picture, "chart.png"),
        caption="<b>Отчёт</b> за март",
        parse_mode="HTML",
    )

    assert sent.photo is not None
    assert [(size.width, size.height) for size in sent.photo] == [
        (90, 51),
        (320, 180),
        (800, 450),
        (1280, 720),
    ]
    assert len({size.file_id for size in sent.photo}) == 4
    assert sent.caption == "Отчёт за март"
    assert sent.caption_entities and sent.caption_entities[0].type == "bold"
    largest = await bot.download(sent.photo[-1])
    assert largest is not None and largest.read() == picture
    assert ann.messages[-1].photo == [size.model_dump(exclude_none=True) for size in sent.photo]
    assert standin.calls_to("sendPhoto")[0].params["photo"].filename == "chart.png"


async def test_a_small_photo_keeps_its_own_size(bot: Bot, ann: SimUser) -> None:
    sent = await bot.send_photo(ann.chat_id, BufferedInputFile(png(60, 40), "dot.png"))
    assert sent.photo is not None
    assert [(size.width, size.height) for size in sent.photo] == [(60, 40)]


async def test_a_photo_is_sent_again_by_its_file_id(bot: Bot, ann: SimUser) -> None:
    first = await bot.send_photo(ann.chat_id, BufferedInputFile(png(400, 300), "a.png"))
    assert first.photo is not None
    again = await bot.send_photo(ann.chat_id, first.photo[-1].file_id)
    assert again.photo is not None and again.photo[-1].width == 400


async def test_what_telegram_refuses_in_a_photo(bot: Bot, ann: SimUser) -> None:
    def upload(content: bytes) -> BufferedInputFile:
        return BufferedInputFile(content, "photo.png")

    assert await refused(bot.send_photo(ann.chat_id, upload(b"not an image"))) == (
        "Bad Request: IMAGE_PROCESS_FAILED"
    )
    too_big = png(100, 100, padding=PHOTO_LIMIT_BYTES)
    assert await refused(bot.send_photo(ann.chat_id, upload(too_big))) == (
        "Bad Request: PHOTO_SAVE_FILE_INVALID"
    )
    assert await refused(bot.send_photo(ann.chat_id, upload(png(2100, 100)))) == (
        "Bad Request: PHOTO_INVALID_DIMENSIONS"
    )
    assert await refused(bot.send_photo(ann.chat_id, upload(png(6000, 4500)))) == (
        "Bad Request: PHOTO_INVALID_DIMENSIONS"
    )
    long_caption = "x" * 1025
    assert "caption is too long" in await refused(
        bot.send_photo(ann.chat_id, upload(png(10, 10)), caption=long_caption)
    )
    assert await refused(bot.send_photo(ann.chat_id, "no-such-file")) == (
        "Bad Request: wrong file identifier/HTTP URL specified"
    )
    assert await refused(bot.send_photo(ann.chat_id, "https://example.org/a.png")) == (
        "Bad Request: failed to get HTTP URL content"
    )
    assert [m for m in ann.messages if m.photo] == []


async def test_an_empty_photo_part_is_refused(standin: BotApiStandin, ann: SimUser) -> None:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(ann.chat_id))
    form.add_field("photo", b"", filename="empty.png", content_type="image/png")
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{standin.url}/bot{standin.token}/sendPhoto", data=form) as response,
    ):
        body = await response.json()
    assert (response.status, body["description"]) == (400, "Bad Request: file must be non-empty")


def test_image_sizes_are_read_from_png_jpeg_and_gif_headers() -> None:
    assert image_size(png(321, 123)) == (321, 123)
    jpeg = (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", 16)
        + b"JFIF\x00" * 2
        + b"\x00\x00\x00\x00"
        + b"\xff\xc0"
        + struct.pack(">HBHH", 17, 8, 480, 640)
        + b"\x03"
        + b"\x00" * 9
    )
    assert image_size(jpeg) == (640, 480)
    assert image_size(b"GIF89a" + struct.pack("<HH", 32, 16) + b"\x00" * 8) == (32, 16)
    assert image_size(b"\x89PNG\r\n\x1a\n") is None
    assert image_size(b"") is None


async def test_the_page_fetches_a_photo_through_the_control_api(
    standin: BotApiStandin, bot: Bot, ann: SimUser
) -> None:
    picture = png(200, 100)
    sent = await bot.send_photo(ann.chat_id, BufferedInputFile(picture, "p.png"))
    assert sent.photo is not None
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{standin.url}/_standin/files/{sent.photo[-1].file_id}") as found:
            assert (found.status, found.content_type) == (200, "image/png")
            assert await found.read() == picture
        async with http.get(f"{standin.url}/_standin/files/nothing") as missing:
            assert missing.status == 404
