import importlib

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def staff_group_permissions(sender, apps=None, **kwargs) -> None:
    """Give the staff groups their permissions again after every migrate and flush.

    A flush (the test suite's, between transactional tests) empties the tables the data
    migration filled; this re-applies the same function, idempotently.
    """
    from django.apps import apps as installed_apps

    apps = apps or installed_apps  # flush sends no migration state
    migration = importlib.import_module("referrals.migrations.0007_staff_permissions")
    # grant() marks each app as having models for create_permissions(): put them back.
    saved = [(config, getattr(config, "models_module", None)) for config in apps.get_app_configs()]
    try:
        migration.grant(apps, None)
    finally:
        for config, models_module in saved:
            config.models_module = models_module


def log_second_factor_change(sender, account, what: str, **kwargs) -> None:
    """Write an owner's change to their own second factor to the access log."""
    from referrals.models import AccessLog
    from referrals.workflow import log_access

    log_access(account, AccessLog.Action.CHANGE, detail=f"{account.username}: {what}")


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from guichet import twofactor

        post_migrate.connect(staff_group_permissions, sender=self)
        twofactor.second_factor_changed.connect(
            log_second_factor_change, dispatch_uid="referrals.second_factor"
        )
