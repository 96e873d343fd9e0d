"""E-mail through MEETKIT_SMTP_URL (`smtp://` with STARTTLS when offered, or `smtps://`), sent off the loop."""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

TIMEOUT_SECONDS = 20
log = logging.getLogger("meetkit.mail")


def sender_for(smtp_url: str, public_url: str) -> str:
    """The From address: `?from=` of the SMTP URL, else meetkit@ the public host."""
    asked = parse_qs(urlsplit(smtp_url).query).get("from")
    return asked[0] if asked else f"meetkit@{urlsplit(public_url).hostname}"


async def send(smtp_url: str, sender: str, to: str, subject: str, body: str) -> bool:
    """Send one plain-text e-mail; return False when the mail server cannot be reached or refuses it."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    try:
        await asyncio.to_thread(_deliver, smtp_url, message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("e-mail could not be sent: %s", type(error).__name__)  # no address: it is a login name
        return False
    return True


def _deliver(smtp_url: str, message: EmailMessage) -> None:
    parts = urlsplit(smtp_url)
    host = parts.hostname or "localhost"
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, parts.port or 465, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(host, parts.port or 25, timeout=TIMEOUT_SECONDS)
    with client:
        client.ehlo_or_helo_if_needed()
        if parts.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
