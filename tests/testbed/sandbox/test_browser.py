"""The chat page in a real browser: Debian's Chromium driven by Playwright, never a
downloaded browser. The sandbox behind it runs the real bot with a stopped emulator
clock, so a dispatch moves only when the side panel moves it."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, async_playwright, expect

from handlers.common.i18n import translator
from testbed.sandbox.people import TEAM
from testbed.sandbox.runner import Sandbox
from tests.support.paths import ROOT
from tests.support.sandbox import ADMIN, EN, MANAGER, running_sandbox
from tests.support.send import step_head
from tests.support.texts import CUT, head, plain

pytestmark = pytest.mark.slow  # a real Chromium

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts"
WAIT_MS = 15_000


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: apt-get install chromium"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@asynccontextmanager
async def open_page(
    tmp_path: Path, width: int, height: int, language: str = "en"
) -> AsyncIterator[tuple[Sandbox, Page]]:
    require_chromium()
    sandbox_opened = running_sandbox(language=language)
    async with sandbox_opened as (sandbox, _), async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),  # new and empty: nothing from elsewhere
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
        )
        try:
            page = context.pages[0] if context.pages else await context.new_page()
            page.set_default_timeout(WAIT_MS)
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            yield sandbox, page
            assert errors == [], errors
        finally:
            await context.close()


@pytest.fixture
async def wide(tmp_path: Path) -> AsyncIterator[tuple[Sandbox, Page]]:
    async with open_page(tmp_path, 1280, 860) as opened:
        yield opened


@pytest.fixture
async def narrow(tmp_path: Path) -> AsyncIterator[tuple[Sandbox, Page]]:
    async with open_page(tmp_path, 390, 800) as opened:
        yield opened


def bot_bubble(page: Page, text: str):
    return page.locator(".message.from-bot .bubble", has_text=text).last


async def tap_inline(page: Page, text: str) -> None:
    """The button on the newest bot message that has it, as a person would tap it."""
    await page.locator(".message.from-bot .kb-button", has_text=text).last.click()


async def type_message(page: Page, text: str) -> None:
    await page.locator("#input").fill(text)
    await page.locator("#input").press("Enter")


async def test_manager_sends_to_a_book_with_buttons_and_hears_when_the_panel_moves_it(
    wide: tuple[Sandbox, Page],
):
    sandbox, page = wide
    await page.goto(f"{sandbox.url}#manager")
    await expect(page.locator("#whoami")).to_contain_text("Max")
    await page.locator("#start-button").click()
    await page.locator(".rk-button", has_text=EN("menu.send")).click()
    await tap_inline(page, "name1")
    await expect(bot_bubble(page, step_head(2, EN))).to_be_visible()

    # The person's text goes back in the bot's HTML: it must show as typed, not as markup.
    typed = "Sale <b>-20%</b> & <img src=x onerror=alert(1)>"
    await type_message(page, typed)
    await tap_inline(page, EN("send.button_now"))
    await expect(bot_bubble(page, head(EN("send.summary_title")))).to_be_visible()
    await tap_inline(page, EN("send.button_confirm"))
    card = bot_bubble(page, head(EN("card.title", id=CUT)))
    await expect(card).to_be_visible()
    assert page.url.endswith("#manager")
    card_text = await card.inner_text()
    dispatch_id = int(re.search(r"#(\d+)", card_text).group(1))  # type: ignore[union-attr]
    assert typed in card_text
    assert await page.locator(".messages img").count() == 0
    assert await card.locator("strong").count() > 0  # the bot's <b> is shown bold

    row = page.locator(f'#dispatches .dispatch[data-dispatch-id="{dispatch_id}"]')
    await expect(row).to_be_visible()
    status = row.locator(".status")
    for _ in range(3):  # IN_QUEUE or TARIFFING, then ACTIVE: the bot tells from ACTIVE on
        if await status.inner_text() == "ACTIVE":
            break
        before = await status.inner_text()
        await row.locator(".dispatch-next").click()
        await expect(status).not_to_have_text(before)
    await expect(status).to_have_text("ACTIVE")

    notice = bot_bubble(page, plain(EN("notify.live_footer")))
    await expect(notice).to_be_visible()
    await expect(notice).to_contain_text(EN("status.ACTIVE"))
    await expect(notice).to_contain_text(f"#{dispatch_id}")

    ARTIFACTS.mkdir(exist_ok=True)
    await page.locator("#phone").screenshot(path=str(ARTIFACTS / "sandbox-chat.png"))
    await page.screenshot(path=str(ARTIFACTS / "sandbox-page.png"))
    assert (ARTIFACTS / "sandbox-chat.png").stat().st_size > 10_000


PHONE_TEXT = {
    "ru": "Весенняя распродажа: −20% на всё до воскресенья! Ждём вас в магазинах.",
    "en": "Spring sale: 20% off everything until Sunday! See you in our shops.",
}


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_a_send_on_a_phone_from_the_menu_to_its_final_state(tmp_path: Path, language: str):
    t = translator(language)
    async with open_page(tmp_path, 390, 844, language) as (sandbox, page):
        await page.goto(f"{sandbox.url}#manager")
        await page.locator("#start-button").click()
        await expect(page.locator(".rk-button", has_text=t("menu.send"))).to_be_visible()
        bot_before = await page.locator(".message.from-bot").count()

        await page.locator(".rk-button", has_text=t("menu.send")).click()  # tap 1
        await tap_inline(page, "name1")  # tap 2
        await expect(bot_bubble(page, step_head(2, t))).to_be_visible()
        await type_message(page, PHONE_TEXT[language])
        await tap_inline(page, t("send.button_now"))  # tap 3
        await expect(bot_bubble(page, head(t("send.summary_title")))).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"phone-summary-{language}.png"))
        await tap_inline(page, t("send.button_confirm"))  # tap 4
        card = bot_bubble(page, head(t("card.title", id=CUT)))
        await expect(card).to_be_visible()
        dispatch_id = int(re.search(r"(?:#|№)(\d+)", await card.inner_text()).group(1))  # type: ignore[union-attr]

        await page.locator("#panel-toggle").click()  # the operator's side moves it to the end
        row = page.locator(f'#dispatches .dispatch[data-dispatch-id="{dispatch_id}"]')
        status = row.locator(".status")
        for _ in range(6):
            if await status.inner_text() == "CLOSED":
                break
            before = await status.inner_text()
            await row.locator(".dispatch-next").click()
            await expect(status).not_to_have_text(before)
        await expect(status).to_have_text("CLOSED")
        await page.locator("#panel-toggle").click()

        closed = t("notify.final_closed", id=dispatch_id, delivered=CUT, count=CUT)
        final = bot_bubble(page, head(closed))
        await expect(final).to_be_visible()
        await expect(card).to_contain_text(t("status.CLOSED"))  # the card followed it
        new_from_bot = await page.locator(".message.from-bot").count() - bot_before
        assert new_from_bot <= 4, f"{new_from_bot} new bot messages for one send"
        await page.screenshot(path=str(ARTIFACTS / f"phone-final-{language}.png"))


async def test_on_a_narrow_phone_the_admin_lets_the_stranger_in_who_then_uploads_numbers(
    narrow: tuple[Sandbox, Page],
):
    sandbox, page = narrow
    await page.goto(f"{sandbox.url}#stranger")
    panel = page.locator("#panel")
    assert not await panel.evaluate("p => p.getBoundingClientRect().left < innerWidth")

    chip = page.locator('.person[data-kind="stranger"] .person-kind')
    await expect(chip).to_have_text("no access")
    await type_message(page, "hello")
    await expect(bot_bubble(page, plain(EN("access.requested")))).to_be_visible()
    admin = page.locator('.person[data-kind="admin"]')
    await expect(admin.locator(".badge")).to_have_text("1")

    await admin.click()
    await expect(admin.locator(".badge")).to_have_count(0)
    [request] = await sandbox.app.store.access_requests.pending()
    await tap_inline(page, EN("access.button_list_manager", id=request.id))
    await expect(page.locator("#toast")).to_contain_text(
        EN("access.done_approved", role=EN("access.role_manager"))
    )

    stranger_chip = page.locator('.person[data-kind="stranger"]')
    await expect(stranger_chip.locator(".person-kind")).to_have_text("manager")  # was no access
    await stranger_chip.click()
    await expect(bot_bubble(page, "🎉")).to_contain_text(plain(EN("access.welcome_manager")))
    await page.locator("#menu-button").click()
    await page.locator(".command-item", has_text="/send").click()
    await expect(bot_bubble(page, step_head(1, EN))).to_be_visible()
    await page.locator("#file").set_input_files(
        files=[{"name": "numbers.csv", "mimeType": "text/csv", "buffer": b"380711112233\n"}]
    )
    await expect(page.locator(".message.from-me .file-name")).to_have_text("numbers.csv")
    await expect(bot_bubble(page, step_head(2, EN))).to_be_visible()

    await page.locator("#panel-toggle").click()
    await expect(page.locator("#balance")).to_have_text("42.00")
    await page.locator("#top-up").click()
    await expect(page.locator("#balance")).to_have_text("142.00")
    box = await panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1


async def test_the_bots_formatting_is_shown_and_nothing_else_of_its_html_runs(
    wide: tuple[Sandbox, Page],
):
    sandbox, page = wide
    await page.goto(f"{sandbox.url}#admin")
    html = (
        '<b>bold <i>and italic</i></b> <a href="javascript:alert(1)">bad link</a> '
        '<a href="https://example.org/x">good link</a> <tg-spoiler>secret</tg-spoiler> '
        "<code>&lt;script&gt;</code>\n<blockquote>quoted</blockquote>\nsee /help"
    )
    async with httpx.AsyncClient() as client:
        sent = await client.post(
            f"{sandbox.standin.url}/bot{sandbox.standin.token}/sendMessage",
            json={"chat_id": ADMIN.user_id, "text": html, "parse_mode": "HTML"},
        )
    assert sent.json()["ok"], sent.text
    bubble = bot_bubble(page, "bold")
    await expect(bubble.locator("strong em")).to_have_text("and italic")
    await expect(bubble.locator("code")).to_have_text("<script>")
    await expect(bubble.locator("blockquote")).to_have_text("quoted")
    await expect(bubble.locator(".spoiler")).to_have_text("secret")
    await expect(bubble.locator("a")).to_have_count(1)
    await expect(bubble.locator("a")).to_have_attribute("href", "https://example.org/x")
    assert await bubble.locator("script").count() == 0

    await bubble.locator(".command-link", has_text="/help").click()
    await expect(page.locator(".message.from-me .bubble").last).to_contain_text("/help")
    await expect(bot_bubble(page, plain(EN("start.help_admin")).split("\n")[0])).to_be_visible()


async def test_in_the_team_group_the_admin_chooses_its_alerts_and_the_manager_may_not(
    wide: tuple[Sandbox, Page],
):
    sandbox, page = wide
    await page.goto(f"{sandbox.url}#group")
    await expect(page.locator("#chat-name")).to_have_text("Team")
    await expect(page.locator("#acting-as")).to_have_value(str(ADMIN.user_id))
    await expect(page.locator("#start-button")).to_be_hidden()

    await type_message(page, "/alerts")
    screen = bot_bubble(page, head(EN("group_alerts.title", title="Team")))
    await expect(screen).to_be_visible()
    await tap_inline(page, EN("group_alerts.button_final", mark=EN("alerts.mark_off")))
    on = EN("group_alerts.button_final", mark=EN("alerts.mark_on"))
    await expect(page.locator(".kb-button", has_text=on)).to_be_visible()

    await page.locator("#acting-as").select_option(str(MANAGER.user_id))
    await tap_inline(page, on)
    await expect(page.locator("#alert-dialog")).to_contain_text(EN("group_alerts.admins_only_tap"))
    await page.locator("#alert-dialog button").click()

    # The threshold: the question opens a reply at once, as the app does for a force_reply.
    await page.locator("#acting-as").select_option(str(ADMIN.user_id))
    await tap_inline(page, head(EN("group_alerts.button_threshold", threshold=CUT)))
    await expect(page.locator("#reply-bar")).to_be_visible()
    await type_message(page, "150")
    await expect(bot_bubble(page, "✅")).to_contain_text("₽150.00")
    alerts = await sandbox.app.store.group_alerts.get(TEAM.chat_id)
    assert alerts is not None and alerts.final_states and str(alerts.threshold) == "150"


async def test_a_reports_chart_shows_as_a_picture_in_the_chat(
    wide: tuple[Sandbox, Page], tmp_path: Path
):
    sandbox, page = wide
    store = sandbox.app.store
    await store.dispatches.track(900001, MANAGER.user_id, "Clients", "Hello", None)
    await store.dispatches.record_observation(900001, "CLOSED", 3, 2, 3, True, None)
    await page.goto(f"{sandbox.url}#manager")
    await expect(page.locator("#whoami")).to_contain_text("Max")
    await type_message(page, "/report")
    await tap_inline(page, EN("reports.button_7"))
    picture = page.locator(".message.from-bot img.photo").last
    # The first chart imports the plotting library (about 2 s alone, more on a busy machine).
    await expect(picture).to_be_visible(timeout=30_000)
    await page.wait_for_function(
        "() => [...document.querySelectorAll('img.photo')].some(i => i.naturalWidth > 0)"
    )
    assert await picture.evaluate("image => image.naturalWidth") == 1100
    await expect(bot_bubble(page, ".xlsx")).to_be_visible(timeout=30_000)
    await page.locator("#phone").screenshot(path=str(tmp_path / "report.png"))
    os.environ.get("REPORT_SHOT") and await page.locator("#phone").screenshot(
        path=os.environ["REPORT_SHOT"]
    )
