"""The delivery outbox: handing deliveries to Celery, sending them once, retrying with backoff,
and catching up on what the broker or a dead worker left behind.

Sending follows Healthchecks' ``sendalerts``: a worker claims a delivery with a conditional
UPDATE whose row count must be 1, so any number of copies of a task (a retry, a redelivered
message, two workers) send it once.

The dependency goes one way: ``portal.tasks`` wraps these services, and this module never
imports the tasks. The ``deliver`` task that carries a chunk of ids to a worker is handed in
once, by ``PortalConfig.ready`` (``deliveries_use_task``).
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from portal import channels
from portal.models import Delivery

logger = logging.getLogger(__name__)

# One task carries at most this many ids: a chunk is sent in a few seconds, and one slow robot
# holds up at most a chunk.
CHUNK_SIZE = 100


class DeliverTask(Protocol):
    """What this module needs of the ``deliver`` task: Celery's ``apply_async``."""

    def apply_async(self, args: tuple, **options: Any) -> Any: ...


_deliver_task: DeliverTask | None = None


def deliveries_use_task(task: DeliverTask) -> None:
    """Publish deliveries with ``task`` (``portal.tasks.deliver``, whose body is
    ``deliveries_send``). Called once, from ``PortalConfig.ready``."""
    global _deliver_task
    _deliver_task = task


def _task() -> DeliverTask:
    if _deliver_task is None:
        raise ImproperlyConfigured(
            "No task publishes deliveries: PortalConfig.ready hands portal.tasks.deliver to "
            "deliveries_use_task (is 'portal' in INSTALLED_APPS?)."
        )
    return _deliver_task


def _chunks(ids: Sequence[int]):
    for start in range(0, len(ids), CHUNK_SIZE):
        yield ids[start : start + CHUNK_SIZE]


def _hand_over(ids: list[int]) -> int:
    """Publish ``deliver`` tasks for ``ids``; on the first broker failure stop and leave the rest
    pending for the catch-up. Never raises for the broker. Returns how many were handed over."""
    deliver = _task()
    handed = 0
    for chunk in _chunks(ids):
        try:
            deliver.apply_async((chunk,))
        except Exception as exc:  # kombu's OperationalError, socket errors: the broker is away
            rest = ids[handed:]
            # Their queued message never left: the catch-up may hand them over at once.
            Delivery.objects.filter(pk__in=rest, status=Delivery.Status.PENDING).update(
                claimed_until=None
            )
            logger.warning(
                "The broker is unavailable (%s): %d deliveries stay pending until the catch-up "
                "hands them over.",
                type(exc).__name__,
                len(rest),
            )
            return handed
        handed += len(chunk)
    return handed


def deliveries_publish(ids: Sequence[int]) -> None:
    """Hand the deliveries to Celery when the current transaction commits (at once outside
    one). A broker that is down costs at most the publish retry policy, once, and a warning."""
    ids = list(ids)
    if ids:
        # robust: whatever goes wrong here is logged, never raised into a request that has
        # already committed its work.
        transaction.on_commit(lambda: _hand_over(ids), robust=True)


