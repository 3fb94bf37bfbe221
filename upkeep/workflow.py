"""Every write of the catalogue's upkeep, each in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from associations.models import Association, Location
from guichet import roles
from services.models import Service
from upkeep import emails, proposals
from upkeep.models import ProblemReport, Proposal, Verification


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


# --- Proposals ----------------------------------------------------------------------


class AlreadyDecided(Exception):
    """Someone decided on the proposal first (approving twice, at once or not)."""


class NothingChanged(ValidationError):
    """A proposal that would change nothing: not an error of the person, nothing to record."""


class Conflict(Exception):
    """The record changed since the proposal was made, on the fields it changes."""

    def __init__(self, rows):
        super().__init__("the record changed since the proposal was made")
        self.rows = rows


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "service"
    slug, number = base, 2
    while Service.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _locked_record(*, association, kind: str, service, location):
    """The record a proposal of ``kind`` changes, locked, checked to be ``association``'s
    own (or itself); None for a record the proposal would create."""
    if kind in Proposal.CREATING:
        return None
    if kind == Proposal.Kind.ASSOCIATION:
        return type(association).objects.select_for_update().get(pk=association.pk)
    record = service if kind in Proposal.ABOUT_A_SERVICE else location
    if record is None or record.association_id != association.pk:
        raise PermissionDenied
    return type(record).objects.select_for_update().get(pk=record.pk)


@transaction.atomic
def proposal_create(
    *,
    association,
    by,
    kind: str,
    proposed: dict,
    service: Service | None = None,
    location=None,
    message: str = "",
) -> Proposal:
    """Record what ``by`` proposes: a change to ``service``, ``location`` or the
    ``association`` itself, a new service or location of ``association``, a closing.

    Only the fields of the record's ``proposals.Shape`` are kept (``status`` alone for a
    closing), so a forged field never reaches the catalogue. A trusted association's
    proposal is applied at once, and stays recorded.
    """
    if association.pk not in roles.association_ids(by):
        raise PermissionDenied
    if kind not in Proposal.Kind.values:
        raise ValidationError(_("Unknown kind of proposal."))
    record = _locked_record(association=association, kind=kind, service=service, location=location)
    base = proposals.snapshot(record) if record is not None else {}
    allowed = {"status"} if kind == Proposal.Kind.CLOSE else set(Proposal(kind=kind).shape.fields)
    proposed = {name: value for name, value in proposed.items() if name in allowed}
    if record is not None and all(base.get(k) == v for k, v in proposed.items()):
        raise NothingChanged(_("Nothing was changed: there is nothing to propose."))
    proposals.check(record or _new_record(kind, association, proposed), proposed)
    proposal = Proposal(
        association=association,
        service=record if kind in (Proposal.Kind.CHANGE, Proposal.Kind.CLOSE) else None,
        location=record if kind == Proposal.Kind.LOCATION else None,
        kind=kind,
        proposed=proposed,
        base={name: base[name] for name in proposed if name in base},
        message=message.strip(),
        created_by=by,
    )
    proposal.full_clean()
    proposal.save()
    if association.proposals_trusted:
        _apply(proposal, by=by, despite_conflict=False)
        proposal.published_at_once = True
        proposal.save(update_fields=["published_at_once"])
    return proposal


def _new_record(kind: str, association, proposed: dict):
    """The unsaved record a creating proposal makes, before its values are applied."""
    if kind == Proposal.Kind.NEW:
        return Service(
            association=association,
            slug=_unique_slug(proposed.get("name_fr", "")),
            status=Service.Status.ACTIVE,
        )
    return Location(association=association)


def _apply(proposal: Proposal, *, by, despite_conflict: bool) -> None:
    """Write the proposal to the catalogue and mark it approved (in the caller's
    transaction, the proposal row locked)."""
    today = timezone.localdate()
    if proposal.creates:
        record = _new_record(proposal.kind, proposal.association, proposal.proposed)
        changes = proposal.proposed
    else:
        record = type(proposal.record).objects.select_for_update().get(pk=proposal.record.pk)
        current = proposals.snapshot(record)
        conflicting = proposals.conflicts(proposal, current)
        if conflicting and not despite_conflict:
            raise Conflict(conflicting)
        # Only what the proposal changes: an admin's edit of another field since stays.
        changes = {
            name: value
            for name, value in proposal.proposed.items()
            if value != proposal.base.get(name)
        }
        proposal.applied_despite_conflict = bool(conflicting)
    if isinstance(record, (Service, Association)):
        record.last_verified_on = today  # the association just looked at it
    proposals.apply(record, changes)
    if isinstance(record, Service):
        proposal.service = record
        Verification.objects.create(service=record, by=by, how=Verification.How.PROPOSAL)
    elif isinstance(record, Location):
        proposal.location = record
    proposal.status = Proposal.Status.APPROVED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save()


@transaction.atomic
def proposal_approve(*, proposal: Proposal, by, despite_conflict: bool = False) -> Proposal:
    """Apply a pending proposal in one transaction: the service, its hours, its
    ``last_verified_on``; the search index follows (database triggers).

    Raises ``AlreadyDecided`` when someone decided first (two admins approving at once
    wait for each other on the proposal's row) and ``Conflict`` when the record changed
    since, unless ``despite_conflict`` says the admin compared and applies anyway.
    """
    if not roles.is_municipal_admin(by):
        raise PermissionDenied
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("association", "service", "location")
        .get(pk=proposal.pk)
    )
    if proposal.status != Proposal.Status.PENDING:
        raise AlreadyDecided
    _apply(proposal, by=by, despite_conflict=despite_conflict)
    emails.tell_proposer(proposal)
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: Proposal, by, reason: str) -> Proposal:
    if not roles.is_municipal_admin(by):
        raise PermissionDenied
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.PENDING:
        raise AlreadyDecided
    proposal.status = Proposal.Status.REJECTED
    proposal.reason = reason.strip()
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.full_clean()
    proposal.save()
    emails.tell_proposer(proposal)
    return proposal
