"""E-mails of the catalogue's upkeep, written and sent through the staff e-mail mechanism
of ``referrals.notifications`` (the recipient's language, ``SITE_URL`` links, failures
logged and never raised)."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from referrals.notifications import link, send_now, staff_email
from upkeep.models import Proposal


def footer() -> list[str]:
    """The last lines of every upkeep e-mail: why it came, where to change its language."""
    return [
        "-- ",
        _(
            "You receive this e-mail because you keep your association's information "
            "in Guichet. To change its language: %(link)s"
        )
        % {"link": link(reverse("desk:preferences"))},
    ]


def _decision(proposal: Proposal) -> tuple[str, list[str]]:
    """The message telling the proposer how the city decided, in the current language."""
    values = {"kind": proposal.get_kind_display(), "subject": proposal.subject}
    ours = _("Your proposals: %(link)s") % {"link": link(reverse("upkeep:our_services"))}
    if proposal.status == Proposal.Status.APPROVED:
        record = proposal.record
        paragraphs = [
            _("The city approved your proposal (%(kind)s) for “%(subject)s”: it is published.")
            % values
        ]
        if record is not None and hasattr(record, "get_absolute_url"):
            paragraphs.append(
                _("See the public page: %(link)s") % {"link": link(record.get_absolute_url())}
            )
        subject = _("Your proposal for “%(subject)s” was approved") % values
    else:
        paragraphs = [
            _("The city did not accept your proposal (%(kind)s) for “%(subject)s”.") % values,
            _("The reason given: %(reason)s") % {"reason": proposal.reason},
            _("You may correct it and propose again."),
        ]
        subject = _("Your proposal for “%(subject)s” was not accepted") % values
    return subject, [*paragraphs, ours, *footer()]


def tell_proposer(proposal: Proposal) -> None:
    """Once the decision commits, tell whoever made ``proposal`` (unless they decided it
    themselves: a trusted association's own publication)."""
    user = proposal.created_by
    if user.pk == proposal.decided_by_id or not user.is_active or not user.email:
        return
    pk = proposal.pk

    def send() -> None:
        decided = Proposal.objects.select_related(
            "association", "service", "location", "created_by"
        ).get(pk=pk)
        message = staff_email(decided.created_by, lambda: _decision(decided))
        send_now([message], what=f"proposal {pk} {decided.status}")

    transaction.on_commit(send)
