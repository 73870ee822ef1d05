"""What the bot counts for ``/metrics`` (Prometheus), in one registry per running bot.

Each bot owns a :class:`Metrics` with its own ``CollectorRegistry`` (tests run several
bots in one process, and the library's global registry would mix them). Components take
it as an argument; one built without it counts into a registry nobody reads.

Label values are code names only: update types, handler names, endpoint labels such as
"GET finance/balance", HTTP statuses, outcomes. Never a phone number, a text, a user's
name or a secret.
"""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
)

# No "<name>_created" timestamp series beside every counter and histogram: in the text
# format they are separate gauges that double what is stored and say nothing on a chart.
disable_created_metrics()

NAMESPACE = "phoenix"
# From a cached answer (about a millisecond) to the tap budget and beyond.
HANDLER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
SMS_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 25.0)
CYCLE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


class Metrics:
    def __init__(self, *, process: bool = False) -> None:
        """``process`` adds the process's own series (memory, CPU, open files, GC)."""
        self.registry = registry = CollectorRegistry()
        if process:
            ProcessCollector(registry=registry)
            PlatformCollector(registry=registry)
            GCCollector(registry=registry)

        def counter(name: str, doc: str, labels: tuple[str, ...] = ()) -> Counter:
            return Counter(name, doc, labels, namespace=NAMESPACE, registry=registry)

        def histogram(
            name: str, doc: str, labels: tuple[str, ...], buckets: tuple[float, ...]
        ) -> Histogram:
            return Histogram(
                name, doc, labels, namespace=NAMESPACE, registry=registry, buckets=buckets
            )

        # -- Telegram updates (handlers/common/metrics.py) -----------------------------
        self.updates = counter(
            "updates_handled",
            "Telegram updates handled, by update type and the handler that took it",
            ("kind", "handler"),
        )
        self.update_errors = counter(
            "update_errors",
            "Telegram updates whose handler raised, by update type and handler",
            ("kind", "handler"),
        )
        self.handler_seconds = histogram(
            "handler_seconds",
            "Time from an update's arrival in the dispatcher to its handler's end",
            ("handler",),
            HANDLER_BUCKETS,
        )
        # -- the SMS API (core/sms/client.py) ------------------------------------------
        self.sms_requests = counter(
            "sms_api_requests",
            "HTTP requests to the SMS API, retries included, by endpoint and answer "
            "(an HTTP status, or timeout / network_error)",
            ("endpoint", "status"),
        )
        self.sms_seconds = histogram(
            "sms_api_request_seconds",
            "Time of one HTTP exchange with the SMS API, by endpoint",
            ("endpoint",),
            SMS_BUCKETS,
        )
        self.dispatches_created = counter(
            "dispatches_created", "Dispatches the SMS API said it created"
        )
        self.outcomes_unknown = counter(
            "dispatch_outcomes_unknown",
            "Creates whose answer was lost: the dispatch may exist, nothing is re-sent",
        )
        # -- the poller (core/watch/poller.py) -----------------------------------------
        self.poller_cycles = counter(
            "poller_cycles",
            "Poller cycles by result: ok, failed (the SMS API did not answer or refused), "
            "error (a fault of the bot's own)",
            ("result",),
        )
        self.poller_cycle_seconds = histogram(
            "poller_cycle_seconds", "Time of one poller cycle", (), CYCLE_BUCKETS
        )
        self.poller_dispatches_checked = counter(
            "poller_dispatches_checked", "Dispatches whose status the poller fetched"
        )
        self.poller_last_cycle_dispatches = Gauge(
            "poller_last_cycle_dispatches_checked",
            "Dispatches fetched in the last poller cycle",
            namespace=NAMESPACE,
            registry=registry,
        )
        # -- messages the bot starts by itself (handlers/common/outbox.py) -------------
        self.notifications = counter(
            "notifications",
            "Messages the bot started by itself (notifications, alerts), by final outcome",
            ("outcome",),
        )
        self.notification_refusals = counter(
            "notification_refusals",
            "Telegram's refusals of such messages: 429 (flood control, waited out and "
            "tried again) and 403 (the user blocked the bot)",
            ("status",),
        )
        # -- read from the database at each scrape (bot/health.py) ---------------------
        self.drafts = Gauge(
            "drafts",
            "Send drafts by state",
            ("state",),
            namespace=NAMESPACE,
            registry=registry,
        )
