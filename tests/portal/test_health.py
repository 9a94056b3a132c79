import pytest

from config.celery import app as celery_app


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_says_degraded_when_the_broker_is_down(client, monkeypatch, redis_url):
    from celery import Celery

    from portal.views import health

    # A real connection attempt to a port where no Redis listens.
    monkeypatch.setattr(health, "celery_app", Celery(broker="redis://127.0.0.1:1/0"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "ok"


def test_ci_uses_the_real_services(settings):
    """With REQUIRE_SERVICES=1 the suite must really be on PostgreSQL and Redis."""
    import os

    from django.db import connection

    if os.environ.get("REQUIRE_SERVICES") != "1":
        pytest.skip("only meaningful in CI (REQUIRE_SERVICES=1)")
    assert connection.vendor == "postgresql"
    assert celery_app.conf.broker_url.startswith("redis://")
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
