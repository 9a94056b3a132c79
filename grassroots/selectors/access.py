"""Who may do what with the grassroots units."""

from grassroots.models import CITY_ROLES, EDITOR_ROLES, READER_ROLES
from portal.models import Role, User


def can_see_units(user: User) -> bool:
    """Lists answer 403 to everyone else (objects 404, through ``visible_to``)."""
    return user.has_role(*READER_ROLES)


def can_edit_units(user: User) -> bool:
    """Units and duty lists are the office's (leaders read only)."""
    return user.has_role(*EDITOR_ROLES)


def is_office(user: User) -> bool:
    return user.has_role(*CITY_ROLES)


def is_county_staff(user: User) -> bool:
    return user.has_role(Role.COUNTY_STAFF)


def can_record(user: User, unit) -> bool:
    """Who records a duty of a unit they see: its person in charge, county staff, the office
    (leaders read only)."""
    return unit.in_charge_id == user.pk or user.has_role(*EDITOR_ROLES, Role.COUNTY_STAFF)
