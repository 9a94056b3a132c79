"""The association (知联会) president's yearly report and review: figures beside the growth
record, opening and one-time links, scoring once, anonymity in the rows, results computed by
hand, scope (owner, colleague, outsider) on pages and in the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nonparty import services
from nonparty.models import Proposal, Review, ReviewLink
from nonparty.selectors import associations as reads
from nonparty.services import associations as writes
from portal.exceptions import Conflict
from portal.models import Region

pytestmark = pytest.mark.django_db

GOOD = {"verdict": "satisfied", "duty": 5, "activities": 4, "contact": 3, "comment": ""}


@pytest.fixture
def club(people, make_person):
    """The city association: a president (linked to the cadre) and four members, one of them
    (周) from 柯城; a draft report of 2024."""
    desk = people["dispatcher"]
    president = make_person(name="会长甲", status="recognised")
    members = [make_person(name=f"会员{n}", status="recognised") for n in "乙丙丁"]
    members.append(
        make_person(
            name="会员周", status="recognised", native_place=Region.objects.get(code="330802000000")
        )
    )
    association = writes.association_create(
        actor=desk,
        name="衢州市知联会（测试）",
        region=Region.objects.get(code="330800000000"),
        president=president,
    )
    for person in [president, *members]:
        writes.member_add(
            actor=desk, association=association, person=person, joined_on=dt.date(2020, 1, 1)
        )
    services.liaison_link(
        actor=desk, person=president, cadre=people["cadre"], starts_on=dt.date(2024, 1, 1)
    )
    report = writes.report_create(
        actor=desk,
        association=association,
        year=2024,
        data={"text": "述职报告正文", "activities_held": 6, "proposals_submitted": 4},
    )
    return {
        "association": association,
        "president": president,
        "members": members,
        "report": report,
    }


def open_report(club, people, closes_on=None):
    today = timezone.localdate()
    issued = writes.report_open(
        actor=people["dispatcher"],
        report=club["report"],
        closes_on=closes_on or today + dt.timedelta(days=10),
    )
    return {item.person.name: item.token for item in issued}


def test_figures_from_the_growth_record_beside_the_entered_ones(club, people):
    a, b = club["members"][0], club["members"][1]
    common = {"dated_on": dt.date(2024, 3, 1), "channel": "proposal", "title": "提案"}
    Proposal.objects.create(person=a, year=2024, adopted=True, **common)
    Proposal.objects.create(person=a, year=2024, adopted=False, **common)
    Proposal.objects.create(person=b, year=2023, adopted=True, **common)  # another year
    outsider = club["president"].__class__.objects.create(
        name="非会员",
        gender="male",
        birth_date=dt.date(1990, 1, 1),
        native_place=a.native_place,
        field="law",
    )
    Proposal.objects.create(person=outsider, year=2024, adopted=True, **common)
    # A member who left before 2024 does not count.
    left = club["association"].memberships.get(person=club["members"][2])
    writes.member_leave(actor=people["dispatcher"], membership=left, left_on=dt.date(2023, 6, 1))
    Proposal.objects.create(person=club["members"][2], year=2024, adopted=True, **common)
    figures = reads.growth_figures(club["report"])
    assert (figures.members, figures.proposals, figures.adopted) == (4, 2, 1)
    assert club["report"].proposals_submitted == 4


def test_open_issues_one_link_per_member_but_not_the_president(club, people):
    tokens = open_report(club, people)
    assert sorted(tokens) == ["会员丁", "会员丙", "会员乙", "会员周"]
    links = ReviewLink.objects.filter(report=club["report"])
    assert links.count() == 4
    # Only hashes are kept.
    assert not links.filter(token_hash__in=list(tokens.values())).exists()
    with pytest.raises(Conflict):
        open_report(club, people)


def test_a_token_scores_once_and_a_reuse_changes_nothing(club, people, client):
    tokens = open_report(club, people)
    url = reverse("nonparty:review", args=[tokens["会员乙"]])
    assert client.get(url).status_code == 200
    response = client.post(url, GOOD)
    assert response.status_code == 200 and "review-thanks" in response.content.decode()
    again = client.post(url, {**GOOD, "verdict": "dissatisfied"})
    assert again.status_code == 409
    assert "used already" in again.content.decode() or "已使用" in again.content.decode()
    assert list(Review.objects.values_list("verdict", flat=True)) == ["satisfied"]
    with pytest.raises(writes.LinkUnusable):
        writes.review_submit(token=tokens["会员乙"], data=GOOD)
    assert client.get(reverse("nonparty:review", args=["nobody"])).status_code == 404


def test_bad_scores_are_refused_and_the_token_stays_unused(club, people, client):
    tokens = open_report(club, people)
    url = reverse("nonparty:review", args=[tokens["会员丙"]])
    assert client.post(url, {**GOOD, "duty": 9}).status_code == 400
    assert not ReviewLink.objects.filter(used_at__isnull=False).exists()
    with pytest.raises(ValidationError):
        writes.review_submit(token=tokens["会员丙"], data={**GOOD, "duty": 0})
    assert not ReviewLink.objects.filter(used_at__isnull=False).exists()
    assert Review.objects.count() == 0


def test_an_expired_or_closed_link_does_not_score(club, people, client):
    tokens = open_report(club, people, closes_on=timezone.localdate())
    link = ReviewLink.objects.get(person__name="会员乙")
    link.expires_at = timezone.now() - dt.timedelta(seconds=1)
    link.save()
    assert client.post(reverse("nonparty:review", args=[tokens["会员乙"]]), GOOD).status_code == 410
    writes.report_close(actor=people["dispatcher"], report=club["report"], summary="小结")
    assert client.get(reverse("nonparty:review", args=[tokens["会员丙"]])).status_code == 410
    assert Review.objects.count() == 0


def test_the_rows_cannot_join_a_member_to_a_score(club, people):
    tokens = open_report(club, people)
    writes.review_submit(token=tokens["会员乙"], data={**GOOD, "verdict": "dissatisfied"})
    writes.review_submit(token=tokens["会员丙"], data=GOOD)
    names = {f.name for f in Review._meta.get_fields()}
    assert names == {"id", "report", "verdict", "comment", "duty", "activities", "contact"}
    # No key to a person, a link or a user, and no time: only the report.
    related = {f.related_model for f in Review._meta.get_fields() if f.is_relation}
    assert related == {club["report"].__class__}
    assert not any(f.get_internal_type().startswith("Date") for f in Review._meta.concrete_fields)
    # The key is random, not a sequence that follows the order of the links' use.
    assert Review._meta.pk.get_internal_type() == "UUIDField"
    # Nothing in the audit trail names a review.
    from portal.models import AuditLog

    assert not AuditLog.objects.filter(target_type="nonparty.review").exists()
    used = ReviewLink.objects.filter(used_at__isnull=False).values_list("person__name", flat=True)
    assert sorted(used) == ["会员丙", "会员乙"]


def test_results_by_hand(club, people):
    tokens = open_report(club, people)
    writes.review_submit(
        token=tokens["会员乙"],
        data={"verdict": "satisfied", "duty": 5, "activities": 4, "contact": 3, "comment": "好"},
    )
    writes.review_submit(
        token=tokens["会员丙"],
        data={"verdict": "satisfied", "duty": 4, "activities": 4, "contact": 2, "comment": ""},
    )
    writes.review_submit(
        token=tokens["会员丁"],
        data={"verdict": "dissatisfied", "duty": 3, "activities": 1, "contact": 1, "comment": "差"},
    )
    with pytest.raises(ValidationError):
        writes.report_close(actor=people["dispatcher"], report=club["report"], summary=" ")
    writes.report_close(actor=people["dispatcher"], report=club["report"], summary="总体满意")
    results = reads.results_of(club["report"])
    assert (results.members, results.responses, results.response_rate) == (4, 3, 0.75)
    counts = {row["key"]: (row["count"], row["share"]) for row in results.verdicts}
    assert counts == {
        "satisfied": (2, 0.6667),
        "basically_satisfied": (0, 0.0),
        "dissatisfied": (1, 0.3333),
    }
    aspects = {row["key"]: row["average"] for row in results.aspects}
    # duty (5+4+3)/3 = 4; activities (4+4+1)/3 = 3; contact (3+2+1)/3 = 2; overall 3.
    assert aspects == {"duty": 4.0, "activities": 3.0, "contact": 2.0}
    assert results.average == 3.0
    assert sorted(results.comments) == sorted(["差", "好"])
    assert reads.averages([club["report"].pk]) == {club["report"].pk: 3.0}


def test_the_results_page_shows_no_names_of_reviewers(club, people, client):
    tokens = open_report(club, people)
    writes.review_submit(token=tokens["会员乙"], data={**GOOD, "comment": "意见甲"})
    writes.report_close(actor=people["dispatcher"], report=club["report"], summary="小结")
    client.force_login(people["leader"])
    html = client.get(reverse("nonparty:report-detail", args=[club["report"].pk])).content.decode()
    assert "意见甲" in html and "report-results" in html
    # The leader sees no list of who responded at all; the office sees names, not scores.
    assert "会员乙" not in html
    client.force_login(people["dispatcher"])
    html = client.get(reverse("nonparty:report-detail", args=[club["report"].pk])).content.decode()
    assert "会员乙" in html


def test_scope_owner_colleague_outsider(club, people, client):
    """The cadre of the president reads the report; a colleague cadre and another county's
    staff get 403 on nothing of theirs (empty list) and 404 on the report; an entrepreneur 403."""
    report = club["report"]
    url = reverse("nonparty:report-detail", args=[report.pk])
    for name, status in (
        ("dispatcher", 200),
        ("leader", 200),
        ("cadre", 200),
        ("colleague", 404),
        ("county", 404),
        ("entrepreneur", 404),
    ):
        client.force_login(people[name])
        assert client.get(url).status_code == status, name
    client.force_login(people["entrepreneur"])
    assert client.get(reverse("nonparty:association-list")).status_code == 403
    client.force_login(people["cadre"])
    assert client.get(reverse("nonparty:report-edit", args=[report.pk])).status_code == 403
    assert client.post(reverse("nonparty:report-close", args=[report.pk])).status_code == 403


def test_a_county_association_is_read_by_its_county(people, make_person, jiangshan):
    president = make_person(name="江山会长", status="recognised")
    association = writes.association_create(
        actor=people["dispatcher"], name="江山市知联会", region=jiangshan, president=president
    )
    assert list(reads.associations_for(people["county"])) == [association]
    assert list(reads.associations_for(people["other_county"])) == []


def test_office_actions_through_pages(club, people, client):
    client.force_login(people["dispatcher"])
    report = club["report"]
    edit = client.post(
        reverse("nonparty:report-edit", args=[report.pk]),
        {
            "text": "新正文",
            "activities_held": 7,
            "proposals_submitted": 4,
            "proposals_adopted": 1,
            "participations": 30,
            "version": report.version,
        },
    )
    assert edit.status_code == 302
    stale = client.post(
        reverse("nonparty:report-edit", args=[report.pk]),
        {
            "text": "旧的",
            "activities_held": 1,
            "proposals_submitted": 0,
            "proposals_adopted": 0,
            "participations": 0,
            "version": report.version,
        },
    )
    assert stale.status_code == 409
    day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    opened = client.post(reverse("nonparty:report-open", args=[report.pk]), {"closes_on": day})
    assert opened.status_code == 200 and opened.content.decode().count("/nonparty/review/") == 4
    assert opened["Cache-Control"] == "private, no-store"
    link = ReviewLink.objects.get(person__name="会员乙")
    old = link.token_hash
    again = client.post(reverse("nonparty:review-link-reissue", args=[link.pk]))
    assert again.status_code == 200
    link.refresh_from_db()
    assert link.token_hash != old
    closed = client.post(reverse("nonparty:report-close", args=[report.pk]), {"summary": ""})
    assert closed.status_code == 302
    report.refresh_from_db()
    assert report.state == "open"


def test_api_rows(club, people, client):
    tokens = open_report(club, people)
    writes.review_submit(token=tokens["会员乙"], data=GOOD)
    client.force_login(people["cadre"])
    data = client.get("/api/v1/nonparty/president-reports/", {"year": 2024}).json()
    assert data["count"] == 1
    assert data["results"][0] == {
        "id": club["report"].pk,
        "association": "衢州市知联会（测试）",
        "president": {"id": club["president"].pk, "name": "会长甲"},
        "year": 2024,
        "state": "open",
        "responses": 1,
        "members": 4,
        "average": 4.0,
    }
    assert client.get("/api/v1/nonparty/president-reports/", {"year": 2023}).json()["count"] == 0
    assert client.get("/api/v1/nonparty/president-reports/", {"year": "x"}).status_code == 400
    client.force_login(people["colleague"])
    assert client.get("/api/v1/nonparty/president-reports/").json()["count"] == 0
    client.force_login(people["entrepreneur"])
    assert client.get("/api/v1/nonparty/president-reports/").status_code == 403


def test_the_list_query_count_stays_flat(club, people, client, django_assert_max_num_queries):
    client.force_login(people["dispatcher"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("nonparty:association-list")).status_code == 200
