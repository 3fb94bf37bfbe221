"""A real SMTP server on a loopback port, for the e-mail tests (aiosmtpd)."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """What the server received: one parsed message per delivery."""

    def __init__(self, refuse: set[str] | None = None):
        self.messages = []
        self.refuse = refuse or set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(
            {
                "to": list(envelope.rcpt_tos),
                # Encoded-word folding may add white space around non-ASCII subjects.
                "subject": " ".join(str(message["subject"]).split()),
                "body": message.get_body(("plain",)).get_content(),
                "raw": envelope.content.decode("utf-8", "replace"),
            }
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, refuse: set[str] | None = None):
        self.port = free_port()
        self.mailbox = Mailbox(refuse)
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[dict]:
        return self.mailbox.messages

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://guichet.example.org"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a loopback port, the site's mail sent to it (import the
    fixture into a test module to use it)."""
    server = SmtpServer(refuse={"bounce@example.org"})
    server.start()
    use_smtp(settings, server.port)
    yield server
    server.stop()
