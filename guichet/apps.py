from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuichetConfig(AppConfig):
    """The project package itself: site-wide template tags, error and health views."""

    name = "guichet"
    verbose_name = _("Guichet")

    def ready(self) -> None:
        from guichet import checks  # noqa: F401  (registers the system checks)


class LoginProtectionConfig(AxesAppConfig):
    """django-axes, named in the admin for what it does rather than "Axes"."""

    verbose_name = _("Login protection")
