"""A new user's statistics show something: the demo's past, the month so far, catalogue
health in words."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from referrals.models import Referral
from referrals.statistics import referrals_between


@pytest.fixture
def demo_history(db, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)


def test_the_demo_spreads_referrals_over_the_past_18_months(demo_history):
    history = Referral.objects.filter(client_code__startswith="P-H")
    months = history.annotate(month=TruncMonth("created_at")).values("month").distinct()
    assert months.count() >= 18
    assert {"completed", "not_completed", "declined", "accepted"} <= set(
        history.values_list("status", flat=True)
    )


def test_the_demo_history_is_loaded_once(demo_history):
    before = Referral.objects.count()
    call_command("load_demo", verbosity=0)
    assert Referral.objects.count() == before


def test_the_demo_history_is_seasonal(demo_history):
    history = Referral.objects.filter(client_code__startswith="P-H")
    first_of_month = timezone.localdate().replace(day=1)
    per_month = {
        row["month"].month: row["n"]
        for row in history.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        if row["month"].date() < first_of_month
    }
    assert per_month.get(7, 0) > per_month.get(1, 0)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_new_users_statistics_show_figures_not_zeros(client, demo_history, language):
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get(f"/{language}/stats/")
    months = next(t for t, _chart in response.context["tables"] if t.key == "month")
    assert len(months.rows) == 12 and all(row.cell.shown for row in months.rows)
    assert all(row.cell.count >= 10 for row in months.rows)


def test_the_month_so_far_is_apart_and_marked_partial(client, demo_history):
    client.force_login(get_user_model().objects.get(username="admin"))
    html = client.get("/en/stats/").content.decode()
    today = timezone.localdate()
    so_far = referrals_between(today.replace(day=1), today).count()
    assert "This month so far (partial)" in html
    if so_far >= 10:
        assert f"At least {so_far - so_far % 10} referrals so far." in html
    else:
        assert "Fewer than 10 referrals so far." in html or "No referral so far." in html


def test_a_small_month_so_far_is_suppressed(client, municipal_admin, make_referral):
    make_referral()
    client.force_login(municipal_admin)
    html = client.get("/en/stats/").content.decode()
    assert "Fewer than 10 referrals so far." in html


@pytest.mark.parametrize(
    ("language", "field", "language_name"),
    [("fr", "Documents à apporter", "Arabe"), ("ar", "الوثائق المطلوب إحضارها", "الإسبانية")],
)
def test_catalogue_health_names_fields_and_languages_in_words(
    client, municipal_admin, catalogue, language, field, language_name
):
    client.force_login(municipal_admin)
    html = client.get(f"/{language}/stats/").content.decode()
    assert f'<th scope="col">{field}</th>' in html
    assert f">{language_name}</a>" in html
    assert "required_documents" not in html
