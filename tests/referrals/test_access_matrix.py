"""Every staff URL × every persona → the expected status. Built from the URL configuration,
so a new staff URL without an entry here fails the suite."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.urlwalk import named_urls

PERSONAS = ["anonymous", "desk", "partner_a", "partner_b", "admin"]

# GET status per persona; 302 = sent to the login page.
GET_EXPECTED = {
    "desk:dashboard": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 200,
        "partner_b": 200,
        "admin": 200,
    },
    "desk:referral_create": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 403,
        "partner_b": 403,
        "admin": 403,
    },
    "desk:referral_detail": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 200,
        "partner_b": 404,
        "admin": 404,
    },
    "desk:referral_slip": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 403,
        "partner_b": 403,
        "admin": 403,
    },
    "desk:referral_status": {
        "anonymous": 405,
        "desk": 405,
        "partner_a": 405,
        "partner_b": 405,
        "admin": 405,
    },
    "desk:referral_follow_up": {
        "anonymous": 405,
        "desk": 405,
        "partner_a": 405,
        "partner_b": 405,
        "admin": 405,
    },
    "desk:referral_cancel": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 403,
        "partner_b": 403,
        "admin": 403,
    },
    "desk:client": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 403,
        "partner_b": 403,
        "admin": 403,
    },
    "desk:preferences": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 200,
        "partner_b": 200,
        "admin": 200,
    },
    "stats:index": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 403,
        "partner_b": 403,
        "admin": 200,
    },
    "stats:export": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 403,
        "partner_b": 403,
        "admin": 200,
    },
    "accounts:login": {
        "anonymous": 200,
        "desk": 302,
        "partner_a": 302,
        "partner_b": 302,
        "admin": 302,
    },
    "accounts:logout": {
        "anonymous": 405,
        "desk": 405,
        "partner_a": 405,
        "partner_b": 405,
        "admin": 405,
    },
    # Two-factor sign-in (the personas' log-ins are confirmed with a code: see conftest).
    "accounts:two_factor": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 200,
        "partner_b": 200,
        "admin": 200,
    },
    "accounts:two_factor_setup": {
        "anonymous": 302,
        "desk": 302,
        "partner_a": 302,
        "partner_b": 302,
        "admin": 302,
    },
    "accounts:two_factor_verify": {
        "anonymous": 302,
        "desk": 302,
        "partner_a": 302,
        "partner_b": 302,
        "admin": 302,
    },
    "accounts:recovery_codes": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 200,
        "partner_b": 200,
        "admin": 200,
    },
    "accounts:new_recovery_codes": {
        "anonymous": 405,
        "desk": 405,
        "partner_a": 405,
        "partner_b": 405,
        "admin": 405,
    },
    # Association staff's own pages (upkeep): 403 for staff of no association.
    "upkeep:our_services": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 200,
        "partner_b": 200,
        "admin": 403,
    },
    "upkeep:confirm_service": {
        "anonymous": 405,
        "desk": 405,
        "partner_a": 405,
        "partner_b": 405,
        "admin": 405,
    },
    "upkeep:propose_new": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 200,
        "partner_b": 200,
        "admin": 403,
    },
    # Partner A's service: partner B gets 404.
    "upkeep:propose_change": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 200,
        "partner_b": 404,
        "admin": 403,
    },
    "upkeep:propose_close": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 200,
        "partner_b": 404,
        "admin": 403,
    },
    # Partner A's association and place: partner B gets 404.
    "upkeep:propose_association": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 200,
        "partner_b": 404,
        "admin": 403,
    },
    "upkeep:propose_location": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 200,
        "partner_b": 404,
        "admin": 403,
    },
    "upkeep:propose_new_location": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 200,
        "partner_b": 200,
        "admin": 403,
    },
    "upkeep:reports": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 200,
        "partner_b": 200,
        "admin": 403,
    },
    "upkeep:close_report": {
        "anonymous": 405,
        "desk": 405,
        "partner_a": 405,
        "partner_b": 405,
        "admin": 405,
    },
}

# The public upkeep pages (report a problem) are guarded with the public pages.
PUBLIC_UPKEEP = {"upkeep:report_problem", "upkeep:report_problem_sent"}

# POST status for the state-changing URLs, with a well-formed body (accepting the referral,
# or setting a follow-up date); the desk may not accept, partner B cannot see it.
POST_EXPECTED = {
    "desk:referral_status": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 302,
        "partner_b": 404,
        "admin": 404,
    },
    "desk:referral_follow_up": {
        "anonymous": 302,
        "desk": 302,
        "partner_a": 403,
        "partner_b": 404,
        "admin": 404,
    },
    "desk:preferences": {
        "anonymous": 302,
        "desk": 302,
        "partner_a": 302,
        "partner_b": 302,
        "admin": 302,
    },
    # Without a current authenticator code (the body is empty) the form is shown again.
    "accounts:new_recovery_codes": {
        "anonymous": 302,
        "desk": 200,
        "partner_a": 200,
        "partner_b": 200,
        "admin": 200,
    },
    "desk:referral_cancel": {
        "anonymous": 405,
        "desk": 405,
        "partner_a": 405,
        "partner_b": 405,
        "admin": 405,
    },
    # Partner A's service / a report about it: partner B gets 404, staff of no association 403.
    "upkeep:confirm_service": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 302,
        "partner_b": 404,
        "admin": 403,
    },
    # A closing proposal for partner A's service: 302 back to "our services" once recorded.
    "upkeep:propose_close": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 302,
        "partner_b": 404,
        "admin": 403,
    },
    "upkeep:close_report": {
        "anonymous": 302,
        "desk": 403,
        "partner_a": 302,
        "partner_b": 404,
        "admin": 403,
    },
}

POST_BODIES = {
    "desk:referral_status": lambda referral: {
        "to_status": "accepted",
        "version": referral.version,
        "note": "",
    },
    "desk:referral_follow_up": lambda referral: {
        "follow_up_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "version": referral.version,
    },
    "desk:preferences": lambda referral: {"language": "ar", "email_notifications": "on"},
    "desk:referral_cancel": lambda referral: {},
    "accounts:new_recovery_codes": lambda referral: {},
    "upkeep:confirm_service": lambda referral: {},
    "upkeep:close_report": lambda referral: {"resolution": "corrected"},
    "upkeep:propose_close": lambda referral: {"mode": "temporarily"},
}


@pytest.fixture
def personas(desk_user, partner_user, other_partner, municipal_admin):
    return {
        "anonymous": None,
        "desk": desk_user,
        "partner_a": partner_user,
        "partner_b": other_partner,
        "admin": municipal_admin,
    }


@pytest.fixture
def problem_report(catalogue):
    from upkeep.models import ProblemReport

    return ProblemReport.objects.create(
        service=catalogue["services"]["lawyer"], kind="hours", language="fr"
    )


def url_for(name: str, referral, report=None) -> str:
    with translation.override("fr"):
        if name in ("upkeep:confirm_service", "upkeep:propose_change", "upkeep:propose_close"):
            return reverse(name, kwargs={"slug": referral.service.slug})
        if name == "upkeep:close_report":
            return reverse(name, kwargs={"pk": report.pk if report else 1})
        if name == "upkeep:propose_association":
            return reverse(name, kwargs={"slug": referral.service.association.slug})
        if name == "upkeep:propose_location":
            return reverse(name, kwargs={"pk": referral.service.location_id})
        if name.startswith("desk:referral_") and name != "desk:referral_create":
            return reverse(name, kwargs={"reference": referral.reference})
        if name == "desk:client":
            return reverse(name, kwargs={"client_code": referral.client_code})
        if name == "stats:export":
            return reverse(name, kwargs={"table": "need"})
        return reverse(name)


def test_every_staff_url_is_in_the_matrix():
    staff = {
        name
        for name in named_urls()
        if name.startswith(("desk:", "accounts:", "stats:", "upkeep:"))
    }
    assert staff - PUBLIC_UPKEEP == set(GET_EXPECTED)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(GET_EXPECTED))
def test_get_access(client, personas, referral, name, persona):
    if personas[persona]:
        client.force_login(personas[persona])
    response = client.get(url_for(name, referral))
    assert response.status_code == GET_EXPECTED[name][persona]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(POST_EXPECTED))
def test_post_access(client, personas, referral, problem_report, name, persona):
    if personas[persona]:
        client.force_login(personas[persona])
    response = client.post(url_for(name, referral, problem_report), POST_BODIES[name](referral))
    assert response.status_code == POST_EXPECTED[name][persona]


@pytest.mark.parametrize(
    "name",
    [
        "desk:dashboard",
        "desk:referral_detail",
        "desk:referral_slip",
        "desk:referral_create",
        "desk:referral_cancel",
        "desk:client",
        "desk:preferences",
        "stats:index",
        "stats:export",
    ],
)
def test_staff_pages_are_never_cached(client, desk_user, referral, name):
    client.force_login(desk_user)
    response = client.get(url_for(name, referral))
    assert "no-store" in response["Cache-Control"]


def test_a_logged_in_account_without_a_role_is_refused(client, plain_user, referral):
    client.force_login(plain_user)
    assert client.get(url_for("desk:dashboard", referral)).status_code == 403


def test_a_guessed_reference_answers_404(client, partner_user, referral):
    client.force_login(partner_user)
    assert client.get("/fr/desk/referrals/R-ZZZZZZ/").status_code == 404


def test_an_id_instead_of_a_reference_answers_404(client, partner_user, referral):
    client.force_login(partner_user)
    assert client.get(f"/fr/desk/referrals/{referral.pk}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/fr/desk/?ref=R-%00",
        "/fr/desk/?ref=" + "x" * 5000,
        "/fr/desk/?q=" + "x" * 5000,
        "/fr/desk/?q=%27%3B%20DROP%20TABLE%20referrals_referral%3B--",
        "/fr/desk/?q=P-TEST01%27%20OR%20%271%27%3D%271",
        "/fr/desk/?q=%00",
        "/fr/desk/people/" + "A" * 21 + "/",
        "/fr/desk/people/P-NOBODY/",
        "/fr/desk/refer/?client=%00",
        "/fr/desk/refer/?service=consultation-avocat&client=" + "x" * 5000,
        "/fr/desk/refer/?service=a%00",
        "/fr/desk/refer/?q=%00",
        "/fr/desk/referrals/%00/",
        "/fr/desk/referrals/R-%00%00%00%00%00%00/slip/",
        "/fr/desk/referrals/R-AAAAAA/follow-up/",
    ],
)
def test_bad_staff_urls_never_fail(client, desk_user, referral, url):
    client.force_login(desk_user)
    assert client.get(url).status_code in (200, 302, 404, 405)


def test_a_forged_service_with_a_nul_byte_is_refused(client, desk_user, catalogue):
    client.force_login(desk_user)
    assert client.post("/fr/desk/refer/", {"service": "a\x00"}).status_code == 400
