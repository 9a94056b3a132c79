"""The registry's people: 寓外 computed, never typed; duplicates found on entry; edits that never
overwrite a colleague's; merges that move every linked record and can be undone."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from portal.exceptions import Conflict
from portal.models import AuditLog, Tag, TagCategory
from portal.services.tags import tags_set
from portal.tags import tags_of
from tests.factories import UserFactory
from tests.xiangxian.conftest import ID_A, ID_B
from xiangxian import services
from xiangxian.models import Xiangxian, XiangxianMerge

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(role="dispatcher")


# --- 寓外 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("province", "city", "abroad", "away"),
    [
        ("浙江省", "衢州市", "", False),
        ("浙江省", "衢州", "", False),
        ("浙江省", "杭州市", "", True),
        ("上海市", "上海市", "", True),
        ("", "", "新加坡", True),
    ],
)
def test_living_away_is_computed_from_where_the_person_lives(
    make_person, province, city, abroad, away
):
    person = make_person(residence_province=province, residence_city=city, abroad=abroad)
    assert Xiangxian.objects.get(pk=person.pk).away is away
    assert Xiangxian.objects.filter(away=away).count() == 1


def test_moving_home_changes_living_away_without_anyone_typing_it(make_person):
    person = make_person()
    Xiangxian.objects.filter(pk=person.pk).update(
        residence_province="浙江省", residence_city="衢州市"
    )
    assert Xiangxian.objects.get(pk=person.pk).away is False


def test_the_database_refuses_a_person_both_abroad_and_in_a_province(make_person):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_person(abroad="美国")


# --- entering ---------------------------------------------------------------------------------


def test_a_person_is_entered_with_encrypted_numbers_and_an_audit_row(staff, person_data):
    person = services.xiangxian_create(actor=staff, data=person_data)
    person.refresh_from_db()
    assert person.away is True and person.birth_year == 1968
    assert person.phone == "13900001111" and person.masked_phone == "139****1111"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, id_number FROM xiangxian_xiangxian WHERE id = %s", [person.pk]
        )
        stored = cursor.fetchone()
    assert "13900001111" not in stored[0] and ID_A not in stored[1]
    audit = AuditLog.objects.get(target_type="xiangxian.xiangxian", target_id=str(person.pk))
    assert audit.action == "create" and {"phone", "id_number"} <= set(audit.fields)
    assert "13900001111" not in audit.note


def test_bad_fields_are_all_reported_in_chinese_and_nothing_is_written(staff, person_data):
    bad = {
        **person_data,
        "name": " ",
        "birth_year": "六八年",
        "phone": "12345",
        "id_number": "330881196803120011",
        "residence_province": "火星",
        "sector": "999999",
    }
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        services.xiangxian_create(actor=staff, data=bad)
    errors = caught.value.message_dict
    assert set(errors) == {
        "name",
        "birth_year",
        "phone",
        "id_number",
        "residence_province",
        "sector",
    }
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for ms in errors.values() for m in ms)
    assert not Xiangxian.objects.exists()


def test_abroad_and_a_province_together_is_refused_with_a_message(staff, person_data):
    with pytest.raises(ValidationError) as caught:
        services.xiangxian_create(actor=staff, data={**person_data, "abroad": "日本"})
    assert "abroad" in caught.value.message_dict


def test_duplicates_are_found_by_phone_and_by_name_year_and_hometown(
    staff, person_data, make_person
):
    by_phone = make_person(name="徐明", phone="13900001111")
    by_name = make_person(name="徐明远", birth_year=1968)
    make_person(name="徐明远", birth_year=1970)  # another year: another person
    with translation.override("en"), pytest.raises(services.DuplicateSuspected) as caught:
        services.xiangxian_create(actor=staff, data={**person_data, "id_number": ""})
    found = {c.person.pk: c.reasons for c in caught.value.candidates}
    assert set(found) == {by_phone.pk, by_name.pk}
    assert found[by_phone.pk] == ["same mobile number"]
    assert Xiangxian.objects.count() == 3
    # Confirmed as someone new: entered, and the audit row names the records it may repeat.
    person = services.xiangxian_create(
        actor=staff, data={**person_data, "id_number": ""}, confirmed_new=True
    )
    assert f"#{by_phone.pk}" in AuditLog.objects.get(target_id=str(person.pk), action="create").note


def test_the_same_id_number_is_never_entered_twice(staff, person_data, make_person):
    make_person(name="徐明远", id_number=ID_A)
    with pytest.raises(ValidationError) as caught:
        services.xiangxian_create(actor=staff, data=person_data, confirmed_new=True)
    assert "id_number" in caught.value.message_dict
    # And the database says so too, whatever the service is told.
    with pytest.raises(IntegrityError), transaction.atomic():
        make_person(name="别人", id_number=ID_A)


# --- editing ----------------------------------------------------------------------------------


def test_an_edit_based_on_an_old_version_is_refused_and_nothing_is_lost(staff, person_data):
    person = services.xiangxian_create(actor=staff, data=person_data)
    colleague = UserFactory(role="dispatcher")
    services.xiangxian_update(
        person=person, actor=colleague, data={**person_data, "title": "院长"}, version=1
    )
    with pytest.raises(Conflict):
        services.xiangxian_update(
            person=person, actor=staff, data={**person_data, "honours": "院士"}, version=1
        )
    person.refresh_from_db()
    assert (person.title, person.honours, person.version) == ("院长", "", 2)
    changed = AuditLog.objects.get(target_id=str(person.pk), action="update")
    assert changed.fields == ["title"] and changed.actor == colleague


# --- merging ----------------------------------------------------------------------------------


def _tag(name):
    category, _ = TagCategory.objects.get_or_create(name="专长")
    return Tag.objects.create(category=category, name=name)


def test_a_merge_moves_tags_fills_blanks_hides_the_record_and_is_undone_exactly(staff, make_person):
    kept = make_person(name="徐明远", phone="13900001111")
    repeat = make_person(name="徐明远", title="主任医师", id_number=ID_B)
    cardiology, surgery = _tag("心内科"), _tag("外科")
    tags_set(kept, [cardiology], actor=staff)
    tags_set(repeat, [cardiology, surgery], actor=staff)

    merge = services.xiangxian_merge(source=repeat, target=kept, actor=staff)
    kept.refresh_from_db()
    repeat.refresh_from_db()
    assert repeat.merged_into == kept
    assert kept.title == "主任医师" and kept.id_number == ""  # the ID number stays put
    assert {t.name for t in tags_of(kept)} == {"心内科", "外科"}
    assert list(Xiangxian.objects.visible_to(staff)) == [kept]
    assert AuditLog.objects.filter(target_id=str(repeat.pk), fields=["merged_into"]).count() == 1
    with pytest.raises(Conflict):
        services.xiangxian_merge(source=repeat, target=kept, actor=staff)

    services.xiangxian_merge_undo(merge=merge, actor=staff)
    kept.refresh_from_db()
    repeat.refresh_from_db()
    assert repeat.merged_into is None and kept.title == ""
    assert {t.name for t in tags_of(kept)} == {"心内科"}
    assert {t.name for t in tags_of(repeat)} == {"心内科", "外科"}
    assert XiangxianMerge.objects.get().undone_by == staff
    with pytest.raises(Conflict):
        services.xiangxian_merge_undo(merge=merge, actor=staff)
    # Undone, the two can be merged again.
    services.xiangxian_merge(source=repeat, target=kept, actor=staff)


def test_a_record_cannot_be_merged_with_itself(staff, make_person):
    person = make_person()
    with pytest.raises(ValidationError):
        services.xiangxian_merge(source=person, target=person, actor=staff)
