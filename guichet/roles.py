"""The staff roles, by the name of the Django group that grants them.

Association staff have no group: a Membership ties them to their association.
"""

DESK = "desk"
MUNICIPAL_ADMIN = "municipal admin"
