"""Catalogue health for municipal admins: what is stale, untranslated or incomplete.

Each figure is one aggregate query and carries the address of the admin list that
shows the records behind it.
"""

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language_info

from associations.models import District
from guichet.freshness import stale_threshold
from services.models import Category, OpeningHours, Service

FIELDS = ["name", "summary", "description", "eligibility", "required_documents", "fees"]


def _admin_list(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("admin:services_service_changelist") + (f"?{query}" if query else "")


def per_category() -> list[dict]:
    return [
        {
            "label": c.name,
            "count": c.n,
            "url": _admin_list(categories__id__exact=c.pk, status__exact="active"),
        }
        for c in Category.objects.annotate(
            n=Count("services", filter=Service.objects.active_condition(through="services__"))
        )
    ]


def per_district() -> list[dict]:
    active = Service.objects.active_condition(through="locations__services__")
    return [
        {
            "label": d.name,
            "count": d.n,
            "url": _admin_list(location__district__id__exact=d.pk, status__exact="active"),
        }
        for d in District.objects.annotate(n=Count("locations__services", filter=active))
    ]


def service_figures() -> dict:
    """Freshness, translation completeness and missing hours: one aggregate query.

    The two dozen counts are written out: compiled by the ORM they took longer than
    PostgreSQL took to count them. Which services count ("active") stays the ORM's.
    """
    languages = [code for code, _name in settings.LANGUAGES]
    # Texts written: neither NULL nor empty. octet_length() reads a long text's size
    # without decompressing it.
    written = [
        (f"{name}_{code}", f"count(NULLIF(octet_length(s.{name}_{code}), 0))")
        for code in languages
        for name in FIELDS
    ]
    active_sql, params = Service.objects.active().order_by().values("pk").query.sql_with_params()
    sql = f"""
        SELECT count(*),
               count(*) FILTER (WHERE s.last_verified_on >= %s),
               count(*) FILTER (WHERE NOT EXISTS (
                   SELECT 1 FROM {OpeningHours._meta.db_table} AS h WHERE h.service_id = s.id)),
               {", ".join(expression for _key, expression in written)}
          FROM {Service._meta.db_table} AS s
         WHERE s.id IN ({active_sql})
    """  # noqa: S608 (table and column names of ours; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [stale_threshold(), *params])
        row = cursor.fetchone()
    keys = ["total", "verified", "without_hours", *(key for key, _expression in written)]
    figures = dict(zip(keys, row, strict=True))
    total = figures["total"]
    return {
        "freshness": {
            "total": total,
            "verified": figures["verified"],
            "share": round(100 * figures["verified"] / total) if total else 0,
            "stale_url": _admin_list(stale="yes", status__exact="active"),
        },
        "translations": [
            {
                "language": code,
                "language_name": capfirst(get_language_info(code)["name_translated"]),
                "fields": [
                    round(100 * figures[f"{name}_{code}"] / (total or 1)) for name in FIELDS
                ],
                "url": _admin_list(missing=code),
            }
            for code in languages
        ],
        "without_hours": {
            "count": figures["without_hours"],
            "url": _admin_list(hours="none", status__exact="active"),
        },
    }


def catalogue_health() -> dict:
    """Three queries: per category, per district, and the service figures."""
    return {
        "per_category": per_category(),
        "per_district": per_district(),
        "translation_fields": FIELDS,
        # The columns named in words, in the page's language: "Required documents".
        "field_names": [capfirst(Service._meta.get_field(name).verbose_name) for name in FIELDS],
        **service_figures(),
    }
