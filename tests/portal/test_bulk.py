"""portal.bulk.insert_rows: plain values only where Django's own fields take them as they are."""

import pytest
from django.db import connection
from django.utils import timezone

from portal.bulk import insert_rows, is_plain
from portal.models import Department, Notification, User
from tests.factories import UserFactory


def test_an_encrypted_field_is_never_written_as_plain_text():
    assert not is_plain(User._meta.get_field("mobile"))  # a TextField underneath
    assert not is_plain(Department._meta.get_field("webhook_secret"))
    assert is_plain(Notification._meta.get_field("title"))
    assert is_plain(Notification._meta.get_field("created_at"))
    assert is_plain(Notification._meta.get_field("recipient"))


@pytest.mark.django_db
def test_rows_are_inserted_with_their_ids_in_order():
    reader = UserFactory(role="dispatcher")
    now = timezone.now()  # insert_rows calls no pre_save: auto_now_add is the caller's
    rows = [
        Notification(recipient=reader, kind="tests.test", title=f"第{n}条", created_at=now)
        for n in range(3)
    ]
    returned = insert_rows(rows, returning=("id", "title"))
    stored = list(Notification.objects.filter(recipient=reader).order_by("id"))
    assert [n.title for n in stored] == ["第0条", "第1条", "第2条"]
    if connection.vendor == "postgresql":
        assert [title for _pk, title in returned] == ["第0条", "第1条", "第2条"]
        assert [pk for pk, _title in returned] == [n.pk for n in stored]
