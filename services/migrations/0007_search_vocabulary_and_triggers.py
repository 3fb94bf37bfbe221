import django.contrib.postgres.fields
from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models

# Frozen copies of services/search/schema.py as it was when this ran: the function
# that computes a service's search vector, and the triggers that keep the vectors and
# the typo lexicon whatever writes a service, its categories, a category or an
# association. The last statements re-index every service (category lexemes added).
VECTOR_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION guichet_service_vector(s services_service) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('arabic', guichet_normalize(concat_ws(' ', s.name_ar))), 'A')
            || setweight(to_tsvector('arabic', guichet_normalize(concat_ws(' ', s.summary_ar, c.names_ar, a.name_ar))), 'B')
            || setweight(to_tsvector('arabic', guichet_normalize(concat_ws(' ', s.description_ar, s.eligibility_ar, s.required_documents_ar))), 'C')
            || setweight(to_tsvector('french', guichet_normalize(concat_ws(' ', s.name_fr))), 'A')
            || setweight(to_tsvector('french', guichet_normalize(concat_ws(' ', s.summary_fr, c.names_fr, a.name_fr))), 'B')
            || setweight(to_tsvector('french', guichet_normalize(concat_ws(' ', s.description_fr, s.eligibility_fr, s.required_documents_fr))), 'C')
            || setweight(to_tsvector('spanish', guichet_normalize(concat_ws(' ', s.name_es))), 'A')
            || setweight(to_tsvector('spanish', guichet_normalize(concat_ws(' ', s.summary_es, c.names_es, a.name_es))), 'B')
            || setweight(to_tsvector('spanish', guichet_normalize(concat_ws(' ', s.description_es, s.eligibility_es, s.required_documents_es))), 'C')
            || setweight(to_tsvector('english', guichet_normalize(concat_ws(' ', s.name_en))), 'A')
            || setweight(to_tsvector('english', guichet_normalize(concat_ws(' ', s.summary_en, c.names_en, a.name_en))), 'B')
            || setweight(to_tsvector('english', guichet_normalize(concat_ws(' ', s.description_en, s.eligibility_en, s.required_documents_en))), 'C')
            || array_to_tsvector(coalesce(c.slugs, '{}'))
      FROM (SELECT array_agg('category:' || cat.slug) AS slugs, string_agg(cat.name_ar, ' ') AS names_ar, string_agg(cat.name_fr, ' ') AS names_fr, string_agg(cat.name_es, ' ') AS names_es, string_agg(cat.name_en, ' ') AS names_en
              FROM services_service_categories AS link
              JOIN services_category AS cat ON cat.id = link.category_id
             WHERE link.service_id = s.id) AS c
      LEFT JOIN associations_association AS a ON a.id = s.association_id
$$;
"""

TRIGGERS_SQL = r"""
CREATE OR REPLACE FUNCTION guichet_index_service() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := guichet_service_vector(NEW);
    RETURN NEW;
END
$$;

CREATE TRIGGER service_search_vector
    BEFORE INSERT OR UPDATE OF name_ar, name_fr, name_es, name_en, summary_ar, summary_fr, summary_es, summary_en, description_ar, description_fr, description_es, description_en, eligibility_ar, eligibility_fr, eligibility_es, eligibility_en, required_documents_ar, required_documents_fr, required_documents_es, required_documents_en, association_id, search_vector ON services_service
    FOR EACH ROW EXECUTE FUNCTION guichet_index_service();

