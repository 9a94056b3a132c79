"""Telling people: in-app notifications, the channels each person chose, and the deliveries that
carry a notification to e-mail and to department robots, or a message as a text to the phone of
someone without an account."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from portal import channels
from portal.bulk import insert_rows
from portal.crypto import blind_index
from portal.models import Delivery, Department, Notification, NotificationPreference, User
from portal.registry import NotificationKind, notification_kind
from portal.services.deliveries import deliveries_publish
from portal.validators import normalize_mobile


@dataclass(frozen=True)
class Message:
    """One thing to tell: every recipient gets an in-app notification (and an e-mail if they
    want one), and each of ``webhook_departments`` gets a post from its robot when one of the
    recipients in that department wants it — or always, when there are no recipients (a message
    to the department's group).

    Each of ``phones`` (mobile numbers of people without an account, such as a guest invited
    to an event) gets the message as a text, when text messages are on (``SMS_BACKEND``).

    With ``key`` the message is once-only: sent again with the same key, it records nothing new
    (no notification for someone who has it, no delivery twice).
    """

    recipients: Iterable[User]
    # A registered kind, or its stored name ``"<app>.<name>"``.
    kind: NotificationKind | str
    title: str
    body: str = ""
    url: str = ""
    target: models.Model | None = None
    webhook_departments: Iterable[Department] = ()
    key: str = ""
    phones: Iterable[str] = ()


@dataclass
class _Planned:
    message: Message
    kind: str
    users: list[User]
    departments: list[Department]
    notifications: list[Notification]
    phones: list[str]


def _stored_kind(kind: NotificationKind | str) -> str:
    """The kind as stored; an unregistered one (a typo, a bare name) is a bug and raises."""
    full = str(kind)
    if notification_kind(full) is None:
        raise ValueError(
            f"Unknown notification kind {full!r}: an app registers its kinds with "
            "portal.registry.register_notification_kind and sends them as '<app>.<name>'."
        )
    return full


def _unique(items: Iterable, key=lambda item: item.pk) -> list:
    seen: dict = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def _channel_choices(user_ids: set[int]) -> dict[int, dict]:
    """Each person's address, department and effective channel choices, in one query."""
    if not user_ids:
        return {}
    rows = User.objects.filter(pk__in=user_ids).values(
        "pk",
        "email",
        "role",
        "department_id",
        "is_active",
        "notification_preference__by_email",
        "notification_preference__by_robot",
    )
    people = {}
    for row in rows:
        choice = NotificationPreference.defaults_for(role=row["role"])
        if row["notification_preference__by_email"] is not None:  # a saved preference
            choice = {
                "by_email": row["notification_preference__by_email"],
                "by_robot": row["notification_preference__by_robot"],
            }
        active = row["is_active"]
        people[row["pk"]] = {
            "email": active and choice["by_email"] and bool(row["email"]),
            "robot": active and choice["by_robot"],
            "department_id": row["department_id"],
        }
    return people


def _has_robot(department: Department) -> bool:
    return (
        department.is_active
        and department.webhook_kind in Delivery.ROBOT_CHANNELS
        and bool(department.webhook_url)
    )


def notify_many(messages: Sequence[Message]) -> list[Notification]:
    """Record many messages at once: their in-app notifications and their deliveries.

    A fixed number of queries whatever the number of messages (pass recipients as lists: a
    queryset is evaluated once per message). The deliveries are handed to Celery after the
    surrounding transaction commits; if the broker is down they stay pending for
    ``deliveries_requeue``. Returns the notifications created, in message order.
    """
    planned = [
        _Planned(
            message=message,
            kind=_stored_kind(message.kind),
            users=_unique(message.recipients),
            departments=_unique(message.webhook_departments),
            notifications=[],
            phones=_unique((normalize_mobile(phone) for phone in message.phones if phone), key=str),
        )
        for message in messages
    ]
    if not planned:
        return []
    people = _channel_choices({user.pk for plan in planned for user in plan.users})
    keys = {plan.message.key for plan in planned if plan.message.key}
    already = (
        set(Notification.objects.filter(key__in=keys).values_list("key", "recipient_id"))
        if keys
        else set()
    )

    plain, keyed = [], []
    for plan in planned:
        message = plan.message
        target_type = (
            ContentType.objects.get_for_model(message.target)
            if message.target is not None
            else None
        )
        for user in plan.users:
            if message.key:
                if (message.key, user.pk) in already:
                    continue
                already.add((message.key, user.pk))
            notification = Notification(
                recipient_id=user.pk,
                kind=plan.kind,
                title=message.title[:200],
                body=message.body,
                url=message.url,
                target_type_id=target_type.pk if target_type is not None else None,
                target_id=message.target.pk if message.target is not None else None,
                key=message.key,
            )
            plan.notifications.append(notification)
            (keyed if message.key else plain).append(notification)

    with transaction.atomic():
        if plain:
            _insert(plain, skip_conflicts=False)
        if keyed:
            # Another sweep may record the same keyed message at this moment: the constraint
            # keeps one, and the ids are read back (ignore_conflicts returns none).
            _insert(keyed, skip_conflicts=True)
        deliveries = _deliveries_for(planned, people)
        if deliveries:
            if connection.vendor == "postgresql":
                # The ids of the rows inserted now (a key recorded before is skipped).
                delivery_ids = [
                    pk for (pk,) in insert_rows(deliveries, skip_conflicts=True, returning=("id",))
                ]
            else:
                Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
                delivery_ids = list(
                    Delivery.objects.filter(
                        key__in=[d.key for d in deliveries], status=Delivery.Status.PENDING
                    ).values_list("pk", flat=True)
                )
            deliveries_publish(delivery_ids)
    return [n for plan in planned for n in plan.notifications if n.pk is not None]


def _insert(notifications: list[Notification], *, skip_conflicts: bool) -> None:
    """Insert the notifications and give each its id (None when a keyed one already existed).

    On PostgreSQL through ``insert_rows`` (the deadline sweep writes tens of thousands at once);
    elsewhere ``bulk_create``.
    """
    now = timezone.now()
    for notification in notifications:
        notification.created_at = now
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(notifications, ignore_conflicts=skip_conflicts)
        if skip_conflicts:  # ignore_conflicts returns no ids: read them back
            ids = {
                (key, recipient_id): pk
                for pk, key, recipient_id in Notification.objects.filter(
                    key__in={n.key for n in notifications}
                ).values_list("pk", "key", "recipient_id")
            }
            for notification in notifications:
                notification.pk = ids.get((notification.key, notification.recipient_id))
        return
    returned = insert_rows(
        notifications, skip_conflicts=skip_conflicts, returning=("id", "recipient", "key")
    )
    if skip_conflicts:
        ids = {(recipient_id, key): pk for pk, recipient_id, key in returned}
        for notification in notifications:
            notification.pk = ids.get((notification.recipient_id, notification.key))
    else:
        for notification, (pk, _recipient, _key) in zip(notifications, returned, strict=True):
            notification.pk = pk


def _deliveries_for(planned: list[_Planned], people: dict[int, dict]) -> list[Delivery]:
    now = timezone.now()
    # The message handed to the broker after commit is trusted this long before the catch-up
    # hands over another (see ``Delivery.claimed_until``).
    handover = now + timedelta(seconds=settings.DELIVERY_REQUEUE_AFTER)
    rows: list[Delivery] = []
    for plan in planned:
        message = plan.message
        email = None  # rendered once per message, for all its recipients
        for notification in plan.notifications:
            if notification.pk is None or not people.get(notification.recipient_id, {}).get(
                "email"
            ):
                continue
            if email is None:
                email = channels.render_email(
                    title=notification.title, body=message.body, url=message.url
                )
            subject, text = email
            rows.append(
                Delivery(
                    key=f"email:n{notification.pk}",
                    channel=Delivery.Channel.EMAIL,
                    notification=notification,
                    subject=subject[:200],
                    text=text,
                    next_attempt_at=now,
                    claimed_until=handover,
                    created_at=now,
                )
            )
        rows += _texts_for(plan, now=now, handover=handover)
        if message.key and plan.users and not plan.notifications:
            continue  # a keyed message everyone has already had: its robot posts were recorded
        for department in plan.departments:
            if not _has_robot(department):
                continue
            wanted = not plan.users or any(
                people.get(user.pk, {}).get("robot")
                and people[user.pk]["department_id"] == department.pk
                for user in plan.users
            )
            if not wanted:
                continue
            if message.key:
                key = f"{message.key}:dept{department.pk}"
            elif plan.notifications and plan.notifications[0].pk is not None:
                key = f"robot:n{plan.notifications[0].pk}:dept{department.pk}"
            else:  # a message to the group alone, without a key: nothing to derive one from
                key = f"robot:{uuid.uuid4().hex}:dept{department.pk}"
            payload = channels.RENDERERS[department.webhook_kind](
                title=message.title, body=message.body, url=message.url
            )
            rows.append(
                Delivery(
                    key=key[:255],
                    channel=department.webhook_kind,
                    department=department,
                    subject=message.title[:200],
                    payload=payload,
                    next_attempt_at=now,
                    claimed_until=handover,
                    created_at=now,
                )
            )
    return rows


def _texts_for(plan: _Planned, *, now, handover) -> list[Delivery]:
    """The message's text messages, one per number. A keyed message's text is keyed by the
    number's blind index (never the number itself), so it is recorded once per number."""
    if not plan.phones or settings.SMS_BACKEND == "off":
        return []
    message = plan.message
    text = channels.render_sms(title=message.title, body=message.body, url=message.url)
    rows = []
    for phone in plan.phones:
        if message.key:
            key = f"sms:{blind_index(phone)[:24]}:{message.key}"
        else:
            key = f"sms:{uuid.uuid4().hex}"
        rows.append(
            Delivery(
                key=key[:255],
                channel=Delivery.Channel.SMS,
                phone=phone,
                subject=message.title[:200],
                text=text,
                next_attempt_at=now,
                claimed_until=handover,
                created_at=now,
            )
        )
    return rows


def notify(
    *,
    recipients: Iterable[User],
    kind: NotificationKind | str,
    title: str,
    body: str = "",
    url: str = "",
    target: models.Model | None = None,
    webhook_departments: Iterable[Department] = (),
    key: str = "",
) -> list[Notification]:
    """Tell ``recipients`` one thing: one in-app notification each (a recipient named twice gets
    one), plus the e-mails and robot posts they chose (see ``Message`` and ``notify_many``)."""
    return notify_many(
        [
            Message(
                recipients=recipients,
                kind=kind,
                title=title,
                body=body,
                url=url,
                target=target,
                webhook_departments=webhook_departments,
                key=key,
            )
        ]
    )


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (all of them, or those in ``ids``)."""
    qs = Notification.objects.visible_to(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    with transaction.atomic():
        return qs.update(read_at=timezone.now())


def notification_preferences_for(user: User) -> dict[str, bool]:
    """The person's channel choices: their saved row, or the defaults for their role."""
    saved = NotificationPreference.objects.filter(user=user).first()
    if saved is None:
        return NotificationPreference.defaults_for(role=user.role)
    return {"by_email": saved.by_email, "by_robot": saved.by_robot}


def notification_preferences_update(
    *, user: User, email: str, by_email: bool, by_robot: bool
) -> NotificationPreference:
    """Save the person's channel choices and e-mail address (the row is created the first time)."""
    with transaction.atomic():
        if user.email != email:
            user.email = email
            user.save(update_fields=["email"])
        preference, _created = NotificationPreference.objects.update_or_create(
            user=user, defaults={"by_email": by_email, "by_robot": by_robot}
        )
    return preference
