"""The staff roles, by the name of the Django group that grants them, and the
checks the staff pages make with them.

Association staff have no group: a Membership ties them to their association.
The groups themselves are created by a data migration (guichet/migrations).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

DESK = "desk"
MUNICIPAL_ADMIN = "municipal admin"
# Holds "manage staff access" (referrals/staff_access.py); created by referrals 0007.
STAFF_ACCESS = "staff access"
GROUPS = (DESK, MUNICIPAL_ADMIN)


def _roles(user) -> dict:
    """Read the user's groups and memberships once per user object (two queries)."""
    cached = getattr(user, "_guichet_roles", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        cached = {"groups": set(), "associations": set()}
    else:
        cached = {
            "groups": set(user.groups.values_list("name", flat=True)),
            "associations": set(user.memberships.values_list("association_id", flat=True)),
        }
    user._guichet_roles = cached
    return cached


def is_desk(user) -> bool:
    return DESK in _roles(user)["groups"]


def is_municipal_admin(user) -> bool:
    return MUNICIPAL_ADMIN in _roles(user)["groups"] or bool(
        getattr(user, "is_superuser", False) and user.is_active
    )


def association_ids(user) -> set[int]:
    """The associations whose staff ``user`` is."""
    return _roles(user)["associations"]


def is_staff_member(user) -> bool:
    """Whether ``user`` has any role in the staff area."""
    return is_desk(user) or bool(association_ids(user)) or is_municipal_admin(user)


def staff_page(view):
    """Log-in required, a staff role required, and never cached anywhere."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise PermissionDenied
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        return response

    return wrapper


def require_desk(user) -> None:
    """Refuse (403) anyone but desk staff."""
    if not is_desk(user):
        raise PermissionDenied
