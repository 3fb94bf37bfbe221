from django.db import migrations


class Migration(migrations.Migration):
    """Keep each service's search vector in its row, out of TOAST.

    A vector (all four languages) is too big for PostgreSQL's 2 kB row target and
    barely compresses, so by default it was moved out of line: every match checked
    on the row, and every ts_rank, then cost a TOAST lookup, about 6 µs a service.
    STORAGE MAIN keeps it in the row unless the row would not fit in a page; the
    long texts, which compress well, are toasted instead.
    """

    dependencies = [("services", "0005_openinghours_week_span")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE services_service ALTER COLUMN search_vector SET STORAGE MAIN;",
            "ALTER TABLE services_service ALTER COLUMN search_vector SET STORAGE EXTENDED;",
        ),
    ]
