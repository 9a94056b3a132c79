"""Supervision visits: the ISO week without a visit, due dates in working days, reminders
once, ties, who sees and changes what (owner, colleague, outsider), the pages and the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.models import FollowUp, LeaderTie, Visit
from grassroots.selectors import visits as selectors
from grassroots.services import visits as services
from portal import workdays
from portal.exceptions import Conflict
from portal.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded_calendar():
    """The data migration seeds the holiday table; the cached copy is read afresh."""
    workdays.invalidate()
    yield
    workdays.invalidate()


@pytest.fixture
def leader2(db):
    return UserFactory(role="leader", name="陈副部长")


def record(actor, county, day, units=(), follow_ups=(), **kwargs):
    return services.visit_record(
        actor=actor,
        county=county,
        visited_on=day,
        findings="台账齐全，联络员备案需补齐。",
        units=units,
        follow_ups=follow_ups,
        **kwargs,
    )


# --- the ISO week -----------------------------------------------------------------------------


def test_iso_week_spans_monday_to_sunday_across_the_new_year():
    # Wed 31 Dec 2025 lies in ISO week 1 of 2026: Mon 29 Dec 2025 – Sun 4 Jan 2026.
    assert selectors.iso_week(dt.date(2025, 12, 31)) == (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert selectors.iso_week(dt.date(2025, 12, 29)) == (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert selectors.iso_week(dt.date(2026, 1, 4)) == (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    # Sunday 28 Dec 2025 is the last day of week 52.
    assert selectors.iso_week(dt.date(2025, 12, 28)) == (
        dt.date(2025, 12, 22),
        dt.date(2025, 12, 28),
    )


def test_counties_without_a_visit_this_week(people, jiangshan, kecheng):
    leader = people["leader"]
    record(leader, jiangshan, dt.date(2026, 1, 4))  # Sunday of the week
    record(leader, kecheng, dt.date(2025, 12, 28))  # Sunday of the week before
    missing = {c.code for c in selectors.counties_without_visit(dt.date(2025, 12, 31))}
    assert missing == {
        "330802000000",
        "330803000000",
        "330822000000",
        "330824000000",
        "330825000000",
    }
    # The week before: 柯城 was visited, 江山 not.
    before = {c.code for c in selectors.counties_without_visit(dt.date(2025, 12, 22))}
    assert "330802000000" not in before and "330881000000" in before
    assert len(before) == 5


# --- due dates on the portal's calendar --------------------------------------------------------


def test_due_dates_count_working_days_over_the_national_day(people, jiangshan):
    owner = people["county"]
    visit = record(
        people["leader"],
        jiangshan,
        dt.date(2025, 9, 30),
        follow_ups=[
            services.FollowUpInput("补齐备案", owner, 1),
            services.FollowUpInput("座谈", owner, 3),
        ],
    )
    due = sorted(visit.follow_ups.values_list("due_in_days", "due_on"))
    # 1–8 Oct are off; Thu 9 Oct is the first working day, Sat 11 Oct a make-up workday.
    assert due == [(1, dt.date(2025, 10, 9)), (3, dt.date(2025, 10, 11))]


def test_bad_visit_input_is_refused_and_writes_nothing(people, jiangshan, units):
    with pytest.raises(ValidationError) as info:
        record(people["leader"], jiangshan, dt.date(2025, 5, 6), units=[units["kecheng"]])
    assert "units" in info.value.message_dict
    with pytest.raises(ValidationError):
        record(people["leader"], jiangshan, dt.date(2999, 1, 1))
    with pytest.raises(ValidationError):
        record(
            people["leader"],
            jiangshan,
            dt.date(2025, 5, 6),
            follow_ups=[services.FollowUpInput("x", people["county"], 0)],
        )
    assert not Visit.objects.exists()
    with pytest.raises(PermissionDenied):
        record(people["county"], jiangshan, dt.date(2025, 5, 6))


# --- reminders ---------------------------------------------------------------------------------


def test_overdue_follow_ups_remind_their_owner_once(people, jiangshan):
    owner, other = people["county"], people["lead"]
    visit = record(
        people["leader"],
        jiangshan,
        dt.date(2025, 6, 2),  # Monday
        follow_ups=[
            services.FollowUpInput("逾期事项", owner, 2),  # due Wed 4 Jun
            services.FollowUpInput("未到期事项", other, 10),  # due Mon 16 Jun
            services.FollowUpInput("已办结事项", other, 1),
        ],
    )
    closed = visit.follow_ups.get(title="已办结事项")
    services.follow_up_close(actor=other, item=closed, note="已整改")
    assert services.followup_reminders_sweep(today=dt.date(2025, 6, 5)) == 1
    assert services.followup_reminders_sweep(today=dt.date(2025, 6, 5)) == 0
    assert services.followup_reminders_sweep(today=dt.date(2025, 6, 6)) == 0
    sent = Notification.objects.filter(kind="grassroots.followup_overdue")
    assert [n.recipient_id for n in sent] == [owner.pk]
    assert "逾期事项" in sent.get().title
    # The item not yet due is reminded once it is overdue, still once.
    assert services.followup_reminders_sweep(today=dt.date(2025, 6, 17)) == 1
    assert Notification.objects.filter(kind="grassroots.followup_overdue").count() == 2


def test_the_beat_runs_the_sweep(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["grassroots-followup-reminders"]
    assert entry["task"] == "grassroots.tasks.send_followup_reminders"
    from grassroots.tasks import send_followup_reminders

    assert send_followup_reminders() == 0


# --- closing -------------------------------------------------------------------------------


def test_close_with_a_note_who_may(people, jiangshan, leader2):
    visit = record(
        people["leader"],
        jiangshan,
        dt.date(2025, 6, 2),
        follow_ups=[services.FollowUpInput("事项", people["county"], 2)],
    )
    item = visit.follow_ups.get()
    with pytest.raises(PermissionDenied):
        services.follow_up_close(actor=leader2, item=item, note="不是我的")
    with pytest.raises(PermissionDenied):
        services.follow_up_close(actor=people["other_county"], item=item, note="x")
    with pytest.raises(ValidationError):
        services.follow_up_close(actor=people["county"], item=item, note="  ")
    closed = services.follow_up_close(actor=people["county"], item=item, note="已补齐")
    assert closed.closed_by == people["county"] and closed.close_note == "已补齐"
    assert closed.closed_on is not None
    with pytest.raises(Conflict):
        services.follow_up_close(actor=people["leader"], item=item, note="again")


# --- ties ----------------------------------------------------------------------------------


def test_one_current_county_per_leader(people, jiangshan, kecheng):
    leader, office = people["leader"], people["dispatcher"]
    first = services.tie_set(
        actor=office, leader=leader, county=jiangshan, starts_on=dt.date(2025, 1, 1)
    )
    second = services.tie_set(
        actor=office, leader=leader, county=kecheng, starts_on=dt.date(2025, 7, 1)
    )
    first.refresh_from_db()
    assert first.ends_on == dt.date(2025, 6, 30)
    assert list(LeaderTie.objects.current().filter(leader=leader)) == [second]
    with pytest.raises(PermissionDenied):
        services.tie_set(
            actor=leader, leader=leader, county=jiangshan, starts_on=dt.date(2025, 8, 1)
        )
    with pytest.raises(ValidationError):
        services.tie_set(
            actor=office, leader=people["county"], county=jiangshan, starts_on=dt.date(2025, 8, 1)
        )


# --- scope: owner, colleague, outsider --------------------------------------------------------


@pytest.fixture
def visits(people, jiangshan, kecheng, units):
    own = record(people["leader"], jiangshan, dt.date(2025, 6, 2), units=[units["own"]])
    colleague = record(people["leader"], jiangshan, dt.date(2025, 6, 9), units=[units["colleague"]])
    elsewhere = record(people["leader"], kecheng, dt.date(2025, 6, 3), units=[units["kecheng"]])
    return {"own": own, "colleague": colleague, "kecheng": elsewhere}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("dispatcher", {"own", "colleague", "kecheng"}),
        ("leader", {"own", "colleague", "kecheng"}),
        ("admin", {"own", "colleague", "kecheng"}),
        ("county", {"own", "colleague"}),
        ("other_county", {"kecheng"}),
        ("lead", {"own"}),
        ("colleague", {"colleague"}),
        ("entrepreneur", set()),
    ],
)
def test_visible_to(people, visits, who, expected):
    seen = set(Visit.objects.visible_to(people[who]).values_list("pk", flat=True))
    assert seen == {visits[name].pk for name in expected}


def test_a_leader_reads_every_visit_and_edits_only_their_own(people, visits, leader2):
    client = Client()
    client.force_login(leader2)
    own = visits["own"]
    assert client.get(reverse("grassroots:visit-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("grassroots:visit-edit", args=[own.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.visit_update(
            actor=leader2, visit=own, version=own.version, visited_on=own.visited_on, findings="x"
        )
    client.force_login(people["leader"])
    response = client.post(
        reverse("grassroots:visit-edit", args=[own.pk]),
        {
            "visited_on": "2025-06-02",
            "findings": "改过的发现",
            "version": own.version,
            "fu-TOTAL_FORMS": "0",
            "fu-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.findings == "改过的发现" and own.version == 2


def test_an_edit_on_an_old_version_is_refused(people, visits):
    own = visits["own"]
    services.visit_update(
        actor=people["leader"], visit=own, version=1, visited_on=own.visited_on, findings="先到"
    )
    with pytest.raises(Conflict):
        services.visit_update(
            actor=people["dispatcher"],
            visit=own,
            version=1,
            visited_on=own.visited_on,
            findings="后到",
        )
    own.refresh_from_db()
    assert own.findings == "先到"


def test_pages_owner_colleague_outsider(people, visits):
    client = Client()
    own = reverse("grassroots:visit-detail", args=[visits["own"].pk])
    client.force_login(people["lead"])
    assert client.get(own).status_code == 200
    listing = client.get(reverse("grassroots:visit-list"))
    assert listing.status_code == 200 and listing.text.count('data-testid="visit-card"') == 1
    client.force_login(people["colleague"])
    assert client.get(own).status_code == 404
    client.force_login(people["other_county"])
    assert client.get(own).status_code == 404
    client.force_login(people["entrepreneur"])
    assert client.get(reverse("grassroots:visit-list")).status_code == 403
    assert client.get(own).status_code == 404
    client.force_login(people["county"])
    assert client.get(reverse("grassroots:visit-new")).status_code == 403


def test_the_form_records_a_visit_with_follow_ups(people, jiangshan, units):
    LeaderTie.objects.create(
        leader=people["leader"], county=jiangshan, starts_on=dt.date(2025, 1, 1)
    )
    client = Client()
    client.force_login(people["leader"])
    page = client.get(reverse("grassroots:visit-new"))
    assert page.status_code == 200
    # The leader's own county by default, its units as checkboxes (not 柯城's).
    assert "双塔街道" in page.text and "柯城科技产业园" not in page.text
    response = client.post(
        reverse("grassroots:visit-new") + f"?county={jiangshan.pk}",
        {
            "county": jiangshan.pk,
            "visited_on": "2025-09-30",
            "units": [units["own"].pk],
            "findings": "统战工作站运转正常。",
            "fu-TOTAL_FORMS": "2",
            "fu-INITIAL_FORMS": "0",
            "fu-0-title": "补齐联络员备案",
            "fu-0-owner": people["county"].pk,
            "fu-0-due_in_days": "3",
            "fu-1-title": "",
        },
    )
    assert response.status_code == 302, response.text
    visit = Visit.objects.get()
    assert visit.leader == people["leader"] and list(visit.units.all()) == [units["own"]]
    item = visit.follow_ups.get()
    assert item.due_on == dt.date(2025, 10, 11)
    # A follow-up row without an owner: the message, nothing written.
    bad = client.post(
        reverse("grassroots:visit-new") + f"?county={jiangshan.pk}",
        {
            "visited_on": "2025-09-30",
            "findings": "x",
            "fu-TOTAL_FORMS": "1",
            "fu-INITIAL_FORMS": "0",
            "fu-0-title": "无人负责",
        },
    )
    assert bad.status_code == 200 and Visit.objects.count() == 1
    # Close it on the visit's page.
    client.force_login(people["county"])
    closed = client.post(reverse("grassroots:follow-up-close", args=[item.pk]), {"note": "已备案"})
    assert closed.status_code == 302
    item.refresh_from_db()
    assert item.closed_by == people["county"]


def test_home_panel_shows_counties_without_a_visit(people, jiangshan):
    LeaderTie.objects.create(
        leader=people["leader"], county=jiangshan, starts_on=dt.date(2025, 1, 1)
    )
    client = Client()
    for who in ("leader", "dispatcher"):
        client.force_login(people[who])
        page = client.get(reverse("home"))
        assert page.status_code == 200
        assert 'data-testid="grassroots-visits-panel"' in page.text
        assert "江山市" in page.text
    client.force_login(people["leader"])
    assert "江山市" in client.get(reverse("home")).text


# --- API ---------------------------------------------------------------------------------------


def test_api_list_shape_filters_and_scope(people, visits, jiangshan):
    api = APIClient()
    api.force_authenticate(people["dispatcher"])
    rows = api.get("/api/v1/grassroots/visits/").json()["results"]
    assert len(rows) == 3
    row = next(r for r in rows if r["id"] == visits["own"].pk)
    assert set(row) >= {"id", "date", "county", "leader", "units", "findings", "follow_ups"}
    assert row["county"] == {"code": "330881000000", "name": "江山市"}
    assert row["leader"]["name"] == "周领导"
    filtered = api.get("/api/v1/grassroots/visits/", {"county": "330881", "from": "2025-06-05"})
    assert [r["id"] for r in filtered.json()["results"]] == [visits["colleague"].pk]
    assert api.get("/api/v1/grassroots/visits/", {"county": "999999"}).status_code == 400
    assert api.get("/api/v1/grassroots/visits/", {"from": "June"}).status_code == 400
    api.force_authenticate(people["lead"])
    assert [r["id"] for r in api.get("/api/v1/grassroots/visits/").json()["results"]] == [
        visits["own"].pk
    ]
    assert api.get(f"/api/v1/grassroots/visits/{visits['kecheng'].pk}/").status_code == 404
    api.force_authenticate(people["entrepreneur"])
    assert api.get("/api/v1/grassroots/visits/").status_code == 403


def test_api_create_and_close(people, units):
    api = APIClient()
    api.force_authenticate(people["leader"])
    body = {
        "date": "2025-09-30",
        "county": "330881",
        "units": [units["own"].pk],
        "findings": "阵地建设规范。",
        "follow_ups": [{"title": "补齐备案", "owner": people["county"].pk, "due_in_days": 1}],
    }
    created = api.post("/api/v1/grassroots/visits/", body, format="json")
    assert created.status_code == 201, created.json()
    item = created.json()["follow_ups"][0]
    assert item["due_on"] == "2025-10-09" and item["closed_on"] is None
    assert created.json()["leader"]["id"] == people["leader"].pk
    wrong_unit = {**body, "units": [units["kecheng"].pk]}
    assert api.post("/api/v1/grassroots/visits/", wrong_unit, format="json").status_code == 400
    assert api.post("/api/v1/grassroots/visits/", {}, format="json").status_code == 400
    api.force_authenticate(people["county"])
    assert api.post("/api/v1/grassroots/visits/", body, format="json").status_code == 403
    url = f"/api/v1/grassroots/follow-ups/{item['id']}/close/"
    assert api.post(url, {}, format="json").status_code == 400
    closed = api.post(url, {"note": "已备案"}, format="json")
    assert closed.status_code == 200 and closed.json()["closed_on"] is not None
    assert api.post(url, {"note": "again"}, format="json").status_code == 409
    api.force_authenticate(people["other_county"])
    assert api.post(url, {"note": "x"}, format="json").status_code == 404
    assert FollowUp.objects.get().close_note == "已备案"


def test_list_queries_stay_flat(people, jiangshan, units, django_assert_max_num_queries):
    api = APIClient()
    api.force_authenticate(people["dispatcher"])
    for n in range(3):
        record(
            people["leader"],
            jiangshan,
            dt.date(2025, 3, 3) + dt.timedelta(days=n),
            units=[units["own"], units["colleague"]],
            follow_ups=[services.FollowUpInput("事项", people["county"], 2)],
        )
    with django_assert_max_num_queries(12):
        assert api.get("/api/v1/grassroots/visits/").status_code == 200
    for n in range(10):
        record(
            people["leader"],
            jiangshan,
            dt.date(2025, 4, 1) + dt.timedelta(days=n),
            units=[units["own"]],
            follow_ups=[services.FollowUpInput("事项", people["county"], 2)],
        )
    with django_assert_max_num_queries(12):
        assert api.get("/api/v1/grassroots/visits/").status_code == 200
