"""The city's statistics: suppressed tables, charts, CSV, bad ranges, purge survival."""

from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from referrals.models import AccessLog, Referral


@pytest.fixture
def stats_client(client, municipal_admin):
    client.force_login(municipal_admin)
    return client


def backdate(**extra):
    """Move every referral into the last finished month: the page shows finished months only."""
    last_month = timezone.localdate().replace(day=1) - timedelta(days=15)
    moment = timezone.make_aware(datetime.combine(last_month, time.min))
    Referral.objects.update(created_at=moment, **extra)


def table(response, key):
    return next(t for t, _chart in response.context["tables"] if t.key == key)


def test_small_counts_are_shown_as_less_than_ten(stats_client, make_referral):
    for _ in range(3):
        make_referral()
    backdate()
    response = stats_client.get("/en/stats/")
    need = table(response, "need")
    assert [row.cell.display for row in need.rows] == ["<10"]
    assert "&lt;10" in response.content.decode()


def test_large_counts_are_shown(stats_client, make_referral, catalogue):
    for _ in range(12):
        make_referral()
    for _ in range(11):
        make_referral(service=catalogue["services"]["doctor"])
    backdate()
    need = table(stats_client.get("/en/stats/"), "need")
    assert sorted(row.cell.display for row in need.rows) == ["11", "12"]


def test_one_small_cell_is_never_left_alone_next_to_a_total(stats_client, make_referral, catalogue):
    for _ in range(20):
        make_referral()
    for _ in range(2):
        make_referral(service=catalogue["services"]["doctor"])
    backdate()
    need = table(stats_client.get("/en/stats/"), "need")
    assert sorted(row.cell.display for row in need.rows) == ["<10", "—"]


def test_months_cover_the_range_with_zeros(stats_client, make_referral):
    months = table(stats_client.get("/en/stats/"), "month")
    assert len(months.rows) == 12 and all(row.cell.display == "0" for row in months.rows)


def test_medians_are_hidden_below_the_threshold(stats_client, make_referral):
    make_referral(status="accepted")
    backdate(accepted_at=timezone.now())
    assert stats_client.get("/en/stats/").context["medians"] == {"accepted": None, "closed": None}


def test_medians_are_computed(stats_client, make_referral):
    for _ in range(10):
        make_referral(status="completed")
    backdate()
    for days, referral in enumerate(Referral.objects.order_by("pk")):
        Referral.objects.filter(pk=referral.pk).update(
            accepted_at=referral.created_at + timedelta(days=2),
            closed_at=referral.created_at + timedelta(days=days + 1),
        )
    assert stats_client.get("/en/stats/").context["medians"] == {"accepted": 2.0, "closed": 5.5}


def test_the_chart_is_accessible_svg_with_the_tables_numbers(stats_client, make_referral):
    for _ in range(12):
        make_referral()
    backdate()
    html = stats_client.get("/en/stats/").content.decode()
    assert '<svg class="chart" role="img"' in html and '<title id="chart-need-title">' in html
    assert '<text x="' in html and 'class="chart-value">12</text>' in html


def test_the_chart_is_mirrored_in_arabic(stats_client, make_referral):
    make_referral()
    html = stats_client.get("/ar/stats/").content.decode()
    assert 'direction="rtl" class="chart-label"' in html and '<text x="636"' in html


def test_purged_referrals_still_count(stats_client, make_referral):
    old = make_referral(nationality="SN", region="western_africa")
    Referral.objects.filter(pk=old.pk).update(
        status="completed",
        closed_at=timezone.now() - timedelta(days=800),
        created_at=timezone.now() - timedelta(days=30),
    )
    call_command("purge_referrals", verbosity=0)
    regions = table(stats_client.get("/en/stats/"), "region")
    assert {row.label: row.cell.count for row in regions.rows}["Western Africa"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"start": "not-a-date"},
        {"start": "2026-13-45"},
        {"start": "2026-10-01", "end": "2026-01-01"},
        {"start": "0001-01-01", "end": "9999-12-31"},
        {"start": "2099-01-01"},
        {"start": "2026-01-01\x00"},
        {"end": "' OR 1=1 --"},
    ],
)
def test_bad_ranges_give_a_message_not_an_error(stats_client, make_referral, params):
    response = stats_client.get("/en/stats/", params)
    assert response.status_code == 200 and response.context["notes"]


