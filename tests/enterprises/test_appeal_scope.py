"""``visible_to`` for appeals and attachments: owner, colleague and outsider of every role."""

import pytest

from enterprises import services
from enterprises.models import Appeal, Attachment
from tests.enterprises.test_attachments import pdf
from tests.factories import MembershipFactory, UserFactory, appeal_in

pytestmark = pytest.mark.django_db


def _sees(user, appeal) -> bool:
    return Appeal.objects.visible_to(user).filter(pk=appeal.pk).exists()


def test_entrepreneurs_see_their_enterprises_appeals_only(entrepreneur, colleague, outsider):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    assert _sees(entrepreneur, appeal) and _sees(colleague, appeal)
    assert not _sees(outsider, appeal)
    pending = UserFactory(role="entrepreneur")
    MembershipFactory(user=pending, enterprise=entrepreneur.enterprise, status="pending")
    assert not _sees(pending, appeal)


def test_departments_see_what_they_lead_or_co_handle(
    entrepreneur, dispatcher, handler, handler_colleague, head, other_handler, make_user
):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    assert not _sees(handler, appeal)  # not routed yet
    services.appeal_assign(appeal=appeal, actor=dispatcher, department=handler.department)
    assert _sees(handler, appeal) and _sees(handler_colleague, appeal) and _sees(head, appeal)
    assert not _sees(other_handler, appeal)
    third = make_user(role="handler", department=other_handler.department)
    assert not _sees(third, appeal)


def test_staff_of_the_united_front_department_see_everything(
    entrepreneur, dispatcher, leader, admin_user
):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    assert all(_sees(user, appeal) for user in (dispatcher, leader, admin_user))


def test_anonymous_sees_nothing(entrepreneur):
    from django.contrib.auth.models import AnonymousUser

    appeal_in("submitted", entrepreneur=entrepreneur)
    assert not Appeal.objects.visible_to(AnonymousUser()).exists()


def test_attachments_follow_their_appeal(settings, tmp_path, entrepreneur, colleague, outsider):
    settings.MEDIA_ROOT = tmp_path
    appeal = services.appeal_submit(
        actor=entrepreneur,
        enterprise=entrepreneur.enterprise,
        title="t",
        content="c",
        category=appeal_in("submitted", entrepreneur=entrepreneur).category,
        files=[pdf("合同.pdf")],
    )
    attachment = Attachment.objects.get(appeal=appeal)
    assert Attachment.objects.visible_to(colleague).filter(pk=attachment.pk).exists()
    assert not Attachment.objects.visible_to(outsider).filter(pk=attachment.pk).exists()
