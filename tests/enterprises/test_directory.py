"""The staff enterprise directory: who may open the list and the detail page (owner, colleague,
outsider for entrepreneurs), search and filters, county/township from the region tree, masked
mobiles, scoped appeals, pagination and a flat query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.models import IndustryChain
from portal.models import Region
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory, appeal_in

pytestmark = pytest.mark.django_db

LIST_URL = "/enterprises/"
STAFF_ROLES = ["dispatcher", "leader", "admin", "handler", "department_head"]


def detail_url(pk: int) -> str:
    return reverse("enterprises:detail", args=[pk])


def region(code: str) -> Region:
    return Region.objects.get(code=code)


@pytest.fixture
def kecheng() -> Region:
    return region("330802000000")


@pytest.fixture
def fushan(kecheng) -> Region:
    """A township of 柯城区 (townships are loaded by load_regions, not by the migrations)."""
    return Region.objects.create(
        code="330802001000",
        name="府山街道",
        level=Region.Level.TOWNSHIP,
        parent=kecheng,
        vintage=2023,
    )


@pytest.fixture
def village(fushan) -> Region:
    return Region.objects.create(
        code="330802001001",
        name="坊门街社区",
        level=Region.Level.VILLAGE,
        parent=fushan,
        vintage=2023,
    )


def table(response) -> str:
    html = response.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


def rows(response) -> int:
    return response.content.decode().count('data-testid="enterprise-row"')


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_open_the_list(client, make_user, department, role):
    EnterpriseFactory()
    client.force_login(make_user(role=role, department=department))
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert rows(response) == 1


def test_only_dispatchers_and_admins_see_the_import_link(client, make_user, department):
    for role in STAFF_ROLES:
        client.force_login(make_user(role=role, department=department))
        shown = b'data-testid="import-link"' in client.get(LIST_URL).content
        assert shown == (role in ("dispatcher", "admin")), role


@pytest.mark.parametrize("who", ["entrepreneur", "colleague", "outsider"])
def test_entrepreneurs_may_not_open_the_list(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST_URL).status_code == 403


def test_the_list_needs_a_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_open_any_detail(client, make_user, department, role, entrepreneur):
    client.force_login(make_user(role=role, department=department))
    assert client.get(detail_url(entrepreneur.enterprise.pk)).status_code == 200


def test_owner_and_colleague_open_their_enterprise_outsider_gets_404(
    client, entrepreneur, colleague, outsider
):
    url = detail_url(entrepreneur.enterprise.pk)
    for user in (entrepreneur, colleague):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b'data-testid="enterprise-uscc"' in response.content
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_pending_member_may_not_open_the_detail(client):
    membership = MembershipFactory(status="pending")
    client.force_login(membership.user)
    assert client.get(detail_url(membership.enterprise.pk)).status_code == 404


def test_unknown_enterprise_is_404(client, dispatcher):
    client.force_login(dispatcher)
    assert client.get(detail_url(999999)).status_code == 404


# --- list: search, filters, places, pagination ----------------------------------------------------


def test_list_shows_county_and_township_from_the_region_tree(
    client, dispatcher, fushan, village, kecheng
):
    EnterpriseFactory(name="甲公司", region=fushan)
    EnterpriseFactory(name="乙公司", region=village)
    EnterpriseFactory(name="丙公司", region=kecheng)
    client.force_login(dispatcher)
    html = table(client.get(LIST_URL))
    assert html.count("柯城区") == 3
    assert html.count("府山街道") == 2  # the village's township, not the village
    assert "坊门街社区" not in html


def test_search_by_name_and_by_code_prefix(client, dispatcher):
    target = EnterpriseFactory(name="龙游特种纸业有限公司")
    EnterpriseFactory(name="其他公司")
    client.force_login(dispatcher)
    by_name = client.get(LIST_URL, {"q": "特种纸"})
    assert rows(by_name) == 1 and target.name in by_name.content.decode()
    by_code = client.get(LIST_URL, {"q": target.uscc[:17].lower()})
    assert rows(by_code) == 1 and target.name in by_code.content.decode()


def test_filters(client, dispatcher, kecheng, fushan):
    chain = IndustryChain.objects.get(name="新能源")
    qujiang = region("330803000000")
    match = EnterpriseFactory(
        region=fushan, industry_chain=chain, size="medium", listing_status="listed"
    )
    EnterpriseFactory(region=qujiang, industry_chain=chain, size="medium", listing_status="listed")
    EnterpriseFactory(region=kecheng, size="small")
    EnterpriseFactory(region=kecheng, industry_chain=chain, size="medium")
    client.force_login(dispatcher)

    assert rows(client.get(LIST_URL, {"county": kecheng.pk})) == 3
    assert rows(client.get(LIST_URL, {"industry_chain": chain.pk})) == 3
    assert rows(client.get(LIST_URL, {"size": "medium"})) == 3
    response = client.get(
        LIST_URL,
        {
            "county": kecheng.pk,
            "industry_chain": chain.pk,
            "size": "medium",
            "listing_status": "listed",
        },
    )
    assert rows(response) == 1
    assert match.name in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"county": "abc"},
        {"county": "99999999"},
        {"size": "huge"},
        {"listing_status": "x"},
        {"q": "x" * 101},
    ],
)
def test_a_bad_filter_value_is_ignored_and_marked(client, dispatcher, params):
    EnterpriseFactory.create_batch(2)
    client.force_login(dispatcher)
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    assert rows(response) == 2
    assert b"is-invalid" in response.content


def test_a_township_is_not_offered_as_a_county(client, dispatcher, fushan):
    client.force_login(dispatcher)
    response = client.get(LIST_URL, {"county": fushan.pk})
    assert b"is-invalid" in response.content


def test_list_is_paginated_by_25_and_keeps_the_filters(client, dispatcher):
    chain = IndustryChain.objects.get(name="高端装备")
    EnterpriseFactory.create_batch(30, industry_chain=chain)
    EnterpriseFactory.create_batch(3)
    client.force_login(dispatcher)
    first = client.get(LIST_URL, {"industry_chain": chain.pk})
    assert rows(first) == 25
    assert f"industry_chain={chain.pk}&amp;page=2" in first.content.decode()
    second = client.get(LIST_URL, {"industry_chain": chain.pk, "page": 2})
    assert rows(second) == 5
    assert rows(client.get(LIST_URL, {"page": "not-a-number"})) == 25


def test_names_are_escaped(client, dispatcher):
    EnterpriseFactory(name="<script>alert(1)</script>公司")
    client.force_login(dispatcher)
    assert b"<script>alert(1)" not in client.get(LIST_URL).content


def list_queries(client, **params) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_list_query_count_is_the_same_at_5_and_50_enterprises(client, dispatcher, fushan, village):
    chain = IndustryChain.objects.get(name="数字经济")

    def add(count: int) -> None:
        for n in range(count):
            EnterpriseFactory(region=(fushan, village, None)[n % 3], industry_chain=chain)

    client.force_login(dispatcher)
    filters = {"county": fushan.parent_id, "industry_chain": chain.pk, "q": "衢州"}
    add(5)
    few, few_filtered = list_queries(client), list_queries(client, **filters)
    add(45)
    many, many_filtered = list_queries(client), list_queries(client, **filters)
    assert len(few) == len(many), "\n".join(["few:", *few, "many:", *many])
    assert len(few_filtered) == len(many_filtered), "\n".join(many_filtered)
    assert len(many) <= 8


# --- detail ---------------------------------------------------------------------------------------


def test_detail_shows_identity_and_masked_members(client, dispatcher, fushan):
    chain = IndustryChain.objects.get(name="化工新材料")
    enterprise = EnterpriseFactory(region=fushan, industry_chain=chain, size="large")
    member = UserFactory(role="entrepreneur", name="张三", mobile="13812345678")
    MembershipFactory(user=member, enterprise=enterprise, status="verified", position="总经理")
    pending = UserFactory(role="entrepreneur", name="李四", mobile="13987654321")
    MembershipFactory(user=pending, enterprise=enterprise, status="pending")
    client.force_login(dispatcher)
    html = client.get(detail_url(enterprise.pk)).content.decode()
    assert enterprise.uscc in html
    assert "柯城区" in html and "府山街道" in html and "化工新材料" in html
    assert "张三" in html and "总经理" in html
    assert "138****5678" in html and "13812345678" not in html
    assert "李四" not in html  # only verified members


def test_detail_lists_the_appeals_in_the_users_scope(
    client, dispatcher, handler, other_handler, entrepreneur, outsider
):
    mine = appeal_in("assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    new = appeal_in("submitted", entrepreneur=entrepreneur, title="新的诉求标题")
    appeal_in("submitted", entrepreneur=outsider)  # another enterprise's
    url = detail_url(entrepreneur.enterprise.pk)

    client.force_login(dispatcher)
    html = client.get(url).content.decode()
    assert html.count('data-testid="appeal-row"') == 2
    assert html.index(new.number) < html.index(mine.number)  # newest first
    assert f'href="/appeals/{mine.pk}/"' in html

    client.force_login(handler)  # the lead department sees its own appeal only
    html = client.get(url).content.decode()
    assert html.count('data-testid="appeal-row"') == 1 and mine.number in html

    client.force_login(other_handler)  # another department sees none of them
    assert client.get(url).content.decode().count('data-testid="appeal-row"') == 0

    client.force_login(entrepreneur)
    assert client.get(url).content.decode().count('data-testid="appeal-row"') == 2


def test_detail_appeals_are_paginated(client, dispatcher, entrepreneur):
    for n in range(12):
        appeal_in("submitted", entrepreneur=entrepreneur, title=f"诉求标题第{n}条")
    client.force_login(dispatcher)
    url = detail_url(entrepreneur.enterprise.pk)
    assert client.get(url).content.decode().count('data-testid="appeal-row"') == 10
    assert client.get(url, {"page": 2}).content.decode().count('data-testid="appeal-row"') == 2


def test_detail_query_count_does_not_grow_with_appeals_or_members(client, dispatcher, entrepreneur):
    client.force_login(dispatcher)
    url = detail_url(entrepreneur.enterprise.pk)
    appeal_in("submitted", entrepreneur=entrepreneur)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for _ in range(5):
        appeal_in("submitted", entrepreneur=entrepreneur)
        MembershipFactory(enterprise=entrepreneur.enterprise, status="verified")
    assert count() == few
