from django.db import migrations

# The planner's statistics after a bulk load. ANALYZE is the table owner's; the
# application's role owns nothing (guichet/dbroles.py), so its ANALYZE was skipped with
# a warning and, until autovacuum came by, the planner took 10,000 new services for a
# handful: a search with a district filter took 600 ms instead of 7. This function runs
# with the owner's rights and does nothing else: it analyses the tables of the public
# schema named (all of them when given NULL); names it does not know are ignored.
# ANALYZE reads a sample and writes statistics, never the tables' rows.
ANALYZE_FUNCTION = """
CREATE OR REPLACE FUNCTION guichet_refresh_statistics(tables text[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    target regclass;
    done integer := 0;
BEGIN
    FOR target IN
        SELECT c.oid::regclass
          FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
           AND (tables IS NULL OR c.relname = ANY (tables))
         ORDER BY c.relname
    LOOP
        EXECUTE format('ANALYZE %s', target);
        done := done + 1;
    END LOOP;
    RETURN done;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("guichet", "0002_catalogue_version")]

    operations = [
        migrations.RunSQL(
            ANALYZE_FUNCTION, "DROP FUNCTION IF EXISTS guichet_refresh_statistics(text[])"
        ),
    ]
