"""Each figure of the cockpit equals the list behind it (its link, opened by the same person)
and the owning app's own API, on the demo's rows; county staff see their county's numbers."""

import io
import re

import pytest
from django.core.management import call_command

from portal.models import Region, User

pytestmark = pytest.mark.django_db

# Figures whose link is the list they are counted from, but whose number is not its length.
NOT_A_LENGTH = {
    "appeals.closure_rate",
    "appeals.on_time_rate",
    "appeals.satisfaction_rate",
    "sessions.invited",
    "xiangxian.services_value",
    "alliances.ethnic_villages_covered",
    "alliances.ethnic_coverage",
    "nonparty.talks_done",
}
COUNT_MARKS = (
    r'data-testid="list-count">(\d+)<',
    # "共12件诉求" in Chinese, "12 appeals" in English: the first number in the element.
    r'data-testid="result-count">[^<\d]*(\d+)',
    r'data-testid="person-count">[^<\d]*(\d+)',
)


def list_length(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    for mark in COUNT_MARKS:
        found = re.search(mark, html)
        if found:
            return int(found.group(1))
    raise AssertionError(f"no count on {url}")


def figures(client, query: str) -> dict:
    response = client.get(f"/api/v1/cockpit/{query}")
    assert response.status_code == 200, response.content
    return {f["key"]: f for s in response.json()["sections"] for f in s["figures"]}


@pytest.fixture
def demo(client):
    call_command("seed_demo", password="x", stdout=io.StringIO())


def check_lists(client, shown: dict) -> None:
    for key, figure in shown.items():
        if key in NOT_A_LENGTH or not figure["url"]:
            continue
        assert list_length(client, figure["url"]) == figure["value"], key


def test_each_figure_equals_its_list_and_the_apps_api(client, demo):
    from nonparty.selectors.talks import talk_completion

    leader = User.objects.get(username="leader")
    client.force_login(leader)
    for query in (
        "?period=2023",
        "",
        "?period=2023Q3&county=330881",
        "?from=2023-03-01&to=2023-09-15",
    ):
        shown = figures(client, query)
        assert set(shown) >= {"appeals.accepted", "xiangxian.people", "alliances.alliances"}
        check_lists(client, shown)

    # The article's figures, from the demo's rows (issue 19, item 8).
    shown = figures(client, "?period=2023")
    assert shown["sessions.held"]["value"] == 22
    assert shown["sessions.invited"]["value"] == 197
    assert shown["sessions.needs_closed"]["value"] == 359
    assert shown["alliances.alliances"]["value"] == 12
    assert shown["alliances.ethnic_villages_covered"]["value"] == 49
    assert shown["alliances.ethnic_coverage"]["value"] == 100.0

    # Appeals against the stats API on the same period.
    stats = client.get("/api/v1/stats/appeals/?from=2023-01-01&to=2023-12-31").json()["total"]
    assert shown["appeals.accepted"]["value"] == stats["accepted"]
    assert shown["appeals.closed"]["value"] == stats["closed"]
    assert shown["appeals.closure_rate"]["value"] == round(100 * stats["closure_rate"], 1)
    assert shown["appeals.on_time_rate"]["value"] == round(100 * stats["on_time_rate"], 1)
    assert shown["appeals.satisfaction_rate"]["value"] == round(100 * stats["satisfaction_rate"], 1)
    assert shown["appeals.overdue_open"]["value"] == stats["overdue_open"]

    # Coverage against the alliances' API on the period's end.
    coverage = client.get("/api/v1/alliances/coverage/?on=2023-12-31").json()
    assert shown["alliances.alliances"]["value"] == coverage["alliances"]
    assert (
        shown["alliances.ethnic_villages_covered"]["value"] == coverage["ethnic_villages_covered"]
    )

    # This year's services' value, the sessions' invited and the talks, against their pages.
    now = figures(client, "")
    page = client.get(now["xiangxian.services_value"]["url"]).content.decode()
    value = re.search(r'data-testid="window-value">[^0-9]*([\d,]+\.\d\d)', page).group(1)
    assert float(value.replace(",", "")) == now["xiangxian.services_value"]["value"]
    page = client.get(shown["sessions.invited"]["url"]).content.decode()
    invited = re.search(r'data-testid="figure-entrepreneurs">(\d+)<', page).group(1)
    assert int(invited) == shown["sessions.invited"]["value"]
    year = int(client.get("/api/v1/cockpit/").json()["period"]["label"])
    assert now["nonparty.talks_done"]["value"] == talk_completion(leader, year)["total"]["done"]


def test_county_staff_see_their_county_only(client, demo):
    county1 = User.objects.get(username="county1")
    jiangshan = Region.objects.get(code="330881000000")
    leader = User.objects.get(username="leader")

    client.force_login(leader)
    city = figures(client, "?period=2023")
    in_county = figures(client, "?period=2023&county=330881")

    client.force_login(county1)
    own = figures(client, "?period=2023")
    assert client.get("/api/v1/cockpit/?period=2023").json()["county"] == jiangshan.code
    assert own == figures(client, "?period=2023&county=330881")
    for key, figure in own.items():
        assert figure["value"] == in_county[key]["value"], key
    # Never the city's: the county's appeals are fewer than the city's.
    assert own["appeals.accepted"]["value"] < city["appeals.accepted"]["value"]
    assert "sessions.held" not in own  # the city's sessions are not cut by county
    check_lists(client, own)
    # Another county: refused.
    assert client.get("/api/v1/cockpit/?county=330802").status_code == 403
    assert client.get("/cockpit/?county=330802").status_code == 403
