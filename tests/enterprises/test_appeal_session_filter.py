"""Appeals filtered by the dialogue session that raised them (CONTRACT: ``?session=``)."""

import pytest

from tests.enterprises.sessions_setup import build_cast, hold, record_need
from tests.factories import appeal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(clock):
    cast = build_cast()
    hold(cast, clock)
    cast.raised = record_need(cast, cast.a, title="园区蒸汽管网改造资金缺口")
    cast.other = record_need(cast, cast.c, title="危化品运输车辆停车场地")
    cast.owner.enterprise = cast.a
    cast.plain = appeal_in("submitted", entrepreneur=cast.owner, title="与会议无关的诉求")
    return cast


def numbers(response) -> set[str]:
    return {row["number"] for row in response.json()["results"]}


def test_the_api_lists_a_sessions_appeals(client, cast):
    client.force_login(cast.dispatcher)
    response = client.get("/api/v1/appeals/", {"session": cast.session.pk})
    assert response.status_code == 200
    assert numbers(response) == {cast.raised.number, cast.other.number}
    assert response.json()["count"] == 2


def test_the_filter_keeps_to_the_callers_scope(client, cast):
    client.force_login(cast.owner)
    response = client.get("/api/v1/appeals/", {"session": cast.session.pk})
    assert numbers(response) == {cast.raised.number}  # not the other enterprise's need
    client.force_login(cast.outsider)
    assert numbers(client.get("/api/v1/appeals/", {"session": cast.session.pk})) == set()


@pytest.mark.parametrize("bad", ["abc", "999999"])
def test_an_unknown_session_is_a_400_with_a_message(client, cast, bad):
    client.force_login(cast.dispatcher)
    response = client.get("/api/v1/appeals/", {"session": bad})
    assert response.status_code == 400
    assert "session" in response.json()


def test_the_list_page_filters_by_session_too(client, cast):
    client.force_login(cast.dispatcher)
    html = client.get("/appeals/", {"session": cast.session.pk}).content.decode()
    assert cast.raised.number in html and cast.other.number in html
    assert cast.plain.number not in html


def test_the_appeal_page_names_its_session(client, cast):
    client.force_login(cast.dispatcher)
    html = client.get(f"/appeals/{cast.raised.pk}/").content.decode()
    assert f'href="{cast.session.get_absolute_url()}"' in html
    client.force_login(cast.owner)  # the enterprise sees where it came from, without a link
    html = client.get(f"/appeals/{cast.raised.pk}/").content.decode()
    assert 'data-testid="appeal-session"' in html
    assert cast.session.get_absolute_url() not in html
