"""Associations (联谊会): officers by term (one 会长 at a time), members once each, the pages and
who may use them, and merges that move memberships without repeating one."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.models import AuditLog
from tests.xiangxian.conftest import OUTSIDER_ROLES
from xiangxian import services
from xiangxian.models import Association, AssociationMembership, AssociationOfficer, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def doctors_club(editor):
    return services.association_create(
        actor=editor, name="寓外名医联谊会", founded_on="2021-05-01", description="衢籍在外名医"
    )


def join(association, person, actor, day="2022-01-01"):
    return services.association_member_add(
        actor=actor, association=association, xiangxian=person, joined_on=day
    )


# --- the model --------------------------------------------------------------------------------


def test_the_database_refuses_a_term_ending_before_it_starts_and_two_current_presidents(
    doctors_club, make_person
):
    a, b = make_person(name="甲"), make_person(name="乙")
    with pytest.raises(IntegrityError), transaction.atomic():
        AssociationOfficer.objects.create(
            association=doctors_club,
            xiangxian=a,
            post=Post.VICE_PRESIDENT,
            term_start=dt.date(2024, 1, 1),
            term_end=dt.date(2023, 1, 1),
        )
    AssociationOfficer.objects.create(
        association=doctors_club, xiangxian=a, post=Post.PRESIDENT, term_start=dt.date(2024, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AssociationOfficer.objects.create(
            association=doctors_club,
            xiangxian=b,
            post=Post.PRESIDENT,
            term_start=dt.date(2025, 1, 1),
        )


def test_a_person_is_a_member_once(doctors_club, make_person):
    person = make_person()
    AssociationMembership.objects.create(
        association=doctors_club, xiangxian=person, joined_on=dt.date(2022, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AssociationMembership.objects.create(
            association=doctors_club, xiangxian=person, joined_on=dt.date(2023, 1, 1)
        )


# --- services ---------------------------------------------------------------------------------


def test_every_write_is_audited(doctors_club, make_person, editor):
    person = make_person()
    membership = join(doctors_club, person, editor)
    services.association_update(
        actor=editor, association=doctors_club, name="衢州市寓外名医联谊会", description=""
    )
    services.association_officer_set(
        actor=editor,
        association=doctors_club,
        xiangxian=person,
        post=Post.SECRETARY_GENERAL,
        term_start="2023-01-01",
    )
    services.association_member_remove(actor=editor, membership=membership)
    rows = AuditLog.objects.filter(actor=editor)
    assert set(rows.values_list("target_type", "action")) == {
        ("xiangxian.association", "create"),
        ("xiangxian.association", "update"),
        ("xiangxian.associationmembership", "create"),
        ("xiangxian.associationmembership", "delete"),
        ("xiangxian.associationofficer", "create"),
        ("xiangxian.associationofficer", "update"),
    }
    # Leaving ends the open post.
    assert AssociationOfficer.objects.get().term_end is not None


def test_a_new_president_ends_the_current_ones_term_the_day_before(
    doctors_club, make_person, editor
):
    first, second = make_person(name="甲"), make_person(name="乙")
    services.association_officer_set(
        actor=editor,
        association=doctors_club,
        xiangxian=first,
        post=Post.PRESIDENT,
        term_start="2021-05-01",
    )
    # Not yet a member: becomes one on the term's first day.
    services.association_officer_set(
        actor=editor,
        association=doctors_club,
        xiangxian=second,
        post=Post.PRESIDENT,
        term_start="2024-05-01",
    )
    terms = {o.xiangxian_id: (o.term_start, o.term_end) for o in AssociationOfficer.objects.all()}
    assert terms[first.pk] == (dt.date(2021, 5, 1), dt.date(2024, 4, 30))
    assert terms[second.pk] == (dt.date(2024, 5, 1), None)
    assert AssociationMembership.objects.get(xiangxian=second).joined_on == dt.date(2024, 5, 1)
    with pytest.raises(ValidationError) as caught:
        services.association_officer_set(
            actor=editor,
            association=doctors_club,
            xiangxian=first,
            post=Post.PRESIDENT,
            term_start="2024-01-01",
        )
    assert "term_start" in caught.value.message_dict


def test_bad_input_is_refused_and_nothing_written(doctors_club, make_person, editor, leader):
    person = make_person()
    before = AuditLog.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.association_officer_set(
            actor=editor,
            association=doctors_club,
            xiangxian=person,
            post="king",
            term_start="2024-01-01",
            term_end="2023-01-01",
        )
    assert {"post", "term_end"} <= set(caught.value.message_dict)
    join(doctors_club, person, editor)
    with pytest.raises(ValidationError):
        join(doctors_club, person, editor)
    with pytest.raises(ValidationError):
        services.association_create(actor=editor, name="寓外名医联谊会")
    with pytest.raises(PermissionDenied):
        services.association_create(actor=leader, name="新联谊会")
    assert AuditLog.objects.count() == before + 1
    assert Association.objects.count() == 1


def test_a_merge_moves_memberships_but_never_repeats_one_and_undo_restores_them(
    make_person, editor
):
    club = services.association_create(actor=editor, name="寓外名医联谊会")
    other = services.association_create(actor=editor, name="上海衢州商会")
    kept, repeat = make_person(name="徐明远"), make_person(name="徐明远")
    join(club, kept, editor)
    both = join(club, repeat, editor)  # both records are members: stays with the repeat
    only = join(other, repeat, editor)
    services.association_officer_set(
        actor=editor,
        association=other,
        xiangxian=repeat,
        post=Post.PRESIDENT,
        term_start="2024-01-01",
    )
    merge = services.xiangxian_merge(source=repeat, target=kept, actor=editor)
    only.refresh_from_db()
    both.refresh_from_db()
    assert only.xiangxian_id == kept.pk and both.xiangxian_id == repeat.pk
    assert AssociationOfficer.objects.get().xiangxian_id == kept.pk
    assert set(
        AssociationMembership.objects.filter(xiangxian=kept).values_list("association", flat=True)
    ) == {club.pk, other.pk}
    services.xiangxian_merge_undo(merge=merge, actor=editor)
    only.refresh_from_db()
    assert only.xiangxian_id == repeat.pk
    assert AssociationOfficer.objects.get().xiangxian_id == repeat.pk
    assert AssociationMembership.objects.filter(xiangxian=kept).count() == 1


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OUTSIDER_ROLES)
def test_outsiders_get_403_on_the_list_and_404_on_an_association(
    client, doctors_club, make_person, editor, role, outsider_of
):
    membership = join(doctors_club, make_person(), editor)
    client.force_login(outsider_of(role))
    assert client.get("/xiangxian/associations/").status_code == 403
    assert client.get("/xiangxian/associations/new/").status_code == 403
    assert client.get(f"/xiangxian/associations/{doctors_club.pk}/").status_code == 404
    assert client.post(f"/xiangxian/associations/members/{membership.pk}/remove/").status_code in (
        403,
        404,
    )
    assert AssociationMembership.objects.exists()


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get("/xiangxian/associations/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_leader_reads_but_changes_nothing(client, doctors_club, make_person, editor, leader):
    person = make_person(name="徐明远")
    join(doctors_club, person, editor)
    client.force_login(leader)
    page = client.get(f"/xiangxian/associations/{doctors_club.pk}/").content.decode()
    assert "徐明远" in page and "member-form" not in page and "officer-form" not in page
    assert "寓外名医联谊会" in client.get(f"/xiangxian/{person.pk}/").content.decode()
    url = f"/xiangxian/associations/{doctors_club.pk}/members/"
    assert client.post(url, {"xiangxian": person.pk, "joined_on": "2024-01-01"}).status_code == 403
    assert client.post("/xiangxian/associations/new/", {"name": "x"}).status_code == 403


def test_a_dispatcher_enters_an_association_adds_members_and_sets_officers(
    client, make_person, editor
):
    a, b = make_person(name="徐明远"), make_person(name="周雅琴")
    client.force_login(editor)
    response = client.post(
        "/xiangxian/associations/new/", {"name": "寓外名医联谊会", "founded_on": "2021-05-01"}
    )
    assert response.status_code == 302
    club = Association.objects.get()
    url = f"/xiangxian/associations/{club.pk}/"
    for person in (a, b):
        added = client.post(url + "members/", {"xiangxian": person.pk, "joined_on": "2022-03-01"})
        assert added.status_code == 302
    again = client.post(url + "members/", {"xiangxian": a.pk, "joined_on": "2022-03-01"})
    assert again.status_code == 400 and again.context["member_form"].errors["xiangxian"]
    nobody = client.post(url + "members/", {"xiangxian": 10**9, "joined_on": "2022-03-01"})
    assert nobody.status_code == 400
    set_post = client.post(
        url + "officers/", {"xiangxian": a.pk, "post": "president", "term_start": "2022-03-01"}
    )
    assert set_post.status_code == 302
    bad_term = client.post(
        url + "officers/",
        {
            "xiangxian": b.pk,
            "post": "vice_president",
            "term_start": "2024-01-01",
            "term_end": "2023-01-01",
        },
    )
    assert bad_term.status_code == 400 and bad_term.context["officer_form"].errors
    page = client.get(url).content.decode()
    assert "会长" in page and "2022-03-01" in page
    person_page = client.get(f"/xiangxian/{a.pk}/").content.decode()
    assert "寓外名医联谊会" in person_page and "会长" in person_page
    membership = AssociationMembership.objects.get(xiangxian=b)
    assert (
        client.post(f"/xiangxian/associations/members/{membership.pk}/remove/").status_code == 302
    )
    assert AssociationMembership.objects.count() == 1
    edited = client.post(url + "edit/", {"name": "衢州市寓外名医联谊会"})
    assert edited.status_code == 302
    assert client.post(url + "edit/", {"name": ""}).status_code == 400
    club.refresh_from_db()
    assert club.name == "衢州市寓外名医联谊会"


def test_the_pages_read_a_flat_number_of_queries(client, make_person, editor):
    client.force_login(editor)
    first = services.association_create(actor=editor, name="联谊会0")
    join(first, make_person(name="甲"), editor)

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    few_list = count("/xiangxian/associations/")
    few_detail = count(f"/xiangxian/associations/{first.pk}/")
    for n in range(1, 8):
        club = services.association_create(actor=editor, name=f"联谊会{n}")
        person = make_person(name=f"乙{n}")
        join(club, person, editor)
        join(first, person, editor)
        services.association_officer_set(
            actor=editor,
            association=first,
            xiangxian=person,
            post=Post.DIRECTOR,
            term_start="2024-01-01",
        )
    assert count("/xiangxian/associations/") == few_list
    assert count(f"/xiangxian/associations/{first.pk}/") == few_detail
