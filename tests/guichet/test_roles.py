"""The staff roles: their groups exist on every installation, and the demo adds none."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from guichet import roles


def group_names() -> set[str]:
    return set(Group.objects.values_list("name", flat=True))


@pytest.mark.django_db
def test_migrating_creates_the_group_of_every_role():
    assert set(roles.GROUPS) <= group_names()


@pytest.mark.django_db
def test_the_demo_finds_the_groups_instead_of_adding_others():
    migrated = group_names()
    call_command("load_demo", verbosity=0)
    assert group_names() == migrated
