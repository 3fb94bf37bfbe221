import django.contrib.postgres.search
from django.db import migrations

# Frozen copies of services/search/schema.py as it was when this ran: the narrow
# vector a search ranks by (the lexemes weighted A and B, and the category lexemes),
# and the trigger function that now keeps it beside the search vector. Existing
# services get theirs from their search vector, without touching their modified_at.
RANK_VECTOR_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION guichet_rank_vector(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ts_filter(vector, '{a,b}')
           || array_to_tsvector(ARRAY(SELECT lexeme FROM unnest(vector) WHERE positions IS NULL))
$$;
"""

INDEX_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION guichet_index_service() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := guichet_service_vector(NEW);
    NEW.rank_vector := guichet_rank_vector(NEW.search_vector);
    RETURN NEW;
END
$$;
"""

FILL_SQL = r"""
ALTER TABLE services_service ALTER COLUMN rank_vector SET STORAGE MAIN;
ALTER TABLE services_service DISABLE TRIGGER service_modified;
UPDATE services_service SET rank_vector = guichet_rank_vector(search_vector);
ALTER TABLE services_service ENABLE TRIGGER service_modified;
"""

PREVIOUS_INDEX_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION guichet_index_service() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := guichet_service_vector(NEW);
    RETURN NEW;
END
$$;
DROP FUNCTION IF EXISTS guichet_rank_vector(tsvector);
"""


class Migration(migrations.Migration):
    dependencies = [("services", "0009_service_modified_at")]

    operations = [
        migrations.AddField(
            model_name="service",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunSQL(
            RANK_VECTOR_FUNCTION_SQL + INDEX_FUNCTION_SQL + FILL_SQL,
            PREVIOUS_INDEX_FUNCTION_SQL,
        ),
    ]
