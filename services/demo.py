"""Load the demo catalogue (services/demo/catalogue.json) and the demo accounts.

Idempotent: records are matched by slug (or code) and updated in place.
"""

import json
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from associations.models import Association, District, Location, Membership
from guichet import roles, twofactor
from services.models import (
    Audience,
    Category,
    Language,
    OpeningHours,
    Service,
    refresh_catalogue_statistics,
)

CATALOGUE = Path(__file__).resolve().parent / "demo" / "catalogue.json"
LANGUAGES = ("ar", "fr", "es", "en")
# Documented demo password, DEBUG only.
DEMO_PASSWORD = "guichet-demo"  # noqa: S105  # nosec B105


def read_catalogue(path: Path = CATALOGUE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _translated(field: str, texts: dict | None) -> dict:
    texts = texts or {}
    return {f"{field}_{code}": texts.get(code, "") or "" for code in LANGUAGES}


def _days_ago(days: int | None):
    if days is None:
        return None
    return timezone.localdate() - timedelta(days=days)


def load_reference_data(data: dict) -> dict:
    """Create or update districts, categories, audiences and languages; return them by key."""
    districts = {}
    for row in data["districts"]:
        districts[row["slug"]], _ = District.objects.update_or_create(
            slug=row["slug"],
            defaults={"position": row["position"], **_translated("name", row["name"])},
        )
    categories = {}
    for row in data["categories"]:
        categories[row["slug"]], _ = Category.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "icon": row["icon"],
                "position": row["position"],
                **_translated("name", row["name"]),
                **_translated("description", row.get("description")),
            },
        )
    audiences = {}
    for row in data["audiences"]:
        audiences[row["slug"]], _ = Audience.objects.update_or_create(
            slug=row["slug"],
            defaults={"position": row["position"], **_translated("name", row["name"])},
        )
    languages = {}
    for row in data["languages"]:
        languages[row["code"]], _ = Language.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "position": row["position"]}
        )
    return {
        "districts": districts,
        "categories": categories,
        "audiences": audiences,
        "languages": languages,
    }


def _coordinate(value) -> Decimal | None:
    # JSON numbers arrive as floats; str() keeps the six decimals as written.
    return None if value is None else Decimal(str(value))


def _parse_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@transaction.atomic
def load_catalogue(data: dict) -> dict:
    """Create or update the whole demo catalogue; return counts."""
    ref = load_reference_data(data)
    service_ids = []
    for entry in data["associations"]:
        association, _ = Association.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "kind": entry["kind"],
                "website": entry.get("website", ""),
                "email": entry.get("email", ""),
                "phone": entry.get("phone", ""),
                "whatsapp": entry.get("whatsapp", ""),
                "is_active": entry.get("is_active", True),
                "is_verified": entry.get("is_verified", False),
                "last_verified_on": _days_ago(entry.get("last_verified_days_ago")),
                **_translated("name", entry["name"]),
                **_translated("description", entry.get("description")),
            },
        )
        locations = {}
        for place in entry.get("locations", []):
            fields = {
                "district": ref["districts"].get(place.get("district")),
                "latitude": _coordinate(place.get("latitude")),
                "longitude": _coordinate(place.get("longitude")),
                "wheelchair_accessible": place.get("wheelchair_accessible", False),
                **_translated("address", place.get("address")),
                **_translated("neighbourhood", place.get("neighbourhood")),
                **_translated("accessibility", place.get("accessibility")),
                **_translated("transport", place.get("transport")),
            }
            name = _translated("name", place["name"])
            location = Location.objects.filter(
                association=association, name_fr=name["name_fr"]
            ).first()
            if location is None:
                location = Location(association=association)
            for key, value in {**name, **fields}.items():
                setattr(location, key, value)
            location.full_clean()
            location.save()
            locations[place["key"]] = location
        for item in entry.get("services", []):
            service, _ = Service.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "association": association,
                    "location": locations.get(item.get("location")),
                    "is_free": item.get("is_free", True),
                    "access": item.get("access", Service.Access.WALK_IN),
                    "no_id_needed": item.get("no_id_needed", False),
                    "any_status_accepted": item.get("any_status_accepted", False),
                    "phone": item.get("phone", ""),
                    "whatsapp": item.get("whatsapp", ""),
                    "email": item.get("email", ""),
                    "status": item.get("status", Service.Status.ACTIVE),
                    "last_verified_on": _days_ago(item.get("last_verified_days_ago")),
                    **{
                        key: value
                        for field in (
                            "name",
                            "summary",
                            "description",
                            "eligibility",
                            "required_documents",
                            "fees",
                        )
                        for key, value in _translated(field, item.get(field)).items()
                    },
                },
            )
            service.categories.set([ref["categories"][slug] for slug in item["categories"]])
            service.audiences.set([ref["audiences"][slug] for slug in item.get("audiences", [])])
            service.languages.set([ref["languages"][code] for code in item.get("languages", [])])
            service.hours.all().delete()
            OpeningHours.objects.bulk_create(
                OpeningHours(
                    service=service,
                    weekday=day,
                    opens=_parse_time(slot["opens"]),
                    closes=_parse_time(slot["closes"]),
                    **_translated("note", slot.get("note")),
                )
                for slot in item.get("hours", [])
                for day in slot["days"]
            )
            service_ids.append(service.pk)
    refresh_catalogue_statistics()
    return {"associations": len(data["associations"]), "services": len(service_ids)}


def load_demo_accounts(data: dict) -> list[str]:
    """Create the demo accounts (DEBUG only) with the documented password; return their names."""
    if not settings.DEBUG:
        return []
    user_model = get_user_model()
    desk_group, _ = Group.objects.get_or_create(name=roles.DESK)
    admin_group, _ = Group.objects.get_or_create(name=roles.MUNICIPAL_ADMIN)
    access_group, _ = Group.objects.get_or_create(name=roles.STAFF_ACCESS)
    # Municipal admins are not superusers: they curate; "access" manages staff access.
    accounts = {
        "admin": {"is_staff": True, "is_superuser": False, "groups": [admin_group]},
        "access": {"is_staff": True, "is_superuser": False, "groups": [access_group]},
        "desk": {"is_staff": False, "is_superuser": False, "groups": [desk_group]},
        "partner": {"is_staff": False, "is_superuser": False, "groups": []},
    }
    for username, options in accounts.items():
        user, _ = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = options["is_staff"]
        user.is_superuser = options["is_superuser"]
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set(options["groups"])
        twofactor.give_demo_authenticator(user)
    first_active = next(a for a in data["associations"] if a.get("is_active", True))
    partner_association = Association.objects.get(slug=first_active["slug"])
    Membership.objects.get_or_create(
        user=user_model.objects.get(username="partner"), association=partner_association
    )
    return list(accounts)