CREATE OR REPLACE FUNCTION guichet_learn_service_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO services_searchword (word)
        SELECT DISTINCT word FROM new_rows AS s, unnest(tsvector_to_array(to_tsvector('simple', guichet_normalize(concat_ws(' ', s.name_ar, s.name_fr, s.name_es, s.name_en, s.summary_ar, s.summary_fr, s.summary_es, s.summary_en, s.description_ar, s.description_fr, s.description_es, s.description_en, s.eligibility_ar, s.eligibility_fr, s.eligibility_es, s.eligibility_en, s.required_documents_ar, s.required_documents_fr, s.required_documents_es, s.required_documents_en))))) AS word
         WHERE char_length(word) BETWEEN 4 AND 60
        ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO services_searchword (word)
        SELECT DISTINCT word
          FROM new_rows AS s
          JOIN old_rows AS o ON o.id = s.id,
               unnest(tsvector_to_array(to_tsvector('simple', guichet_normalize(concat_ws(' ', s.name_ar, s.name_fr, s.name_es, s.name_en, s.summary_ar, s.summary_fr, s.summary_es, s.summary_en, s.description_ar, s.description_fr, s.description_es, s.description_en, s.eligibility_ar, s.eligibility_fr, s.eligibility_es, s.eligibility_en, s.required_documents_ar, s.required_documents_fr, s.required_documents_es, s.required_documents_en))))) AS word
         WHERE (s.name_ar, s.name_fr, s.name_es, s.name_en, s.summary_ar, s.summary_fr, s.summary_es, s.summary_en, s.description_ar, s.description_fr, s.description_es, s.description_en, s.eligibility_ar, s.eligibility_fr, s.eligibility_es, s.eligibility_en, s.required_documents_ar, s.required_documents_fr, s.required_documents_es, s.required_documents_en)
               IS DISTINCT FROM (o.name_ar, o.name_fr, o.name_es, o.name_en, o.summary_ar, o.summary_fr, o.summary_es, o.summary_en, o.description_ar, o.description_fr, o.description_es, o.description_en, o.eligibility_ar, o.eligibility_fr, o.eligibility_es, o.eligibility_en, o.required_documents_ar, o.required_documents_fr, o.required_documents_es, o.required_documents_en)
           AND char_length(word) BETWEEN 4 AND 60
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER service_search_words_insert
    AFTER INSERT ON services_service REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_learn_service_words();

CREATE TRIGGER service_search_words_update
    AFTER UPDATE ON services_service REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_learn_service_words();

CREATE OR REPLACE FUNCTION guichet_reindex_linked_services() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE services_service SET search_vector = NULL
         WHERE id IN (SELECT service_id FROM old_rows);
    ELSE
        UPDATE services_service SET search_vector = NULL
         WHERE id IN (SELECT service_id FROM new_rows);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER service_categories_added
    AFTER INSERT ON services_service_categories REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_reindex_linked_services();

CREATE TRIGGER service_categories_removed
    AFTER DELETE ON services_service_categories REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_reindex_linked_services();

