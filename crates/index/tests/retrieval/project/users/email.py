"""User e-mail addresses and messages."""
import re
import smtplib
from email.message import EmailMessage

_ADDRESS = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


def is_valid_email(address):
    """Checks the shape of an address (local part, @, domain with a dot)."""
    return bool(_ADDRESS.match(address.strip()))


def send_welcome_email(smtp_host, user):
    """Greets a newly registered user."""
    msg = EmailMessage()
    msg["To"] = user.email
    msg["Subject"] = "Welcome aboard"
    msg.set_content(f"Hi {user.name}, thanks for signing up!")
    with smtplib.SMTP(smtp_host) as server:
        server.send_message(msg)


def mask_address(address):
    """Hides most of the local part: j***@example.com."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"
