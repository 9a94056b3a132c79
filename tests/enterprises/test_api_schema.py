"""The appeal API is documented in the OpenAPI schema (/api/schema/), which generates cleanly."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from enterprises.api.serializers import API_ACTIONS

pytestmark = pytest.mark.django_db

CONTRACT_ACTIONS = {
    "accept",
    "reject",
    "assign",
    "sign",
    "return",
    "request-info",
    "provide-info",
    "reply",
    "rate",
    "extend",
    "approve-extension",
    "supervise",
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_generates_without_warnings_and_validates():
    GENERATOR_STATS.reset()
    generated = SchemaGenerator().get_schema(request=None, public=True)

    warnings = dict(GENERATOR_STATS._warn_cache)
    errors = dict(GENERATOR_STATS._error_cache)
    assert not warnings and not errors, (warnings, errors)
    validate_schema(generated)


def test_every_action_has_its_own_documented_path(schema):
    assert set(API_ACTIONS) >= CONTRACT_ACTIONS
    paths = schema["paths"]
    for name in API_ACTIONS:
        operation = paths[f"/api/v1/appeals/{{id}}/{name}/"]["post"]
        responses = operation["responses"]
        assert set(responses) >= {"200", "400", "401", "403", "404", "409"}, name
        detail = responses["200"]["content"]["application/json"]["schema"]["$ref"]
        assert detail == "#/components/schemas/AppealDetail", name
        error = responses["409"]["content"]["application/json"]["schema"]["$ref"]
        assert error == "#/components/schemas/ApiError", name
        (parameter,) = operation["parameters"]
        assert parameter["name"] == "id" and parameter["schema"]["type"] == "integer"


def test_list_detail_create_and_categories_are_documented(schema):
    paths, components = schema["paths"], schema["components"]["schemas"]
    appeals = paths["/api/v1/appeals/"]
    parameters = {p["name"] for p in appeals["get"]["parameters"]}
    assert {"status", "department", "category", "overdue", "q", "page"} <= parameters
    listed = appeals["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert listed.endswith("PaginatedAppealListList")
    assert "201" in appeals["post"]["responses"]
    assert "get" in paths["/api/v1/appeals/{id}/"]
    assert "get" in paths["/api/v1/appeal-categories/"]

    create = components["AppealCreateRequest"]
    assert set(create["required"]) == {"title", "content", "category", "enterprise"}
    assert create["properties"]["files"]["items"]["format"] == "binary"
    detail = components["AppealDetail"]["properties"]
    assert {"events", "actions", "attachments", "co_departments", "due_at"} <= set(detail)
    assert set(components["AssignRequest"]["properties"]) >= {
        "department",
        "co_departments",
        "due_at",
        "co_due_at",
        "priority",
    }
    assert components["RateRequest"]["required"] == ["rating"]