def test_the_range_filters_referrals(stats_client, make_referral):
    make_referral()
    Referral.objects.update(created_at=timezone.now() - timedelta(days=400))
    recent = table(stats_client.get("/en/stats/"), "status")
    assert recent.total.count == 0
    older = table(stats_client.get("/en/stats/", {"start": "2020-01-01"}), "status")
    assert older.total.count == 1


def test_csv_export_is_suppressed_utf8_with_bom_and_logged(
    stats_client, make_referral, municipal_admin
):
    make_referral()
    backdate()
    response = stats_client.get("/ar/stats/export/need.csv")
    body = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv") and body.startswith("\ufeff")
    assert "<10" in body and "المساعدة القانونية" in body
    assert AccessLog.objects.filter(user=municipal_admin, action="export").exists()


def test_an_unknown_table_answers_404(stats_client):
    assert stats_client.get("/en/stats/export/nothing.csv").status_code == 404


def test_desk_staff_see_statistics_but_not_catalogue_health(client, desk_user, catalogue):
    client.force_login(desk_user)
    response = client.get("/en/stats/")
    assert response.status_code == 200 and response.context["health"] is None


def test_catalogue_health_links_to_the_admin(stats_client, catalogue):
    html = stats_client.get("/en/stats/").content.decode()
    assert "/admin/services/service/?hours=none" in html and "?missing=ar" in html
    assert "?stale=yes" in html and "categories__id__exact=" in html


def test_admin_filter_for_services_without_hours(stats_client, catalogue):
    from tests import factories

    factories.service(catalogue["associations"]["care"], "no-hours")
    response = stats_client.get("/admin/services/service/", {"hours": "none"})
    assert [s.slug for s in response.context["cl"].result_list] == ["no-hours"]


def test_statistics_page_takes_at_most_twenty_four_queries(stats_client, make_referral):
    for _ in range(30):
        make_referral()
    with CaptureQueriesContext(connection) as queries:
        stats_client.get("/en/stats/")
    # Twenty for the session, user, roles, access log, referrals' figures and catalogue
    # health; one for the staff member's second factor (django-otp's middleware); three
    # for the catalogue's health over time (upkeep.statistics: proposals, reports, services).
    assert len(queries) <= 24


def test_the_current_month_is_never_shown(stats_client, make_referral):
    make_referral()
    response = stats_client.get("/en/stats/", {"start": "2020-01-01", "end": "2099-12-31"})
    assert table(response, "status").total.count == 0


def test_ranges_a_day_apart_give_the_same_figures(stats_client, make_referral):
    for _ in range(15):
        make_referral()
    Referral.objects.update(created_at=timezone.now() - timedelta(days=200))
    first = stats_client.get("/en/stats/", {"start": "2025-01-01", "end": "2026-03-09"})
    second = stats_client.get("/en/stats/", {"start": "2025-01-01", "end": "2026-03-10"})
    assert [r.cell.display for r in table(first, "month").rows] == [
        r.cell.display for r in table(second, "month").rows
    ]
    assert "whole, finished months" in first.content.decode()


def test_months_are_counted_in_the_citys_time(stats_client, make_referral, settings):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    city = ZoneInfo(settings.TIME_ZONE)
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    # Just after midnight on the 1st in the city is still the month before in UTC.
    early = datetime.combine(last_month, time(0, 30), city)
    late = datetime.combine(last_month, time.min, city) - timedelta(minutes=30)
    for moment in [early] * 10 + [late] * 11:
        Referral.objects.filter(pk=make_referral().pk).update(created_at=moment)
    months = table(stats_client.get("/en/stats/"), "month")
    assert [row.cell.display for row in months.rows[-2:]] == ["11", "10"]


def test_a_long_chart_label_wraps_between_words_and_a_longer_one_keeps_its_full_title():
    from referrals.charts import MAX_LABEL, _label, _lines

    name = "جمعية خطوة للأشخاص في وضعية إعاقة"  # 33 characters: two lines, nothing lost
    assert _lines(name) == ["جمعية خطوة للأشخاص في وضعية", "إعاقة"]
    assert "<title>" not in _label(name, 636, 13)
    longest = "Organisation internationale pour les migrations, bureau régional de Tanger-Tétouan"
    first, second = _lines(longest)
    assert len(first) <= MAX_LABEL and second.endswith("…") and len(second) == MAX_LABEL
    assert f"<title>{longest}</title>" in _label(longest, 4, 13)
