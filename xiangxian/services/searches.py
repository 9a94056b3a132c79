"""Keeping screenings: save one under a name (again under the same name replaces it), delete
one's own."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from portal.models import User
from portal.validators import clean_text
from xiangxian.models import SavedSearch

# The list's parameters a search keeps (never the page number).
PARAMS = ("q", "sector", "hometown", "away", "key", "tags")


def saved_search_save(*, owner: User, name: str, params: QueryDict, shared: bool) -> SavedSearch:
    """Keep the screening ``params`` as ``name``; the same name again replaces the filters."""
    name = clean_text(name, field="name", max_length=60, required=_("Name the search."))
    kept = {key: params.getlist(key) for key in PARAMS if any(params.getlist(key))}
    if not kept:
        raise ValidationError({"name": [_("Choose at least one criterion before saving.")]})
    search, _created = SavedSearch.objects.update_or_create(
        owner=owner, name=name, defaults={"params": kept, "shared": shared}
    )
    return search


@transaction.atomic
def saved_search_delete(*, search: SavedSearch, actor: User) -> None:
    """Only the one who saved a search deletes it; colleagues may only open it."""
    if search.owner_id != actor.pk:
        raise PermissionDenied
    search.delete()