def deliveries_requeue(now: datetime | None = None, *, limit: int = 10_000) -> int:
    """Hand over again what is due and not on its way: pending deliveries whose queued message
    was lost (the broker was down, or its trust ran out) and those whose worker died while
    sending. Reads only the pending and sending rows (partial indexes). Returns the number of
    deliveries handed over (after commit, when called inside a transaction)."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.due(now).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    handover = now + timedelta(seconds=settings.DELIVERY_REQUEUE_AFTER)
    # A dead worker's lease has run out: the delivery is pending again (its attempt counted).
    Delivery.objects.filter(
        pk__in=ids, status=Delivery.Status.SENDING, claimed_until__lte=now
    ).update(status=Delivery.Status.PENDING, claimed_until=handover)
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).exclude(
        claimed_until__gt=now
    ).update(claimed_until=handover)
    deliveries_publish(ids)
    return len(ids)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    steps = settings.DELIVERY_BACKOFF_MINUTES
    return timedelta(minutes=steps[min(attempts, len(steps)) - 1])


def _claim(pk: int, now: datetime) -> bool:
    lease = now + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    claimed = (
        Delivery.objects.filter(pk=pk)
        .filter(
            Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Delivery.Status.SENDING, claimed_until__lte=now)
        )
        .update(status=Delivery.Status.SENDING, claimed_until=lease, attempts=F("attempts") + 1)
    )
    return claimed == 1


_TOKEN = re.compile(r"(access_token|key|sign|timestamp)=[^&\s]+", re.IGNORECASE)


def _redact(text: str, delivery: Delivery) -> str:
    """An error text without the robot's URL, token or secret, the gateway's token or the
    number of a text message, whatever raised it."""
    secrets = [settings.SMS_GATEWAY_TOKEN, settings.SMS_GATEWAY_SECRET, delivery.phone]
    department = delivery.department
    if department is not None:
        secrets += [department.webhook_url, department.webhook_secret]
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _TOKEN.sub(r"\1=***", text)[:1000]


def _send_one(pk: int) -> tuple[str, timedelta | None]:
    """Claim, send and record one delivery. Returns the outcome and, after a failure that will
    be retried, the delay before the retry."""
    now = timezone.now()
    if not _claim(pk, now):
        return "skipped", None  # sent, failed, not yet due, or another worker has it
    delivery = Delivery.objects.select_related("notification__recipient", "department").get(pk=pk)
    try:
        channels.send(delivery)
    except Exception as exc:
        if isinstance(exc, channels.DeliveryError):
            error = _redact(str(exc), delivery)
        else:
            error = _redact(f"{type(exc).__name__}: {exc}", delivery)
        return _record_failure(delivery, error)
    Delivery.objects.filter(pk=pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return "sent", None


def _record_failure(delivery: Delivery, error: str) -> tuple[str, timedelta | None]:
    now = timezone.now()
    attempts = delivery.attempts
    if attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED, claimed_until=None, last_error=error
        )
        logger.error(
            "Delivery %s (%s) failed for good after %d attempts: %s",
            delivery.pk,
            delivery.channel,
            attempts,
            error,
        )
        return "failed", None
    delay = backoff(attempts)
    next_attempt_at = now + delay
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING,
        next_attempt_at=next_attempt_at,
        # The retry message is trusted until a little after it is due; then the catch-up.
        claimed_until=next_attempt_at + timedelta(seconds=settings.DELIVERY_REQUEUE_AFTER),
        last_error=error,
    )
    logger.warning(
        "Delivery %s (%s) failed on attempt %d of %d, retrying in %s: %s",
        delivery.pk,
        delivery.channel,
        attempts,
        settings.DELIVERY_MAX_ATTEMPTS,
        delay,
        error,
    )
    return "retry", delay


def deliveries_send(delivery_ids: Sequence[int]) -> dict[str, int]:
    """Send each delivery that is due and not someone else's, once. A failing delivery is
    recorded and retried later with backoff (``failed`` after ``DELIVERY_MAX_ATTEMPTS``) and
    never stops the others. Safe to run any number of times on the same ids. Returns counts by
    outcome: sent, retry, failed, skipped, error."""
    outcome: Counter[str] = Counter()
    retries: dict[timedelta, list[int]] = defaultdict(list)
    for pk in delivery_ids:
        try:
            result, delay = _send_one(pk)
        except Exception:  # the database or a bug: this one waits for the catch-up
            logger.exception("Delivery %s could not be processed", pk)
            outcome["error"] += 1
            continue
        outcome[result] += 1
        if delay is not None:
            retries[delay].append(pk)
    for delay, ids in retries.items():
        try:
            _task().apply_async((ids,), countdown=delay.total_seconds())
        except Exception as exc:  # the catch-up finds them when they are due
            logger.warning("Could not schedule the retry of %d deliveries: %s", len(ids), exc)
    return dict(outcome)
