"""Recognition batches (认定批次): the people recognised together, and the batch's profile,
frozen when the batch is approved so that later edits do not rewrite history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nonparty.models.people import ARCHIVE_ROLES, CITY_ROLES, Person, PersonScopedQuerySet
from portal.scoping import ScopedQuerySet


class BatchQuerySet(ScopedQuerySet):
    """Batches and their figures (counts and shares, no one's record) are read by everyone who
    works with the archive; the people listed on a batch's page stay scoped."""

    city_wide_roles = CITY_ROLES

    def scope_q(self, user):
        return Q() if user.has_role(*ARCHIVE_ROLES) else None


class Batch(models.Model):
    """A batch of people recognised together (认定批次) by an approving body."""

    name = models.CharField(_("name"), max_length=100)
    recognised_on = models.DateField(_("recognised on"))
    approving_body = models.CharField(_("approving body"), max_length=100, blank=True)
    people = models.ManyToManyField(
        Person, through="BatchMembership", related_name="batches", verbose_name=_("people")
    )
    # The profile frozen on approval (``nonparty.selectors.batch_profile``), as JSON.
    profile = models.JSONField(_("approved profile"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition batch (认定批次)")
        verbose_name_plural = _("recognition batches")
        ordering = ["-recognised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(profile__isnull=False),
                name="nonparty_batch_approved_has_profile",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def frozen(self) -> bool:
        return self.approved_at is not None


class BatchMembership(models.Model):
    """A person in a batch; a person is recognised in one batch only."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="batch_memberships",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch membership")
        verbose_name_plural = _("batch memberships")
        constraints = [
            models.UniqueConstraint(fields=["person"], name="nonparty_one_batch_per_person"),
        ]
        indexes = [models.Index(fields=["batch", "person"], name="nonparty_batch_person")]

    def __str__(self) -> str:
        return f"{self.batch} · {self.person}"
