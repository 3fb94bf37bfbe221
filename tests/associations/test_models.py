import pytest
from django.db import IntegrityError

from associations.models import Location
from tests import factories


def test_a_location_needs_both_coordinates_or_neither(db):
    owner = factories.association()
    with pytest.raises(IntegrityError):
        Location.objects.create(
            association=owner, name_fr="Bureau", address_fr="1 rue", latitude=35.7
        )


def test_slugs_are_unique(db):
    factories.association("same")
    with pytest.raises(IntegrityError):
        factories.association("same")
