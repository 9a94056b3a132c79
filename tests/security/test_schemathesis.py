"""schemathesis against ``/api/schema/``, in-process through the WSGI application: every
operation with valid and with invalid input, as a dispatcher and as an entrepreneur (tokens),
on the world of ``world.py``. No answer may be a server error, break the schema (status code,
content type, headers, body), or accept input the schema calls invalid.

Examples are bounded (``EXAMPLES`` per operation, mode and person) and derandomised, so the run
is the same every time and stays within a minute or two; ``SCHEMATHESIS_EXAMPLES`` raises it for
a longer hunt."""

import contextlib
import os
from collections import defaultdict

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def _has_empty_query_value(case) -> bool:
    values = (case.query or {}).values()
    return any(v == "" or (isinstance(v, list) and "" in v) for v in values)


def strategy_for(operation, mode: GenerationMode):
    """Cases of one operation. An empty query parameter means "not given" here, as HTML forms
    send their empty fields (the pages share the API's filters), so invalid cases that rest on
    one are left out; every other kind of invalid input must be refused."""
    strategy = operation.as_strategy(generation_mode=mode)
    if mode == GenerationMode.NEGATIVE:
        strategy = strategy.filter(lambda case: not _has_empty_query_value(case))
    return strategy


def fuzz(schema, token: str, mode: GenerationMode) -> tuple[int, dict[str, set[str]]]:
    """Run every operation; returns the number of requests and the failures by operation."""
    failures: dict[str, set[str]] = defaultdict(set)
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        label = operation.label

        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy_for(operation, mode), label=st.just(label))
        def run(case, label):
            nonlocal calls
            calls += 1
            try:
                case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # failed checks: keep them, go on
                first = str(exc).strip().splitlines()
                failures[label].add(" | ".join(line.strip() for line in first[:40] if line.strip()))

        with contextlib.suppress(Unsatisfiable):  # nothing invalid can be sent to it
            run()
    return calls, failures


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The real WSGI handler closes "old" connections when a request ends, which would close the
    test's own transaction on PostgreSQL; Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("person", ["dispatcher", "entrepreneur"])
def test_the_api_keeps_its_schema(world, person, report_cases, wsgi_in_the_test_transaction):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_in_the_test_transaction)
    token = Token.objects.get_or_create(user=world.people[person])[0].key
    calls, failures = 0, {}
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        made, found = fuzz(schema, token, mode)
        calls += made
        for label, messages in found.items():
            failures.setdefault(label, set()).update(messages)
    report_cases(f"schemathesis as {person}: {calls} requests, {EXAMPLES} examples a mode")
    assert not failures, "\n".join(
        f"{label}:\n  " + "\n  ".join(sorted(messages)) for label, messages in failures.items()
    )
