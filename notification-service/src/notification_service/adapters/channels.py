"""Senders of the outbound channels: each sends one delivery or raises ``SendFailed``."""
from __future__ import annotations

import smtplib
import ssl
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Callable

from ..config import SmtpConfig
from ..domain.delivery import Delivery
from ..domain.email import email_message
from ..domain.webhook import RobotStyle, WebhookRejected, check_answer, robot_request


class SendFailed(Exception):
    """The server did not take the message; the delivery is tried again later."""


class SmtpSender:
    """E-mail over SMTP: multipart/alternative, plain text first, then HTML."""

    def __init__(self, config: SmtpConfig, portal_url: str):
        self.config = config
        self.portal_url = portal_url

    def build(self, delivery: Delivery) -> EmailMessage:
        content = email_message(delivery.message, self.portal_url)
        mail = EmailMessage()
        mail["Subject"] = content["subject"]
        mail["From"] = self.config.sender
        mail["To"] = delivery.address
        # the delivery id in the Message-ID lets a mailbox spot a resend after a lost reply
        mail["Message-ID"] = make_msgid(idstring=str(delivery.id), domain="pacesetter.local")
        mail.set_content(content["text"])
        mail.add_alternative(content["html"], subtype="html")
        return mail

    def send(self, delivery: Delivery) -> None:
        cfg = self.config
        try:
            if cfg.security == "ssl":
                client = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout,
                                          context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
            with client:
                if cfg.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if cfg.username:
                    client.login(cfg.username, cfg.password or "")
                client.send_message(self.build(delivery))
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"SMTP {cfg.host}:{cfg.port}: {exc}") from exc


class WebhookSender:
    """A POST to a unit's chat robot, in the JSON and signature its style expects."""

    def __init__(self, portal_url: str, secret_of: Callable[[uuid.UUID], str | None], timeout: float = 10.0):
        self.portal_url = portal_url
        self.secret_of = secret_of  # the unit's signing secret, looked up at sending time
        self.timeout = timeout

    def send(self, delivery: Delivery) -> None:
        style = RobotStyle(delivery.message["style"])
        request = robot_request(style, delivery.address, self.secret_of(delivery.recipient_id), delivery.message,
                                self.portal_url, datetime.now(timezone.utc), delivery.id)
        http = urllib.request.Request(request.url, data=request.body, headers=request.headers, method="POST")
        try:
            with urllib.request.urlopen(http, timeout=self.timeout) as answer:
                check_answer(style, answer.read())
        except urllib.error.HTTPError as exc:
            raise SendFailed(f"webhook answered HTTP {exc.code}") from exc
        except (OSError, WebhookRejected) as exc:
            raise SendFailed(f"webhook: {exc}") from exc
