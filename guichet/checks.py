"""System checks of the deployment that Django's own do not cover."""

from django.core.checks import Tags, Warning, register

from guichet import dbroles


@register(Tags.security, deploy=True)
def two_database_roles(app_configs, **kwargs):
    """Warn when the application's role also owns the tables (one role for everything)."""
    if dbroles.owner_settings() is None:
        return [
            Warning(
                "No MIGRATE_DATABASE_URL: the application's database role runs the "
                "migrations and owns the tables, so it could disable the access log's "
                "triggers and erase it.",
                hint="Create an owner role for migrations and a restricted role for the "
                "application (docs/deploy.md, 'Two database roles').",
                id="guichet.W001",
            )
        ]
    return []
