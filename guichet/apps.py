from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GuichetConfig(AppConfig):
    """The project package itself: site-wide template tags, error and health views, the
    catalogue version and the page cache."""

    name = "guichet"
    verbose_name = _("Guichet")
    # This module holds two configurations (the other is django-axes'): "guichet" in
    # INSTALLED_APPS means this one. Without it Django would fall back to a bare
    # AppConfig and ready() — the catalogue version triggers — would never run.
    default = True

    def ready(self) -> None:
        from guichet import catalogue, checks  # noqa: F401  (checks registers the system checks)

        # Once per migrate, after every app's migrations: sender is this app's config.
        post_migrate.connect(catalogue.on_post_migrate, sender=self, dispatch_uid=catalogue.TRIGGER)


class LoginProtectionConfig(AxesAppConfig):
    """django-axes, named in the admin for what it does rather than "Axes"."""

    verbose_name = _("Login protection")
