from django.http import HttpRequest

from guichet import desk as desk_info


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
