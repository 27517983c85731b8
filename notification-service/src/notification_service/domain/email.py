"""A notice as an e-mail (电子邮件): plain text and the same words as HTML."""
from __future__ import annotations

from html import escape

FOOTER = {"zh": "—— 创先争优长效机制平台（本邮件由系统自动发送，请勿回复）",
          "en": "— Pacesetter (sent automatically; please do not reply)"}
OPEN_LINK = {"zh": ("在平台中查看", "："), "en": ("Open in the portal", ": ")}


def email_message(message: dict, portal_url: str) -> dict:
    """Subject, plain text and HTML of a delivery's message, its link made absolute against the portal."""
    language = message["language"]
    label, colon = OPEN_LINK[language]
    link = f"{portal_url.rstrip('/')}{message['link']}" if message.get("link") else None
    text = message["body"] + (f"\n\n{label}{colon}{link}" if link else "")
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in message["body"].splitlines())
    button = f'<p><a href="{escape(link, quote=True)}">{escape(label)}</a></p>' if link else ""
    html = (f"<html><body><h2>{escape(message['title'])}</h2>{paragraphs}{button}"
            f'<p style="color:#888">{escape(FOOTER[language])}</p></body></html>')
    return {"subject": message["title"], "text": f"{text}\n\n{FOOTER[language]}", "html": html}
