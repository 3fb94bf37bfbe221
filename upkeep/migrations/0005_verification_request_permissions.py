"""Municipal admins read the reminders sent (and the freshness view beside them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MUNICIPAL_ADMIN = "municipal admin"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("upkeep")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MUNICIPAL_ADMIN)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="upkeep", content_type__model="verificationrequest"
        )
    )


class Migration(migrations.Migration):
    dependencies = [("upkeep", "0004_verification_requests")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
