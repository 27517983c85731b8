"""The daily digest (每日汇总): each person's waiting items as one notice, once a day (a scheduled job)."""
from __future__ import annotations

from datetime import datetime

from pacesetter_shared.directory import DirectoryView
from pacesetter_shared.uow import UnitOfWorkFactory

from ..adapters.repository import DeliveryRepository, DigestRepository, InboxRepository, PreferenceRepository
from ..domain import digest
from ..domain.inbox import language_of
from ..domain.routing import deliveries_for


def send_digests(uow_factory: UnitOfWorkFactory, now: datetime) -> int:
    """Scheduled job: after 08:00 Beijing time, each person's waiting items as one notice, once a day."""
    if not digest.due(now):
        return 0
    with uow_factory() as uow:
        people = DigestRepository(uow.session).people_waiting()
    sent = 0
    for person_id in people:
        with uow_factory() as uow:
            inbox, items = InboxRepository(uow.session), DigestRepository(uow.session)
            if inbox.has_event(person_id, digest.digest_id(person_id, now)):
                continue  # today's digest is out: what came since waits for tomorrow's
            waiting = items.claim_waiting(person_id)
            if not waiting:
                continue
            directory = DirectoryView(uow.session)
            notice = digest.digest_notice(person_id, waiting, language_of(directory, person_id), now)
            inbox.add_all([notice])
            choices = PreferenceRepository(uow.session).of([person_id])
            DeliveryRepository(uow.session).add_all(deliveries_for([notice], directory, now, choices))
            items.mark_sent(waiting, notice.event_id)
            sent += 1
    return sent
