"""The coverage page: the figures on a day, the region tree from province to village with the
covered and the ethnic regions marked, and the same figures per county."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from alliances import selectors
from alliances.forms import CoverageDayForm
from alliances.views._common import require_reader


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    form = CoverageDayForm(request.GET or None)
    day = timezone.localdate()
    status = 200
    if form.is_bound:
        if form.is_valid():
            day = form.cleaned_data["on"] or day
        else:
            status = 400
    roots, counties = selectors.coverage_tree(request.user, day)
    return render(
        request,
        "alliances/coverage.html",
        {
            "form": form,
            "day": day,
            "figures": selectors.coverage(request.user, day),
            "roots": roots,
            "counties": counties,
            "tab": "coverage",
        },
        status=status,
    )
