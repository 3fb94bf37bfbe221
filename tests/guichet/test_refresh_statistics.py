"""After a bulk load the planner's statistics are refreshed, although the application's
database role, which owns no table, may not ANALYZE them itself.

Without fresh statistics PostgreSQL took 10,000 generated services for a handful and a
search with a district filter ran nested loops for 600 ms instead of 7.
"""

from django.core.management import call_command
from django.db import connection

from guichet import dbroles
from services.models import Service


def _planner_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return cursor.fetchone()[0]


def _notices() -> list[str]:
    return list(connection.connection.notices)


def test_the_application_role_refreshes_statistics_without_owning_the_tables(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) = current_user FROM pg_class "
            "WHERE oid = 'services_service'::regclass"
        )
        owns = cursor.fetchone()[0]
    before = _notices()
    assert dbroles.refresh_statistics("services_service", "no_such_table") == 1
    # A plain ANALYZE by a role that does not own the table only warns and skips it.
    assert not [n for n in _notices()[len(before) :] if "skipping" in n]
    if dbroles.owner_settings():  # two roles, as the local cluster and production run
        assert not owns


def test_every_table_when_none_is_named(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
        )
        tables = cursor.fetchone()[0]
    assert dbroles.refresh_statistics() == tables


def test_the_generator_leaves_statistics_that_count_its_services(db):
    call_command("generate_catalogue", services=60, seed=11, verbosity=0)
    assert _planner_rows("services_service") == Service.objects.count()
    assert (
        _planner_rows("services_service_categories") == Service.categories.through.objects.count()
    )


def test_the_demo_loader_refreshes_them_too(db):
    call_command("load_demo", verbosity=0)
    assert _planner_rows("services_service") == Service.objects.count()
