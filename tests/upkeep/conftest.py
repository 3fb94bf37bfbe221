"""The e-mail tests' SMTP server on a loopback port, as a fixture."""

from tests.referrals.smtp import smtp  # noqa: F401
