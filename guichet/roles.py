"""The staff roles, by the name of the Django group that grants them.

Association staff have no group: a Membership ties them to their association.
"""

DESK = "desk"
MUNICIPAL_ADMIN = "municipal admin"


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
