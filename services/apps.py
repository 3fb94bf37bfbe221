from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Services")

    def ready(self) -> None:
        from services.search import set_typo_tolerance

        # A database session setting, not business logic: pg_trgm reads it per session.
        connection_created.connect(set_typo_tolerance, dispatch_uid="services_typo_tolerance")
