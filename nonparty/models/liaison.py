"""Liaison (联谊交友): a cadre linked to people, one-to-one or one-to-many, with dates; a
handover moves a cadre's people to another cadre and keeps the history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nonparty.models.people import Person, PersonScopedQuerySet


class LiaisonQuerySet(PersonScopedQuerySet):
    def current(self):
        return self.filter(ends_on__isnull=True)


class Handover(models.Model):
    """A cadre's people moved to another cadre on a day (交接)."""

    from_cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from cadre"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to cadre"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField(_("handed over on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    people_count = models.PositiveIntegerField(_("people handed over"), default=0)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    class Meta:
        verbose_name = _("handover (交接)")
        verbose_name_plural = _("handovers")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_cadre=models.F("to_cadre")), name="nonparty_handover_two_cadres"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_cadre} → {self.to_cadre} ({self.on})"


class Liaison(models.Model):
    """A cadre's link to a person from ``starts_on`` until ``ends_on`` (open: current)."""

    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison cadre"),
        on_delete=models.PROTECT,
        related_name="nonparty_liaisons",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="liaisons"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    handover_in = models.ForeignKey(
        Handover,
        verbose_name=_("started by handover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="started",
    )
    handover_out = models.ForeignKey(
        Handover,
        verbose_name=_("ended by handover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ended",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    objects = LiaisonQuerySet.as_manager()

    class Meta:
        verbose_name = _("liaison (联络)")
        verbose_name_plural = _("liaisons")
        ordering = ["person_id", "-starts_on", "-pk"]
        indexes = [
            models.Index(
                fields=["cadre", "person"],
                condition=Q(ends_on__isnull=True),
                name="nonparty_liaison_current",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ends_on__isnull=True),
                name="nonparty_one_current_liaison_per_person",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="nonparty_liaison_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.person}"
