"""E-mail notifications, sent through a real SMTP server on a loopback port (aiosmtpd)."""

import logging
import uuid
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from referrals.models import Notification, Referral, StaffPreferences
from referrals.notifications import add_working_days, answer_due_on, send_reminders
from tests.referrals.smtp import SmtpServer, free_port, use_smtp

Kind = Notification.Kind


@pytest.fixture
def desk_client(client, desk_user):
    client.force_login(desk_user)
    return client


def refer(client, catalogue, **overrides):
    data = {
        "service": "consultation-avocat",
        "submission_token": str(uuid.uuid4()),
        "client_code": "P-SECRET9",
        "age_band": "26-35",
        "nationality": "SN",
        "preferred_language": "fr",
        "need_category": catalogue["categories"]["legal"].pk,
        "urgency": "routine",
        "consent_given": "on",
        "notes": "Speaks Wolof only",
        **overrides,
    }
    return client.post("/fr/desk/refer/", data)


def prefer(user, language="fr", wanted=True):
    StaffPreferences.objects.update_or_create(
        user=user, defaults={"language": language, "email_notifications": wanted}
    )


def test_the_association_is_told_of_a_new_referral(
    smtp, desk_client, catalogue, partner_user, other_partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refer(desk_client, catalogue)
    referral = Referral.objects.get()
    assert [m["to"] for m in smtp.messages] == [[partner_user.email]]
    assert referral.reference in smtp.messages[0]["subject"]
    assert (
        f"https://guichet.example.org/fr/desk/referrals/{referral.reference}/"
        in smtp.messages[0]["body"]
    )


def test_a_message_carries_no_personal_data(
    smtp, desk_client, catalogue, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refer(desk_client, catalogue)
    message = smtp.messages[0]
    # The reference is random letters: it may hold "SN" by chance, and it is no secret.
    reference = Referral.objects.get().reference
    text = (message["body"] + message["subject"]).replace(reference, "")
    for secret in ("P-SECRET9", "Wolof", "Senegal", "Sénégal", "SN"):
        assert secret not in text


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
def test_each_message_is_in_its_recipients_language(
    smtp, desk_client, catalogue, partner_user, language, django_capture_on_commit_callbacks
):
    prefer(partner_user, language)
    with django_capture_on_commit_callbacks(execute=True):
        refer(desk_client, catalogue)
    referral = Referral.objects.get()
    with translation.override(language):
        expected = gettext("New referral %(reference)s for your association") % {
            "reference": referral.reference
        }
        service_name = referral.service.name
    assert smtp.messages[0]["subject"] == f"[Guichet] {expected}"
    assert service_name in smtp.messages[0]["body"]
    assert f"/{language}/desk/referrals/{referral.reference}/" in smtp.messages[0]["body"]


def test_every_message_is_recorded_without_its_body(
    smtp, desk_client, catalogue, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refer(desk_client, catalogue)
    record = Notification.objects.get()
    assert (record.recipient, record.referral, record.kind) == (
        partner_user,
        Referral.objects.get(),
        Kind.NEW,
    )
    assert record.sent_at is not None and record.attempts == 1
    assert not any("body" in field.name for field in Notification._meta.fields)


def test_staff_who_opted_out_get_nothing(
    smtp, desk_client, catalogue, partner_user, django_capture_on_commit_callbacks
):
    prefer(partner_user, wanted=False)
    with django_capture_on_commit_callbacks(execute=True):
        refer(desk_client, catalogue)
    assert smtp.messages == [] and not Notification.objects.exists()


def test_staff_without_an_address_get_nothing_and_the_referral_is_saved(
    smtp, desk_client, catalogue, partner_user, django_capture_on_commit_callbacks
):
    partner_user.email = ""
    partner_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = refer(desk_client, catalogue)
    assert response.status_code == 302 and Referral.objects.count() == 1
    assert smtp.messages == []


@pytest.mark.parametrize(
    ("moves", "kind"),
    [
        (["accepted"], Kind.ACCEPTED),
        (["declined"], Kind.DECLINED),
        (["accepted", "completed"], Kind.CLOSED),
        (["accepted", "not_completed"], Kind.CLOSED),
    ],
)
def test_the_desk_author_is_told_of_the_answer(
    smtp,
    client,
    referral,
    desk_user,
    partner_user,
    moves,
    kind,
    django_capture_on_commit_callbacks,
):
    client.force_login(partner_user)
    for to_status in moves:
        referral.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/en/desk/referrals/{referral.reference}/status/",
                {"to_status": to_status, "version": referral.version, "reason": "no_capacity"},
            )
    record = Notification.objects.get(kind=kind)
    assert record.recipient == desk_user and record.sent_at is not None
    assert smtp.messages[-1]["to"] == [desk_user.email]


def test_the_association_is_told_of_a_cancellation(
    smtp, desk_client, referral, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        desk_client.post(
            f"/en/desk/referrals/{referral.reference}/status/",
            {"to_status": "cancelled", "version": 1, "confirmed": "on"},
        )
    assert Notification.objects.get(kind=Kind.CANCELLED).recipient == partner_user
    assert smtp.messages[0]["to"] == [partner_user.email]


def test_smtp_down_the_referral_is_saved_the_failure_logged_and_retried(
    settings, desk_client, catalogue, partner_user, caplog, django_capture_on_commit_callbacks
):
    use_smtp(settings, free_port())  # nothing listens there
    logged = caplog.at_level(logging.WARNING, logger="referrals.notifications")
    with logged, django_capture_on_commit_callbacks(execute=True):
        response = refer(desk_client, catalogue)
    assert response.status_code == 302 and Referral.objects.count() == 1
    record = Notification.objects.get()
    assert record.sent_at is None and record.attempts == 1 and record.last_error
    assert "not sent" in caplog.text

    server = SmtpServer()
    server.start()
    try:
        use_smtp(settings, server.port)
        call_command("send_reminders")
    finally:
        server.stop()
    record.refresh_from_db()
    assert record.sent_at is not None and len(server.messages) == 1


def test_an_address_the_server_refuses_is_recorded_as_a_failure(
    smtp, desk_client, catalogue, partner_user, django_capture_on_commit_callbacks
):
    partner_user.email = "bounce@example.org"
    partner_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = refer(desk_client, catalogue)
    record = Notification.objects.get()
    assert response.status_code == 302 and record.sent_at is None
    assert record.last_error == "SMTPRecipientsRefused"


def test_a_message_is_never_recorded_twice(referral, partner_user):
    from referrals.notifications import notify

    notify(referral, Kind.NEW)
    notify(referral, Kind.NEW)
    assert Notification.objects.filter(kind=Kind.NEW).count() == 1


# --- Reminders ----------------------------------------------------------------------


def test_working_days_skip_the_weekend():
    friday = date(2026, 11, 27)
    assert add_working_days(friday, 3) == date(2026, 12, 2)  # Wednesday
    assert add_working_days(date(2026, 11, 23), 3) == date(2026, 11, 26)  # Monday → Thursday


def sent_on(referral, day: date) -> None:
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))
    Referral.objects.filter(pk=referral.pk).update(created_at=moment)
    referral.refresh_from_db()


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=7)))


