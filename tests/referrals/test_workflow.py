"""The status workflow after Primero: who may make which move; every other move refused."""

import pytest

from referrals.models import AccessLog, Referral, ReferralEvent
from referrals.workflow import (
    MOVES,
    Conflict,
    NotAllowed,
    WorkflowError,
    referral_set_follow_up,
    referral_transition,
)

S = Referral.Status
LEGAL = [
    (S.SENT, S.ACCEPTED, "partner"),
    (S.SENT, S.DECLINED, "partner"),
    (S.SENT, S.CANCELLED, "desk"),
    (S.ACCEPTED, S.COMPLETED, "partner"),
    (S.ACCEPTED, S.NOT_COMPLETED, "partner"),
    (S.ACCEPTED, S.CANCELLED, "desk"),
]
ALL_MOVES = [(a, b) for a in S.values for b in S.values if a != b]


@pytest.fixture
def actors(desk_user, partner_user, other_partner, municipal_admin):
    return {
        "desk": desk_user,
        "partner": partner_user,
        "other": other_partner,
        "admin": municipal_admin,
    }


def post_move(client, referral, to_status, note="a reason", version=None):
    return client.post(
        f"/en/desk/referrals/{referral.reference}/status/",
        {
            "to_status": to_status,
            "version": version or referral.version,
            "note": note,
            "reason": "other",
            "confirmed": "on",
        },
    )


@pytest.mark.parametrize(("start", "target", "actor"), LEGAL)
def test_legal_move_is_made_and_recorded(client, make_referral, actors, start, target, actor):
    referral = make_referral(status=start)
    client.force_login(actors[actor])
    response = post_move(client, referral, target)
    referral.refresh_from_db()
    assert response.status_code == 302 and referral.status == target
    event = ReferralEvent.objects.filter(referral=referral).last()
    assert (event.from_status, event.to_status, event.by) == (start, target, actors[actor])


@pytest.mark.parametrize(
    ("start", "target"), [m for m in ALL_MOVES if (m[0], m[1]) not in {(a, b) for a, b, _ in LEGAL}]
)
def test_illegal_move_is_refused_and_changes_nothing(client, make_referral, actors, start, target):
    referral = make_referral(status=start)
    for actor in ("desk", "partner"):
        client.force_login(actors[actor])
        response = post_move(client, referral, target)
        assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == start and referral.version == 1


@pytest.mark.parametrize(("start", "target", "actor"), LEGAL)
def test_the_wrong_role_cannot_make_a_legal_move(
    client, make_referral, actors, start, target, actor
):
    referral = make_referral(status=start)
    wrong = "partner" if actor == "desk" else "desk"
    client.force_login(actors[wrong])
    response = post_move(client, referral, target)
    referral.refresh_from_db()
    assert response.status_code == 403 and referral.status == start


def test_another_association_cannot_answer(client, referral, actors):
    client.force_login(actors["other"])
    assert post_move(client, referral, S.ACCEPTED).status_code == 404
    referral.refresh_from_db()
    assert referral.status == S.SENT


def test_refusal_gives_a_clear_message(client, make_referral, actors):
    referral = make_referral(status=S.COMPLETED)
    client.force_login(actors["partner"])
    html = post_move(client, referral, S.ACCEPTED).content.decode()
    assert "cannot become" in html


@pytest.mark.parametrize("target", [S.DECLINED, S.NOT_COMPLETED])
def test_declining_or_not_completing_needs_a_reason(client, make_referral, actors, target):
    referral = make_referral(status=S.SENT if target == S.DECLINED else S.ACCEPTED)
    client.force_login(actors["partner"])
    response = post_move(client, referral, target, note="  ")
    referral.refresh_from_db()
    assert response.status_code == 400 and referral.status != target


def test_the_reason_is_kept(client, referral, actors):
    client.force_login(actors["partner"])
    post_move(client, referral, S.DECLINED, note="No places until January")
    referral.refresh_from_db()
    assert referral.outcome_reason == "No places until January" and referral.closed_at


def test_a_stale_version_is_refused_as_a_conflict(client, referral, actors):
    client.force_login(actors["partner"])
    post_move(client, referral, S.ACCEPTED)  # version 1 -> 2
    client.force_login(actors["desk"])
    response = post_move(client, referral, S.CANCELLED, version=1)
    referral.refresh_from_db()
    assert response.status_code == 409 and referral.status == S.ACCEPTED
    assert "Someone changed this referral" in response.content.decode()


