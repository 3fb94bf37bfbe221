"""The search index's SQL: how a service's search vector and the typo lexicon are kept.

Every save of a service, of its categories, of a category or of an association's name
reaches PostgreSQL, so PostgreSQL keeps the index: the triggers below are the one
mechanism, whatever wrote the row (the admin, the HSDS import, the demo loader, the
benchmark generator, a shell, a raw ``UPDATE``). No Python code rebuilds a vector.

- ``guichet_service_vector(service)`` is the one definition of a service's vector: its
  texts in each language, each run through that language's configuration after
  ``guichet_normalize``, weighted (A: name; B: summary, category and association
  names; C: description, eligibility, documents), plus one ``category:<slug>`` lexeme
  per category, which the vocabulary's category meanings match.
- A BEFORE trigger on ``services_service`` sets the vector of every inserted row and of
  every row whose texts, association or vector are written. Setting the vector to NULL
  is therefore how the other triggers ask for a row to be re-indexed.
- Adding or removing a category link, renaming a category or an association re-indexes
  the services concerned, through that same trigger.
- The lexicon (``services_searchword``, the words the typo corrector may propose) gets
  the words of every text inserted or changed.

Migrations apply these statements; each migration keeps a frozen copy of what it ran.
"""

LANGUAGE_CONFIGS = {"ar": "arabic", "fr": "french", "es": "spanish", "en": "english"}
MIN_WORD_LENGTH = 4  # shorter words are not corrected, so not kept in the lexicon
MAX_WORD_LENGTH = 60

# Per weight, the texts: the service's own columns (s), its categories' names (c, one
# string per language) and its association's name (a).
WEIGHTED_TEXTS = {
    "A": ["s.name"],
    "B": ["s.summary", "c.names", "a.name"],
    "C": ["s.description", "s.eligibility", "s.required_documents"],
}
SERVICE_TEXT_FIELDS = ["name", "summary", "description", "eligibility", "required_documents"]


def _columns(lang: str, fields: list[str]) -> str:
    return ", ".join(f"{field}_{lang}" for field in fields)


def _vector_expression() -> str:
    parts = []
    for lang, config in LANGUAGE_CONFIGS.items():
        for weight, fields in WEIGHTED_TEXTS.items():
            parts.append(
                f"setweight(to_tsvector('{config}', guichet_normalize("
                f"concat_ws(' ', {_columns(lang, fields)}))), '{weight}')"
            )
    parts.append("array_to_tsvector(coalesce(c.slugs, '{}'))")
    return "\n            || ".join(parts)


def _words_of(columns: list[str]) -> str:
    """SQL of the lexicon's words in ``columns`` (of a row aliased as in the list)."""
    return (
        "unnest(tsvector_to_array(to_tsvector('simple', guichet_normalize("
        f"concat_ws(' ', {', '.join(columns)})))))"
    )


def _service_text_columns(alias: str) -> list[str]:
    return [f"{alias}.{field}_{lang}" for field in SERVICE_TEXT_FIELDS for lang in LANGUAGE_CONFIGS]


def _names(alias: str) -> list[str]:
    return [f"{alias}.name_{lang}" for lang in LANGUAGE_CONFIGS]


_CATEGORY_NAMES = ", ".join(
    f"string_agg(cat.name_{lang}, ' ') AS names_{lang}" for lang in LANGUAGE_CONFIGS
)
_INDEXED_COLUMNS = ", ".join(
    [
        *(f"{f}_{lang}" for f in SERVICE_TEXT_FIELDS for lang in LANGUAGE_CONFIGS),
        "association_id",
        "search_vector",
    ]
)
_WORD_FILTER = f"char_length(word) BETWEEN {MIN_WORD_LENGTH} AND {MAX_WORD_LENGTH}"

VECTOR_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION guichet_service_vector(s services_service) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT {_vector_expression()}
      FROM (SELECT array_agg('category:' || cat.slug) AS slugs, {_CATEGORY_NAMES}
              FROM services_service_categories AS link
              JOIN services_category AS cat ON cat.id = link.category_id
             WHERE link.service_id = s.id) AS c
      LEFT JOIN associations_association AS a ON a.id = s.association_id
$$;
"""

INDEX_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION guichet_index_service() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := guichet_service_vector(NEW);
    RETURN NEW;
END
$$;
"""

TRIGGERS_SQL = f"""
{INDEX_FUNCTION_SQL}

CREATE TRIGGER service_search_vector
    BEFORE INSERT OR UPDATE OF {_INDEXED_COLUMNS} ON services_service
    FOR EACH ROW EXECUTE FUNCTION guichet_index_service();

CREATE OR REPLACE FUNCTION guichet_learn_service_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO services_searchword (word)
        SELECT DISTINCT word FROM new_rows AS s, {_words_of(_service_text_columns("s"))} AS word
         WHERE {_WORD_FILTER}
        ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO services_searchword (word)
        SELECT DISTINCT word
          FROM new_rows AS s
          JOIN old_rows AS o ON o.id = s.id,
               {_words_of(_service_text_columns("s"))} AS word
         WHERE ({", ".join(_service_text_columns("s"))})
               IS DISTINCT FROM ({", ".join(_service_text_columns("o"))})
           AND {_WORD_FILTER}
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
    SELECT DISTINCT word FROM {_words_of(_names("NEW"))} AS word WHERE {_WORD_FILTER}
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
    AFTER INSERT OR UPDATE OF {", ".join(f"name_{lang}" for lang in LANGUAGE_CONFIGS)}
    ON services_category
    FOR EACH ROW EXECUTE FUNCTION guichet_learn_name_words();

CREATE TRIGGER category_search_reindex
    AFTER UPDATE ON services_category FOR EACH ROW
    WHEN (({", ".join(_names("OLD"))}, OLD.slug) IS DISTINCT FROM ({", ".join(_names("NEW"))}, NEW.slug))
    EXECUTE FUNCTION guichet_reindex_category_services();

CREATE TRIGGER association_search_words
    AFTER INSERT OR UPDATE OF {", ".join(f"name_{lang}" for lang in LANGUAGE_CONFIGS)}
    ON associations_association
    FOR EACH ROW EXECUTE FUNCTION guichet_learn_name_words();

CREATE TRIGGER association_search_reindex
    AFTER UPDATE ON associations_association FOR EACH ROW
    WHEN (({", ".join(_names("OLD"))}) IS DISTINCT FROM ({", ".join(_names("NEW"))}))
    EXECUTE FUNCTION guichet_reindex_association_services();

UPDATE services_service SET search_vector = NULL;
INSERT INTO services_searchword (word)
SELECT DISTINCT word FROM services_category AS s, {_words_of(_names("s"))} AS word
 WHERE {_WORD_FILTER}
ON CONFLICT DO NOTHING;
INSERT INTO services_searchword (word)
SELECT DISTINCT word FROM associations_association AS s, {_words_of(_names("s"))} AS word
 WHERE {_WORD_FILTER}
ON CONFLICT DO NOTHING;
"""

DROP_TRIGGERS_SQL = """
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
