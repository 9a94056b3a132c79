"""Writes for enterprises and memberships. Each promise is kept atomically or not at all."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, Membership
from enterprises.notifications import kind as notification_kind
from portal.models import Region, Role, User
from portal.services import decide, notify
from portal.validators import normalize_mobile, normalize_uscc, validate_mobile, validate_uscc


def _enterprise_for_code(*, uscc: str, enterprise_name: str, region: Region | None) -> Enterprise:
    """The enterprise with this code, created with ``enterprise_name`` when the code is new."""
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is not None:
        return enterprise
    if not enterprise_name.strip():
        raise ValidationError(
            {"enterprise_name": _("This code is not registered yet: enter the enterprise's name.")}
        )
    return Enterprise.objects.create(uscc=uscc, name=enterprise_name.strip(), region=region)


def _tell_dispatchers(membership: Membership) -> None:
    dispatchers = User.objects.filter(role=Role.DISPATCHER, is_active=True)
    notify(
        recipients=dispatchers,
        kind=notification_kind("membership_requested"),
        title=_("%(name)s asks to act for %(enterprise)s")
        % {"name": membership.user.display_name, "enterprise": membership.enterprise.name},
        url=reverse("enterprises:membership-list"),
        target=membership,
    )


@transaction.atomic
def entrepreneur_register(
    *,
    username: str,
    password: str,
    name: str,
    mobile: str,
    uscc: str,
    enterprise_name: str = "",
    region: Region | None = None,
) -> User:
    """Create an entrepreneur's account with a *pending* membership of the enterprise.

    The account can sign in at once but acts for no enterprise until a dispatcher verifies it.
    Raises ``ValidationError`` keyed by field name, and creates nothing, on any bad input.
    """
    errors: dict[str, list[str]] = {}
    uscc = normalize_uscc(uscc or "")
    mobile = normalize_mobile(mobile or "")
    for field, value, validator in (
        ("uscc", uscc, validate_uscc),
        ("mobile", mobile, validate_mobile),
    ):
        try:
            validator(value)
        except ValidationError as exc:
            errors[field] = exc.messages
    if not (name or "").strip():
        errors["name"] = [_("Enter your full name.")]
    if not (username or "").strip():
        errors["username"] = [_("Enter a user name.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This user name is taken.")]
    candidate = User(username=username, name=name)
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)

    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username.strip(),
                password=password,
                name=name.strip(),
                mobile=mobile,
                role=Role.ENTREPRENEUR,
            )
    except IntegrityError:
        raise ValidationError({"username": [_("This user name is taken.")]}) from None
    enterprise = _enterprise_for_code(uscc=uscc, enterprise_name=enterprise_name, region=region)
    membership = Membership.objects.create(user=user, enterprise=enterprise)
    _tell_dispatchers(membership)
    return user


@transaction.atomic
def membership_request(
    *, user: User, uscc: str, enterprise_name: str = "", region: Region | None = None
) -> Membership:
    """An entrepreneur asks to act for one more enterprise; the request waits for verification."""
    uscc = normalize_uscc(uscc or "")
    try:
        validate_uscc(uscc)
    except ValidationError as exc:
        raise ValidationError({"uscc": exc.messages}) from None
    if user.role != Role.ENTREPRENEUR:
        raise ValidationError(_("Only entrepreneurs act for enterprises."))
    enterprise = _enterprise_for_code(uscc=uscc, enterprise_name=enterprise_name, region=region)
    if Membership.objects.filter(user=user, enterprise=enterprise).exists():
        raise ValidationError({"uscc": [_("You have already asked to act for this enterprise.")]})
    membership = Membership.objects.create(user=user, enterprise=enterprise)
    _tell_dispatchers(membership)
    return membership


def _decide(*, membership: Membership, actor: User, status: str, note: str = "") -> Membership:
    if not actor.has_role(Role.DISPATCHER, Role.ADMIN):
        raise PermissionDenied(_("Only dispatchers verify memberships."))
    # The row is locked first: of two dispatchers acting at once, one wins, the other gets 409.
    return decide(membership, by=actor, decision=status, note=note)


@transaction.atomic
def membership_verify(*, membership: Membership, actor: User) -> Membership:
    """Verify a pending membership; the entrepreneur may then act for the enterprise."""
    membership = _decide(membership=membership, actor=actor, status=Membership.Status.VERIFIED)
    notify(
        recipients=[membership.user],
        kind=notification_kind("membership_verified"),
        title=_("You can now act for %(enterprise)s") % {"enterprise": membership.enterprise.name},
        url=reverse("home"),
        target=membership,
    )
    return membership


@transaction.atomic
def membership_reject(*, membership: Membership, actor: User, reason: str) -> Membership:
    """Reject a pending membership with a reason the entrepreneur will read."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give a reason for the rejection.")]})
    membership = _decide(
        membership=membership,
        actor=actor,
        status=Membership.Status.REJECTED,
        note=reason.strip()[:200],
    )
    notify(
        recipients=[membership.user],
        kind=notification_kind("membership_rejected"),
        title=_("Your request to act for %(enterprise)s was not approved")
        % {"enterprise": membership.enterprise.name},
        body=membership.decision_note,
        url=reverse("home"),
        target=membership,
    )
    return membership
