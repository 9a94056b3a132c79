"""Writes of the villages' figures: entering, editing, the steps of the workflow and corrections.

Each write runs in one transaction on the report's locked row, records a ``ReportStep`` and an
audit row, and tells people after the commit. Who may take each step, and from which status, is
the table ``REPORT_LIFECYCLE``: a wrong person is refused (403), a step that does not fit the
status is a ``Conflict`` (409) — so is an edit of a version that is no longer a draft, and an
edit based on an older revision than the stored one (two edits never overwrite each other).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.models import (
    Indicator,
    ReportStatus,
    ReportStep,
    ReportValue,
    VillageReport,
)
from alliances.periods import Period
from portal.exceptions import Conflict
from portal.lifecycle import Lifecycle, Transition
from portal.models import AuditLog, Region, Role, User
from portal.regions import is_within, significant_prefix
from portal.services import audit_record
from portal.services.notifications import Message, notify_many

INDICATORS = (
    # code, name, unit, amount in yuan, order — the two the migration 0002 ships.
    ("collective_income", "村集体经济收入", "元", True, 10),
    ("operating_income", "经营性收入", "元", True, 20),
)

KIND_SUBMITTED = "alliances.report_submitted"
KIND_RETURNED = "alliances.report_returned"
KIND_APPROVED = "alliances.report_approved"


# --- who --------------------------------------------------------------------------------------


def is_office(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.DISPATCHER, Role.ADMIN))


def is_reporter_of(user, village: Region | None) -> bool:
    """``user`` reports for ``village`` (with no village: for some village)."""
    if not (user and user.is_authenticated):
        return False
    ids = user.region_ids(Role.VILLAGE_REPORTER)
    return bool(ids) if village is None else village.pk in ids


def is_county_staff_of(user, village: Region | None) -> bool:
    """``user`` is united-front staff of ``village``'s county (with no village: of some county)."""
    if not (user and user.is_authenticated):
        return False
    codes = user.region_codes(Role.COUNTY_STAFF)
    return bool(codes) if village is None else is_within(village, codes)


def _village(report) -> Region | None:
    return None if report is None else report.village


def _reporter(user, report) -> bool:
    return is_reporter_of(user, _village(report))


def _county(user, report) -> bool:
    return is_county_staff_of(user, _village(report))


def _office(user, report) -> bool:
    return is_office(user)


def _county_or_office(user, report) -> bool:
    return _county(user, report) or is_office(user)


REPORT_LIFECYCLE = Lifecycle(
    [
        Transition("submit", gettext_lazy("Submit"), ("draft", "returned"), "submitted", _reporter),
        Transition("check", gettext_lazy("Check"), ("submitted",), "checked", _county),
        Transition("approve", gettext_lazy("Approve"), ("checked",), "approved", _office),
        Transition(
            "return",
            gettext_lazy("Return"),
            ("submitted", "checked"),
            "returned",
            _county_or_office,
        ),
    ],
    denied=gettext_lazy("You may not %(action)s this report."),
    conflict=gettext_lazy("This report is %(status)s: “%(action)s” does not apply now."),
)
ACTIONS = ("submit", "check", "approve", "return")


def may_edit(user, report: VillageReport) -> bool:
    return not report.locked and is_reporter_of(user, report.village)


def may_correct(user, report: VillageReport) -> bool:
    return (
        report.is_effective
        and (is_reporter_of(user, report.village) or is_office(user))
        and not VillageReport.objects.filter(
            village_id=report.village_id, period=report.period, status__in=_open()
        ).exists()
    )


def available_actions(user, report: VillageReport) -> list[str]:
    return REPORT_LIFECYCLE.available(report, user)


def _open() -> list[str]:
    return [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.RETURNED]


# --- indicators ---------------------------------------------------------------------------------


def ensure_indicators() -> None:
    """The indicators the migration ships, back if a flush or an admin removed them."""
    for code, name, unit, is_amount, order in INDICATORS:
        Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "unit": unit, "is_amount": is_amount, "order": order}
        )


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(active=True).order_by("order", "code"))


# --- reading input ------------------------------------------------------------------------------


def parse_period(value, *, field: str = "period", errors: dict | None = None) -> Period | None:
    try:
        return Period.parse(value)
    except ValueError:
        message = _("Enter a period as a year or a half year, e.g. 2023H1, 2023H2 or 2023.")
        if errors is None:
            raise ValidationError({field: [message]}) from None
        errors.setdefault(field, []).append(message)
        return None


