"""Administrators keep the university table in the admin site."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_university_table_in_the_admin(client):
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))
    page = client.get("/admin/nonparty/university/", {"q": "宁波"})
    assert page.status_code == 200 and "宁波大学" in page.content.decode()
