"""``manage.py rotate_encryption_key``: after it, the old key can be dropped and every mobile
number and robot secret still reads back and is still found by its blind index."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal.crypto import generate_key
from portal.models import Department, User
from tests.factories import DepartmentFactory, UserFactory

MOBILE = "13812345678"


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_encryption_key", *args, stdout=out)
    return out.getvalue()


def find_by_mobile(mobile: str) -> list[User]:
    return list(User.objects.filter(User._meta.get_field("mobile").blind_index_q(mobile)))


@pytest.mark.django_db
def test_rows_written_under_the_old_key_read_back_under_the_new_one_alone(settings):
    old, new = generate_key(), generate_key()
    settings.FIELD_ENCRYPTION_KEY = old
    people = [UserFactory(mobile=f"1381234{n:04d}") for n in range(7)]
    nobody = UserFactory(mobile="")
    department = DepartmentFactory(webhook_secret="SECdingtalk-robot-secret")

    settings.FIELD_ENCRYPTION_KEY = f"{new},{old}"  # step 1: the new key first
    with pytest.raises(CommandError, match="still need an older key"):
        rotate("--check")
    out = rotate("--batch-size", "3")  # step 2
    assert "portal.User: mobile: 7 rows re-encrypted" in out
    assert "portal.Department: webhook_secret: 1 rows re-encrypted" in out
    assert out.splitlines()[-1].startswith("8 rows re-encrypted")
    assert rotate().splitlines()[-1].startswith("0 rows re-encrypted")  # nothing left to do
    assert rotate("--check").splitlines()[-1].startswith("0 rows need an older key")

    settings.FIELD_ENCRYPTION_KEY = new  # step 3: the old key is gone
    for person in people:
        assert User.objects.get(pk=person.pk).mobile == person.mobile
        assert find_by_mobile(person.mobile) == [person]
    assert User.objects.get(pk=nobody.pk).mobile == ""
    assert Department.objects.get(pk=department.pk).webhook_secret == "SECdingtalk-robot-secret"


@pytest.mark.django_db
def test_a_blind_index_left_from_the_old_key_is_refreshed(settings):
    old, new = generate_key(), generate_key()
    settings.FIELD_ENCRYPTION_KEY = old
    person = UserFactory(mobile=MOBILE)
    settings.FIELD_ENCRYPTION_KEY = f"{new},{old}"
    person.save()  # the token is under the new key now, the index too: nothing to do
    assert rotate().splitlines()[-1].startswith("0 rows")
    User.objects.filter(pk=person.pk).update(mobile_hash="0" * 64)  # an index gone stale
    assert rotate().splitlines()[-1].startswith("1 rows")
    settings.FIELD_ENCRYPTION_KEY = new
    assert find_by_mobile(MOBILE) == [person]
