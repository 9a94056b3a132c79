"""The pages of the villages' figures: the reporter enters and submits, the county checks, the
office returns with a reason and approves; locked versions; the figures page and its export."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliances.models import Alliance, Membership, VillageReport
from alliances.services import ensure_indicators
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def indicators(db):
    ensure_indicators()


def login(client, user):
    client.force_login(user)
    return client


def test_the_way_through_the_pages(client, reporter, county_longyou, office, places):
    login(client, reporter)
    assert client.get("/alliances/reports/").status_code == 200
    page = client.get("/alliances/reports/new/")
    assert page.status_code == 200 and "村集体经济收入" in page.content.decode()
    bad = client.post(
        "/alliances/reports/new/",
        {"village": places["shuangdai"].code, "period": "2023H1", "collective_income": "六十万"},
    )
    assert bad.status_code == 200 and 'data-testid="field-error"' in bad.content.decode()
    done = client.post(
        "/alliances/reports/new/",
        {
            "village": places["shuangdai"].code,
            "period": "2023H1",
            "collective_income": "662000",
            "operating_income": "353000",
        },
    )
    report = VillageReport.objects.get()
    assert done.status_code == 302 and done.url == f"/alliances/reports/{report.pk}/"
    assert client.post(f"/alliances/reports/{report.pk}/submit/").status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    # Submitted: the edit page sends back with a message, a second submit is a message too.
    assert client.get(f"/alliances/reports/{report.pk}/edit/").status_code == 302
    client.post(f"/alliances/reports/{report.pk}/submit/")
    login(client, county_longyou)
    client.post(f"/alliances/reports/{report.pk}/check/")
    login(client, office)
    detail = client.get(f"/alliances/reports/{report.pk}/").content.decode()
    assert 'data-testid="report-return"' in detail and 'data-testid="report-approve"' in detail
    client.post(f"/alliances/reports/{report.pk}/return/", {"reason": "经营性收入请附明细"})
    report.refresh_from_db()
    assert report.status == "returned"
    login(client, reporter)
    assert "经营性收入请附明细" in client.get(f"/alliances/reports/{report.pk}/").content.decode()
    client.post(
        f"/alliances/reports/{report.pk}/edit/",
        {"collective_income": "662000", "operating_income": "353500", "revision": report.revision},
    )
    client.post(f"/alliances/reports/{report.pk}/submit/")
    login(client, county_longyou)
    client.post(f"/alliances/reports/{report.pk}/check/")
    login(client, office)
    client.post(f"/alliances/reports/{report.pk}/approve/")
    report.refresh_from_db()
    assert report.status == "approved" and report.is_effective
    login(client, reporter)
    page = client.get(f"/alliances/reports/{report.pk}/").content.decode()
    assert 'data-testid="report-correct"' in page and 'data-testid="report-edit"' not in page
    assert page.count('data-testid="report-step"') == 8


def test_outsiders_get_404_and_non_readers_403(client, reporter, other_reporter, places):
    from alliances.services import report_create

    report = report_create(actor=reporter, village=places["shuangdai"], period="2023H1")
    login(client, other_reporter)
    assert client.get(f"/alliances/reports/{report.pk}/").status_code == 404
    assert client.post(f"/alliances/reports/{report.pk}/submit/").status_code == 404
    login(client, UserFactory(role="entrepreneur"))
    assert client.get("/alliances/reports/").status_code == 403
    assert client.get("/alliances/figures/").status_code == 403
    assert client.get("/alliances/reports/new/").status_code == 403


def test_figures_page_and_export(client, office, places):
    a = Alliance.objects.create(
        name="生姜联盟", founded_on=dt.date(2021, 1, 1), lead_village=places["shuangdai"]
    )
    Membership.objects.create(alliance=a, region=places["shuangdai"], joined_on=dt.date(2021, 1, 1))
    from tests.alliances.test_figures import report

    report(places["shuangdai"], "2023H1", "662000", "353000")
    report(places["shuangdai"], "2022H1", "600000", "300000")
    login(client, office)
    page = client.get("/alliances/figures/", {"period": "2023H1"}).content.decode()
    assert "66.2 万元" in page and "35.3 万元" in page and "+10.3%" in page
    assert client.get("/alliances/figures/", {"period": "bad", "group_by": "x"}).status_code == 200
    response = client.get("/alliances/figures/export/", {"period": "2023H1", "group_by": "county"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][3:] == ("2022H1", "2023H1")
    assert ("龙游县", "—", "报送村数", 1, 1) in rows


def test_report_list_query_count_is_flat(client, office, places):
    login(client, office)
    from tests.alliances.test_figures import report

    report(places["shuangdai"], "2023H1", "1", "1")
    with CaptureQueriesContext(connection) as few:
        client.get("/alliances/reports/")
    for key in ("muchen_v", "plain_ly", "js_a", "js_b"):
        report(places[key], "2023H1", "1", "1")
    with CaptureQueriesContext(connection) as more:
        client.get("/alliances/reports/")
    assert len(more.captured_queries) == len(few.captured_queries)


def test_admin_edits_indicators_and_reads_reports(client, reporter, places):
    from alliances.models import Indicator
    from alliances.services import report_create

    report = report_create(actor=reporter, village=places["shuangdai"], period="2023H1")
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    login(client, admin)
    assert client.get("/admin/alliances/indicator/").status_code == 200
    added = client.post(
        "/admin/alliances/indicator/add/",
        {
            "code": "dividend",
            "name": "村民分红",
            "unit": "元",
            "is_amount": "on",
            "order": 30,
            "active": "on",
        },
    )
    assert added.status_code == 302 and Indicator.objects.filter(code="dividend").exists()
    assert client.get("/admin/alliances/villagereport/").status_code == 200
    assert client.get(f"/admin/alliances/villagereport/{report.pk}/change/").status_code == 200
    assert client.get("/admin/alliances/villagereport/add/").status_code == 403
    # The new indicator is asked for on the page, and submitting needs it.
    login(client, reporter)
    assert "村民分红" in client.get(f"/alliances/reports/{report.pk}/edit/").content.decode()


def test_the_import_page_offers_the_village_figures(client, reporter, county_longyou):
    for user in (reporter, county_longyou):
        login(client, user)
        assert 'data-testid="report-import"' in client.get("/alliances/reports/").content.decode()
        page = client.get("/imports/new/", {"kind": "alliances.reports"})
        assert page.status_code == 200 and "村级报送" in page.content.decode()
        template = client.get("/imports/template/alliances.reports/")
        assert template.status_code == 200
