"""Demo data: load_demo is complete, idempotent, four-lingual; generate_catalogue works."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Q

from associations.models import Association, District, Membership
from services.models import Category, Service
from services.search.schema import LANGUAGE_CONFIGS

LANGUAGES = list(LANGUAGE_CONFIGS)


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_demo_has_at_least_15_associations_and_50_services(demo):
    assert Association.objects.count() >= 15
    assert Service.objects.count() >= 50


def test_demo_covers_every_category(demo):
    empty = Category.objects.annotate(n=Count("services")).filter(n=0)
    assert Category.objects.count() >= 12 and list(empty) == []


def test_demo_covers_every_district(demo):
    empty = District.objects.annotate(n=Count("locations")).filter(n=0)
    assert list(empty) == []


@pytest.mark.parametrize("field", ["name", "summary", "description", "eligibility"])
def test_every_demo_service_is_written_in_four_languages(demo, field):
    missing = Q()
    for code in LANGUAGES:
        missing |= Q(**{f"{field}_{code}": ""}) | Q(**{f"{field}_{code}__isnull": True})
    assert list(Service.objects.filter(missing).values_list("slug", flat=True)) == []


def test_every_demo_association_is_written_in_four_languages(demo):
    missing = Q()
    for code in LANGUAGES:
        missing |= Q(**{f"name_{code}": ""}) | Q(**{f"description_{code}": ""})
    assert not Association.objects.filter(missing).exists()


def test_load_demo_is_idempotent(demo):
    before = (Association.objects.count(), Service.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Association.objects.count(), Service.objects.count()) == before


def test_demo_is_searchable(demo, client):
    response = client.get("/fr/services/", {"q": "avocat"})
    found = [card.slug for card in response.context["page"].object_list]
    assert Service.objects.filter(slug__in=found, categories__slug="legal-aid").exists()


def test_demo_accounts_are_not_created_without_debug(demo):
    assert not get_user_model().objects.filter(username__in=["admin", "desk", "partner"]).exists()


def test_demo_accounts_are_created_with_debug(db, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    users = get_user_model().objects.filter(username__in=["admin", "desk", "partner"])
    assert all(user.check_password("guichet-demo") for user in users) and users.count() == 3
    assert Membership.objects.filter(user__username="partner").exists()


def test_generate_catalogue_creates_searchable_services(db, client):
    call_command("generate_catalogue", services=30, seed=3, verbosity=0)
    assert Service.objects.count() == 30
    assert Service.objects.filter(search_vector__isnull=False).count() == 30
    for relation in ("categories", "audiences", "languages", "hours"):
        assert not Service.objects.filter(**{relation: None}).exists(), relation
    service = Service.objects.order_by("pk").first()
    assert service.name == service.name_fr  # the untranslated column, as modeltranslation keeps it
    assert client.get(f"/fr/services/{service.slug}/").status_code == 200
    # The typo lexicon knows the generated words: a misspelt one is corrected.
    word = max(re.findall(r"\w+", service.summary_fr), key=len)
    misspelt = word[:2] + word[3:]
    response = client.get("/fr/services/", {"q": misspelt})
    assert response.context["plan"].corrections
    assert response.context["page"].paginator.count > 0


def test_demo_referrals_are_created_once_with_debug(db, settings):
    from referrals.models import Referral

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    demo = Referral.objects.filter(client_code__startswith="P-DEMO")
    assert sorted(demo.values_list("status", flat=True)) == ["accepted", "completed", "sent"]
