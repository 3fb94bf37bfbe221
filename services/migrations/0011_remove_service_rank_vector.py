import django.contrib.postgres.search
from django.db import migrations

# 0010's narrow rank vector is withdrawn: measured at 10,000 services it pushed each
# service row past half a page (one row per 8 kB page instead of two, the table three
# times larger), so every search that reads rows got slower, and ranking a broad word
# on it was no faster than on the whole vector once the window no longer carried the
# vectors. Searches rank on search_vector again. Frozen copy of the trigger function
# of services/search/schema.py as it is again.
INDEX_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION guichet_index_service() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := guichet_service_vector(NEW);
    RETURN NEW;
END
$$;
DROP FUNCTION IF EXISTS guichet_rank_vector(tsvector);
"""

PREVIOUS_SQL = r"""
CREATE OR REPLACE FUNCTION guichet_rank_vector(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ts_filter(vector, '{a,b}')
           || array_to_tsvector(ARRAY(SELECT lexeme FROM unnest(vector) WHERE positions IS NULL))
$$;
CREATE OR REPLACE FUNCTION guichet_index_service() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := guichet_service_vector(NEW);
    NEW.rank_vector := guichet_rank_vector(NEW.search_vector);
    RETURN NEW;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("services", "0010_service_rank_vector")]

    operations = [
        migrations.RunSQL(INDEX_FUNCTION_SQL, PREVIOUS_SQL),
        migrations.RemoveField(model_name="service", name="rank_vector"),
    ]
