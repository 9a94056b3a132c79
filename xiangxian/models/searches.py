"""Saved screenings (乡贤通): a search someone keeps, and may share with colleagues."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.scoping import ScopedQuerySet
from xiangxian.models.people import REGISTRY_ROLES


class SavedSearchQuerySet(ScopedQuerySet):
    # Even the office sees only its own searches and the shared ones.
    city_wide_roles = ()

    def scope_q(self, user):
        """One's own searches, and those colleagues shared, for whoever sees the registry."""
        if not user.has_role(*REGISTRY_ROLES):
            return None
        return Q(owner=user) | Q(shared=True)


class SavedSearch(models.Model):
    """A screening kept under a name: its filters as the list's query string parameters."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=60)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    shared = models.BooleanField(
        _("shared with colleagues"),
        default=True,
        help_text=_("Colleagues who see the registry can open it too."),
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved screening")
        verbose_name_plural = _("saved screenings")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name
