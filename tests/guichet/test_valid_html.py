"""Every staff page, error page and page answering junk input is valid HTML (W3C Nu HTML
checker), in the four languages. The public pages are checked by the guard tests."""

from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from referrals.models import Referral
from tests.conftest import LANGUAGES
from tests.services.test_bad_input import BAD_VALUES, PARAMETERS


@pytest.fixture
def busy_referrals(make_referral, catalogue):
    """Enough referrals in the last finished month for the statistics to draw charts."""
    for number in range(12):
        make_referral(client_code=f"P-BUSY{number:02d}")
    make_referral(service=catalogue["services"]["doctor"], client_code="P-OTHER1")
    last_month = timezone.localdate().replace(day=1) - timedelta(days=15)
    moment = timezone.make_aware(datetime.combine(last_month, time.min))
    Referral.objects.update(created_at=moment, follow_up_on=timezone.localdate())
    _problem_reports(catalogue)
    return Referral.objects.order_by("created_at").first()


def _problem_reports(catalogue) -> None:
    """An open and a closed report, so that the association staff's pages show both."""
    from upkeep.models import ProblemReport

    ProblemReport.objects.create(
        service=catalogue["services"]["lawyer"], kind="hours", text="<b>Fermé</b>", language="fr"
    )
    ProblemReport.objects.create(
        service=catalogue["services"]["lawyer"],
        kind="contact",
        language="ar",
        status="closed",
        resolution="corrected",
        closed_by=Referral.objects.first().created_by,
        closed_at=timezone.now(),
    )


def staff_pages(referral) -> list[tuple[str, str]]:
    """(persona, path without the language prefix) for every staff page a role sees."""
    reference = referral.reference
    return [
        ("anonymous", "accounts/login/"),
        ("desk", "desk/"),
        ("desk", "desk/?tab=follow_up"),
        ("desk", "desk/refer/"),
        ("desk", "desk/refer/?q=avocat"),
        ("desk", "desk/refer/?service=consultation-avocat"),
        ("desk", f"desk/referrals/{reference}/"),
        ("desk", f"desk/referrals/{reference}/slip/"),
        ("desk", "stats/"),
        ("partner_a", "desk/"),
        ("partner_a", f"desk/referrals/{reference}/"),
        ("partner_a", "desk/our-services/"),
        ("partner_a", "desk/reports/"),
        ("partner_a", "desk/our-services/new/"),
        ("partner_a", "desk/our-services/consultation-avocat/change/"),
        ("partner_a", "desk/our-services/consultation-avocat/close/"),
        ("admin", "desk/"),
        ("admin", "stats/"),
        ("admin", "stats/?start=2020-13-45&end=junk"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_staff_page_is_valid_html(
    client, desk_user, partner_user, municipal_admin, busy_referrals, assert_valid_html, language
):
    personas = {
        "anonymous": None,
        "desk": desk_user,
        "partner_a": partner_user,
        "admin": municipal_admin,
    }
    for persona, path in staff_pages(busy_referrals):
        client.logout()
        if personas[persona]:
            client.force_login(personas[persona])
        response = client.get(f"/{language}/{path}")
        assert response.status_code == 200, path
        assert_valid_html(response, where=f"/{language}/{path} as {persona}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", BAD_VALUES, ids=range(len(BAD_VALUES)))
def test_the_service_list_answering_junk_is_valid_html(
    client, catalogue, assert_valid_html, language, value
):
    response = client.get(f"/{language}/services/", dict.fromkeys(PARAMETERS, value))
    assert response.status_code == 200
    assert_valid_html(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_directory_answering_junk_is_valid_html(client, catalogue, assert_valid_html, language):
    for value in ("abc", "' OR 1=1 --", "nul\x00byte", "<script>alert(1)</script>"):
        response = client.get(f"/{language}/associations/", {"category": value, "district": value})
        assert response.status_code == 200
        assert_valid_html(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_pages_are_valid_html(client, plain_user, assert_valid_html, language, db):
    missing = client.get(f"/{language}/services/no-such-service/")
    assert missing.status_code == 404
    assert_valid_html(missing)
    client.force_login(plain_user)
    refused = client.get(f"/{language}/desk/")
    assert refused.status_code == 403
    assert_valid_html(refused)


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_demo_pages_are_valid_html(client, demo, assert_valid_html, language):
    from services.models import Service

    longest = max(Service.objects.active(), key=lambda s: len(s.description_fr or ""))
    for path in ("", "services/", "services/?page=2", f"services/{longest.slug}/", "associations/"):
        response = client.get(f"/{language}/{path}")
        assert response.status_code == 200, path
        assert_valid_html(response)
