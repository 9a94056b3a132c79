"""Pages of the comprehensive evaluation (综合评价): the year's list (the office all, a liaison
cadre their people, county staff their county's, leaders read), the cadre's scoring form for a
person, one evaluation with the office's review and return."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nonparty import selectors
from nonparty.forms.evaluation import (
    ReturnForm,
    ReviewForm,
    SchemeForm,
    ScoreForm,
    score_initial,
)
from nonparty.models import Evaluation, EvaluationState, Liaison, Status
from nonparty.selectors import evaluation as ev
from nonparty.services import evaluation as services
from nonparty.views._common import PAGE_SIZE, require_archive
from portal.exceptions import Conflict
from portal.forms import copy_errors
from portal.paginator import KeysFirstPaginator


class EvaluationFilterForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label=gettext_lazy("Grade"), required=False)
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("Any"))] + list(EvaluationState.choices),
    )

    def __init__(self, *args, grades, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", gettext_lazy("Any"))] + [(g, g) for g in grades]
        self.fields["year"].widget.attrs.update({"inputmode": "numeric"})
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")


@login_required
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    require_archive(request)
    default = ev.default_year()
    raw = request.GET.copy()
    raw.setdefault("year", str(default))
    year_for_grades = raw.get("year") if str(raw.get("year", "")).isdigit() else None
    form = EvaluationFilterForm(raw, grades=ev.grades_in_use(int(year_for_grades or default)))
    if form.is_valid():
        year = form.cleaned_data["year"]
        grade, state = form.cleaned_data["grade"], form.cleaned_data["state"]
    else:
        year, grade, state = default, "", ""
    rows = ev.evaluations_for(request.user, year=year, grade=grade, state=state)
    page = KeysFirstPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    scheme = ev.scheme_in_force(year)
    cadre = ev.is_cadre_of(request.user, None)
    to_score = []
    if cadre and scheme is not None:
        to_score = list(
            Liaison.objects.current()
            .filter(cadre=request.user, person__status=Status.RECOGNISED)
            .exclude(person__evaluations__year=year)
            .select_related("person")
            .order_by("person__name")[:200]
        )
    return render(
        request,
        "nonparty/evaluation/list.html",
        {
            "form": form,
            "page": page,
            "year": year,
            "scheme": scheme,
            "dimensions": list(scheme.dimensions.all()) if scheme else [],
            "grades": list(scheme.grades.all()) if scheme else [],
            "counts": ev.state_counts(
                Evaluation.objects.visible_to(request.user).filter(year=year)
            ),
            "to_score": to_score,
            "filtered": bool(grade or state),
            "can_set_scheme": ev.is_office(request.user),
        },
    )


def _scoring_page(request, person, year, form, scheme, evaluation, status=200):
    return render(
        request,
        "nonparty/evaluation/score.html",
        {
            "person": person,
            "year": year,
            "form": form,
            "scheme": scheme,
            "evaluation": evaluation,
            "grades": list(scheme.grades.all()) if scheme else [],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_score(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The cadre's scores of a person for a year: save a draft, or save and submit."""
    person = selectors.person_for(request.user, pk)
    if not 2000 <= year <= 2100:
        raise Http404
    if not ev.is_cadre_of(request.user, person):
        raise PermissionDenied
    evaluation = ev.evaluation_of(request.user, person, year)
    if evaluation is not None and not evaluation.editable:
        messages.info(
            request,
            _("This evaluation is %(state)s: it changes only after the office returns it.")
            % {"state": evaluation.get_state_display()},
        )
        return redirect("nonparty:evaluation-detail", pk=evaluation.pk)
    scheme = ev.scheme_in_force(year)
    if scheme is None:
        return _scoring_page(request, person, year, None, None, evaluation, status=200)
    dimensions = list(scheme.dimensions.all())
    evidence = ev.evidence_choices(request.user, person)
    if request.method == "GET":
        form = ScoreForm(
            initial=score_initial(evaluation, dimensions), dimensions=dimensions, evidence=evidence
        )
        return _scoring_page(request, person, year, form, scheme, evaluation)
    form = ScoreForm(request.POST, dimensions=dimensions, evidence=evidence)
    if not form.is_valid():
        return _scoring_page(request, person, year, form, scheme, evaluation, status=400)
    submit = "submit" in request.POST
    try:
        saved = services.evaluation_save(
            actor=request.user,
            person=person,
            year=year,
            rows=form.rows(),
            comment=form.cleaned_data["comment"],
            submit=submit,
        )
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _scoring_page(request, person, year, form, scheme, evaluation, status=409)
    except ValidationError as exc:
        copy_errors(form, exc)
        return _scoring_page(request, person, year, form, scheme, evaluation, status=400)
    if submit:
        messages.success(request, _("The evaluation is submitted to the office."))
    else:
        messages.success(request, _("The draft is saved."))
    return redirect("nonparty:evaluation-detail", pk=saved.pk)


