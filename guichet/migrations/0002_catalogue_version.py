from django.db import migrations, models

BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION guichet_catalogue_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    -- Microseconds since 1970: a version never seen before, even after the row was
    -- emptied (flush) or the database restored from an older dump.
    clock bigint := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
BEGIN
    INSERT INTO guichet_catalogueversion (id, version, changed_at)
    VALUES (1, clock, now())
    ON CONFLICT (id) DO UPDATE
        SET version = greatest(guichet_catalogueversion.version + 1, clock),
            changed_at = now();
    RETURN NULL;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("guichet", "0001_staff_groups")]

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
        migrations.RunSQL(BUMP_FUNCTION, "DROP FUNCTION IF EXISTS guichet_catalogue_changed() CASCADE"),
    ]