def _number(value, indicator: Indicator, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if (
        number is None
        or not number.is_finite()
        or number.as_tuple().exponent < -2
        or abs(number) >= 10**14
    ):
        if indicator.is_amount:
            message = _("Enter an amount in yuan, e.g. 662000 or 12.5.")
        else:
            message = _("Enter a number with at most two decimals.")
        errors.setdefault(indicator.code, []).append(message)
        return None
    if number < 0:
        errors.setdefault(indicator.code, []).append(_("Enter 0 or more."))
        return None
    return number


def _values(raw, errors: dict) -> dict[Indicator, Decimal | None]:
    """``raw`` ({indicator code: value}) read against the active indicators."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.setdefault("values", []).append(_("Give the figures as {indicator code: value}."))
        return {}
    by_code = {i.code: i for i in active_indicators()}
    read = {}
    for code, value in raw.items():
        indicator = by_code.get(str(code))
        if indicator is None:
            errors.setdefault("values", []).append(
                _("There is no indicator %(code)s.") % {"code": code}
            )
            continue
        read[indicator] = _number(value, indicator, errors)
    return read


def _village_of(value, errors: dict) -> Region | None:
    region = None
    if isinstance(value, Region):
        region = value
    elif value not in (None, ""):
        text = str(value).strip()
        if text.isdigit() and len(text) == 12:
            region = Region.objects.filter(code=text).first()
        elif text.isdigit():
            region = Region.objects.filter(pk=int(text)).first()
    if region is None or region.level != Region.Level.VILLAGE:
        errors.setdefault("village", []).append(
            _("Give a village by its 12-digit statistical code.")
        )
        return None
    return region


# --- writing ------------------------------------------------------------------------------------


def _step(report, action, actor, *, before: str = "", note: str = "") -> None:
    ReportStep.objects.create(
        report=report,
        action=action,
        from_status=before,
        to_status=report.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note,
    )
    kind = {"create": AuditLog.Action.CREATE, "correct": AuditLog.Action.CREATE}.get(
        action, AuditLog.Action.IMPORT if action == "import" else AuditLog.Action.UPDATE
    )
    fields = ["values"] if action in ("create", "edit", "import", "correct") else ["status"]
    audit_record(
        actor=actor, action=kind, target=report, fields=fields, note=f"{action}: {note}"[:500]
    )


def _write_values(report: VillageReport, values: dict) -> list[str]:
    """Store ``values`` (a blank one removes the figure); the codes changed."""
    current = {v.indicator_id: v for v in report.values.all()}
    changed = []
    for indicator, value in values.items():
        stored = current.get(indicator.pk)
        if value is None:
            if stored is not None:
                stored.delete()
                changed.append(indicator.code)
        elif stored is None:
            ReportValue.objects.create(report=report, indicator=indicator, value=value)
            changed.append(indicator.code)
        elif stored.value != value:
            stored.value = value
            stored.save(update_fields=["value"])
            changed.append(indicator.code)
    return changed


def _locked(report: VillageReport) -> VillageReport:
    return VillageReport.objects.select_for_update().select_related("village").get(pk=report.pk)


def _check_revision(report: VillageReport, revision) -> None:
    if revision in (None, ""):
        return
    try:
        expected = int(revision)
    except (TypeError, ValueError):
        raise ValidationError({"revision": [_("Enter the revision you edited.")]}) from None
    if expected != report.revision:
        raise Conflict(
            _("Someone changed this report in the meantime (revision %(now)s). Reload it.")
            % {"now": report.revision}
        )


def report_create(
    *, actor: User, village, period, values: dict | None = None, step=ReportStep.Action.CREATE
) -> VillageReport:
    """A new draft of ``village``'s figures for ``period``, entered by the village's reporter.
    A village has one report per period: with one there already, this is a ``Conflict`` (edit
    it, or correct it once approved)."""
    errors: dict = {}
    region = _village_of(village, errors)
    when = parse_period(period, errors=errors)
    read = _values(values, errors)
    if when is not None and when.starts_on > timezone.localdate():
        errors.setdefault("period", []).append(_("This period has not begun yet."))
    if region is not None and not is_reporter_of(actor, region):
        raise PermissionDenied(_("Only the village's reporter enters its figures."))
    if errors:
        raise ValidationError(errors)
    if VillageReport.objects.filter(village=region, period=when.code).exists():
        raise Conflict(
            _("%(village)s already has a report for %(period)s; open it instead.")
            % {"village": region.name, "period": when.code}
        )
    try:
        with transaction.atomic():
            report = VillageReport.objects.create(
                village=region,
                period=when.code,
                starts_on=when.starts_on,
                ends_on=when.ends_on,
                created_by=actor,
            )
            _write_values(report, read)
            _step(report, step, actor)
    except IntegrityError:  # the same report entered twice at once: one wins
        raise Conflict(
            _("%(village)s already has a report for %(period)s; open it instead.")
            % {"village": region.name, "period": when.code}
        ) from None
    return report


def report_update(
    *, report: VillageReport, actor: User, values: dict, revision=None, step=ReportStep.Action.EDIT
) -> VillageReport:
    """Change the figures of a draft or a returned version (the village's reporter). A version
    submitted or approved is locked (``Conflict``); ``revision``, when given, must be the stored
    one."""
    if not is_reporter_of(actor, report.village):
        raise PermissionDenied(_("Only the village's reporter enters its figures."))
    errors: dict = {}
    read = _values(values, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(report)
        if locked.locked:
            raise Conflict(
                _("A report that is %(status)s is locked; it cannot be edited.")
                % {"status": locked.get_status_display()}
            )
        _check_revision(locked, revision)
        changed = _write_values(locked, read)
        if changed:
            locked.revision += 1
            locked.save(update_fields=["revision"])
            names = dict(Indicator.objects.filter(code__in=changed).values_list("code", "name"))
            _step(
                locked, step, actor, before=locked.status, note="、".join(names[c] for c in changed)
            )
    return locked


def report_transition(
    *, report: VillageReport, actor: User, action: str, reason: str = "", revision=None
) -> VillageReport:
    """Take ``action`` (submit, check, approve, return) on ``report``. Submitting needs every
    active indicator filled in; returning needs a reason. Approving puts the version in force
    in place of the one it corrects."""
    if action not in ACTIONS:
        raise ValidationError({"action": [_("Unknown action.")]})
    REPORT_LIFECYCLE.check_actor(actor, action)
    reason = (reason or "").strip()
    if action == "return" and not reason:
        raise ValidationError({"reason": [_("Say why the figures go back to the village.")]})
    with transaction.atomic():
        locked = _locked(report)
        REPORT_LIFECYCLE.check(locked, actor, action)
        _check_revision(locked, revision)
        if action == "submit":
            have = set(locked.values.values_list("indicator_id", flat=True))
            missing = {
                i.code: [_("Enter this figure.")] for i in active_indicators() if i.pk not in have
            }
            if missing:
                raise ValidationError(missing)
        before = locked.status
        locked.status = REPORT_LIFECYCLE.target(action)
        fields = ["status", "revision"]
        now = timezone.now()
        if action == "submit":
            locked.submitted_at = now
            locked.return_reason = ""
            fields += ["submitted_at", "return_reason"]
        elif action == "return":
            locked.return_reason = reason
            fields.append("return_reason")
        elif action == "approve":
            VillageReport.objects.filter(
                village_id=locked.village_id, period=locked.period, is_effective=True
            ).update(is_effective=False)
            locked.is_effective = True
            locked.approved_at = now
            fields += ["is_effective", "approved_at"]
        locked.revision += 1
        locked.save(update_fields=fields)
        _step(locked, action, actor, before=before, note=reason)
        transaction.on_commit(lambda: _tell(locked.pk, action))
    return locked


def report_correct(*, report: VillageReport, actor: User, reason: str) -> VillageReport:
    """Begin a correction of an approved version in force: a new draft version (its figures
    copied) that the reporter edits and submits again. The approved one stays in force, as it
    was, until the correction is approved."""
    if not (is_reporter_of(actor, report.village) or is_office(actor)):
        raise PermissionDenied(_("Only the village's reporter or the office corrects its figures."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the approved figures are corrected.")]})
    try:
        with transaction.atomic():
            locked = _locked(report)
            if not locked.is_effective:
                raise Conflict(_("Only the approved version in force can be corrected."))
            if VillageReport.objects.filter(
                village_id=locked.village_id, period=locked.period, status__in=_open()
            ).exists():
                raise Conflict(_("A correction of these figures is already under way."))
            latest = (
                VillageReport.objects.filter(village_id=locked.village_id, period=locked.period)
                .order_by("-version")
                .values_list("version", flat=True)
                .first()
            )
            new = VillageReport.objects.create(
                village=locked.village,
                period=locked.period,
                starts_on=locked.starts_on,
                ends_on=locked.ends_on,
                version=latest + 1,
                supersedes=locked,
                correction_reason=reason,
                created_by=actor,
            )
            ReportValue.objects.bulk_create(
                ReportValue(report=new, indicator_id=v.indicator_id, value=v.value)
                for v in locked.values.all()
            )
            _step(new, ReportStep.Action.CORRECT, actor, note=reason)
    except IntegrityError:
        raise Conflict(_("A correction of these figures is already under way.")) from None
    return new


def may_import_for(user, village: Region) -> bool:
    """A village's reporter imports its figures; a county's staff those of its villages."""
    return is_reporter_of(user, village) or is_county_staff_of(user, village)


def report_import(*, actor: User, village: Region, period: Period, values: dict) -> str:
    """One row of an Excel import: a new draft, or the figures of the draft (or returned
    version) under way replaced; ``"created"``, ``"updated"`` or ``"unchanged"``. A version
    submitted, checked or approved is not touched (``Conflict``: correct it on its page)."""
    if not may_import_for(actor, village):
        raise PermissionDenied(
            _("%(village)s is not a village you report for.") % {"village": village.name}
        )
    with transaction.atomic():
        current = (
            VillageReport.objects.select_for_update()
            .filter(village=village, period=period.code, status__in=_open())
            .first()
        )
        if current is None:
            if VillageReport.objects.filter(village=village, period=period.code).exists():
                raise Conflict(
                    _(
                        "The figures of %(village)s for %(period)s are approved; correct them on "
                        "their page."
                    )
                    % {"village": village.name, "period": period.code}
                )
            report = VillageReport.objects.create(
                village=village,
                period=period.code,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                created_by=actor,
            )
            _write_values(report, values)
            _step(report, ReportStep.Action.IMPORT, actor)
            return "created"
        if current.locked:
            raise Conflict(
                _(
                    "The figures of %(village)s for %(period)s are %(status)s; they are not "
                    "changed by an import."
                )
                % {
                    "village": village.name,
                    "period": period.code,
                    "status": current.get_status_display(),
                }
            )
        changed = _write_values(current, values)
        if not changed:
            return "unchanged"
        current.revision += 1
        current.save(update_fields=["revision"])
        _step(current, ReportStep.Action.IMPORT, actor, before=current.status)
        return "updated"


# --- telling ------------------------------------------------------------------------------------


def reporters_of(village_ids) -> dict[int, list[User]]:
    """The active reporters of each village (one query)."""
    found: dict[int, list[User]] = {}
    rows = (
        User.objects.filter(
            is_active=True,
            role_grants__role=Role.VILLAGE_REPORTER,
            role_grants__region_id__in=list(village_ids),
        )
        .values_list("role_grants__region_id", "pk")
        .distinct()
    )
    pairs = list(rows)
    people = User.objects.in_bulk({pk for _, pk in pairs})
    for region_id, pk in pairs:
        found.setdefault(region_id, []).append(people[pk])
    return found


def county_staff_of(villages) -> dict[int, list[User]]:
    """The active county staff over each of ``villages`` (regions), by village id."""
    prefixes = {v.pk: significant_prefix(v.code[:6].ljust(12, "0")) for v in villages}
    rows = list(
        User.objects.filter(
            is_active=True,
            role_grants__role=Role.COUNTY_STAFF,
            role_grants__region__code__in={v.code[:6].ljust(12, "0") for v in villages},
        )
        .values_list("role_grants__region__code", "pk")
        .distinct()
    )
    people = User.objects.in_bulk({pk for _, pk in rows})
    found: dict[int, list[User]] = {}
    for village in villages:
        for code, pk in rows:
            if significant_prefix(code) == prefixes[village.pk]:
                found.setdefault(village.pk, []).append(people[pk])
    return found


def _tell(report_id: int, action: str) -> None:
    report = VillageReport.objects.select_related("village").get(pk=report_id)
    url = reverse("alliances:report-detail", args=[report.pk])
    values = {"village": report.village.name, "period": report.period}
    if action == "submit":
        recipients = county_staff_of([report.village]).get(report.village_id, [])
        title = _("%(village)s submitted its figures for %(period)s; please check them.") % values
        kind = KIND_SUBMITTED
    elif action == "return":
        recipients = reporters_of([report.village_id]).get(report.village_id, [])
        title = _("The figures of %(village)s for %(period)s were returned.") % values
        kind = KIND_RETURNED
    elif action == "approve":
        recipients = reporters_of([report.village_id]).get(report.village_id, [])
        title = _("The figures of %(village)s for %(period)s were approved.") % values
        kind = KIND_APPROVED
    else:
        return
    if recipients:
        notify_many(
            [
                Message(
                    recipients=recipients,
                    kind=kind,
                    title=title,
                    body=report.return_reason if action == "return" else "",
                    url=url,
                    target=report,
                )
            ]
        )


def history_of(report: VillageReport) -> list[VillageReport]:
    """Every version of the report's village and period, newest first, with their steps."""
    return list(
        VillageReport.objects.filter(village_id=report.village_id, period=report.period)
        .prefetch_related("steps__actor", "values__indicator")
        .order_by("-version")
    )