def _detail(request, evaluation, *, review_form=None, return_form=None, status=200):
    evaluation = ev.evaluation_for(request.user, evaluation.pk)
    scores = list(evaluation.scores.all())
    labels = ev.evidence_labels(key for score in scores for key in score.evidence)
    actions = services.available_actions(request.user, evaluation)
    if "review" in actions and review_form is None:
        review_form = ReviewForm(scores=scores)
    if "return" in actions and return_form is None:
        return_form = ReturnForm()
    weights = {d.pk: d.weight for d in evaluation.scheme.dimensions.all()}
    rows = [
        {
            "score": score,
            "weight": weights.get(score.dimension_id),
            "evidence": [labels[key] for key in score.evidence if key in labels],
        }
        for score in scores
    ]
    if evaluation.state == EvaluationState.REVIEWED:
        result, grade = evaluation.score, evaluation.grade
    else:
        result, grade = ev.result_of(evaluation)
    return render(
        request,
        "nonparty/evaluation/detail.html",
        {
            "evaluation": evaluation,
            "person": evaluation.person,
            "rows": rows,
            "result": result,
            "result_grade": grade,
            "grades": list(evaluation.scheme.grades.all()),
            "actions": actions,
            "can_score": evaluation.editable and ev.is_cadre_of(request.user, evaluation.person),
            "review_form": review_form if "review" in actions else None,
            "return_form": return_form if "return" in actions else None,
        },
        status=status,
    )


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, ev.evaluation_for(request.user, pk))


def _step(request, pk, action, form_class, kwarg):
    evaluation = ev.evaluation_for(request.user, pk)
    if not ev.is_office(request.user):
        raise PermissionDenied
    if form_class is ReviewForm:
        form = ReviewForm(request.POST, scores=list(evaluation.scores.all()))
    else:
        form = ReturnForm(request.POST)
    if not form.is_valid():
        return _detail(request, evaluation, status=400, **{kwarg: form})
    try:
        services.evaluation_transition(
            evaluation=evaluation,
            actor=request.user,
            action=action,
            reason=form.cleaned_data["reason"],
            adjustments=form.adjustments() if action == "review" else None,
        )
    except Conflict as exc:
        messages.error(request, exc.message)
        return _detail(request, evaluation, status=409)
    except ValidationError as exc:
        copy_errors(form, exc)
        return _detail(request, evaluation, status=400, **{kwarg: form})
    if action == "review":
        messages.success(request, _("The evaluation is reviewed."))
    else:
        messages.success(request, _("The evaluation is returned to the cadre."))
    return redirect(reverse("nonparty:evaluation-detail", args=[evaluation.pk]))


@login_required
@require_POST
def evaluation_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "review", ReviewForm, "review_form")


@login_required
@require_POST
def evaluation_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "return", ReturnForm, "return_form")


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_scheme(request: HttpRequest) -> HttpResponse:
    """The office sets a year's scheme: changed in place while no evaluation uses the version
    in force, else saved as the year's next version (grades already given keep theirs)."""
    if not ev.is_office(request.user):
        raise PermissionDenied
    if request.method == "GET":
        try:
            year = int(request.GET.get("year") or ev.default_year())
        except ValueError:
            year = ev.default_year()
        scheme = ev.scheme_in_force(year) if 2000 <= year <= 2100 else None
        initial = SchemeForm.initial_for(scheme) or {"year": year}
        return _scheme_page(request, SchemeForm(initial=initial), scheme)
    form = SchemeForm(request.POST)
    if not form.is_valid():
        return _scheme_page(request, form, None, status=400)
    year = form.cleaned_data["year"]
    try:
        scheme = services.scheme_save(
            actor=request.user,
            year=year,
            dimensions=form.dimensions(),
            grades=form.grades(),
            notes=form.cleaned_data["notes"],
        )
    except ValidationError as exc:
        for messages_ in exc.message_dict.values():
            form.add_error(None, messages_)
        return _scheme_page(request, form, ev.scheme_in_force(year), status=400)
    messages.success(
        request,
        _("The scheme of %(year)s is saved as version %(version)s.")
        % {"year": scheme.year, "version": scheme.version},
    )
    return redirect(reverse("nonparty:evaluation-list") + f"?year={scheme.year}")


def _scheme_page(request, form, scheme, status=200):
    dimension_rows, grade_rows = form.rows()
    return render(
        request,
        "nonparty/evaluation/scheme.html",
        {
            "form": form,
            "scheme": scheme,
            "frozen": scheme is not None and scheme.evaluations.exists(),
            "dimension_rows": dimension_rows,
            "grade_rows": grade_rows,
        },
        status=status,
    )
