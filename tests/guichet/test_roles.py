"""The staff roles: their groups exist on every installation, once each."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from guichet import roles


@pytest.mark.django_db
def test_migrating_creates_the_group_of_every_role():
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(roles.GROUPS)


@pytest.mark.django_db
def test_the_demo_finds_the_groups_instead_of_adding_others():
    call_command("load_demo", verbosity=0)
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(roles.GROUPS)
