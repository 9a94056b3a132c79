"""Grassroots united front (基层统战): units in six domains, their duty lists and records, and
the scored index. Each area of the app keeps its models in a module of its own."""

from grassroots.models.units import CITY_ROLES, EDITOR_ROLES, READER_ROLES, Domain, Unit

__all__ = [
    "CITY_ROLES",
    "EDITOR_ROLES",
    "READER_ROLES",
    "Domain",
    "Unit",
]
