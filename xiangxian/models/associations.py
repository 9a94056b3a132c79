"""Associations of xiangxian (寓外名医联谊会 …): their officers by term and their members."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.scoping import ScopedQuerySet
from xiangxian.models.people import REGISTRY_ROLES, Xiangxian


class AssociationQuerySet(ScopedQuerySet):
    """Associations are read by whoever sees the registry."""

    city_wide_roles = REGISTRY_ROLES


class Association(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        verbose_name = _("association (联谊会)")
        verbose_name_plural = _("associations")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Post(models.TextChoices):
    PRESIDENT = "president", _("President (会长)")
    VICE_PRESIDENT = "vice_president", _("Vice-president (副会长)")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general (秘书长)")
    DEPUTY_SECRETARY_GENERAL = "deputy_secretary", _("Deputy secretary-general (副秘书长)")
    DIRECTOR = "director", _("Director (理事)")


# Posts one person holds at a time; the others may have several holders at once.
SINGLE_POSTS = (Post.PRESIDENT, Post.SECRETARY_GENERAL)


class _ThroughPersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rows about a person follow the person's rule (and the association's)."""
        return self.filter(
            xiangxian__in=Xiangxian.objects.visible_to(user),
            association__in=Association.objects.visible_to(user),
        )


class AssociationOfficer(models.Model):
    """A person holding a post in an association for a term (open while it lasts)."""

    association = models.ForeignKey(
        Association,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="officers",
    )
    xiangxian = models.ForeignKey(
        Xiangxian, verbose_name=_("xiangxian"), on_delete=models.PROTECT, related_name="posts"
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"), null=True, blank=True)

    objects = _ThroughPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("officer of an association")
        verbose_name_plural = _("officers of associations")
        ordering = ["association", "post", "-term_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="xx_officer_term_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["association", "post"],
                condition=Q(term_end__isnull=True) & Q(post__in=SINGLE_POSTS),
                name="xx_officer_one_current_per_single_post",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association} · {self.get_post_display()}"


class AssociationMembership(models.Model):
    association = models.ForeignKey(
        Association,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    xiangxian = models.ForeignKey(
        Xiangxian,
        verbose_name=_("xiangxian"),
        on_delete=models.PROTECT,
        related_name="association_memberships",
    )
    joined_on = models.DateField(_("joined on"))

    objects = _ThroughPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("member of an association")
        verbose_name_plural = _("members of associations")
        ordering = ["association", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "xiangxian"], name="xx_membership_once_per_association"
            )
        ]

    def __str__(self) -> str:
        return f"{self.association} · {self.xiangxian}"
