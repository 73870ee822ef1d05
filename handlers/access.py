from aiogram import Router

router = Router(name="access")


async def handle_stranger(event: object, data: dict) -> None:
    return None
