"""Every write of the catalogue's upkeep, each in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from guichet import roles
from services.models import Service
from upkeep.models import ProblemReport, Verification


@transaction.atomic
def report_create(*, service: Service, kind: str, text: str, language: str) -> ProblemReport:
    """Record a visitor's report that ``service``'s information is wrong."""
    report = ProblemReport(service=service, kind=kind, text=text.strip(), language=language)
    report.full_clean()
    report.save()
    return report


def can_handle_report(user, report: ProblemReport) -> bool:
    """The association's staff and the municipal admins handle a report."""
    return roles.is_municipal_admin(user) or (
        report.service.association_id in roles.association_ids(user)
    )


@transaction.atomic
def report_close(*, report: ProblemReport, by, resolution: str, note: str = "") -> bool:
    """Close ``report``, recording who closed it and how; return False when someone
    already had (a double click, two people at once): it is left as they closed it."""
    if not can_handle_report(by, report):
        raise PermissionDenied
    report = ProblemReport.objects.select_for_update().get(pk=report.pk)
    if report.status == ProblemReport.Status.CLOSED:
        return False
    report.status = ProblemReport.Status.CLOSED
    report.resolution = resolution
    report.closing_note = note.strip()
    report.closed_by = by
    report.closed_at = timezone.now()
    report.full_clean()
    report.save()
    return True


@transaction.atomic
def service_confirm(*, service: Service, by) -> Verification:
    """Record that ``by`` confirmed ``service`` unchanged: it is verified today."""
    if service.association_id not in roles.association_ids(by):
        raise PermissionDenied
    today = timezone.localdate()
    Service.objects.filter(pk=service.pk).update(last_verified_on=today)
    service.last_verified_on = today
    return Verification.objects.create(service=service, by=by)
