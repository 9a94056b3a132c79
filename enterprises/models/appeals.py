"""The appeal loop (企呼我应): appeals, their routing, clock stops, extensions and timeline.

State lives in columns the lists and figures can index; history lives in ``AppealEvent``,
which is append-only. Status changes happen only in ``enterprises.services.appeals``
through the appeal lifecycle in ``enterprises.lifecycles``.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enterprises.models.directory import in_counties_q, verified_enterprise_ids
from portal.models import DecidedRequest, Role, StoredFile, TimelineEvent
from portal.models.users import DEPARTMENT_ROLES
from portal.scoping import ScopedQuerySet, any_of


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    # 不予受理: not the membership's "rejected" (驳回).
    REJECTED = "rejected", pgettext_lazy("appeal status", "Rejected")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")


# Accepted and not yet answered: the statuses in which a deadline can be missed.
UNANSWERED = (Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)
# Not finished: everything a leader may still supervise.
OPEN = (Status.SUBMITTED, *UNANSWERED, Status.REPLIED)
# Statuses in which a department holds the appeal.
ROUTED = (Status.ASSIGNED, Status.IN_PROGRESS, Status.REPLIED)


class Source(models.TextChoices):
    PLATFORM = "platform", _("Online platform")
    SESSION = "session", _("Dialogue session")
    HOTLINE = "hotline", _("Hotline")
    VISIT = "visit", _("Visit")


class Priority(models.IntegerChoices):
    NORMAL = 0, _("Normal")
    HIGH = 1, _("High")
    URGENT = 2, _("Urgent")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class CloseReason(models.TextChoices):
    RATED = "rated", _("Rated by the enterprise")
    AUTO = "auto", _("No rating in time")
    MERGED = "merged", _("Merged into another appeal")


class AppealCategory(models.Model):
    """A kind of appeal with its default time limits, in working days; admins keep the list."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    guidance = models.TextField(
        _("guidance"),
        blank=True,
        help_text=_("Shown to entrepreneurs when they choose this category."),
    )
    sign_days = models.PositiveSmallIntegerField(_("sign for within (working days)"), default=1)
    handle_days = models.PositiveSmallIntegerField(_("close within (working days)"), default=10)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("appeal category")
        verbose_name_plural = _("appeal categories")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sign_days__gte=1) & Q(handle_days__gte=1),
                name="appeal_category_limits_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AppealCounter(models.Model):
    """The last number handed out per year; its row lock makes numbers gap-free and unique."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("appeal number counter")
        verbose_name_plural = _("appeal number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def co_handled_assignments(department_ids: int | Iterable[int]):
    """The assignments departments co-handle (an appeal's, when it is the one in force)."""
    if isinstance(department_ids, int):
        department_ids = [department_ids]
    return CoHandling.objects.filter(department_id__in=department_ids).values("assignment_id")


class AppealQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """Staff of the united-front department see all; a department sees what it handles
        (lead or co-handling in the assignment in force); county staff their county's
        enterprises' appeals; an entrepreneur their enterprises' appeals."""
        departments = user.department_ids(*DEPARTMENT_ROLES)
        # ``IN`` rather than a correlated ``EXISTS``: PostgreSQL hashes the department's
        # co-handling assignments once and can then read the open appeals' scope from the
        # covering index ``appeal_open_scope`` alone (bench/README.md). The lists' tally
        # (``selectors.tallied_size``) counts the same two parts.
        handled = None
        if departments:
            handled = Q(lead_department_id__in=departments) | Q(
                current_assignment_id__in=co_handled_assignments(departments)
            )
        own = None
        if user.has_role(Role.ENTREPRENEUR):
            own = Q(enterprise_id__in=verified_enterprise_ids(user))
        return any_of(handled, in_counties_q(user, "enterprise__"), own)

    def overdue(self, today=None):
        """Accepted, not yet answered and past the deadline in force."""
        today = today or timezone.localdate()
        return self.filter(status__in=UNANSWERED, due_date__lt=today)

    def counted(self):
        """Appeals that count in figures: merged repeats count once, through their target."""
        return self.filter(merged_into__isnull=True)


class Appeal(models.Model):
    """An enterprise's problem (诉求), from submission to the enterprise's rating."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="submitted_appeals",
    )
    title = models.CharField(_("title"), max_length=100)
    content = models.TextField(_("content"), max_length=5000)
    category = models.ForeignKey(
        AppealCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.PLATFORM
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    is_supervised = models.BooleanField(_("supervised (督办)"), default=False)

    lead_department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("lead department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_appeals",
    )
    current_assignment = models.ForeignKey(
        "enterprises.Assignment",
        verbose_name=_("assignment in force"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # appeal_by_assignment below covers it
    )
    # Deadlines are whole working days. ``due_date`` is the deadline in force;
    # ``original_due_date`` the same without approved extensions (both move with clock stops).
    due_date = models.DateField(_("deadline"), null=True, blank=True)
    original_due_date = models.DateField(_("original deadline"), null=True, blank=True)
    extended = models.BooleanField(_("extended"), default=False)
    awaiting_info = models.BooleanField(_("waiting for the enterprise"), default=False)
    stopped_days = models.PositiveIntegerField(_("working days the clock stopped"), default=0)
    # Working days from acceptance to closure less the clock stops, stored when the appeal
    # closes (the figures' handling time); null while open, and for merged repeats.
    handling_days = models.PositiveIntegerField(
        _("handling time (working days)"), null=True, blank=True, editable=False
    )

    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("first assigned at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    first_replied_at = models.DateTimeField(_("first replied at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(
        _("closed because"), max_length=10, choices=CloseReason.choices, blank=True
    )

    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    callback_rating = models.CharField(
        _("call-back rating"), max_length=20, choices=Rating.choices, blank=True
    )
    reply_count = models.PositiveSmallIntegerField(_("replies"), default=0)
    rehandle_count = models.PositiveSmallIntegerField(_("re-handlings"), default=0)

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_appeals",
    )
    linked = models.ManyToManyField("self", verbose_name=_("linked appeals"), blank=True)
    # A need raised at a dialogue session (source ``session``), with the host leader's
    # instruction (交办意见) recorded when it was raised.
    session = models.ForeignKey(
        "enterprises.DialogueSession",
        verbose_name=_("dialogue session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    session_instruction = models.TextField(
        _("instruction (交办意见)"), blank=True, default="", max_length=2000
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # When the deadline sweep must next look at this appeal (null: nothing can fire). Services
    # set it to "now" on every step; the sweep fires what is due and moves it to the next rung.
    next_reminder_at = models.DateTimeField(
        _("next reminder check"), null=True, blank=True, editable=False
    )

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal (诉求)")
        verbose_name_plural = _("appeals")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="appeal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="appeal_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(rating__in=["", *Rating.values])
                & Q(callback_rating__in=["", *Rating.values]),
                name="appeal_rating_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=ROUTED)
                | (Q(lead_department__isnull=False) & Q(due_date__isnull=False)),
                name="appeal_routed_has_department_and_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | Q(closed_at__isnull=False),
                name="appeal_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="appeal_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=True) | Q(source=Source.SESSION),
                name="appeal_session_source",
            ),
        ]
        indexes = [
            models.Index(fields=["-submitted_at", "-id"], name="appeal_newest"),
            models.Index(fields=["status", "-submitted_at"], name="appeal_by_status"),
            models.Index(
                fields=["lead_department", "status", "due_date"], name="appeal_department_inbox"
            ),
            models.Index(fields=["enterprise", "-submitted_at"], name="appeal_by_enterprise"),
            models.Index(
                fields=["due_date"],
                condition=Q(status__in=["accepted", "assigned", "in_progress"]),
                name="appeal_unanswered_due",
            ),
            # The open appeals' scope and sort keys, so that a department's inbox is counted
            # and paged from this small index alone (index-only scans), whatever the history.
            models.Index(
                fields=["status", "lead_department"],
                include=["current_assignment", "due_date", "priority", "submitted_at", "id"],
                condition=Q(status__in=["accepted", "assigned", "in_progress"]),
                name="appeal_open_scope",
            ),
            # The appeals a department co-handles, found from its co-handling rows and counted
            # without visiting the table (the scope's co-handling part, all statuses).
            models.Index(
                fields=["current_assignment"],
                include=["lead_department", "status"],
                name="appeal_by_assignment",
            ),
            models.Index(fields=["accepted_at"], name="appeal_by_acceptance"),
            models.Index(
                fields=["next_reminder_at"],
                condition=Q(next_reminder_at__isnull=False),
                name="appeal_reminder_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("appeals:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in UNANSWERED
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class AssignmentQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """A department sees its own routings (lead or co-handling), even of an appeal sent
        back and now led by another; everyone else the routings of the appeals they see."""
        departments = user.department_ids(*DEPARTMENT_ROLES)
        own = None
        if departments:
            own = Q(department_id__in=departments) | Q(
                pk__in=CoHandling.objects.filter(department_id__in=departments).values(
                    "assignment_id"
                )
            )
        others = Appeal.objects.visible_to(user).values("pk")
        return any_of(own, Q(appeal_id__in=others))


class Assignment(models.Model):
    """One routing of an appeal to a lead department; a returned appeal gets a new one."""

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("appeal"), on_delete=models.CASCADE, related_name="assignments"
    )
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    sign_due_date = models.DateField(_("sign for by"))
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    # Returned within one working day of assignment: a routing dispute (回退), which keeps
    # the original deadline when the appeal is routed again.
    is_dispute = models.BooleanField(_("routing dispute"), default=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["assigned_at", "id"]
        indexes = [
            models.Index(fields=["department", "assigned_at"], name="assignment_by_department"),
            models.Index(
                fields=["sign_due_date"],
                condition=Q(signed_at__isnull=True, returned_at__isnull=True),
                name="assignment_unsigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal.number} → {self.department}"


class CoHandling(models.Model):
    """A co-handling department's part (协办) of one assignment, due by its own sub-deadline."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="co_handlings"
    )
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="co_handlings")
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("co-handling department"),
        on_delete=models.PROTECT,
        related_name="co_handlings",
    )
    due_date = models.DateField(_("sub-deadline"))
    part = models.TextField(_("contribution"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("co-handling (协办)")
        verbose_name_plural = _("co-handlings")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "department"], name="co_handling_once_per_assignment"
            ),
        ]
        indexes = [models.Index(fields=["department", "appeal"], name="co_handling_by_department")]

    def __str__(self) -> str:
        return f"{self.appeal_id} + {self.department}"


