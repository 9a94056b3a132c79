from datetime import date

import pytest

from portal import workdays
from portal.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded_calendar():
    """The data migration seeds the table; make sure it is there even after a flushing test."""
    workdays.sync_from_chinesecalendar()
    workdays.invalidate()
    yield
    workdays.invalidate()


def test_table_is_seeded_from_chinesecalendar():
    assert set(range(2004, 2027)) <= set(CalendarYear.objects.values_list("year", flat=True))
    national_day = CalendarDay.objects.get(date=date(2025, 10, 1))
    assert national_day.kind == CalendarDay.Kind.HOLIDAY
    assert national_day.name == "国庆节"


def test_weekday_holiday_and_makeup_workday():
    assert workdays.is_working_day(date(2025, 9, 30))  # Tuesday
    assert not workdays.is_working_day(date(2025, 10, 1))  # National Day, Wednesday
    assert not workdays.is_working_day(date(2025, 10, 8))  # still the holiday, Wednesday
    assert workdays.is_working_day(date(2025, 9, 28))  # Sunday, a make-up workday (调休)
    assert workdays.is_working_day(date(2025, 10, 11))  # Saturday, a make-up workday
    assert not workdays.is_working_day(date(2025, 10, 12))  # ordinary Sunday


def test_add_working_days_skips_the_national_day_holiday():
    # Tue 30 Sep 2025 + 1 working day: 1–8 Oct are off, so Thu 9 Oct.
    assert workdays.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    # Fri 26 Sep + 1: Sun 28 Sep is a make-up workday.
    assert workdays.add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert workdays.add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)


def test_add_zero_and_negative_working_days():
    assert workdays.add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 9)
    assert workdays.add_working_days(date(2025, 9, 30), 0) == date(2025, 9, 30)
    assert workdays.add_working_days(date(2025, 10, 9), -1) == date(2025, 9, 30)


def test_working_days_between_is_the_inverse_of_add():
    start = date(2025, 9, 20)
    for n in range(0, 40):
        end = workdays.add_working_days(start, n)
        if n:
            assert workdays.working_days_between(start, end) == n
    assert workdays.working_days_between(date(2025, 10, 9), date(2025, 9, 30)) == -1
    assert workdays.working_days_between(date(2025, 9, 30), date(2025, 9, 30)) == 0
    # The whole Spring Festival week 2025 (28 Jan – 4 Feb) counts nothing but the make-up day.
    assert workdays.working_days_between(date(2025, 1, 27), date(2025, 2, 4)) == 0


def test_admin_edit_is_seen_at_once():
    day = date(2025, 11, 12)  # an ordinary Wednesday
    assert workdays.is_working_day(day)
    CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name="测试假日")
    assert not workdays.is_working_day(day)


def test_uncovered_year_falls_back_to_weekdays_and_warns(caplog):
    CalendarYear.objects.filter(year=2027).delete()
    with caplog.at_level("WARNING", logger="portal.workdays"):
        assert workdays.is_working_day(date(2027, 1, 1))  # a Friday, holiday unknown yet
        assert not workdays.is_working_day(date(2027, 1, 2))
    assert "2027" in caplog.text
    assert workdays.uncovered_years_asked() == [2027]
    CalendarYear.objects.create(year=2027, source="admin")
    assert workdays.uncovered_years_asked() == []


def test_missing_years_ahead():
    CalendarYear.objects.filter(year=2027).delete()
    assert workdays.missing_years_ahead(date(2026, 11, 26)) == [2027]
    assert workdays.missing_years_ahead(date(2026, 6, 1)) == []


def test_admin_sees_the_banner_and_others_do_not(client, admin_user, dispatcher, settings):
    CalendarYear.objects.filter(year__gte=2027).delete()
    workdays.is_working_day(date(2027, 3, 1))  # somebody asked about 2027
    client.force_login(admin_user)
    page = client.get("/").content.decode()
    assert 'data-testid="calendar-banner"' in page
    assert "2027" in page
    admin_page = client.get("/admin/").content.decode()
    assert 'data-testid="admin-calendar-banner"' in admin_page
    client.force_login(dispatcher)
    assert 'data-testid="calendar-banner"' not in client.get("/").content.decode()


def test_calendar_page_marks_holidays(client, dispatcher):
    client.force_login(dispatcher)
    response = client.get("/calendar/?month=2025-10")
    assert response.status_code == 200
    page = response.content.decode()
    assert "国庆节" in page
    assert client.get("/calendar/?month=garbage").status_code == 200


def test_coverage_task_notifies_admins_once(admin_user, dispatcher, monkeypatch):
    from portal.models import Notification
    from portal.tasks import check_calendar_coverage

    monkeypatch.setattr(workdays.timezone, "localdate", lambda: date(2026, 11, 26))
    CalendarYear.objects.filter(year__gte=2027).delete()
    assert check_calendar_coverage() == [2027]
    check_calendar_coverage()  # a second run the same day sends nothing new
    notes = Notification.objects.filter(recipient=admin_user, kind="portal.calendar_missing_year")
    assert notes.count() == 1
    assert "2027" in notes.get().title
    assert not Notification.objects.filter(recipient=dispatcher).exists()
