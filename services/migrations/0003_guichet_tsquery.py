from django.db import migrations

# Frozen copy of services.search.TSQUERY_FUNCTION_SQL as it was when this ran.
TSQUERY_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION guichet_tsquery(value text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(DISTINCT '(' || q::text || ')', ' | '), '')::tsquery
      FROM unnest(ARRAY[
            websearch_to_tsquery('arabic', guichet_normalize(value)),
            websearch_to_tsquery('french', guichet_normalize(value)),
            websearch_to_tsquery('spanish', guichet_normalize(value)),
            websearch_to_tsquery('english', guichet_normalize(value))
      ]) AS q
     WHERE q::text <> ''
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("services", "0002_name_indexes")]

    operations = [
        migrations.RunSQL(TSQUERY_FUNCTION_SQL, "DROP FUNCTION IF EXISTS guichet_tsquery(text);"),
    ]
