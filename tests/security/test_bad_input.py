"""Numbers too big for the database, in paths and filters, are "not found" or "invalid", never a
server error (schemathesis found ``?enterprise=1e99`` answering 500 on SQLite)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
URLS = [
    f"/appeals/{HUGE}/",
    f"/appeals/1/files/{HUGE}/",
    f"/enterprises/{HUGE}/",
    f"/enterprises/sessions/{HUGE}/",
    f"/enterprises/celebrations/{HUGE}/",
    f"/regions/?region={HUGE}",
    f"/appeals/deadline-preview/?appeal={HUGE}",
    f"/appeals/category-guidance/?category={HUGE}",
    f"/api/v1/appeals/{HUGE}/",
    f"/api/v1/departments/{HUGE}/",
    f"/api/v1/appeal-categories/{HUGE}/",
    f"/api/v1/sessions/{HUGE}/",
    f"/api/v1/stats/appeals/?department={HUGE}",
    f"/appeals/stats/?department={HUGE}",
    f"/screens/mk-hall/images/{HUGE}/",
    *(
        f"{base}?{name}={value}"
        for base in ("/appeals/", "/appeals/export/", "/api/v1/appeals/")
        for name in ("enterprise", "department", "category", "session")
        for value in (HUGE, "-1.9e99", "1e30")
    ),
]


def test_no_number_is_a_server_error(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.people["dispatcher"])
    errors = [(url, status) for url in URLS if (status := client.get(url).status_code) >= 500]
    assert not errors
