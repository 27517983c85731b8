"""A real SMTP server on a local port (aiosmtpd), keeping every message it accepts."""
from __future__ import annotations

import email
import email.policy
import socket
from email.message import Message

from aiosmtpd.controller import Controller


def _reserve(port: int = 0) -> socket.socket:
    """A bound socket that does not listen: it keeps the port ours while connections to it are refused."""
    reserved = socket.socket()
    reserved.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    reserved.bind(("127.0.0.1", port))
    return reserved


class _Keep:
    def __init__(self, box: list[Message]):
        self.box = box

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message["X-Rcpt"] = ", ".join(envelope.rcpt_tos)
        self.box.append(message)
        return "250 OK"


class MailServer:
    """Start and stop at will on one port, as a mail server that goes down and comes back."""

    def __init__(self):
        # while down the port stays reserved, so no other socket of the test run takes it meanwhile
        self._reserved: socket.socket | None = _reserve()
        self.port = self._reserved.getsockname()[1]
        self.received: list[Message] = []
        self._controller: Controller | None = None

    def start(self) -> "MailServer":
        self._reserved.close()
        self._reserved = None
        self._controller = Controller(_Keep(self.received), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._reserved is not None:
            self._reserved.close()
            self._reserved = None
