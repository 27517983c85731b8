"""Scheduled work: sending the outbound channels' due deliveries (each channel its own job), the daily digest."""
from __future__ import annotations

from pacesetter_shared.scheduler import PeriodicJob
from pacesetter_shared.uow import UnitOfWorkFactory

from ..adapters.channels import SmtpSender, WebhookSender
from ..config import NotificationConfig
from ..domain.delivery import Channel
from . import digests, dispatch, robots


def secret_lookup(uow_factory: UnitOfWorkFactory):
    def secret_of(unit_id):
        with uow_factory() as uow:
            return robots.robot_secret(uow, unit_id)
    return secret_of


def delivery_jobs(uow_factory: UnitOfWorkFactory, config: NotificationConfig) -> list[PeriodicJob]:
    senders = {Channel.EMAIL: SmtpSender(config.smtp, config.portal_url),
               Channel.WEBHOOK: WebhookSender(config.portal_url, secret_lookup(uow_factory))}
    sending = [PeriodicJob(f"notification.send_{channel.value}", config.dispatch_every_seconds,
                           lambda _now, channel=channel, sender=sender: dispatch.dispatch_due(
                               uow_factory, channel, sender, config.retry, batch=config.dispatch_batch))
               for channel, sender in senders.items()]
    # every ten minutes: it catches up after 08:00 whenever a replica first gets to it
    return sending + [PeriodicJob("notification.daily_digest", 600, lambda now: digests.send_digests(uow_factory, now))]
