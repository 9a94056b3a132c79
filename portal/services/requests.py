"""Deciding a request (``portal.models.requests.DecidedRequest``) once, whoever asks at once."""

from django.db import transaction

from portal.models import DecidedRequest, User


@transaction.atomic
def decide(request: DecidedRequest, *, by: User | None, decision: str, note: str = ""):
    """Decide a pending request: lock its row, check it is still pending, record who, when,
    what and why. Of two people deciding at once one wins; the other gets ``Conflict``.

    The caller checks who may decide and what the decision sets off; ``request`` is updated in
    place and returned.
    """
    locked = type(request)._base_manager.select_for_update().get(pk=request.pk)
    fields = locked.decide(by=by, decision=decision, note=note)
    locked.save(update_fields=fields)
    for name in fields:
        setattr(request, name, getattr(locked, name))
    return request
