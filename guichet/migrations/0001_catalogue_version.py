from django.db import migrations, models

BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION guichet_catalogue_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE guichet_catalogueversion SET version = version + 1, changed_at = now() WHERE id = 1;
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField(default=1)),
                ("changed_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="catalogue_version_one_row"
                    )
                ],
            },
        ),
        migrations.RunSQL(
            "INSERT INTO guichet_catalogueversion (id, version, changed_at) VALUES (1, 1, now())",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(BUMP_FUNCTION, "DROP FUNCTION IF EXISTS guichet_catalogue_changed()"),
    ]
