"""The weekly digest as the admins read it: the report's summary in their language, then
its chart, through the outbox (a message the bot starts by itself)."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from core.reports import Report
from core.reports.chart import draw_chart
from core.watch.delivery import Outcome
from handlers.common.i18n import user_translator
from handlers.common.outbox import Outbox
from handlers.reports.texts import chart_text, period_name, summary_text
from storage import Storage


class TelegramDigestSender:
    def __init__(self, outbox: Outbox, store: Storage, tz: ZoneInfo) -> None:
        self.outbox = outbox
        self.store = store
        self.tz = tz

    async def send_digest(self, user_id: int, report: Report) -> bool:
        """True once the summary reached them; a chart that does not follow is not
        worth a second summary, so it is not tried again."""
        t = user_translator(await self.store.users.get(user_id))
        zone = report.period.end.tzname() or str(self.tz)
        text = "\n".join(
            [
                t("reports.digest_title"),
                "",
                summary_text(t, report, self.tz, files_follow=False),
                "",
                t("reports.digest_off_hint", zone=zone),
            ]
        )
        delivery = await self.outbox.send(user_id, text)
        if delivery.outcome is not Outcome.SENT:
            return False
        if not report.empty:
            picture = await asyncio.to_thread(draw_chart, report.days, chart_text(t, report.period))
            caption = t("reports.photo_caption", period=period_name(t, report.period))
            await self.outbox.send_photo(user_id, picture, "digest.png", caption=caption)
        return True
