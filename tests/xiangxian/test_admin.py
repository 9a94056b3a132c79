"""The registry in the admin: numbers masked in the list, a full view audited, a change there
audited and versioned like one made on the registry's pages."""

import pytest

from portal.models import AuditLog
from tests.factories import UserFactory
from tests.xiangxian.conftest import ID_A

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))
    return client


def test_the_list_masks_the_phone_and_leaves_merged_records_out(admin_client, make_person):
    kept = make_person(name="徐明远", phone="13900001111")
    make_person(name="旧记录", merged_into=kept)
    page = admin_client.get("/admin/xiangxian/xiangxian/").content.decode()
    assert "139****1111" in page and "13900001111" not in page
    assert "徐明远" in page and "旧记录" not in page


def test_opening_a_record_is_an_audited_full_view(admin_client, make_person):
    person = make_person(phone="13900001111", id_number=ID_A)
    page = admin_client.get(f"/admin/xiangxian/xiangxian/{person.pk}/change/")
    assert page.status_code == 200 and ID_A in page.content.decode()
    audit = AuditLog.objects.get(action="view_personal", target_id=str(person.pk))
    assert audit.fields == ["phone", "id_number"]


def test_a_change_in_the_admin_bumps_the_version_and_is_audited(admin_client, make_person):
    person = make_person(title="")
    form = (
        admin_client.get(f"/admin/xiangxian/xiangxian/{person.pk}/change/")
        .context["adminform"]
        .form
    )
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(title="院长", hometown=person.hometown_id, sector=person.sector_id)
    response = admin_client.post(f"/admin/xiangxian/xiangxian/{person.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert (person.title, person.version) == ("院长", 2)
    (audit,) = AuditLog.objects.filter(action="update", target_id=str(person.pk))
    assert audit.target_type == "xiangxian.xiangxian" and audit.actor.is_superuser


def test_events_and_invitations_in_the_admin(admin_client, make_event, make_person):
    from xiangxian.services import invitations_send

    event = make_event(title="乡贤大会")
    invitations_send(
        event=event,
        actor=event.created_by,
        xiangxian_ids=[make_person().pk],
        guests=[{"name": "嘉宾甲", "phone": "13911112222"}],
    )
    assert "乡贤大会" in admin_client.get("/admin/xiangxian/event/").content.decode()
    page = admin_client.get("/admin/xiangxian/invitation/").content.decode()
    assert "139****2222" in page and "13911112222" not in page
    guest = event.invitations.get(guest_name="嘉宾甲")
    detail = admin_client.get(f"/admin/xiangxian/invitation/{guest.pk}/change/").content.decode()
    assert "13911112222" not in detail and guest.token not in detail
