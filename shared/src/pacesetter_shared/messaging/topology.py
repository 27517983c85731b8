"""The whole topology, in one place, declared by every process at start.

kombu's virtual transports (the embedded mode) keep bindings in the process that declared
them, so a publisher that has not declared the consumers' queues would route into nothing:
every process therefore declares all of it.

One durable topic exchange; per consuming service one queue bound to the routing keys it
needs, a dead-letter queue beside it, and (on RabbitMQ) retry queues that hold a failed
message for a while and then hand it back to the service's queue.
"""
from __future__ import annotations

from kombu import Exchange, Queue, binding

# Which events each service consumes. A service's consumers.py handles a subset of these
# (a test checks it); an event bound here but not handled is acknowledged and ignored.
# evaluation.completed is routed by its target kind (events.routing_key): pledge keeps a pledge's result, grading
# a branch's. Queues bound before that keep their plain "evaluation.completed" binding, which no new key matches
# (a topic's "*" and "#" are not in it); a relay of the earlier release still reaches them through it while a
# deployment rolls.
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "pledge": ("directory.#", "evaluation.completed.pledge"),
    "evaluation": ("directory.#", "calendar.#", "pledge.fulfilled"),
    "grading": ("directory.#", "evaluation.completed.branch", "evaluation.window_satisfaction",
                "pledge.statistics_updated", "rectification.accepted"),
    "notification": ("directory.#", "pledge.#", "evaluation.#", "feedback.#", "grading.#", "rectification.#"),
}

# A quorum queue drops (dead-letters) a message delivered this many times without an ack:
# the guard against a message that crashes its consumer process every time.
DELIVERY_LIMIT = 20


class Topology:
    def __init__(self, exchange_name: str = "pacesetter", native_retries: bool = True):
        self.exchange_name = exchange_name
        self.native_retries = native_retries  # RabbitMQ: TTL + dead-letter exchange for delays
        self.exchange = Exchange(exchange_name, type="topic", durable=True)

    def queue_name(self, service: str) -> str:
        return f"{self.exchange_name}.{service}"

    def dead_letter_name(self, service: str) -> str:
        return f"{self.queue_name(service)}.dead"

    def retry_name(self, service: str, attempt: int) -> str:
        return f"{self.queue_name(service)}.retry.{attempt}"

    def queue(self, service: str) -> Queue:
        arguments = None
        if self.native_retries:
            arguments = {
                "x-queue-type": "quorum",
                "x-delivery-limit": DELIVERY_LIMIT,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.dead_letter_name(service),
            }
        return Queue(
            self.queue_name(service),
            bindings=[binding(self.exchange, routing_key=key) for key in SUBSCRIPTIONS[service]],
            durable=True,
            queue_arguments=arguments,
        )

    def dead_letter_queue(self, service: str) -> Queue:
        arguments = {"x-queue-type": "quorum"} if self.native_retries else None
        return Queue(self.dead_letter_name(service), exchange=Exchange(""), routing_key=self.dead_letter_name(service),
                     durable=True, queue_arguments=arguments)

    def retry_queue(self, service: str, attempt: int) -> Queue:
        # Messages wait here for their per-message expiration, then go back to the service's
        # queue through the default exchange. One queue per attempt: all its messages share
        # one delay, so none waits behind a longer one.
        return Queue(
            self.retry_name(service, attempt), exchange=Exchange(""), routing_key=self.retry_name(service, attempt),
            durable=True,
            queue_arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": self.queue_name(service)},
        )

    def all_queues(self, max_retries: int) -> list[Queue]:
        queues = []
        for service in SUBSCRIPTIONS:
            queues += [self.queue(service), self.dead_letter_queue(service)]
            if self.native_retries:
                queues += [self.retry_queue(service, n) for n in range(1, max_retries + 1)]
        return queues

    def declare(self, connection, max_retries: int) -> None:
        channel = connection.default_channel
        self.exchange(channel).declare()
        for queue in self.all_queues(max_retries):
            queue(channel).declare()

    def delete(self, connection, max_retries: int) -> None:
        """Tests only: remove every queue and the exchange of this namespace."""
        channel = connection.default_channel
        for queue in self.all_queues(max_retries):
            try:
                queue(channel).delete()
            except Exception:
                channel = connection.channel()
        try:
            self.exchange(channel).delete()
        except Exception:
            pass
