"""``seed_demo``'s evaluation: the 2023 scheme with four dimensions, evaluations for most
recognised people with a cadre — most reviewed, a few submitted or drafts — each reviewed grade
what the rows give, scored by the person's cadre; a second run adds nothing."""

import io

import pytest
from django.core.management import call_command

from nonparty.demo import EVALUATION_YEAR
from nonparty.models import Evaluation, EvaluationScheme, EvaluationState, Liaison, Status
from nonparty.selectors.evaluation import result_of

pytestmark = pytest.mark.django_db


def test_the_demo_evaluation():
    call_command("seed_demo", stdout=io.StringIO())
    scheme = EvaluationScheme.objects.get(year=EVALUATION_YEAR)
    assert [(d.name, d.weight) for d in scheme.dimensions.all()] == [
        ("政治表现", 30),
        ("履职建言", 25),
        ("岗位贡献", 25),
        ("社会影响", 20),
    ]
    linked = Liaison.objects.current().filter(person__status=Status.RECOGNISED)
    evaluations = Evaluation.objects.filter(year=EVALUATION_YEAR).prefetch_related(
        "scores", "scheme__dimensions", "scheme__grades"
    )
    assert evaluations.count() >= 0.8 * linked.count()
    states = {state: evaluations.filter(state=state).count() for state in EvaluationState.values}
    assert states["reviewed"] > states["submitted"] > 0 and states["draft"] > 0
    assert states["reviewed"] > evaluations.count() / 2
    cadres = dict(linked.values_list("person_id", "cadre_id"))
    grades = set()
    for evaluation in evaluations:
        assert evaluation.cadre_id == cadres[evaluation.person_id]
        assert evaluation.scores.count() == 4
        if evaluation.state == EvaluationState.REVIEWED:
            assert result_of(evaluation) == (evaluation.score, evaluation.grade)
            grades.add(evaluation.grade)
    assert len(grades) >= 3
    before = Evaluation.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Evaluation.objects.count() == before
    assert EvaluationScheme.objects.filter(year=EVALUATION_YEAR).count() == 1
