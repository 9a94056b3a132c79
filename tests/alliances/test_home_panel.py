"""The alliances' block on the home page: coverage today in the viewer's scope, for the roles
that read alliances only."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ginger(make_alliance, office, places):
    from alliances import services

    alliance = make_alliance("江村生姜联盟")  # led by 双戴村 (龙游, ethnic)
    services.membership_add(
        actor=office, alliance=alliance, region=places["js_b"], joined_on="2022-01-01"
    )
    return alliance


def panel_of(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response


def test_the_office_sees_the_citys_coverage(client, office, ginger):
    response = panel_of(client, office)
    html = response.content.decode()
    assert 'data-testid="alliances-panel"' in html and "覆盖民族村" in html
    figures = response.context["alliances_home"]
    # Two villages in two counties; one of the city's two ethnic villages covered.
    assert (figures["alliances"], figures["villages"], figures["counties"]) == (1, 2, 2)
    assert figures["ethnic_share"] == "1 / 2"
    assert figures["scope"] == ""


def test_county_staff_see_their_countys_part(client, ginger, county_jiangshan):
    figures = panel_of(client, county_jiangshan).context["alliances_home"]
    # The alliance has a member in 江山, so it is theirs; its villages are counted whole.
    assert figures["alliances"] == 1 and figures["scope"] == "江山市"


def test_a_reporter_sees_their_villages_name(client, ginger, reporter):
    assert panel_of(client, reporter).context["alliances_home"]["scope"] == "双戴村"


@pytest.mark.parametrize("role", ["entrepreneur", "handler"])
def test_other_roles_get_no_panel(client, ginger, role, department):
    user = UserFactory(role=role, department=department if role == "handler" else None)
    html = panel_of(client, user).content.decode()
    assert 'data-testid="alliances-panel"' not in html