CREATE OR REPLACE FUNCTION guichet_learn_name_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO services_searchword (word)
    SELECT DISTINCT word FROM unnest(tsvector_to_array(to_tsvector('simple', guichet_normalize(concat_ws(' ', NEW.name_ar, NEW.name_fr, NEW.name_es, NEW.name_en))))) AS word WHERE char_length(word) BETWEEN 4 AND 60
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION guichet_reindex_category_services() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET search_vector = NULL
     WHERE id IN (SELECT service_id FROM services_service_categories
                   WHERE category_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION guichet_reindex_association_services() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET search_vector = NULL WHERE association_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER category_search_words
    AFTER INSERT OR UPDATE OF name_ar, name_fr, name_es, name_en
    ON services_category
    FOR EACH ROW EXECUTE FUNCTION guichet_learn_name_words();

CREATE TRIGGER category_search_reindex
    AFTER UPDATE ON services_category FOR EACH ROW
    WHEN ((OLD.name_ar, OLD.name_fr, OLD.name_es, OLD.name_en, OLD.slug) IS DISTINCT FROM (NEW.name_ar, NEW.name_fr, NEW.name_es, NEW.name_en, NEW.slug))
    EXECUTE FUNCTION guichet_reindex_category_services();

CREATE TRIGGER association_search_words
    AFTER INSERT OR UPDATE OF name_ar, name_fr, name_es, name_en
    ON associations_association
    FOR EACH ROW EXECUTE FUNCTION guichet_learn_name_words();

CREATE TRIGGER association_search_reindex
    AFTER UPDATE ON associations_association FOR EACH ROW
    WHEN ((OLD.name_ar, OLD.name_fr, OLD.name_es, OLD.name_en) IS DISTINCT FROM (NEW.name_ar, NEW.name_fr, NEW.name_es, NEW.name_en))
    EXECUTE FUNCTION guichet_reindex_association_services();

UPDATE services_service SET search_vector = NULL;
INSERT INTO services_searchword (word)
SELECT DISTINCT word FROM services_category AS s, unnest(tsvector_to_array(to_tsvector('simple', guichet_normalize(concat_ws(' ', s.name_ar, s.name_fr, s.name_es, s.name_en))))) AS word
 WHERE char_length(word) BETWEEN 4 AND 60
ON CONFLICT DO NOTHING;
INSERT INTO services_searchword (word)
SELECT DISTINCT word FROM associations_association AS s, unnest(tsvector_to_array(to_tsvector('simple', guichet_normalize(concat_ws(' ', s.name_ar, s.name_fr, s.name_es, s.name_en))))) AS word
 WHERE char_length(word) BETWEEN 4 AND 60
ON CONFLICT DO NOTHING;
"""

DROP_TRIGGERS_SQL = r"""
DROP TRIGGER IF EXISTS service_search_vector ON services_service;
DROP TRIGGER IF EXISTS service_search_words_insert ON services_service;
DROP TRIGGER IF EXISTS service_search_words_update ON services_service;
DROP TRIGGER IF EXISTS service_categories_added ON services_service_categories;
DROP TRIGGER IF EXISTS service_categories_removed ON services_service_categories;
DROP TRIGGER IF EXISTS category_search_words ON services_category;
DROP TRIGGER IF EXISTS category_search_reindex ON services_category;
DROP TRIGGER IF EXISTS association_search_words ON associations_association;
DROP TRIGGER IF EXISTS association_search_reindex ON associations_association;
DROP FUNCTION IF EXISTS guichet_index_service();
DROP FUNCTION IF EXISTS guichet_learn_service_words();
DROP FUNCTION IF EXISTS guichet_reindex_linked_services();
DROP FUNCTION IF EXISTS guichet_learn_name_words();
DROP FUNCTION IF EXISTS guichet_reindex_category_services();
DROP FUNCTION IF EXISTS guichet_reindex_association_services();
DROP FUNCTION IF EXISTS guichet_service_vector(services_service);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0006_search_vector_storage_main"),
    ]

    operations = [
        CreateExtension("fuzzystrmatch"),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "term",
                    models.CharField(
                        help_text="Letters and digits; punctuation is ignored. Darija may be written in Latin script with digits (m7ami, 3yada).",
                        max_length=100,
                        verbose_name="word or phrase people type",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("any", "Any language"),
                            ("ar", "Arabic"),
                            ("ary", "Moroccan Darija"),
                            ("fr", "French"),
                            ("es", "Spanish"),
                            ("en", "English"),
                        ],
                        default="any",
                        max_length=3,
                        verbose_name="language",
                    ),
                ),
                (
                    "words",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=100),
                        blank=True,
                        default=list,
                        help_text="Words or phrases of the catalogue, in any of its languages, separated by commas.",
                        size=None,
                        verbose_name="catalogue words it means",
                    ),
                ),
                (
                    "categories",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.SlugField(max_length=100),
                        blank=True,
                        default=list,
                        size=None,
                        verbose_name="categories it means",
                    ),
                ),
                (
                    "note",
                    models.CharField(blank=True, max_length=200, verbose_name="note for curators"),
                ),
                (
                    "normalized",
                    models.GeneratedField(
                        db_persist=True,
                        expression=models.Func(models.F("term"), function="guichet_normalize"),
                        output_field=models.CharField(max_length=100),
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            ],
            options={
                "verbose_name": "search term",
                "verbose_name_plural": "search terms",
                "ordering": ["term", "language"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("normalized", "language"),
                        name="search_term_unique",
                        violation_error_message="This term already exists in this language.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("words", []), _negated=True),
                            models.Q(("categories", []), _negated=True),
                            _connector="OR",
                        ),
                        name="search_term_means_something",
                        violation_error_message="Give at least one catalogue word or category.",
                    ),
                ],
            },
        ),
        migrations.RunSQL(VECTOR_FUNCTION_SQL + TRIGGERS_SQL, DROP_TRIGGERS_SQL),
    ]