def test_concurrent_changes_the_second_is_told_and_nothing_is_lost(referral, actors):
    first = Referral.objects.get(pk=referral.pk)
    second = Referral.objects.get(pk=referral.pk)
    referral_transition(referral=first, to_status=S.ACCEPTED, by=actors["partner"], version=1)
    with pytest.raises(Conflict):
        referral_transition(
            referral=second,
            to_status=S.DECLINED,
            by=actors["partner"],
            version=1,
            reason_code="no_capacity",
        )
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED and referral.events.count() == 2


def test_a_forged_unknown_status_is_refused(client, referral, actors):
    client.force_login(actors["partner"])
    assert post_move(client, referral, "approved").status_code == 400


def test_extra_fields_in_a_status_change_are_refused(client, referral, actors):
    client.force_login(actors["partner"])
    response = client.post(
        f"/en/desk/referrals/{referral.reference}/status/",
        {"to_status": "accepted", "version": 1, "note": "", "association": 999},
    )
    referral.refresh_from_db()
    assert response.status_code == 400 and referral.status == S.SENT


def test_every_change_writes_an_access_log_row(client, referral, actors):
    client.force_login(actors["partner"])
    post_move(client, referral, S.ACCEPTED)
    row = AccessLog.objects.filter(action=AccessLog.Action.CHANGE).get()
    assert (row.user, row.referral) == (actors["partner"], referral)


def test_workflow_function_refuses_without_http(referral, actors):
    with pytest.raises(NotAllowed):
        referral_transition(referral=referral, to_status=S.ACCEPTED, by=actors["desk"], version=1)
    with pytest.raises(WorkflowError):
        referral_transition(
            referral=referral, to_status=S.DECLINED, by=actors["partner"], version=1
        )


def test_a_closed_referral_gets_no_follow_up_date(client, make_referral, actors):
    referral = make_referral(status=S.COMPLETED)
    client.force_login(actors["desk"])
    response = client.post(
        f"/en/desk/referrals/{referral.reference}/follow-up/",
        {"follow_up_on": "2026-12-01", "version": referral.version},
    )
    referral.refresh_from_db()
    assert response.status_code == 400 and referral.follow_up_on is None


def test_a_refused_change_still_logs_that_the_referral_was_seen(client, make_referral, actors):
    referral = make_referral(status=S.COMPLETED)
    client.force_login(actors["partner"])
    post_move(client, referral, S.ACCEPTED)
    assert AccessLog.objects.filter(
        action="view", referral=referral, user=actors["partner"]
    ).exists()


def test_an_unreadable_change_still_logs_that_the_referral_was_seen(client, referral, actors):
    client.force_login(actors["partner"])
    assert post_move(client, referral, "approved").status_code == 400
    assert AccessLog.objects.filter(
        action="view", referral=referral, user=actors["partner"]
    ).exists()


def test_every_conflict_tells_the_same_message(referral, actors):
    """A stale status change and a stale follow-up date are refused alike."""
    referral_transition(referral=referral, to_status=S.ACCEPTED, by=actors["partner"], version=1)
    stale = Referral.objects.get(pk=referral.pk)
    with pytest.raises(Conflict) as status_change:
        referral_transition(referral=stale, to_status=S.CANCELLED, by=actors["desk"], version=1)
    with pytest.raises(Conflict) as follow_up:
        referral_set_follow_up(referral=stale, follow_up_on=None, by=actors["desk"], version=1)
    assert str(status_change.value.message) == str(follow_up.value.message)
    assert "Someone changed this referral" in str(follow_up.value.message)


@pytest.mark.parametrize(("start", "target", "actor"), LEGAL)
def test_each_move_is_offered_as_the_workflow_names_it(
    client, make_referral, actors, start, target, actor
):
    move = MOVES[(start, target)]
    client.force_login(actors[actor])
    reference = make_referral(status=start).reference
    html = client.get(f"/en/desk/referrals/{reference}/").content.decode()
    if target == S.CANCELLED:
        # Cancelling goes through a confirmation page (test_cancel.py).
        link = f'<a class="button secondary" href="/en/desk/referrals/{reference}/cancel/">'
        assert f"{link}{move.label}</a>" in html
        return
    button = '<button type="submit"' + (' class="secondary"' if move.secondary else "") + ">"
    assert f'value="{target}"' in html and f"{button}{move.label}</button>" in html
