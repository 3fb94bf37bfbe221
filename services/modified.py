"""When a service's public record last changed: ``Service.modified_at``, kept by PostgreSQL.

A service's open-data record (HSDS ``last_modified``, the API's ``ETag``,
``Last-Modified`` and ``modified_after``) shows more than the service's own row: its
association, its location and the location's district, its categories, its languages
and its opening hours. ``updated_at`` moves only when the service's own row is saved, so
renaming a category left every service's record "unchanged". The triggers below move
``modified_at`` whatever changed and whatever wrote it (the admin, the HSDS import,
moderation, the demo loader, raw SQL), in the writing transaction, to the moment of the
write (``clock_timestamp()``, not the transaction's start: two changes in one
transaction are two moments):

- a row of ``services_service`` inserted or updated gets the moment;
- a change to one of the rows a service shows touches the services that show it: an
  association, a location, a district, a category or a language updated; a category
  or language linked or unlinked; opening hours added, changed or removed. A no-op
  update (the same values saved again) touches nothing.

Touching a service is an UPDATE of its ``modified_at`` only: the search vector, kept by
its own trigger on the text columns (``services/search/schema.py``), is not recomputed.
Migrations apply these statements (``services/migrations/0009``).
"""

# (table, how to find the services that show one of its rows, named NEW)
_SHOWN_IN_SERVICES = [
    ("associations_association", "association_id = NEW.id"),
    ("associations_location", "location_id = NEW.id"),
    (
        "associations_district",
        "location_id IN (SELECT id FROM associations_location WHERE district_id = NEW.id)",
    ),
    (
        "services_category",
        "id IN (SELECT service_id FROM services_service_categories WHERE category_id = NEW.id)",
    ),
    (
        "services_language",
        "id IN (SELECT service_id FROM services_service_languages WHERE language_id = NEW.id)",
    ),
]
# Tables whose rows each belong to one service (service_id): links and hours.
_OWNED_BY_A_SERVICE = [
    "services_service_categories",
    "services_service_languages",
    "services_openinghours",
]


# Only our own table names and conditions above are formatted into these statements.
def _touch_function(table: str, condition: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION guichet_touch_services_of_{table}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET modified_at = clock_timestamp() WHERE {condition};
    RETURN NULL;
END
$$;

CREATE TRIGGER service_modified_by_{table}
    AFTER UPDATE ON {table} FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION guichet_touch_services_of_{table}();
"""  # noqa: S608


def _owned_triggers(table: str) -> str:
    return f"""
CREATE TRIGGER service_modified_by_{table}_insert
    AFTER INSERT ON {table} REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();

CREATE TRIGGER service_modified_by_{table}_update
    AFTER UPDATE ON {table} REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();

CREATE TRIGGER service_modified_by_{table}_delete
    AFTER DELETE ON {table} REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();
"""


TRIGGERS_SQL = (
    """
CREATE OR REPLACE FUNCTION guichet_service_modified() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.modified_at := clock_timestamp();
    RETURN NEW;
END
$$;

CREATE TRIGGER service_modified
    BEFORE INSERT OR UPDATE ON services_service
    FOR EACH ROW EXECUTE FUNCTION guichet_service_modified();

CREATE OR REPLACE FUNCTION guichet_touch_owning_services() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET modified_at = clock_timestamp()
     WHERE id IN (SELECT service_id FROM changed_rows);
    RETURN NULL;
END
$$;
"""  # noqa: S608
    + "".join(_touch_function(table, condition) for table, condition in _SHOWN_IN_SERVICES)
    + "".join(_owned_triggers(table) for table in _OWNED_BY_A_SERVICE)
)

DROP_TRIGGERS_SQL = (
    "DROP TRIGGER IF EXISTS service_modified ON services_service;\n"
    + "".join(
        f"DROP TRIGGER IF EXISTS service_modified_by_{table} ON {table};\n"
        f"DROP FUNCTION IF EXISTS guichet_touch_services_of_{table}();\n"
        for table, _condition in _SHOWN_IN_SERVICES
    )
    + "".join(
        f"DROP TRIGGER IF EXISTS service_modified_by_{table}_{event} ON {table};\n"
        for table in _OWNED_BY_A_SERVICE
        for event in ("insert", "update", "delete")
    )
    + "DROP FUNCTION IF EXISTS guichet_touch_owning_services();\n"
    "DROP FUNCTION IF EXISTS guichet_service_modified();\n"
)