def test_an_unanswered_referral_is_reminded_after_three_working_days(smtp, referral, partner_user):
    sent_on(referral, date(2026, 11, 27))  # a Friday
    assert answer_due_on(referral) == date(2026, 12, 2)
    assert send_reminders(now=at(date(2026, 12, 1)))["unanswered"] == 0  # Tuesday: not yet
    assert send_reminders(now=at(date(2026, 12, 2)))["unanswered"] == 1
    record = Notification.objects.get(kind=Kind.UNANSWERED)
    assert record.recipient == partner_user and record.sent_at is not None
    assert len(smtp.messages) == 1 and referral.reference in smtp.messages[0]["subject"]


def test_reminders_are_idempotent(smtp, referral, partner_user, desk_user):
    sent_on(referral, date(2026, 11, 23))
    Referral.objects.filter(pk=referral.pk).update(follow_up_on=date(2026, 11, 30))
    first = send_reminders(now=at(date(2026, 12, 1)))
    second = send_reminders(now=at(date(2026, 12, 1)))
    assert (first["unanswered"], first["follow_up"]) == (1, 1)
    assert (second["unanswered"], second["follow_up"]) == (0, 0)
    assert len(smtp.messages) == 2


def test_the_desk_is_reminded_of_a_follow_up_date_reached(smtp, make_referral, desk_user):
    referral = make_referral(status="accepted")
    Referral.objects.filter(pk=referral.pk).update(follow_up_on=timezone.localdate())
    call_command("send_reminders")
    record = Notification.objects.get(kind=Kind.FOLLOW_UP)
    assert record.recipient == desk_user and record.due_on == timezone.localdate()
    assert smtp.messages[0]["to"] == [desk_user.email]


def test_closed_and_answered_referrals_get_no_reminder(smtp, make_referral):
    for status in ("accepted", "completed", "cancelled"):
        referral = make_referral(status=status)
        sent_on(referral, timezone.localdate() - timedelta(days=30))
    assert send_reminders()["unanswered"] == 0 and smtp.messages == []


def test_a_message_that_keeps_failing_is_given_up_after_five_attempts(
    settings, referral, partner_user
):
    use_smtp(settings, free_port())
    sent_on(referral, timezone.localdate() - timedelta(days=10))
    for _ in range(7):
        send_reminders()
    record = Notification.objects.get()
    assert record.attempts == 5 and record.sent_at is None


# --- Preferences ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
def test_staff_choose_the_language_of_their_emails(client, partner_user, language):
    client.force_login(partner_user)
    page = client.get(f"/{language}/desk/preferences/")
    response = client.post(
        f"/{language}/desk/preferences/", {"language": "es", "email_notifications": ""}
    )
    preferences = StaffPreferences.objects.get(user=partner_user)
    assert page.status_code == 200 and response.status_code == 302
    assert (preferences.language, preferences.email_notifications) == ("es", False)


def test_a_forged_preference_is_refused(client, partner_user):
    client.force_login(partner_user)
    response = client.post("/fr/desk/preferences/", {"language": "xx"})
    extra = client.post("/fr/desk/preferences/", {"language": "fr", "user": "1"})
    assert response.status_code == 400 and extra.status_code == 400


def test_the_preferences_page_says_when_there_is_no_address(client, partner_user):
    partner_user.email = ""
    partner_user.save()
    client.force_login(partner_user)
    html = client.get("/en/desk/preferences/").content.decode()
    assert "has no e-mail address" in html