class InfoRequest(models.Model):
    """A question to the enterprise (补充材料); the clock stops until it is answered."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="info_requests")
    question = models.TextField(_("question"), max_length=2000)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the clock started again: the answer came, or the handler replied without it.
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    stopped_days = models.PositiveSmallIntegerField(_("working days stopped"), default=0)

    class Meta:
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"],
                condition=Q(ended_at__isnull=True),
                name="info_request_one_open_per_appeal",
            ),
        ]

    def __str__(self) -> str:
        return self.question[:50]


class Extension(DecidedRequest):
    """A handler's request for a later deadline, approved or declined by a head or dispatcher
    (``portal``'s ``DecidedRequest``: pending, approved or declined)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="extensions")
    previous_due_date = models.DateField(_("deadline before"))
    requested_due_date = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"), max_length=2000)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_appeal",
            ),
            models.CheckConstraint(
                condition=Q(requested_due_date__gt=models.F("previous_due_date")),
                name="extension_moves_deadline_later",
            ),
        ]
        indexes = [
            models.Index(
                fields=["requested_at"],
                condition=Q(status="pending"),
                name="extension_pending_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} → {self.requested_due_date}"


class AppealEvent(TimelineEvent):
    """One step of an appeal's timeline. Rows are only ever added (``portal``'s
    ``TimelineEvent``; on PostgreSQL a trigger refuses updates and deletes too)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        ACCEPT = "accept", _("Accepted")
        REJECT = "reject", pgettext_lazy("appeal status", "Rejected")
        MERGE = "merge", _("Merged into another appeal")
        LINK = "link", _("Linked to another appeal")
        ASSIGN = "assign", _("Assigned")
        SIGN = "sign", _("Signed for")
        RETURN = "return", _("Returned to the dispatcher")
        REQUEST_INFO = "request_info", _("Asked the enterprise for information")
        PROVIDE_INFO = "provide_info", _("Enterprise provided information")
        SUBMIT_PART = "submit_part", _("Co-handling part submitted")
        REPLY = "reply", _("Replied")
        RATE = "rate", _("Rated")
        EXTEND = "extend", _("Asked for an extension")
        APPROVE_EXTENSION = "approve_extension", _("Extension approved")
        DECLINE_EXTENSION = "decline_extension", _("Extension declined")
        SUPERVISE = "supervise", _("Put under supervision")
        AUTO_CLOSE = "auto_close", _("Closed without a rating")
        CALLBACK = "callback", _("Call-back recorded")
        ATTACH = "attach", _("File attached")
        INSTRUCT = "instruct", _("Instruction from the dialogue session")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        indexes = [models.Index(fields=["appeal", "at", "id"], name="appeal_event_timeline")]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.action}"

    @property
    def timeline_kind(self) -> str:
        return self.action

    @property
    def timeline_title(self) -> str:
        return self.get_action_display()

    @property
    def timeline_text(self) -> str:
        return self.note


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A file is visible exactly when its appeal is."""
        return self.filter(appeal__in=Appeal.objects.visible_to(user))


class Attachment(StoredFile):
    """A file on an appeal or on one of its steps (``portal``'s ``StoredFile``: checked by its
    content, kept outside ``static/`` under MEDIA_ROOT/appeals/)."""

    storage_folder = "appeals"

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        AppealEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("appeals:attachment", args=[self.appeal_id, self.pk])


class RepeatCandidate(models.Model):
    """An earlier appeal of the same enterprise that a new one resembles (possible 重复诉求)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="repeat_candidates")
    candidate = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("similarity"))

    class Meta:
        verbose_name = _("possible repeat")
        verbose_name_plural = _("possible repeats")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "candidate"], name="repeat_candidate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} ~ {self.candidate_id} ({self.score:.2f})"
