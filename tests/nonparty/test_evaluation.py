"""The comprehensive evaluation (综合评价): weighted scores and grades computed by hand, the
threshold's edge, versioned schemes (last year's grade never moves), every illegal step, who
scores, reviews and sees what (owner cadre / colleague cadre / outsider), the pages and the
API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from nonparty import services
from nonparty.models import (
    Evaluation,
    EvaluationScheme,
    EvaluationState,
    Liaison,
    Status,
    Training,
)
from nonparty.selectors import evaluation as ev
from portal.exceptions import Conflict
from portal.models import Notification

pytestmark = pytest.mark.django_db
YEAR = 2023
DIMENSIONS = [("政治表现", 30), ("履职建言", 25), ("岗位贡献", 25), ("社会影响", 20)]
GRADES = [("优秀", 90), ("良好", 75), ("合格", 60), ("基本合格", 45), ("不合格", 0)]


def set_scheme(year=YEAR, dimensions=DIMENSIONS, grades=GRADES, actor=None):
    return services.scheme_save(
        actor=actor,
        year=year,
        dimensions=dimensions,
        grades=[(label, Decimal(minimum)) for label, minimum in grades],
    )


@pytest.fixture
def world(people, make_person):
    """甲 (liaison ``cadre``'s, from 江山), 乙 (the colleague's, from 江山) and the 2023 scheme."""
    a = make_person(name="甲", status=Status.RECOGNISED)
    b = make_person(name="乙", status=Status.RECOGNISED)
    Liaison.objects.create(cadre=people["cadre"], person=a, starts_on=dt.date(2023, 1, 1))
    Liaison.objects.create(cadre=people["colleague"], person=b, starts_on=dt.date(2023, 1, 1))
    training = Training.objects.create(
        person=a, dated_on=dt.date(2023, 5, 1), course="研修班", days=5
    )
    other_training = Training.objects.create(
        person=b, dated_on=dt.date(2023, 5, 1), course="乙的研修班", days=3
    )
    return {
        "a": a,
        "b": b,
        "scheme": set_scheme(),
        "training": training,
        "other_training": other_training,
    }


def rows_for(scheme, scores, evidence=None, comment="依据充分"):
    return {
        d.pk: {"score": s, "comment": comment, "evidence": evidence or []}
        for d, s in zip(scheme.dimensions.all(), scores, strict=True)
    }


def scored(people, world, scores=("92", "88", "85.5", "90"), submit=True, year=YEAR):
    scheme = ev.scheme_in_force(year)
    return services.evaluation_save(
        actor=people["cadre"],
        person=world["a"],
        year=year,
        rows=rows_for(scheme, scores),
        submit=submit,
    )


def review(evaluation, actor, **kwargs):
    return services.evaluation_transition(
        evaluation=evaluation, actor=actor, action="review", **kwargs
    )


# --- the computation ------------------------------------------------------------------------------


def test_weighted_score_and_grade_by_hand(people, world):
    # 92×30% + 88×25% + 85.5×25% + 90×20% = 27.6 + 22 + 21.375 + 18 = 88.975 → 89.0 (half up)
    evaluation = review(scored(people, world), people["dispatcher"])
    assert evaluation.score == Decimal("89.0")
    assert evaluation.grade == "良好"
    assert evaluation.state == EvaluationState.REVIEWED
    assert evaluation.scheme == world["scheme"]


@pytest.mark.parametrize(
    ("scores", "score", "grade"),
    [
        (("90", "90", "90", "90"), "90.0", "优秀"),  # exactly on the threshold earns it
        (("90", "90", "90", "89.8"), "90.0", "优秀"),  # 89.96 rounds to 90.0 first
        (("90", "90", "90", "89.5"), "89.9", "良好"),
        (("60", "60", "60", "60"), "60.0", "合格"),
        (("0", "0", "0", "0"), "0.0", "不合格"),
        (("100", "100", "100", "100"), "100.0", "优秀"),
    ],
)
def test_threshold_edges(people, world, scores, score, grade):
    evaluation = review(scored(people, world, scores), people["dispatcher"])
    assert (evaluation.score, evaluation.grade) == (Decimal(score), grade)


def test_the_office_adjusts_with_a_reason(people, world):
    evaluation = scored(people, world)
    first = world["scheme"].dimensions.get(name="政治表现")
    with pytest.raises(ValidationError) as error:
        review(evaluation, people["dispatcher"], adjustments={first.pk: "100"})
    assert "reason" in error.value.message_dict
    evaluation = review(
        evaluation, people["dispatcher"], adjustments={first.pk: "100"}, reason="获市级表彰"
    )
    # 100×30% + 22 + 21.375 + 18 = 91.375 → 91.4
    assert (evaluation.score, evaluation.grade) == (Decimal("91.4"), "优秀")
    kept = evaluation.scores.get(dimension=first)
    assert (kept.score, kept.adjusted) == (Decimal("92.0"), Decimal("100.0"))
    assert evaluation.review_note == "获市级表彰"


# --- the scheme and its versions ---------------------------------------------------------------------


def test_weights_must_total_100_and_every_score_earns_a_grade():
    with pytest.raises(ValidationError) as error:
        set_scheme(year=2024, dimensions=[("政治表现", 50), ("履职建言", 40)])
    assert any("90" in message for message in error.value.message_dict["dimensions"])
    with pytest.raises(ValidationError) as error:
        set_scheme(year=2024, grades=[("优秀", 90), ("良好", 75)])
    assert "grades" in error.value.message_dict
    with pytest.raises(ValidationError):
        set_scheme(year=2024, dimensions=[("政治表现", 50), ("政治表现", 50)])
    assert not EvaluationScheme.objects.filter(year=2024).exists()


def test_a_scheme_without_evaluations_changes_in_place(world):
    scheme = set_scheme(dimensions=[("政治表现", 40), ("履职建言", 60)])
    assert scheme.pk == world["scheme"].pk and scheme.version == 1
    assert list(scheme.dimensions.values_list("weight", flat=True)) == [40, 60]


def test_changing_the_weights_leaves_last_years_grade_unchanged(people, world):
    reviewed = review(scored(people, world), people["dispatcher"])
    assert (reviewed.score, reviewed.grade) == (Decimal("89.0"), "良好")
    # The office weighs 岗位贡献 more heavily: a new version; the reviewed grade keeps its own.
    new = set_scheme(
        dimensions=[("政治表现", 20), ("履职建言", 20), ("岗位贡献", 40), ("社会影响", 20)]
    )
    assert (new.year, new.version) == (YEAR, 2)
    assert ev.scheme_in_force(YEAR) == new
    reviewed.refresh_from_db()
    assert (reviewed.score, reviewed.grade, reviewed.scheme_id) == (
        Decimal("89.0"),
        "良好",
        world["scheme"].pk,
    )
    assert ev.result_of(reviewed) == (Decimal("89.0"), "良好")
    assert list(world["scheme"].dimensions.values_list("weight", flat=True)) == [30, 25, 25, 20]
    # Next year's evaluation of 乙 is scored on the new version.
    other = services.evaluation_save(
        actor=people["colleague"],
        person=world["b"],
        year=YEAR,
        rows=rows_for(new, ("92", "88", "85.5", "90")),
        submit=True,
    )
    other = review(other, people["dispatcher"])
    # 92×20% + 88×20% + 85.5×40% + 90×20% = 18.4 + 17.6 + 34.2 + 18 = 88.2
    assert (other.scheme, other.score) == (new, Decimal("88.2"))


def test_a_draft_moves_to_the_new_version_when_saved_again(people, world):
    draft = scored(people, world, submit=False)
    new = set_scheme(dimensions=[("政治表现", 50), ("履职建言", 50)])
    assert new.version == 2  # a version with any evaluation is not changed in place
    again = services.evaluation_save(
        actor=people["cadre"], person=world["a"], year=YEAR, rows=rows_for(new, ("80", "70"))
    )
    assert again.pk == draft.pk and again.scheme == new
    assert again.scores.count() == 2


def test_only_the_office_sets_a_scheme(people):
    with pytest.raises(PermissionDenied):
        set_scheme(year=2025, actor=people["cadre"])
    assert set_scheme(year=2025, actor=people["dispatcher"]).version == 1


# --- scoring ------------------------------------------------------------------------------------


def test_who_scores_and_what_evidence(people, world):
    scheme = world["scheme"]
    for outsider in ("colleague", "dispatcher", "county", "leader"):
        with pytest.raises(PermissionDenied):
            services.evaluation_save(actor=people[outsider], person=world["a"], year=YEAR, rows={})
    with pytest.raises(ValidationError) as error:
        services.evaluation_save(
            actor=people["cadre"],
            person=world["a"],
            year=YEAR,
            rows=rows_for(
                scheme, ("90", "90", "90", "90"), [f"training:{world['other_training'].pk}"]
            ),
        )
    assert any(key.startswith("evidence_") for key in error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.evaluation_save(
            actor=people["cadre"],
            person=world["a"],
            year=YEAR,
            rows=rows_for(scheme, ("101", "90", "abc", "90.55")),
        )
    assert len(error.value.message_dict) == 3
    with pytest.raises(ValidationError):
        services.evaluation_save(actor=people["cadre"], person=world["a"], year=2030, rows={})
    assert not Evaluation.objects.exists()
    evaluation = services.evaluation_save(
        actor=people["cadre"],
        person=world["a"],
        year=YEAR,
        rows=rows_for(scheme, ("90", "90", "90", "90"), [f"training:{world['training'].pk}"]),
    )
    assert evaluation.scores.first().evidence == [f"training:{world['training'].pk}"]


def test_submitting_needs_every_dimension_with_evidence_or_a_comment(people, world):
    scheme = world["scheme"]
    rows = rows_for(scheme, ("90", "90", "90", "90"), comment="")
    draft = services.evaluation_save(actor=people["cadre"], person=world["a"], year=YEAR, rows=rows)
    with pytest.raises(ValidationError) as error:
        services.evaluation_transition(evaluation=draft, actor=people["cadre"], action="submit")
    assert len(error.value.message_dict) == 4
    partial = dict(list(rows_for(scheme, ("90", "90", "90", "90")).items())[:3])
    services.evaluation_save(actor=people["cadre"], person=world["a"], year=YEAR, rows=partial)
    with pytest.raises(ValidationError):
        services.evaluation_transition(evaluation=draft, actor=people["cadre"], action="submit")
    draft.refresh_from_db()
    assert draft.state == EvaluationState.DRAFT


# --- the steps ----------------------------------------------------------------------------------

ALLOWED = {
    ("submit", EvaluationState.DRAFT),
    ("submit", EvaluationState.RETURNED),
    ("review", EvaluationState.SUBMITTED),
    ("return", EvaluationState.SUBMITTED),
}


@pytest.mark.parametrize("state", EvaluationState.values)
@pytest.mark.parametrize("action", ["submit", "review", "return"])
def test_every_illegal_step_is_a_conflict(people, world, state, action):
    evaluation = scored(people, world, submit=False)
    # Bring it to ``state`` without the services' checks, then try the step.
    Evaluation.objects.filter(pk=evaluation.pk).update(
        state=state, score=Decimal("89.0") if state == EvaluationState.REVIEWED else None
    )
    actor = people["cadre"] if action == "submit" else people["dispatcher"]
    if (action, state) in ALLOWED:
        done = services.evaluation_transition(
            evaluation=evaluation, actor=actor, action=action, reason="理由"
        )
        assert done.state != state
        return
    with pytest.raises(Conflict):
        services.evaluation_transition(
            evaluation=evaluation, actor=actor, action=action, reason="理由"
        )
    evaluation.refresh_from_db()
    assert evaluation.state == state


def test_wrong_people_for_a_step_are_refused(people, world):
    evaluation = scored(people, world)
    for who, action in (
        ("cadre", "review"),
        ("cadre", "return"),
        ("leader", "review"),
        ("county", "return"),
        ("dispatcher", "submit"),
        ("colleague", "submit"),
    ):
        with pytest.raises(PermissionDenied):
            services.evaluation_transition(
                evaluation=evaluation, actor=people[who], action=action, reason="x"
            )


def test_a_reviewed_or_submitted_evaluation_is_not_rescored(people, world):
    evaluation = scored(people, world)
    with pytest.raises(Conflict):
        scored(people, world, submit=False)
    review(evaluation, people["dispatcher"])
    with pytest.raises(Conflict):
        scored(people, world, submit=False)


def test_return_and_resubmit_tells_the_cadre(people, world, django_capture_on_commit_callbacks):
    evaluation = scored(people, world)
    with pytest.raises(ValidationError):
        services.evaluation_transition(
            evaluation=evaluation, actor=people["dispatcher"], action="return"
        )
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.evaluation_transition(
            evaluation=evaluation, actor=people["dispatcher"], action="return", reason="佐证不足"
        )
    assert returned.state == EvaluationState.RETURNED
    assert Notification.objects.filter(
        recipient=people["cadre"], kind="nonparty.evaluation_returned"
    ).exists()
    again = scored(people, world, ("95", "95", "95", "95"))
    assert again.state == EvaluationState.SUBMITTED and again.return_reason == ""
    with django_capture_on_commit_callbacks(execute=True):
        review(again, people["dispatcher"])
    assert Notification.objects.filter(
        recipient=people["cadre"], kind="nonparty.evaluation_reviewed"
    ).exists()


# --- scope --------------------------------------------------------------------------------------


def test_scope_owner_colleague_outsider(people, world):
    evaluation = scored(people, world)
    visible = {name: set(Evaluation.objects.visible_to(people[name])) for name in people}
    assert visible["cadre"] == {evaluation}  # the owner: their person
    assert visible["colleague"] == set()  # another liaison cadre
    assert visible["entrepreneur"] == set()  # an outsider
    assert visible["county"] == {evaluation}  # 甲 is from 江山
    assert visible["other_county"] == set()
    assert visible["dispatcher"] == visible["leader"] == {evaluation}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_list_rows_filters_and_scope(people, world):
    evaluation = review(scored(people, world), people["dispatcher"])
    url = reverse("api:nonparty-evaluation-list")
    body = api(people["dispatcher"]).get(url, {"year": YEAR, "grade": "良好"}).json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "id": evaluation.pk,
        "person": {"id": world["a"].pk, "name": "甲"},
        "year": YEAR,
        "state": "reviewed",
        "score": "89.0",
        "grade": "良好",
        "cadre": {"id": people["cadre"].pk, "name": people["cadre"].display_name},
    }
    assert api(people["dispatcher"]).get(url, {"grade": "优秀"}).json()["count"] == 0
    assert api(people["dispatcher"]).get(url, {"state": "draft"}).json()["count"] == 0
    assert api(people["cadre"]).get(url).json()["count"] == 1
    assert api(people["colleague"]).get(url).json()["count"] == 0
    assert api(people["entrepreneur"]).get(url).status_code == 403
    bad = api(people["dispatcher"]).get(url, {"state": "nonsense", "year": "1800"})
    assert bad.status_code == 400 and set(bad.json()) >= {"state", "year"}
    detail = reverse("api:nonparty-evaluation-detail", args=[evaluation.pk])
    assert api(people["cadre"]).get(detail).status_code == 200
    assert api(people["colleague"]).get(detail).status_code == 404
    assert api(people["entrepreneur"]).get(detail).status_code == 404


def test_api_steps_answer_409_403_404_400(people, world):
    evaluation = scored(people, world, submit=False)

    def step(who, name, **data):
        url = reverse(f"api:nonparty-evaluation-{name}", args=[evaluation.pk])
        return api(people[who]).post(url, data, format="json")

    assert step("dispatcher", "review").status_code == 409  # a draft
    assert step("dispatcher", "return", reason="x").status_code == 409
    assert step("colleague", "submit").status_code == 404
    assert step("entrepreneur", "submit").status_code == 404
    assert step("leader", "submit").status_code == 403
    response = step("cadre", "submit")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert step("cadre", "submit").status_code == 409
    assert step("cadre", "review").status_code == 403
    assert step("dispatcher", "return").status_code == 400  # no reason
    first = world["scheme"].dimensions.first()
    assert step("dispatcher", "review", adjustments={str(first.pk): "100"}).status_code == 400
    response = step("dispatcher", "review", adjustments={str(first.pk): "100"}, reason="表彰")
    assert response.status_code == 200
    assert (response.json()["score"], response.json()["grade"]) == ("91.4", "优秀")
    assert step("dispatcher", "review").status_code == 409
    assert step("dispatcher", "return", reason="x").status_code == 409


# --- pages ----------------------------------------------------------------------------------------


def test_the_cadre_scores_on_the_page_and_the_office_reviews(client, people, world):
    scheme = world["scheme"]
    url = reverse("nonparty:evaluation-score", args=[world["a"].pk, YEAR])
    client.force_login(people["cadre"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'inputmode="decimal"' in html and "研修班" in html and "政治表现" in html
    form = {"comment": "总体良好"}
    for d, s in zip(scheme.dimensions.all(), ("92", "88", "85.5", "abc"), strict=True):
        form[f"score_{d.pk}"] = s
        form[f"comment_{d.pk}"] = "依据"
    form[f"evidence_{scheme.dimensions.first().pk}"] = [f"training:{world['training'].pk}"]
    bad = client.post(url, {**form, "submit": "1"})
    assert bad.status_code == 400 and not Evaluation.objects.exists()
    last = scheme.dimensions.last()
    form[f"score_{last.pk}"] = "90"
    done = client.post(url, {**form, "submit": "1"})
    evaluation = Evaluation.objects.get()
    assert done.status_code == 302 and evaluation.state == EvaluationState.SUBMITTED
    # Not editable now: the form sends the cadre to the evaluation.
    assert client.get(url).status_code == 302
    assert client.get(reverse("nonparty:evaluation-list"), {"year": YEAR}).status_code == 200
    client.force_login(people["colleague"])
    assert client.get(url).status_code == 404
    detail = reverse("nonparty:evaluation-detail", args=[evaluation.pk])
    assert client.get(detail).status_code == 404
    client.force_login(people["dispatcher"])
    page = client.get(detail)
    assert page.status_code == 200 and "89.0" in page.content.decode()
    assert client.get(url).status_code == 403  # the office reviews, it does not score
    refused = client.post(reverse("nonparty:evaluation-return", args=[evaluation.pk]), {})
    assert refused.status_code == 400
    reviewed = client.post(reverse("nonparty:evaluation-review", args=[evaluation.pk]), {})
    assert reviewed.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.score, evaluation.grade) == (
        "reviewed",
        Decimal("89.0"),
        "良好",
    )
    again = client.post(reverse("nonparty:evaluation-review", args=[evaluation.pk]), {})
    assert again.status_code == 409
    person_page = client.get(reverse("nonparty:detail", args=[world["a"].pk])).content.decode()
    assert 'data-testid="person-evaluation"' in person_page and "良好" in person_page


def test_list_pages_by_role(client, people, world):
    review(scored(people, world), people["dispatcher"])
    url = reverse("nonparty:evaluation-list")
    for name, count in (
        ("dispatcher", 1),
        ("leader", 1),
        ("county", 1),
        ("other_county", 0),
        ("cadre", 1),
        ("colleague", 0),
    ):
        client.force_login(people[name])
        page = client.get(url, {"year": YEAR, "grade": "良好", "state": "reviewed"})
        assert page.status_code == 200
        assert page.content.decode().count('data-testid="evaluation-card"') == count, name
    client.force_login(people["colleague"])
    # The colleague's own person still to score.
    assert "乙" in client.get(url, {"year": YEAR}).content.decode()
    client.force_login(people["entrepreneur"])
    assert client.get(url).status_code == 403
    client.force_login(people["dispatcher"])
    bad = client.get(url, {"year": "abc", "state": "nonsense"})
    assert bad.status_code == 200 and "alert-danger" in bad.content.decode()


def test_the_list_takes_a_fixed_number_of_queries(
    client, people, world, make_person, django_assert_max_num_queries
):
    for i in range(6):
        person = make_person(name=f"丙{i}", status=Status.RECOGNISED)
        Liaison.objects.create(cadre=people["cadre"], person=person, starts_on=dt.date(2023, 1, 1))
        services.evaluation_save(
            actor=people["cadre"],
            person=person,
            year=YEAR,
            rows=rows_for(world["scheme"], ("80", "80", "80", "80")),
            submit=True,
        )
    client.force_login(people["dispatcher"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("nonparty:evaluation-list"), {"year": YEAR}).status_code == 200


def scheme_post(year, dimensions, grades, notes=""):
    data = {"year": str(year), "notes": notes}
    for i, (name, weight) in enumerate(dimensions):
        data[f"dim_name_{i}"], data[f"dim_weight_{i}"] = name, str(weight)
    for i, (label, minimum) in enumerate(grades):
        data[f"grade_label_{i}"], data[f"grade_min_{i}"] = label, str(minimum)
    return data


def test_the_office_sets_the_scheme_on_its_page(client, people, world):
    url = reverse("nonparty:evaluation-scheme")
    client.force_login(people["cadre"])
    assert client.get(url).status_code == 403
    assert client.post(url, scheme_post(2024, DIMENSIONS, GRADES)).status_code == 403
    client.force_login(people["dispatcher"])
    page = client.get(url, {"year": YEAR})
    assert page.status_code == 200 and 'value="政治表现"' in page.content.decode()
    bad = client.post(url, scheme_post(2024, [("政治表现", 60), ("履职建言", 30)], GRADES))
    assert bad.status_code == 400 and not EvaluationScheme.objects.filter(year=2024).exists()
    assert "90" in bad.content.decode()
    half = client.post(url, {**scheme_post(2024, DIMENSIONS, GRADES), "dim_weight_0": ""})
    assert half.status_code == 400
    done = client.post(url, scheme_post(2024, DIMENSIONS, GRADES))
    assert done.status_code == 302
    assert EvaluationScheme.objects.get(year=2024).version == 1
    # With a reviewed evaluation of 2023, the page saves the next version; the grade stays.
    reviewed = review(scored(people, world), people["dispatcher"])
    heavier = [("政治表现", 10), ("履职建言", 10), ("岗位贡献", 70), ("社会影响", 10)]
    assert client.post(url, scheme_post(YEAR, heavier, GRADES)).status_code == 302
    assert ev.scheme_in_force(YEAR).version == 2
    reviewed.refresh_from_db()
    assert (reviewed.score, reviewed.grade, reviewed.scheme_id) == (
        Decimal("89.0"),
        "良好",
        world["scheme"].pk,
    )
