"""The catalogue version: one trigger per catalogue table moves it (guichet/catalogue.py)."""

import pytest
from django.core.management import call_command
from django.db import ProgrammingError, connection, transaction

from guichet import catalogue, dbroles
from services.models import Category


def _triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND NOT t.tgisinternal",
            [catalogue.TRIGGER],
        )
        return {row[0] for row in cursor.fetchall()}


def test_every_catalogue_table_moves_the_version(db):
    tables = set(catalogue.catalogue_tables())
    assert {"services_service", "services_service_categories", "associations_location"} <= tables
    assert tables <= _triggered_tables()


def test_no_table_outside_the_catalogue_moves_it(db):
    assert not {"referrals_referral", "auth_user", "django_session"} & _triggered_tables()


def test_an_orm_save_moves_the_version(catalogue):
    before = catalogue_version()
    Category.objects.filter(slug="health").update(icon="+")
    assert catalogue_version() > before


def test_a_raw_sql_bulk_load_moves_the_version(db):
    before = catalogue_version()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO services_category (slug, name, name_fr, description, icon, position, uuid) "
            "SELECT 'c' || n, 'C', 'C', '', '', n, gen_random_uuid() FROM generate_series(1, 3) n"
        )
    assert catalogue_version() > before


def test_a_truncate_moves_the_version_too(db):
    # The application's role may not TRUNCATE (docs/deploy.md); the owner's may, and the
    # trigger fires for it as for any other statement.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s AND c.relname = %s",
            [catalogue.TRIGGER, "services_openinghours"],
        )
        definition = cursor.fetchone()[0]
    assert "BEFORE INSERT OR DELETE OR UPDATE OR TRUNCATE" in definition
    assert "FOR EACH STATEMENT" in definition


def test_a_rolled_back_change_leaves_the_version(catalogue):
    before = catalogue_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Category.objects.filter(slug="health").update(icon="+")
        raise RuntimeError
    assert catalogue_version() == before


def test_a_flushed_version_row_comes_back_ahead(db):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM guichet_catalogueversion")
    assert catalogue_version() == 0
    Category.objects.create(slug="new", name="New")
    assert catalogue_version() > 1_700_000_000_000_000  # microseconds since 1970


def test_the_application_cannot_drop_the_trigger(db):
    with pytest.raises(ProgrammingError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {catalogue.TRIGGER} ON services_service")


@pytest.mark.django_db(transaction=True)
def test_migrate_installs_the_triggers_again():
    with dbroles.as_owner(), connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {catalogue.TRIGGER} ON services_service")
    call_command("migrate", verbosity=0)
    assert "services_service" in _triggered_tables()


def catalogue_version() -> int:
    return catalogue.read_version()
