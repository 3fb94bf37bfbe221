"""Dashboards: counts, follow-up, search by reference, constant queries, access logged."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from referrals.models import AccessLog, Referral


def test_desk_dashboard_counts_open_and_follow_up(client, desk_user, make_referral):
    make_referral()
    old = make_referral()
    Referral.objects.filter(pk=old.pk).update(status_changed_at=timezone.now() - timedelta(days=8))
    make_referral(status="completed")
    client.force_login(desk_user)
    tabs = {t["key"]: t["count"] for t in client.get("/en/desk/").context["tabs"]}
    assert tabs == {"open": 2, "follow_up": 1, "closed": 1}


def test_a_passed_follow_up_date_needs_follow_up(client, desk_user, make_referral):
    make_referral(follow_up_on=timezone.localdate() - timedelta(days=1))
    client.force_login(desk_user)
    tabs = {t["key"]: t["count"] for t in client.get("/en/desk/").context["tabs"]}
    assert tabs["follow_up"] == 1


def test_partner_dashboard_shows_only_their_association(
    client, partner_user, referral, other_referral
):
    client.force_login(partner_user)
    response = client.get("/en/desk/", {"tab": "new"})
    assert [r.reference for r in response.context["page"].object_list] == [referral.reference]


def test_partner_tabs(client, partner_user, make_referral):
    make_referral()
    make_referral(status="accepted")
    make_referral(status="declined")
    client.force_login(partner_user)
    tabs = {t["key"]: t["count"] for t in client.get("/en/desk/").context["tabs"]}
    assert tabs == {"new": 1, "active": 1, "history": 1}


def test_search_by_reference_opens_the_referral(client, desk_user, referral):
    client.force_login(desk_user)
    response = client.get("/en/desk/", {"ref": referral.reference.lower()})
    assert response.status_code == 302 and referral.reference in response["Location"]


def test_partner_cannot_find_another_associations_reference(client, partner_user, other_referral):
    client.force_login(partner_user)
    response = client.get("/en/desk/", {"ref": other_referral.reference})
    assert response.status_code == 200 and "No referral of yours" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["desk_user", "partner_user"])
def test_dashboard_queries_do_not_grow_with_referrals(client, make_referral, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    make_referral()
    client.get("/en/desk/")  # the first request of a session records when it started
    with CaptureQueriesContext(connection) as few:
        client.get("/en/desk/")
    for _ in range(30):
        make_referral()
    with CaptureQueriesContext(connection) as many:
        client.get("/en/desk/")
    assert len(many) == len(few)


def test_dashboard_is_paginated(client, desk_user, make_referral):
    for _ in range(30):
        make_referral()
    client.force_login(desk_user)
    response = client.get("/en/desk/", {"page": 2})
    assert len(response.context["page"].object_list) == 5


def test_viewing_a_list_is_logged(client, desk_user, referral):
    client.force_login(desk_user)
    client.get("/en/desk/")
    assert AccessLog.objects.filter(user=desk_user, action="list").exists()


def test_viewing_a_referral_is_logged(client, partner_user, referral):
    client.force_login(partner_user)
    client.get(f"/en/desk/referrals/{referral.reference}/")
    row = AccessLog.objects.get(action="view")
    assert (row.user, row.referral, row.username) == (partner_user, referral, partner_user.username)


def test_no_personal_data_in_urls_or_log_details(client, desk_user, referral):
    client.force_login(desk_user)
    html = client.get("/en/desk/").content.decode()
    client.get(f"/en/desk/referrals/{referral.reference}/")
    assert "client_code=" not in html and "P-TEST01" not in "".join(
        AccessLog.objects.values_list("detail", flat=True)
    )


def test_municipal_admin_sees_no_referral_data(client, municipal_admin, referral):
    client.force_login(municipal_admin)
    html = client.get("/en/desk/").content.decode()
    assert referral.reference not in html and "/admin/" in html


def test_the_follow_up_tab_lists_what_the_rule_calls_follow_up(client, desk_user, make_referral):
    """The tab counts and lists with ReferralQuerySet's rule, at each of its edges."""
    now, today = timezone.now(), timezone.localdate()
    unchanged = {"status_changed_at": now - Referral.FOLLOW_UP_AFTER - timedelta(minutes=1)}
    recent = {"status_changed_at": now - Referral.FOLLOW_UP_AFTER + timedelta(hours=1)}
    for status in ("sent", "accepted", "declined", "completed"):
        for fields in (
            unchanged,
            recent,
            {"follow_up_on": today},
            {"follow_up_on": today + timedelta(days=1)},
        ):
            referral = make_referral(status=status)
            Referral.objects.filter(pk=referral.pk).update(**fields)
    expected = set(Referral.objects.needs_follow_up().values_list("reference", flat=True))
    client.force_login(desk_user)
    response = client.get("/en/desk/", {"tab": "follow_up"})
    tabs = {t["key"]: t["count"] for t in response.context["tabs"]}
    listed = {referral.reference for referral in response.context["page"].object_list}
    assert len(expected) == 4 and tabs["follow_up"] == len(expected)
    assert listed == expected
