"""``migrate`` as the database's owner role, then the application role's privileges."""

from django.core.management.commands.migrate import Command as DjangoMigrate

from guichet import dbroles


class Command(DjangoMigrate):
    help = (
        "Apply the migrations as the owner role (MIGRATE_DATABASE_URL or the local "
        "cluster's owner), then grant the application's role its privileges."
    )

    def handle(self, *args, **options):
        database = options["database"]
        app_role = dbroles.app_role(database)  # read before logging in as the owner
        with dbroles.as_owner(database):
            super().handle(*args, **options)
            dbroles.grant_app_privileges(database, app_role)
        if dbroles.owner_settings() is None and options["verbosity"] > 0:
            self.stderr.write(
                "Warning: no MIGRATE_DATABASE_URL: the application's own role owns the "
                "tables and could erase the access log. See docs/deploy.md (two roles)."
            )
