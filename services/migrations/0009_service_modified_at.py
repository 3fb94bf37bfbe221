from django.db import migrations, models
from django.utils import timezone

# Frozen copy of services/modified.py as it was when this ran: the triggers that keep
# each service's modified_at when anything its public record shows changes. Existing
# services start from their own updated_at.
TRIGGERS_SQL = r"""
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

CREATE OR REPLACE FUNCTION guichet_touch_services_of_associations_association() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET modified_at = clock_timestamp() WHERE association_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER service_modified_by_associations_association
    AFTER UPDATE ON associations_association FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION guichet_touch_services_of_associations_association();

CREATE OR REPLACE FUNCTION guichet_touch_services_of_associations_location() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET modified_at = clock_timestamp() WHERE location_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER service_modified_by_associations_location
    AFTER UPDATE ON associations_location FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION guichet_touch_services_of_associations_location();

CREATE OR REPLACE FUNCTION guichet_touch_services_of_associations_district() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET modified_at = clock_timestamp() WHERE location_id IN (SELECT id FROM associations_location WHERE district_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER service_modified_by_associations_district
    AFTER UPDATE ON associations_district FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION guichet_touch_services_of_associations_district();

CREATE OR REPLACE FUNCTION guichet_touch_services_of_services_category() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET modified_at = clock_timestamp() WHERE id IN (SELECT service_id FROM services_service_categories WHERE category_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER service_modified_by_services_category
    AFTER UPDATE ON services_category FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION guichet_touch_services_of_services_category();

CREATE OR REPLACE FUNCTION guichet_touch_services_of_services_language() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services_service SET modified_at = clock_timestamp() WHERE id IN (SELECT service_id FROM services_service_languages WHERE language_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER service_modified_by_services_language
    AFTER UPDATE ON services_language FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION guichet_touch_services_of_services_language();

CREATE TRIGGER service_modified_by_services_service_categories_insert
    AFTER INSERT ON services_service_categories REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();

CREATE TRIGGER service_modified_by_services_service_categories_update
    AFTER UPDATE ON services_service_categories REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();

CREATE TRIGGER service_modified_by_services_service_categories_delete
    AFTER DELETE ON services_service_categories REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();

CREATE TRIGGER service_modified_by_services_service_languages_insert
    AFTER INSERT ON services_service_languages REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();

CREATE TRIGGER service_modified_by_services_service_languages_update
    AFTER UPDATE ON services_service_languages REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();

CREATE TRIGGER service_modified_by_services_service_languages_delete
    AFTER DELETE ON services_service_languages REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();

CREATE TRIGGER service_modified_by_services_openinghours_insert
    AFTER INSERT ON services_openinghours REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();

CREATE TRIGGER service_modified_by_services_openinghours_update
    AFTER UPDATE ON services_openinghours REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();

CREATE TRIGGER service_modified_by_services_openinghours_delete
    AFTER DELETE ON services_openinghours REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION guichet_touch_owning_services();
"""

DROP_TRIGGERS_SQL = r"""
DROP TRIGGER IF EXISTS service_modified ON services_service;
DROP TRIGGER IF EXISTS service_modified_by_associations_association ON associations_association;
DROP FUNCTION IF EXISTS guichet_touch_services_of_associations_association();
DROP TRIGGER IF EXISTS service_modified_by_associations_location ON associations_location;
DROP FUNCTION IF EXISTS guichet_touch_services_of_associations_location();
DROP TRIGGER IF EXISTS service_modified_by_associations_district ON associations_district;
DROP FUNCTION IF EXISTS guichet_touch_services_of_associations_district();
DROP TRIGGER IF EXISTS service_modified_by_services_category ON services_category;
DROP FUNCTION IF EXISTS guichet_touch_services_of_services_category();
DROP TRIGGER IF EXISTS service_modified_by_services_language ON services_language;
DROP FUNCTION IF EXISTS guichet_touch_services_of_services_language();
DROP TRIGGER IF EXISTS service_modified_by_services_service_categories_insert ON services_service_categories;
DROP TRIGGER IF EXISTS service_modified_by_services_service_categories_update ON services_service_categories;
DROP TRIGGER IF EXISTS service_modified_by_services_service_categories_delete ON services_service_categories;
DROP TRIGGER IF EXISTS service_modified_by_services_service_languages_insert ON services_service_languages;
DROP TRIGGER IF EXISTS service_modified_by_services_service_languages_update ON services_service_languages;
DROP TRIGGER IF EXISTS service_modified_by_services_service_languages_delete ON services_service_languages;
DROP TRIGGER IF EXISTS service_modified_by_services_openinghours_insert ON services_openinghours;
DROP TRIGGER IF EXISTS service_modified_by_services_openinghours_update ON services_openinghours;
DROP TRIGGER IF EXISTS service_modified_by_services_openinghours_delete ON services_openinghours;
DROP FUNCTION IF EXISTS guichet_touch_owning_services();
DROP FUNCTION IF EXISTS guichet_service_modified();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0003_association_proposals_trusted"),
        ("services", "0008_seed_search_vocabulary"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="modified_at",
            field=models.DateTimeField(
                default=timezone.now, editable=False, verbose_name="record modified at"
            ),
        ),
        migrations.RunSQL(
            "UPDATE services_service SET modified_at = updated_at;\n" + TRIGGERS_SQL,
            DROP_TRIGGERS_SQL,
        ),
    ]
