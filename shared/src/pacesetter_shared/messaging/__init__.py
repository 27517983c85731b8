"""Everything AMQP: topology, publishing with confirms, and the idempotent consumer runner.

Services never touch kombu; they declare handlers and record events through their unit of work.
"""
from .consumer import EventConsumer, Handler, ReadAhead
from .publisher import EventPublisher, broker_connection
from .topology import SUBSCRIPTIONS, Topology

__all__ = ["EventConsumer", "Handler", "ReadAhead", "EventPublisher", "broker_connection", "SUBSCRIPTIONS", "Topology"]
