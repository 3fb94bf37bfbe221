"""Create the groups that grant the staff roles (guichet/roles.py).

Every installation needs them, not only the demo: without the "desk" group nobody can
be made desk staff. load_demo and the tests use get_or_create, so they find these.
"""

from django.db import migrations

# The names as guichet.roles had them when this ran; renaming a role takes a migration.
GROUPS = ("desk", "municipal admin")


def create_groups(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    for name in GROUPS:
        group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    # Undoing leaves the groups: their members would lose their roles silently.
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
