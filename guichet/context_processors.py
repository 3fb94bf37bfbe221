from django.http import HttpRequest

from guichet import desk as desk_info
from guichet import roles


def desk(request: HttpRequest) -> dict:
    """Expose the desk's name, address, hours and emergency numbers to every template."""
    return {
        "desk": {
            "name": desk_info.NAME,
            "city": desk_info.CITY,
            "address": desk_info.ADDRESS,
            "hours": desk_info.HOURS,
            "phone": desk_info.PHONE,
            "emergency_numbers": desk_info.EMERGENCY_NUMBERS,
        }
    }


def staff(request: HttpRequest) -> dict:
    """What the staff menu offers; nothing (and no query) for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_see_stats": False}
    return {"can_see_stats": roles.is_desk(user) or roles.is_municipal_admin(user)}
