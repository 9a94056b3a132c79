"""The cockpit runs a fixed number of queries (≤ 20), whatever the rows behind it."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import User

pytestmark = pytest.mark.django_db

QUERIES = 20


def queries(client, url: str) -> int:
    client.get(url)  # the session and the user, read once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # The appeal figures turn PostgreSQL's JIT off around their roll-up reads (SET/RESET jit):
    # settings of the session, not reads of rows.
    return sum(
        1
        for query in captured.captured_queries
        if not query["sql"].lstrip().upper().startswith(("SET ", "RESET "))
    )


def test_query_count_stays_flat(client, leader):
    client.force_login(leader)
    empty = {url: queries(client, url) for url in ("/api/v1/cockpit/?period=2023", "/cockpit/")}
    call_command("seed_demo", password="x", stdout=io.StringIO())
    client.force_login(User.objects.get(username="leader"))
    for url, before in empty.items():
        after = queries(client, url)
        assert after <= QUERIES, url
        assert after <= before + 1, url  # at most the county list, which has rows now
