"""Forms of the comprehensive evaluation: the cadre's scores per dimension with evidence from
the growth record, the office's review (adjusted scores with a reason) and return (a reason).
The numbers are checked again by the service, so the page and the API agree."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

SCORE_ATTRS = {
    "inputmode": "decimal",
    "autocomplete": "off",
    "class": "form-control text-end",
    "pattern": r"[0-9]{1,3}([.][0-9])?",
}


def _score_field(label, required=False, initial=None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        initial=initial,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs=SCORE_ATTRS),
    )


class ScoreForm(forms.Form):
    """One row per dimension of the scheme in force: ``score_<id>``, ``comment_<id>`` and
    ``evidence_<id>`` (entries of the person's growth record), and an overall comment."""

    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, dimensions, evidence, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = list(dimensions)
        for dimension in self.dimensions:
            self.fields[f"score_{dimension.pk}"] = _score_field(
                _("Score of %(name)s") % {"name": dimension.name}
            )
            self.fields[f"comment_{dimension.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
            self.fields[f"evidence_{dimension.pk}"] = forms.MultipleChoiceField(
                label=_("Evidence from the growth record"),
                required=False,
                choices=evidence,
                widget=forms.CheckboxSelectMultiple,
            )

    def rows(self) -> dict:
        data = self.cleaned_data
        return {
            dimension.pk: {
                "score": data.get(f"score_{dimension.pk}"),
                "comment": data.get(f"comment_{dimension.pk}", ""),
                "evidence": data.get(f"evidence_{dimension.pk}", []),
            }
            for dimension in self.dimensions
        }

    def dimension_rows(self) -> list[tuple]:
        return [
            (
                dimension,
                self[f"score_{dimension.pk}"],
                self[f"comment_{dimension.pk}"],
                self[f"evidence_{dimension.pk}"],
            )
            for dimension in self.dimensions
        ]


def score_initial(evaluation, dimensions) -> dict:
    """The form's initial values from ``evaluation`` (matched by dimension name, so a newer
    version of the scheme keeps what was entered on the older)."""
    if evaluation is None:
        return {}
    by_name = {s.dimension.name: s for s in evaluation.scores.all()}
    initial = {"comment": evaluation.comment}
    for dimension in dimensions:
        score = by_name.get(dimension.name)
        if score is not None:
            initial[f"score_{dimension.pk}"] = score.score
            initial[f"comment_{dimension.pk}"] = score.comment
            initial[f"evidence_{dimension.pk}"] = list(score.evidence)
    return initial


class ReviewForm(forms.Form):
    """The office's review: each dimension's score as it will count, and why any changed."""

    reason = forms.CharField(
        label=_("Reason for adjustments"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.scores = list(scores)
        for score in self.scores:
            self.fields[f"adjusted_{score.dimension_id}"] = _score_field(
                score.dimension.name, initial=score.final
            )

    def adjustments(self) -> dict:
        return {
            score.dimension_id: value
            for score in self.scores
            if (value := self.cleaned_data.get(f"adjusted_{score.dimension_id}")) is not None
        }


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


DIMENSION_ROWS = 8
GRADE_ROWS = 6


class SchemeForm(forms.Form):
    """A year's scheme on a staff page: up to eight dimensions (name, weight) and six grades
    (name, from score); blank rows are left out. The service checks the whole."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    notes = forms.CharField(label=_("notes"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(DIMENSION_ROWS):
            self.fields[f"dim_name_{i}"] = forms.CharField(
                label=_("dimension"), required=False, max_length=30
            )
            self.fields[f"dim_weight_{i}"] = forms.IntegerField(
                label=_("weight (%)"),
                required=False,
                min_value=1,
                max_value=100,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            )
        for i in range(GRADE_ROWS):
            self.fields[f"grade_label_{i}"] = forms.CharField(
                label=_("grade"), required=False, max_length=10
            )
            self.fields[f"grade_min_{i}"] = _score_field(_("from score"))
            self.fields[f"grade_min_{i}"].widget.attrs["class"] = "form-control form-control-sm"
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")

    @staticmethod
    def initial_for(scheme) -> dict:
        if scheme is None:
            return {}
        initial = {"year": scheme.year, "notes": scheme.notes}
        for i, d in enumerate(scheme.dimensions.all()[:DIMENSION_ROWS]):
            initial[f"dim_name_{i}"], initial[f"dim_weight_{i}"] = d.name, d.weight
        for i, g in enumerate(scheme.grades.all()[:GRADE_ROWS]):
            initial[f"grade_label_{i}"], initial[f"grade_min_{i}"] = g.label, g.min_score
        return initial

    def clean(self):
        data = super().clean()
        for i in range(DIMENSION_ROWS):
            name, weight = data.get(f"dim_name_{i}"), data.get(f"dim_weight_{i}")
            if bool(name) != (weight is not None) and f"dim_weight_{i}" not in self.errors:
                self.add_error(
                    f"dim_weight_{i}" if name else f"dim_name_{i}",
                    _("Give each dimension a name and a weight."),
                )
        for i in range(GRADE_ROWS):
            label, minimum = data.get(f"grade_label_{i}"), data.get(f"grade_min_{i}")
            if bool(label) != (minimum is not None) and f"grade_min_{i}" not in self.errors:
                self.add_error(
                    f"grade_min_{i}" if label else f"grade_label_{i}",
                    _("Give each grade a name and the score it starts at."),
                )
        return data

    def dimensions(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        return [
            (data[f"dim_name_{i}"], data[f"dim_weight_{i}"])
            for i in range(DIMENSION_ROWS)
            if data.get(f"dim_name_{i}")
        ]

    def grades(self) -> list[tuple[str, Decimal]]:
        data = self.cleaned_data
        return [
            (data[f"grade_label_{i}"], data[f"grade_min_{i}"])
            for i in range(GRADE_ROWS)
            if data.get(f"grade_label_{i}")
        ]

    def rows(self) -> tuple[list, list]:
        """The bound fields in rows, for the template."""
        return (
            [(self[f"dim_name_{i}"], self[f"dim_weight_{i}"]) for i in range(DIMENSION_ROWS)],
            [(self[f"grade_label_{i}"], self[f"grade_min_{i}"]) for i in range(GRADE_ROWS)],
        )
