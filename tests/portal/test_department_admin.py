import pytest

from portal.models import Department

pytestmark = pytest.mark.django_db


def test_webhook_secret_is_encrypted_never_shown_and_kept_when_blank(client, admin_user):
    department = Department.objects.create(
        name="市经信局测试",
        code="jxj-test",
        webhook_kind="dingtalk",
        webhook_url="https://oapi.example.invalid/robot/send?access_token=x",
        webhook_secret="SECabc123",
    )
    client.force_login(admin_user)
    url = f"/admin/portal/department/{department.pk}/change/"
    page = client.get(url).content.decode()
    assert "SECabc123" not in page
    form = {
        "name": department.name,
        "short_name": "经信",
        "code": department.code,
        "is_active": "on",
        "webhook_kind": "dingtalk",
        "webhook_url": department.webhook_url,
        "webhook_secret": "",
        "sort_order": 1,
    }
    assert client.post(url, form).status_code == 302
    department.refresh_from_db()
    assert department.short_name == "经信"
    assert department.webhook_secret == "SECabc123"
    stored = Department.objects.filter(pk=department.pk).values_list("webhook_secret", flat=True)
    # values_list goes through from_db_value too, so read the raw column to see the ciphertext.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT webhook_secret FROM portal_department WHERE id = %s", [department.pk]
        )
        raw = cursor.fetchone()[0]
    assert "SECabc123" not in raw
    assert list(stored) == ["SECabc123"]
