"""The Celery app runs real tasks through the real broker with a real worker."""

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from portal.models import CalendarYear
from portal.tasks import check_calendar_coverage
from portal.workdays import sync_from_chinesecalendar


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_runs_the_calendar_task_through_redis(redis_url):
    assert celery_app.conf.broker_url.startswith("redis")
    sync_from_chinesecalendar()
    CalendarYear.objects.get_or_create(year=2027, defaults={"source": "test"})
    CalendarYear.objects.get_or_create(year=2028, defaults={"source": "test"})
    with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        result = check_calendar_coverage.delay()
        assert result.get(timeout=30) == []


def test_the_embedded_default_runs_a_worker_without_any_server(tmp_path):
    """No DATABASE_URL, no REDIS_URL: SQLite plus the filesystem broker still run real tasks."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(TONGXIN_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True, timeout=300
    )
    script = (
        "import django; django.setup()\n"
        "from celery.contrib.testing.worker import start_worker\n"
        "from config.celery import app\n"
        "from portal.tasks import check_calendar_coverage\n"
        "assert app.conf.broker_url.startswith('filesystem')\n"
        "with start_worker(app, perform_ping_check=False, pool='solo', loglevel='WARNING'):\n"
        "    print('result', check_calendar_coverage.delay().get(timeout=60))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().startswith("result [")
