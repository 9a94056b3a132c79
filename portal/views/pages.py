"""The shared pages: a home page per role, departments and the holiday calendar."""

import calendar as month_calendar
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portal import selectors, workdays
from portal.models import CalendarDay, Department


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own page with what it has to do today."""
    context = selectors.home_context(request.user)
    return HttpResponse(context.pop("template").render(context, request))


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    departments = Department.objects.visible_to(request.user).active()
    return render(request, "portal/departments.html", {"departments": departments})


def _month_from(raw: str | None, today: date) -> date:
    if raw:
        try:
            year, month = (int(part) for part in raw.split("-"))
            return date(year, month, 1)
        except (ValueError, TypeError) as exc:
            raise ValidationError("bad month") from exc
    return today.replace(day=1)


@login_required
def holiday_calendar(request: HttpRequest) -> HttpResponse:
    """A month of the working-day calendar, with holidays and make-up workdays marked."""
    today = timezone.localdate()
    try:
        first = _month_from(request.GET.get("month"), today)
    except ValidationError:
        first = today.replace(day=1)
    days_in_month = month_calendar.monthrange(first.year, first.month)[1]
    marks = {
        d.date: d
        for d in CalendarDay.objects.filter(
            date__gte=first, date__lte=first.replace(day=days_in_month)
        )
    }
    weeks = []
    for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                {
                    "date": d,
                    "in_month": d.month == first.month,
                    "working": workdays.is_working_day(d),
                    "mark": marks.get(d),
                    "today": d == today,
                }
                for d in week
            ]
        )
    previous_month = (first.replace(day=1) - date.resolution).replace(day=1)
    next_month = first.replace(day=28) + (date.resolution * 4)
    context = {
        "first": first,
        "weeks": weeks,
        "covered": first.year in selectors.covered_years(),
        "previous_month": previous_month.strftime("%Y-%m"),
        "next_month": next_month.replace(day=1).strftime("%Y-%m"),
        "marks": sorted(marks.values(), key=lambda m: m.date),
    }
    return render(request, "portal/calendar.html", context)
