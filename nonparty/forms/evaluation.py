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
