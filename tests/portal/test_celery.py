"""The Celery app runs real tasks through the real broker with a real worker."""

import pytest
from celery.contrib.testing.worker import start_worker

from portal.celery import app as celery_app
from portal.models import CalendarYear
from portal.tasks import check_calendar_coverage


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_runs_the_calendar_task_through_redis(redis_url):
    assert celery_app.conf.broker_url.startswith("redis")
    CalendarYear.objects.get_or_create(year=2027, defaults={"source": "test"})
    CalendarYear.objects.get_or_create(year=2028, defaults={"source": "test"})
    with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        result = check_calendar_coverage.delay()
        assert result.get(timeout=30) == []
