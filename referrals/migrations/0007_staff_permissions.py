"""Separation of duties: what the staff groups may do in the admin.

- "municipal admin" (created by guichet 0001) curates the catalogue: associations,
  their places and districts, services and everything they are made of, visitors'
  reports (upkeep); reads
  accounts, memberships and the access log; creates and edits accounts. It is not
  superuser and cannot give anyone access to referral data.
- "staff access" holds "manage staff access": it gives and takes away access to referral
  data (the desk group, Memberships), changes groups, lifts log-in lock-outs.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MUNICIPAL_ADMIN = "municipal admin"
STAFF_ACCESS = "staff access"
CURATED_APPS = ("associations", "services", "upkeep")
CURATION_EXCLUDED = {("associations", "membership")}


def grant(apps, schema_editor):
    # Permissions are otherwise created after all migrations (post_migrate): make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    curation = Permission.objects.filter(content_type__app_label__in=CURATED_APPS).exclude(
        content_type__app_label="associations", content_type__model="membership"
    ).exclude(codename="manage_staff_access")
    reading = Permission.objects.filter(
        codename__in=["view_membership", "view_accesslog", "view_user", "view_group"]
    )
    accounts = Permission.objects.filter(codename__in=["add_user", "change_user"])
    admin_group, _ = Group.objects.get_or_create(name=MUNICIPAL_ADMIN)
    admin_group.permissions.add(*curation, *reading, *accounts)

    access_group, _ = Group.objects.get_or_create(name=STAFF_ACCESS)
    access_group.permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "manage_staff_access",
                "add_membership",
                "change_membership",
                "delete_membership",
                "view_membership",
                "view_user",
                "change_user",
                "view_group",
                "change_group",
                "view_accessattempt",
                "delete_accessattempt",
            ]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0006_accesslog_refused_and_grants"),
        ("associations", "0002_manage_staff_access"),
        ("services", "0008_seed_search_vocabulary"),
        ("upkeep", "0001_initial"),
        ("guichet", "0001_staff_groups"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
