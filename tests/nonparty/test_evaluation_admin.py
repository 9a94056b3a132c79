"""The evaluation scheme in the admin site: weights must total 100 (a clear message, nothing
saved), the lowest grade starts at 0, a version with evaluations is frozen and “Save as new”
makes the year's next version while the reviewed grade keeps its own."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from nonparty import services
from nonparty.models import Evaluation, EvaluationScheme, Liaison, Status

pytestmark = pytest.mark.django_db

ADD = "admin:nonparty_evaluationscheme_add"


def post_data(year, dimensions, grades, *, scheme=None, extra=None):
    data = {"year": str(year), "notes": ""}
    for prefix, rows, fields in (
        ("dimensions", dimensions, ("order", "name", "weight")),
        ("grades", grades, ("label", "min_score")),
    ):
        existing = list(getattr(scheme, prefix).all()) if scheme else []
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(existing))
        data[f"{prefix}-MIN_NUM_FORMS"] = "1"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            for name, value in zip(fields, row, strict=True):
                data[f"{prefix}-{i}-{name}"] = str(value)
            if i < len(existing):
                data[f"{prefix}-{i}-id"] = str(existing[i].pk)
                data[f"{prefix}-{i}-scheme"] = str(scheme.pk)
    data.update(extra or {})
    return data


DIMS = [(0, "政治表现", 30), (1, "履职建言", 25), (2, "岗位贡献", 25), (3, "社会影响", 20)]
GRADES = [("优秀", "90"), ("良好", "75"), ("合格", "60"), ("不合格", "0")]


@pytest.fixture
def admin_client(client, people):
    client.force_login(people["admin"])
    return client


def test_weights_must_total_100(admin_client, people):
    bad = [(0, "政治表现", 30), (1, "履职建言", 25)]
    response = admin_client.post(reverse(ADD), post_data(2023, bad, GRADES))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert not EvaluationScheme.objects.exists()
    no_floor = [("优秀", "90"), ("良好", "75")]
    response = admin_client.post(reverse(ADD), post_data(2023, DIMS, no_floor))
    assert response.status_code == 200 and not EvaluationScheme.objects.exists()
    response = admin_client.post(reverse(ADD), post_data(2023, DIMS, GRADES))
    assert response.status_code == 302
    scheme = EvaluationScheme.objects.get()
    assert (scheme.year, scheme.version, scheme.created_by) == (2023, 1, people["admin"])
    assert sum(scheme.dimensions.values_list("weight", flat=True)) == 100


def test_a_version_with_evaluations_is_frozen_and_saved_as_new(admin_client, people, make_person):
    scheme = services.scheme_save(
        actor=None,
        year=2022,
        dimensions=[(name, weight) for _, name, weight in DIMS],
        grades=[(label, Decimal(m)) for label, m in GRADES],
    )
    person = make_person(name="甲", status=Status.RECOGNISED)
    Liaison.objects.create(cadre=people["cadre"], person=person, starts_on=dt.date(2022, 1, 1))
    rows = {
        d.pk: {"score": s, "comment": "依据"}
        for d, s in zip(scheme.dimensions.all(), ("92", "88", "85.5", "90"), strict=True)
    }
    evaluation = services.evaluation_save(
        actor=people["cadre"], person=person, year=2022, rows=rows, submit=True
    )
    services.evaluation_transition(
        evaluation=evaluation, actor=people["dispatcher"], action="review"
    )
    url = reverse("admin:nonparty_evaluationscheme_change", args=[scheme.pk])
    heavier = [(0, "政治表现", 10), (1, "履职建言", 10), (2, "岗位贡献", 70), (3, "社会影响", 10)]
    response = admin_client.post(url, post_data(2022, heavier, GRADES, scheme=scheme))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()  # frozen: a clear refusal
    assert list(scheme.dimensions.values_list("weight", flat=True)) == [30, 25, 25, 20]
    response = admin_client.post(
        url, post_data(2022, heavier, GRADES, scheme=scheme, extra={"_saveasnew": "1"})
    )
    assert response.status_code == 302
    new = EvaluationScheme.objects.current(2022)
    assert new.version == 2 and new.pk != scheme.pk
    assert list(new.dimensions.values_list("weight", flat=True)) == [10, 10, 70, 10]
    evaluation = Evaluation.objects.get()
    assert (evaluation.scheme_id, evaluation.score, evaluation.grade) == (
        scheme.pk,
        Decimal("89.0"),
        "良好",
    )
    assert (
        admin_client.get(reverse("admin:nonparty_evaluationscheme_changelist")).status_code == 200
    )
