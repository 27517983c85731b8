"""Prometheus: the deliveries' figures, read from the database when /metrics is scraped."""
from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily

from ..service import dispatch


class DeliveryCollector:
    """Prometheus: deliveries per channel and status, counted in the database at scrape time, so that
    every replica reports the same figures (status=failed needs ops)."""

    def __init__(self, uow_factory):
        self.uow_factory = uow_factory

    def collect(self):
        gauge = GaugeMetricFamily("pacesetter_notification_deliveries",
                                  "Deliveries by channel and status; status=failed needs ops",
                                  labels=["channel", "status"])
        try:
            with self.uow_factory() as uow:
                counts = dispatch.delivery_counts(uow)
        except Exception:  # the database away: /metrics still answers, without this family
            return
        for (channel, status), count in sorted(counts.items()):
            gauge.add_metric([channel, status], count)
        yield gauge
