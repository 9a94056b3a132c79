"""One base for every model's ``visible_to(user)``, the way NetBox's ``RestrictedQuerySet`` is.

The base answers the questions every model asks the same way — an anonymous visitor sees
nothing, a superuser and the holders of the city-wide office roles see everything — and asks
the model only for its own rule: ``scope_q(user)``, a ``Q`` over the user's grants
(``user.grants``, ``user.department_ids(...)``, ``user.region_ids(...)``) or ``None`` for
"nothing". A model whose rows are private to their owner even from the office names no
city-wide roles.
"""

from django.db import models
from django.db.models import Q

from portal.models.users import CITY_ROLES


def any_of(*parts: Q | None) -> Q | None:
    """The rows any of ``parts`` allows (``None`` parts allow nothing); ``None`` if none does."""
    found = [part for part in parts if part is not None]
    if not found:
        return None
    q = found[0]
    for part in found[1:]:
        q |= part
    return q


class ScopedQuerySet(models.QuerySet):
    # Roles that see every row of the model (a superuser always does, unless ``owner_only``).
    city_wide_roles: tuple[str, ...] = tuple(CITY_ROLES)
    # Rows are their owner's alone: even a superuser sees only their own.
    owner_only = False

    def visible_to(self, user) -> "ScopedQuerySet":
        if user is None or not user.is_authenticated:
            return self.none()
        if not self.owner_only and (
            user.is_superuser or (self.city_wide_roles and user.has_role(*self.city_wide_roles))
        ):
            return self.city_wide(user)
        q = self.scope_q(user)
        if q is None:
            return self.none()
        return self.filter(q)

    def city_wide(self, user) -> "ScopedQuerySet":
        """What a city-wide role sees: every row (a model may leave some out, e.g. merged-away
        records)."""
        return self.all()

    def scope_q(self, user) -> Q | None:
        """The rows ``user`` sees through their other grants; ``None``: none at all."""
        return None
